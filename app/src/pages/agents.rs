//! The collectivité's space: its agents sign in with ProConnect and find every case of their collectivité,
//! whoever filed it (a case filed by private link once an agent attached it), with its stage and the team's
//! messages awaiting an answer.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_params_map, use_query_map};
use server_fn::ServerFn;

use super::cadrage::DocumentText;
use super::sign_in::{ProConnectButton, SignInNotices};
use crate::components::{failure, LoadError, Saved, ServerErrorNotice};
use crate::domain::dates::{format_paris, format_paris_date};
use crate::endpoints::agents::{
    cadrage_collectivite, dossier_collectivite, espace_collectivite, AgentCommencerDepot, AgentContinuerBrouillon,
    AgentInviterCollegue, AgentProposerTransfert, AgentRattacherDossier, AgentRepondreTransfert, AgentSeDeconnecter,
    AgentValiderCadrage,
};
use crate::error::AppError;
use crate::model::agents::{
    AgentCadrageView, AgentCaseView, CaseContact, Colleague, PendingTransfer, SentInvitation, SpaceCase, SpaceDraft,
    SpaceView,
};

/// `/collectivite/connexion`: ProConnect's button for the agents of collectivités, when this service offers it.
#[component]
pub fn AgentSignInPage() -> impl IntoView {
    let query = use_query_map();
    let offered = Resource::new(|| (), |_| crate::endpoints::sign_in::proconnect_propose());
    let retour = move || query.read().get("retour");
    view! {
        <Title text="Connexion à l'espace collectivité"/>
        <h1>"Connexion à l'espace de votre collectivité"</h1>
        <p class="lead">
            "Les agents des communes, EPCI, départements et régions y retrouvent tous les cas d'usage déposés pour "
            "leur collectivité, par eux-mêmes ou par leurs collègues, avec leur étape et les messages de l'équipe."
        </p>
        <SignInNotices/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                if offered.await.unwrap_or(false) {
                    view! { <ProConnectButton retour=retour() collectivite=true last=true/> }.into_any()
                } else {
                    view! {
                        <p>
                            "L'espace collectivité s'ouvre avec ProConnect, qui n'est pas proposé sur ce service pour le moment. "
                            "Chaque dossier reste consultable avec son lien privé, reçu par courriel au dépôt."
                        </p>
                    }
                    .into_any()
                }
            })}
        </Suspense>
        <p><a href="/lien-perdu">"Lien de suivi perdu ?"</a></p>
    }
}

