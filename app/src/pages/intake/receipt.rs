//! After "Déposer": the receipt (reference, date, private follow-up link) and the follow-up page that tells the
//! collectivité, in plain French, where its case stands.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::components::LoadError;
use crate::domain::dates::{format_paris, format_paris_date};
use crate::domain::stage::Stage;
use crate::endpoints::intake::dossier_depose;
use crate::model::intake::FiledCaseView;

/// When the case will be examined, in French.
fn review_sentence(period: &Option<(String, i64, i64)>) -> String {
    match period {
        Some((name, first, last)) => format!(
            "Il sera examiné lors de la période de relève « {name} », du {} au {}.",
            format_paris_date(*first),
            format_paris_date(*last)
        ),
        None => {
            "Il sera examiné lors de la prochaine période de relève, dont les dates ne sont pas encore fixées.".into()
        }
    }
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
                            <p>"Ce lien privé vous permet de suivre l'avancement de votre cas d'usage. Conservez-le : il n'est pas envoyé par courriel."</p>
                            <p class="resume-link"><a href=follow_up>{follow_up_full}</a></p>
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
    let (_, case) = case_resource();
    view! {
        <Transition fallback=|| view! { <p role="status">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match case.await {
                    Ok(case) => {
                        let stage = case.stage;
                        view! {
                            <Title text=format!("Suivi du dossier {}", case.reference)/>
                            <h1>{format!("Suivi du dossier {}", case.reference)}</h1>
                            <p class="lead">"« "{case.title.clone()}" » — "{case.collectivite_name.clone()}</p>
                            <p>{format!("Déposé le {}. Dernière mise à jour le {}.", format_paris(case.filed_at), format_paris(case.updated_at))}</p>
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
                            {(stage == Stage::Remontee).then(|| view! { <p>{review_sentence(&case.review_period)}</p> })}
                        }.into_any()
                    }
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Transition>
    }
}
