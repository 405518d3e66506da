//! Step 5's documents: the délibération, the note de cadrage interne and a sample of the data, sent with a
//! plain multipart form (outside the step's island, so it works without JavaScript), listed with their scan
//! status and removable until the case is filed.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::domain::documents::DocumentKind;
use crate::endpoints::documents::{pieces_brouillon, RetirerPiece};
use crate::pages::documents::{refusals_from_query, DocumentList, FileField, RefusalSummary};

#[component]
pub fn WizardDocuments(token: String) -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let key = token.clone();
    let documents = Resource::new(
        move || (key.clone(), location.search.get()),
        |(t, _)| pieces_brouillon(t),
    );
    let query = use_query_map();
    let refusals = refusals_from_query();
    let added = move || {
        query
            .read()
            .get("pieces")
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|n| *n > 0)
    };
    let removed = move || query.read().get("retire").is_some();
    let remove = ServerAction::<RetirerPiece>::new();
    let remove_failed = crate::components::failure(remove.value());
    view! {
        <section id="pieces" aria-labelledby="pieces-titre" class="case-section">
            <h2 id="pieces-titre">"Documents (facultatif)"</h2>
            <p>"Joignez si vous le pouvez la délibération ou la décision qui porte le projet, votre note de cadrage interne et un exemple des données concernées : ils aident l'équipe à qualifier votre cas d'usage."</p>
            <p class="hint">{format!(
                "Avant le dépôt, un dossier compte au plus {} Mo de documents ; ceux d'un brouillon sans modification pendant {} jours sont supprimés.",
                crate::domain::documents::MAX_DRAFT_BYTES / (1024 * 1024),
                crate::domain::retention::DRAFT_DOCUMENTS_RETENTION_DAYS
            )}</p>
            {move || added().map(|n| view! {
                <div class="alert alert-success" role="status"><p>{if n == 1 { "1 fichier a été ajouté.".to_string() } else { format!("{n} fichiers ont été ajoutés.") }}</p></div>
            })}
            {move || removed().then(|| view! { <div class="alert alert-success" role="status"><p>"Le fichier a été retiré."</p></div> })}
            {move || view! { <RefusalSummary refusals=refusals.get() field_id="pieces-fichiers"/> }}
            <Transition fallback=|| view! { <p role="status">"Chargement des documents…"</p> }>
                {move || {
                    let token = token.clone();
                    Suspend::new(async move {
                        match documents.await {
                            Ok((documents, room, scanned)) => view! {
                                {if documents.is_empty() {
                                    view! { <p class="hint">"Aucun document joint pour l'instant."</p> }.into_any()
                                } else {
                                    view! {
                                        <DocumentList documents=documents.clone() show_kind=true/>
                                        <crate::components::ServerErrorNotice message=crate::components::failure(remove.value())/>
                                    }.into_any()
                                }}
                                <form method="post" action=format!("/deposer/{token}/pieces") enctype="multipart/form-data" class="documents-form" id="formulaire-pieces">
                                    <div class="field">
                                        <label for="pieces-nature">"Nature du document"</label>
                                        <select id="pieces-nature" name="nature">
                                            {DocumentKind::WIZARD.into_iter().map(|kind| view! { <option value=kind.code()>{kind.label()}</option> }).collect_view()}
                                        </select>
                                    </div>
                                    <FileField id="pieces-fichiers" label="Fichiers" room=room scanned=scanned/>
                                    <crate::pages::messages::live::UploadProgress form_id="formulaire-pieces".to_string() room=room/>
                                    <div class="form-actions">
                                        <button type="submit" class="button button-secondary">"Joindre les fichiers"</button>
                                    </div>
                                </form>
                                {(!documents.is_empty()).then(|| view! {
                                    <h3>"Retirer un document"</h3>
                                    <crate::components::ServerErrorNotice message=remove_failed/>
                                    <ul class="documents-remove">
                                        {documents.into_iter().map(|d| {
                                            let id = d.id.clone();
                                            let token = token.clone();
                                            view! {
                                                <li>
                                                    <ActionForm action=remove>
                                                        <input type="hidden" name="token" value=token.clone()/>
                                                        <input type="hidden" name="piece" value=id.clone()/>
                                                        <div class="choice">
                                                            <input type="checkbox" id=format!("retrait-{id}") name="confirmation" value="oui" required/>
                                                            <label for=format!("retrait-{id}")>{format!("Je confirme le retrait de « {} » (il ne pourra pas être récupéré)", d.name)}</label>
                                                        </div>
                                                        <button type="submit" class="link-button">{format!("Retirer « {} »", d.name)}</button>
                                                    </ActionForm>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                })}
                            }.into_any(),
                            Err(error) => view! { <crate::components::LoadError error/> }.into_any(),
                        }
                    })
                }}
            </Transition>
        </section>
    }
}