/// `/collectivite`: the signed-in agent's collectivité and its cases.
#[component]
pub fn SpacePage() -> impl IntoView {
    let space = Resource::new(|| (), |_| espace_collectivite());
    view! {
        <Title text="Espace de la collectivité"/>
        <Transition fallback=|| view! { <p role="status">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match space.await {
                    Ok(Some(space)) => view! { <Space space/> }.into_any(),
                    Ok(None) => {
                        let asked = use_location().pathname.get_untracked();
                        view! { <leptos_router::components::Redirect path=crate::routes::agent_sign_in_then(&asked)/> }.into_any()
                    }
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Space(space: SpaceView) -> impl IntoView {
    let SpaceView {
        agent_name,
        agent_email,
        collectivite_name,
        assurance,
        cases,
        unattached,
        drafts,
        transfers,
        colleagues,
        invitations,
        notices,
    } = space;
    let empty = cases.is_empty();
    view! {
        <h1>{format!("Espace de la collectivité : {collectivite_name}")}</h1>
        <div class="team-account">
            <p>{format!("Connecté·e : {agent_name} ({agent_email}), identifié·e par ProConnect, {assurance}.")}</p>
            <form method="post" action=AgentSeDeconnecter::url()>
                <button type="submit" class="button button-secondary">"Se déconnecter"</button>
            </form>
        </div>
        <Saved messages=&[
            ("transfert-accepte", "Vous êtes désormais le contact de ce dossier : l'ancien contact en est prévenu par courriel."),
            ("transfert-refuse", "Vous avez refusé de devenir le contact de ce dossier."),
        ]/>
        <SpaceTransfers transfers/>
        <section aria-labelledby="cas-titre" class="case-section">
            <h2 id="cas-titre">"Les cas d'usage de la collectivité"</h2>
            {if empty {
                view! { <p>{format!("Aucun cas d'usage de {collectivite_name} n'est encore dans cet espace.")}</p> }.into_any()
            } else {
                view! { <SpaceCases cases/> }.into_any()
            }}
            <p class="hint">
                "Ouvrez un dossier pour lire les messages de l'équipe et lui répondre en votre nom, avec des documents. "
                "Le lien privé envoyé à la personne qui l'a déposé continue de fonctionner. "
                <a href="/lien-perdu">"Lien de suivi perdu ?"</a>
            </p>
        </section>
        <SpaceAttach unattached/>
        <super::deployments::SpaceDeploymentsSection/>
        <SpaceDrafts drafts/>
        <super::notices::NoticeChoiceSection choice=notices/>
        <SpaceColleagues colleagues invitations/>
    }
}

/// Attaching a case filed by private link for the collectivité: an agent confirms its link once.
#[component]
fn SpaceAttach(unattached: i64) -> impl IntoView {
    let attach = ServerAction::<AgentRattacherDossier>::new();
    let waiting = match unattached {
        0 => None,
        1 => Some("1 dossier déposé par lien privé au nom de votre collectivité n'est pas encore rattaché à cet espace.".to_string()),
        n => Some(format!("{n} dossiers déposés par lien privé au nom de votre collectivité ne sont pas encore rattachés à cet espace.")),
    };
    view! {
        <section aria-labelledby="rattacher" class="case-section">
            <h2 id="rattacher">"Rattacher un dossier déposé par lien privé"</h2>
            {waiting.map(|line| view! { <p>{line}</p> })}
            <p class="hint">
                "Un dossier déposé sans connexion n'apparaît ici qu'une fois rattaché : collez son lien de suivi, "
                "reçu par courriel au dépôt. Vos collègues le verront aussi, et l'historique du dossier dira qui l'a rattaché."
            </p>
            <ServerErrorNotice message=failure(attach.value())/>
            <ActionForm action=attach attr:class="narrow-form">
                <label for="lien-dossier">"Lien privé du dossier"</label>
                <input id="lien-dossier" name="lien" type="text" inputmode="url" autocomplete="off" required
                    aria-describedby="lien-dossier-aide"/>
                <p id="lien-dossier-aide" class="hint">"Par exemple : https://…/suivi/ suivi de 64 caractères."</p>
                <button type="submit" class="button button-secondary">"Rattacher le dossier"</button>
            </ActionForm>
        </section>
    }
}

/// The collectivité's agents who signed in, the colleagues invited who have not yet, and inviting one.
#[component]
fn SpaceColleagues(colleagues: Vec<Colleague>, invitations: Vec<SentInvitation>) -> impl IntoView {
    let invite = ServerAction::<AgentInviterCollegue>::new();
    view! {
        <section aria-labelledby="collegues" class="case-section">
            <h2 id="collegues">"Vos collègues dans l'espace"</h2>
            <Saved messages=&[("invitation", "L'invitation est envoyée par courriel : votre collègue se connectera avec ProConnect.")]/>
            <ul>
                {colleagues.into_iter().map(|c| view! { <li>{format!("{} ({})", c.name, c.email)}</li> }).collect_view()}
            </ul>
            {(!invitations.is_empty()).then(|| view! {
                <h3>"Invitations en attente de première connexion"</h3>
                <ul>
                    {invitations.into_iter().map(|i| view! {
                        <li>{format!("{}, invité·e par {} le {}", i.email, i.invited_by, format_paris(i.at))}</li>
                    }).collect_view()}
                </ul>
            })}
            <ServerErrorNotice message=failure(invite.value())/>
            <ActionForm action=invite attr:class="narrow-form">
                <label for="email-collegue">"Adresse électronique du collègue"</label>
                <input id="email-collegue" name="email" type="email" autocomplete="off" required/>
                <button type="submit" class="button button-secondary">"Inviter dans l'espace"</button>
            </ActionForm>
        </section>
    }
}

/// The cases a colleague proposed to hand to this agent as contact, each accepted or declined here.
#[component]
fn SpaceTransfers(transfers: Vec<PendingTransfer>) -> impl IntoView {
    (!transfers.is_empty()).then(|| view! {
        <section aria-labelledby="transferts-titre" class="case-section">
            <h2 id="transferts-titre">"Dossiers dont on vous propose d'être le contact"</h2>
            <p class="hint">"En acceptant, vous recevrez les courriels de l'équipe du programme sur ce dossier, à la place du contact actuel."</p>
            <ul class="party-list">
                {transfers.into_iter().map(|transfer| view! {
                    <li>
                        <p>
                            <a href=crate::routes::agent_case(&transfer.reference)>{transfer.reference.clone()}</a>
                            {format!(" « {} » : proposé par {} le {}.", transfer.title, transfer.proposed_by, format_paris(transfer.proposed_at))}
                        </p>
                        <form method="post" action=AgentRepondreTransfert::url() class="inline-form">
                            <input type="hidden" name="reference" value=transfer.reference.clone()/>
                            <input type="hidden" name="transfert" value=transfer.id/>
                            <button type="submit" name="reponse" value="accepter" class="button button-primary">
                                {format!("Accepter d'être le contact de {}", transfer.reference)}
                            </button>
                            " "
                            <button type="submit" name="reponse" value="refuser" class="button button-secondary">
                                {format!("Refuser pour {}", transfer.reference)}
                            </button>
                        </form>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    })
}

/// The drafts the collectivité's agents share, each continued by any of them; and starting a new one.
#[component]
fn SpaceDrafts(drafts: Vec<SpaceDraft>) -> impl IntoView {
    let empty = drafts.is_empty();
    view! {
        <section aria-labelledby="brouillons-titre" class="case-section">
            <h2 id="brouillons-titre">"Les brouillons de la collectivité"</h2>
            <p class="hint">
                "Un cas d'usage proposé depuis cet espace est pré-rempli avec la collectivité et vos coordonnées. "
                "Ses brouillons sont partagés : chacun de vos collègues peut les reprendre. Si deux personnes "
                "modifient la même étape en même temps, la seconde en est avertie avant tout enregistrement."
            </p>
            {if empty {
                view! { <p>"Aucun brouillon en cours."</p> }.into_any()
            } else {
                view! {
                    <table class="cases-table">
                        <caption class="visually-hidden">"Brouillons en cours, du plus récemment modifié au plus ancien"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Titre"</th>
                                <th scope="col">"Commencé par"</th>
                                <th scope="col">"Modifié le"</th>
                                <th scope="col">"Action"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {drafts.into_iter().map(|draft| {
                                let title = if draft.title.is_empty() { "Sans titre".to_string() } else { draft.title };
                                let label = format!("Continuer le brouillon « {title} »");
                                view! {
                                    <tr>
                                        <td>{title}</td>
                                        <td>{draft.started_by}</td>
                                        <td>{format_paris(draft.updated_at)}</td>
                                        <td>
                                            <form method="post" action=AgentContinuerBrouillon::url()>
                                                <input type="hidden" name="brouillon" value=draft.id/>
                                                <button type="submit" class="button button-secondary" aria-label=label>
                                                    "Continuer"
                                                </button>
                                            </form>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            <form method="post" action=AgentCommencerDepot::url()>
                <button type="submit" class="button button-primary">"Proposer un nouveau cas d'usage"</button>
            </form>
        </section>
    }
}

#[component]
fn SpaceCases(cases: Vec<SpaceCase>) -> impl IntoView {
    view! {
        <table class="cases-table">
            <caption class="visually-hidden">"Cas d'usage de la collectivité, du plus récent au plus ancien"</caption>
            <thead>
                <tr>
                    <th scope="col">"Référence"</th>
                    <th scope="col">"Titre"</th>
                    <th scope="col">"Étape"</th>
                    <th scope="col">"Déposé le"</th>
                    <th scope="col">"Messages de l'équipe en attente de réponse"</th>
                    <th scope="col">"Document de cadrage"</th>
                </tr>
            </thead>
            <tbody>
                {cases.into_iter().map(|case| view! {
                    <tr>
                        <td><a href=crate::routes::agent_case(&case.reference)>{case.reference.clone()}</a></td>
                        <td>{case.title}</td>
                        <td>{case.stage.label()}</td>
                        <td>{format_paris_date(case.filed_at)}</td>
                        <td>{case.unanswered}</td>
                        <td>
                            {crate::domain::cadrage::document_open(case.stage).then(|| view! {
                                <a href=crate::routes::agent_cadrage(&case.reference)>
                                    {format!("Lire et valider le cadrage de {}", case.reference)}
                                </a>
                            })}
                        </td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// A page about one case of the space (`:reference` in its path): loaded by `load`, shown by `show`, reloaded
/// when its query changes (after a post without JavaScript); the space's sign-in when the agent's session ended.
fn agent_case_page<T, Fut>(load: fn(String) -> Fut, show: fn(T) -> AnyView) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    Fut: std::future::Future<Output = Result<T, AppError>> + Send + 'static,
{
    let params = use_params_map();
    let location = use_location();
    let page = Resource::new(
        move || {
            (
                params.read().get("reference").unwrap_or_default(),
                location.search.get(),
            )
        },
        move |(reference, _)| load(reference),
    );
    view! {
        <Transition fallback=|| view! { <p role="status">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => show(page),
                    Err(AppError::AgentSignedOut) => {
                        let asked = use_location().pathname.get_untracked();
                        view! { <leptos_router::components::Redirect path=crate::routes::agent_sign_in_then(&asked)/> }.into_any()
                    }
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// `/collectivite/cas/<référence>`: a case of the collectivité, where it stands, and its thread with the team,
/// which the signed-in agent answers in their own name.
#[component]
pub fn AgentCasePage() -> impl IntoView {
    agent_case_page(dossier_collectivite, |page| view! { <AgentCase page/> }.into_any())
}

#[component]
fn AgentCase(page: AgentCaseView) -> impl IntoView {
    use crate::pages::messages::{LiveSource, SentEmails, Thread};
    let AgentCaseView {
        reference,
        title,
        stage,
        collectivite_name,
        thread,
        contact,
        colleagues,
    } = page;
    let emails = thread.emails.clone();
    let live = LiveSource::Agent(reference.clone());
    view! {
        <Title text=format!("Dossier {reference}")/>
        <p><a href=crate::routes::AGENT_HOME>"← Espace de la collectivité"</a></p>
        <h1>{format!("Dossier {reference}")}</h1>
        <Saved messages=&[
            ("rattache", "Le dossier est rattaché à l'espace de votre collectivité : vos collègues le voient aussi."),
            ("deja-rattache", "Ce dossier était déjà rattaché à l'espace de votre collectivité."),
        ]/>
        <p class="lead">"« "{title}" » — "{collectivite_name}</p>
        <crate::pages::intake::receipt::StageTrack stage/>
        {crate::domain::cadrage::document_open(stage).then(|| view! {
            <p><a href=crate::routes::agent_cadrage(&reference)>"Lire et valider le document de cadrage"</a></p>
        })}
        <Thread thread team=false live/>
        <CaseContactSection reference=reference.clone() contact colleagues/>
        <SentEmails emails/>
    }
}

/// Who the team writes to about the case, and handing that role to a colleague (who accepts from their space).
#[component]
fn CaseContactSection(reference: String, contact: CaseContact, colleagues: Vec<Colleague>) -> impl IntoView {
    let propose = ServerAction::<AgentProposerTransfert>::new();
    let who = if contact.name.trim().is_empty() {
        contact.email.clone()
    } else {
        format!("{} ({})", contact.name, contact.email)
    };
    view! {
        <section aria-labelledby="contact" class="case-section">
            <h2 id="contact">"Contact du dossier"</h2>
            <Saved messages=&[("transfert-propose", "Le transfert est proposé : votre collègue en est prévenu par courriel et l'accepte depuis son espace.")]/>
            <p>{format!("L'équipe du programme écrit à {who}.")}</p>
            {contact.pending.map(|(name, at)| view! {
                <p>{format!("Transfert proposé à {name} le {}, en attente de sa réponse.", format_paris(at))}</p>
            })}
            {if colleagues.is_empty() {
                view! {
                    <p class="hint">
                        "Pour confier ce dossier à un collègue, il doit s'être connecté une première fois à l'espace de la collectivité avec ProConnect."
                    </p>
                }.into_any()
            } else {
                view! {
                    <ServerErrorNotice message=failure(propose.value())/>
                    <ActionForm action=propose attr:class="narrow-form">
                        <input type="hidden" name="reference" value=reference/>
                        <label for="collegue">"Nouveau contact"</label>
                        <select id="collegue" name="collegue" required>
                            {colleagues.into_iter().map(|c| view! {
                                <option value=c.id>{format!("{} ({})", c.name, c.email)}</option>
                            }).collect_view()}
                        </select>
                        <button type="submit" class="button button-secondary">"Proposer le transfert"</button>
                    </ActionForm>
                }.into_any()
            }}
        </section>
    }
}

/// `/collectivite/cas/<référence>/cadrage`: the version in force of the cadrage document, its validations, and
/// the collectivité's validation given by the signed-in agent in their own name.
#[component]
pub fn AgentCadragePage() -> impl IntoView {
    agent_case_page(cadrage_collectivite, |page| view! { <AgentCadrage page/> }.into_any())
}

#[component]
fn AgentCadrage(page: AgentCadrageView) -> impl IntoView {
    let validate = ServerAction::<AgentValiderCadrage>::new();
    let AgentCadrageView {
        reference,
        title,
        collectivite_name,
        current,
        sections,
        parties,
        can_validate,
    } = page;
    view! {
        <Title text=format!("Document de cadrage {reference}")/>
        <p><a href=crate::routes::AGENT_HOME>"← Espace de la collectivité"</a></p>
        <h1>{format!("Document de cadrage : {title}")}</h1>
        <Saved messages=&[("validation", "La validation de la collectivité est enregistrée, en votre nom.")]/>
        {if current == 0 {
            view! { <p>"L'équipe du programme n'a pas encore enregistré le document de cadrage de ce cas."</p> }.into_any()
        } else {
            view! {
                <p class="lead">{format!("{reference} · {collectivite_name} · version {current} en vigueur.")}</p>
                <section aria-labelledby="validations-titre" class="case-section">
                    <h2 id="validations-titre">{format!("Validations de la version {current}")}</h2>
                    <ul class="party-list">
                        {parties.into_iter().map(|party| view! {
                            <li>
                                <strong>{party.label.clone()}</strong>
                                {match party.validated {
                                    Some((signatory, how, at)) => format!(" : validé par {signatory} ({how}, le {}).", format_paris(at)),
                                    None => " : pas encore validé.".to_string(),
                                }}
                            </li>
                        }).collect_view()}
                    </ul>
                    {can_validate.then(|| view! {
                        <ServerErrorNotice message=failure(validate.value())/>
                        <ActionForm action=validate attr:class="narrow-form">
                            <input type="hidden" name="reference" value=reference.clone()/>
                            <input type="hidden" name="version" value=current/>
                            <p>
                                {format!(
                                    "En validant, vous engagez {collectivite_name} sur la version {current} du document ci-dessous, en votre nom : la validation garde votre identité ProConnect, son niveau et la date. Une nouvelle version l'effacerait."
                                )}
                            </p>
                            <button type="submit" class="button button-primary">
                                {format!("Valider la version {current} au nom de {collectivite_name}")}
                            </button>
                        </ActionForm>
                    })}
                </section>
                <DocumentText sections/>
            }
            .into_any()
        }}
    }
}
