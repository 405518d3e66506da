//! After "Déposer": the receipt (reference, date, private follow-up link) and the follow-up page that tells the
//! collectivité, in plain French, where its case stands.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::components::LoadError;
use crate::domain::dates::format_paris;
use crate::domain::stage::Stage;
use crate::endpoints::intake::dossier_depose;
use crate::model::intake::FiledCaseView;

/// When the case will be examined, in French.
fn review_sentence(period: &Option<(String, i64, i64)>) -> String {
    crate::domain::periods::review_sentence(
        period
            .as_ref()
            .map(|(name, first, last)| (name.as_str(), *first, *last)),
    )
}

fn case_resource() -> (
    impl Fn() -> String + Copy,
    Resource<Result<FiledCaseView, crate::error::AppError>>,
) {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    (token, Resource::new(token, dossier_depose))
}

#[component]
pub fn ReceiptPage() -> impl IntoView {
    let (token, case) = case_resource();
    view! {
        <Transition fallback=|| view! { <p role="status">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match case.await {
                    Ok(case) => {
                        let follow_up = format!("/suivi/{}", token());
                        let follow_up_full = format!("{}{follow_up}", case.origin);
                        view! {
                            <Title text=format!("Cas d'usage déposé — {}", case.reference)/>
                            <div class="alert alert-success receipt" role="status">
                                <h1>"Votre cas d'usage a bien été déposé"</h1>
                                <p>"Référence : "<strong class="reference">{case.reference.clone()}</strong></p>
                                <p>{format!("Déposé le {}.", format_paris(case.filed_at))}</p>
                            </div>
                            <h2>"« "{case.title.clone()}" »"</h2>
                            <p>{format!("Collectivité : {}", case.collectivite_name)}</p>
                            <h2>"Suivre votre dossier"</h2>
                            <p>"Ce lien privé vous permet de suivre l'avancement de votre cas d'usage, d'échanger avec l'équipe du programme et de lui envoyer des documents. Il vous est aussi envoyé par courriel avec l'accusé de dépôt."</p>
                            <p class="resume-link"><a href=follow_up>{follow_up_full}</a></p>
                            <p><a class="button button-secondary" href=format!("/suivi/{}/attestation.pdf", token()) download="">"Télécharger l'attestation de dépôt (PDF)"</a></p>
                            <h2>"Et ensuite ?"</h2>
                            <p>{Stage::Remontee.explanation()}</p>
                            <p>{review_sentence(&case.review_period)}</p>
                        }.into_any()
                    }
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn FollowUpPage() -> impl IntoView {
    let (token, case) = case_resource();
    view! {
        <Transition fallback=|| view! { <p role="status">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match case.await {
                    Ok(case) => {
                        let stage = case.stage;
                        view! {
                            <Title text=format!("Suivi du dossier {}", case.reference)/>
                            <h1>{format!("Suivi du dossier {}", case.reference)}</h1>
                            <crate::components::Saved messages=&[("lien", "Un nouveau lien privé a été émis : les anciens liens ne fonctionnent plus. Enregistrez l'adresse de cette page.")]/>
                            <p class="lead">"« "{case.title.clone()}" » — "{case.collectivite_name.clone()}</p>
                            <p>{format!("Déposé le {}. Dernière mise à jour le {}.", format_paris(case.filed_at), format_paris(case.updated_at))}</p>
                            <StageTrack stage/>
                            {(stage == Stage::Remontee).then(|| view! { <p>{review_sentence(&case.review_period)}</p> })}
                            <p><a class="button button-secondary" href=format!("/suivi/{}/attestation.pdf", token()) download="">"Télécharger l'attestation de dépôt (PDF)"</a></p>
                            <FollowUpThread token=token()/>
                            <RenewLink token=token()/>
                        }.into_any()
                    }
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Where a case stands among the five stages, and what its stage means for the collectivité.
#[component]
pub fn StageTrack(stage: Stage) -> impl IntoView {
    view! {
        <h2>"Où en est votre cas d'usage ?"</h2>
        <ol class="stage-track">
            {Stage::PIPELINE.into_iter().map(|s| {
                let current = s == stage;
                view! {
                    <li class:current=current aria-current=current.then_some("step")>
                        {s.label()}{current.then(|| view! { <span class="visually-hidden">" (étape actuelle)"</span> })}
                    </li>
                }
            }).collect_view()}
        </ol>
        <p class="alert alert-info"><strong>{format!("{} : ", stage.label())}</strong>{stage.explanation()}</p>
    }
}

/// The thread of the follow-up page and the emails sent to the collectivité.
#[component]
fn FollowUpThread(token: String) -> impl IntoView {
    use crate::endpoints::messages::fil_suivi;
    let location = leptos_router::hooks::use_location();
    let key = token.clone();
    let thread = Resource::new(move || (key.clone(), location.search.get()), |(t, _)| fil_suivi(t));
    view! {
        <Transition fallback=|| view! { <p role="status">"Chargement des messages…"</p> }>
            {move || {
                let token = token.clone();
                Suspend::new(async move {
                match thread.await {
                    Ok(thread) => {
                        let emails = thread.emails.clone();
                        view! {
                            <crate::pages::messages::Thread thread team=false live=crate::pages::messages::LiveSource::Link(token.clone())/>
                            <crate::pages::messages::SentEmails emails/>
                        }.into_any()
                    }
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })
            }}
        </Transition>
    }
}

/// Issuing a new private link, which ends the others.
#[component]
fn RenewLink(token: String) -> impl IntoView {
    use crate::endpoints::messages::NouveauLien;
    let renew = ServerAction::<NouveauLien>::new();
    view! {
        <section aria-labelledby="nouveau-lien" class="case-section">
            <h2 id="nouveau-lien">"Votre lien privé"</h2>
            <p>"Quiconque a ce lien voit votre dossier et peut écrire à l'équipe. S'il a circulé trop largement, émettez-en un nouveau : tous les liens envoyés jusqu'ici cesseront de fonctionner."</p>
            <crate::components::ServerErrorNotice message=crate::components::failure(renew.value())/>
            <ActionForm action=renew>
                <input type="hidden" name="token" value=token/>
                <div class="choice">
                    <input type="checkbox" id="nouveau-lien-confirmation" name="confirmation" value="oui" required/>
                    <label for="nouveau-lien-confirmation">"J'ai compris que les liens envoyés jusqu'ici cesseront de fonctionner"</label>
                </div>
                <button type="submit" class="button button-secondary">"Émettre un nouveau lien"</button>
            </ActionForm>
        </section>
    }
}

/// "Lien perdu ?": the follow-up links of the cases filed with an address, sent to it.
#[component]
pub fn LostLinkPage() -> impl IntoView {
    use crate::endpoints::messages::LienPerdu;
    let ask = ServerAction::<LienPerdu>::new();
    let query = leptos_router::hooks::use_query_map();
    let sent = move || query.read().get("envoye").is_some() || ask.value().with(|v| matches!(v, Some(Ok(()))));
    view! {
        <Title text="Lien de suivi perdu"/>
        <h1>"Lien de suivi perdu ?"</h1>
        <p class="lead">"Indiquez l'adresse électronique du contact donnée lors du dépôt : nous y enverrons un lien de suivi pour chaque cas d'usage déposé avec elle."</p>
        {move || sent().then(|| view! {
            <div class="alert alert-success" role="status"><p>"Si des cas d'usage ont été déposés avec cette adresse, un courriel contenant leurs liens de suivi vient d'y être envoyé. Pensez à vérifier les courriers indésirables."</p></div>
        })}
        <crate::components::ServerErrorNotice message=crate::components::failure(ask.value())/>
        <ActionForm action=ask attr:class="narrow-form" attr:novalidate=true>
            <div class="field">
                <label for="courriel-perdu">"Adresse électronique"</label>
                <p class="hint" id="courriel-perdu-aide">"Au format nom@domaine.fr"</p>
                <input type="email" id="courriel-perdu" name="courriel" autocomplete="email" required aria-describedby="courriel-perdu-aide"/>
            </div>
            <div class="form-actions">
                <button type="submit" class="button">"Recevoir mes liens"</button>
            </div>
        </ActionForm>
    }
}
