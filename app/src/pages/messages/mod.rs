//! The thread between a collectivité and the team as both pages show it (the follow-up page and the team's
//! case page): the messages with their documents, the reply form (a plain multipart form: it works without
//! JavaScript), what was refused and why, and the documents of the intake (shown by `pages::documents`).

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::domain::dates::format_paris;
use crate::domain::messages::MAX_MESSAGE_CHARS;
use crate::model::messages::{MessageView, ThreadView};
use crate::pages::documents::{refusals_from_query, DocumentList, FileField, RefusalSummary};

pub mod live;

pub use live::LiveSource;

/// The messages of a thread, oldest first.
#[component]
pub fn MessageList(messages: Vec<MessageView>) -> impl IntoView {
    view! {
        <ol class="thread">
            {messages.into_iter().map(|m| {
                let side = if m.from_collectivite { "message message-collectivite" } else { "message message-equipe" };
                view! {
                    <li class=side>
                        <p class="message-meta"><strong>{m.author.clone()}</strong>{format!(", le {}", format_paris(m.at))}</p>
                        {(!m.body.is_empty()).then(|| view! { <p class="preserve-lines">{m.body.clone()}</p> })}
                        {(!m.documents.is_empty()).then(|| view! { <DocumentList documents=m.documents.clone()/> })}
                    </li>
                }
                .into_any()
            }).collect_view()}
        </ol>
    }
    .into_any()
}

/// The thread of a case with its reply form. `team`: the team's case page (otherwise the collectivité's).
#[component]
pub fn Thread(thread: ThreadView, team: bool, live: LiveSource) -> impl IntoView {
    let query = use_query_map();
    let refusals = refusals_from_query();
    let error = move || {
        query
            .read()
            .get("erreur")
            .and_then(|code| crate::domain::messages::NotSent::from_code(&code))
            .map(|reason| reason.sentence())
    };
    let sent = move || query.read().get("envoye").is_some();
    let other_side = if team {
        "la collectivité"
    } else {
        "l'équipe du programme"
    };
    let empty = if team {
        "Aucun message pour l'instant. Écrivez à la collectivité pour lui poser une question ou lui demander un document : elle sera prévenue par courriel."
    } else {
        "Aucun message pour l'instant. Posez votre question à l'équipe du programme ou envoyez-lui un document : elle sera prévenue par courriel."
    };
    let messages = thread.messages.clone();
    view! {
        <section id="messages" aria-labelledby="messages-titre" class="case-section">
            <h2 id="messages-titre">"Messages"</h2>
            {move || sent().then(|| view! {
                <div class="alert alert-success" role="status"><p>{format!("Votre message a été envoyé ; {other_side} en est prévenue par courriel.")}</p></div>
            })}
            {if messages.is_empty() {
                view! { <p class="hint">{empty}</p> }.into_any()
            } else {
                view! { <live::LiveMessages messages source=live.clone()/> }.into_any()
            }}
            {thread.can_write.then(|| {
                let post_href = thread.post_href.clone();
                let room = thread.room;
                let scanned = thread.scanned;
                view! {
                    {move || view! { <RefusalSummary refusals=refusals.get() field_id="message-fichiers" extra=error()/> }}
                    <form method="post" action=post_href enctype="multipart/form-data" id="nouveau-message" class="message-form">
                        <h3>{if team { "Écrire à la collectivité" } else { "Écrire à l'équipe du programme" }}</h3>
                        <div class="field">
                            <label for="message-texte">"Votre message"</label>
                            <p class="hint" id="message-texte-aide">{format!("{MAX_MESSAGE_CHARS} caractères au plus.")}</p>
                            <textarea id="message-texte" name="texte" rows="5" maxlength=MAX_MESSAGE_CHARS.to_string() aria-describedby="message-texte-aide"></textarea>
                        </div>
                        <FileField id="message-fichiers" label="Joindre des fichiers (facultatif)" room=room scanned=scanned/>
                        <live::UploadProgress form_id="nouveau-message".to_string() room=room/>
                        <div class="form-actions">
                            <button type="submit" class="button">"Envoyer le message"</button>
                        </div>
                    </form>
                }
                .into_any()
            })}
            {(!thread.intake_documents.is_empty()).then(|| view! {
                <h3>"Documents joints au dépôt"</h3>
                <DocumentList documents=thread.intake_documents.clone() show_kind=true/>
            })}
        </section>
    }
    .into_any()
}

/// The emails sent to the collectivité about a case (the follow-up page and the collectivité's space).
#[component]
pub fn SentEmails(emails: Vec<crate::model::messages::SentEmailView>) -> impl IntoView {
    view! {
        <section aria-labelledby="courriels-envoyes" class="case-section">
            <h2 id="courriels-envoyes">"Courriels envoyés"</h2>
            {if emails.is_empty() {
                view! { <p class="hint">"Aucun courriel n'a encore été envoyé à la collectivité pour ce dossier."</p> }.into_any()
            } else {
                view! {
                    <ul class="emails-sent">
                        {emails.into_iter().map(|e| {
                            // Delivered on its own: its date says it all; otherwise what became of it.
                            let how = match e.delivery {
                                crate::domain::notices::Delivery::Sent(_) => String::new(),
                                other => format!(" ({})", other.label()),
                            };
                            view! {
                                <li>
                                    <strong>{e.subject}</strong>
                                    <span class="choice-detail">{format!(" — {}{how}", format_paris(e.at))}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// The thread on the team's case page, with the "Suivre" button; reading it marks the messages read.
#[component]
pub fn TeamThreadSection(reference: String) -> impl IntoView {
    use crate::endpoints::messages::{fil_equipe, SuivreDossier};
    let location = leptos_router::hooks::use_location();
    let key = reference.clone();
    let thread = Resource::new(move || (key.clone(), location.search.get()), |(r, _)| fil_equipe(r));
    let follow = ServerAction::<SuivreDossier>::new();
    view! {
        <Transition fallback=|| view! { <p role="status">"Chargement des messages…"</p> }>
            {move || {
                let reference = reference.clone();
                Suspend::new(async move {
                    match thread.await {
                        Ok(thread) => {
                            let following = thread.following;
                            let live = LiveSource::Case(reference.clone());
                            view! {
                                {thread.can_write.then(|| view! {
                                    <crate::components::ServerErrorNotice message=crate::components::failure(follow.value())/>
                                    <ActionForm action=follow attr:class="follow-form">
                                        <input type="hidden" name="reference" value=reference.clone()/>
                                        <input type="hidden" name="suivre" value=if following { "non" } else { "oui" }/>
                                        <p class="hint">{if following {
                                            "Vous suivez ce dossier : chaque message de la collectivité vous est envoyé par courriel."
                                        } else {
                                            "Suivez ce dossier pour recevoir par courriel chaque message de la collectivité."
                                        }}</p>
                                        <button type="submit" class="button button-secondary" aria-pressed=following.to_string()>
                                            {if following { "Ne plus suivre ce dossier" } else { "Suivre ce dossier" }}
                                        </button>
                                    </ActionForm>
                                })}
                                <Thread thread team=true live/>
                            }.into_any()
                        }
                        Err(error) => view! { <crate::components::LoadError error/> }.into_any(),
                    }
                })
            }}
        </Transition>
    }
}
