//! Documents as the pages show them: the list (each downloadable once cleared, or with its status), the file
//! field with its limits, and the summary of the files the upload handlers refused.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::domain::dates::format_paris;
use crate::domain::documents::{accepted_types_sentence, size_label, Refusal, ScanStatus, MAX_FILES_PER_CASE};
use crate::model::documents::DocumentView;

/// The `accept` attribute of file inputs (a hint to the browser; the server checks the content).
pub const ACCEPT: &str = ".pdf,.odt,.ods,.odp,.docx,.xlsx,.pptx,.csv,.txt,.png,.jpg,.jpeg";

/// A list of documents, each downloadable once cleared, or with its status.
#[component]
pub fn DocumentList(documents: Vec<DocumentView>, #[prop(optional)] show_kind: bool) -> impl IntoView {
    view! {
        <ul class="documents">
            {documents.into_iter().map(|d| {
                let size = size_label(d.size);
                let kind = show_kind.then(|| format!("{} : ", d.kind.label()));
                let status = match d.status {
                    ScanStatus::Clean => None,
                    other => Some(other.label()),
                };
                let detail = (!d.detail.is_empty()).then(|| format!(" — {}", d.detail));
                view! {
                    <li class:document-blocked=d.status == ScanStatus::Infected>
                        {kind}
                        {if d.href.is_empty() {
                            view! { <span class="document-name">{d.name.clone()}</span> }.into_any()
                        } else {
                            view! { <a href=d.href.clone() download=d.name.clone()>{d.name.clone()}<span class="visually-hidden">{format!(" (télécharger, {size})")}</span></a> }.into_any()
                        }}
                        <span class="choice-detail">{format!(" {size} — {} — {}", d.uploaded_by, format_paris(d.at))}</span>
                        {status.map(|label| view! { <strong class="document-status">{format!(" ({label}{})", detail.clone().unwrap_or_default())}</strong> })}
                    </li>
                }
                .into_any()
            }).collect_view()}
        </ul>
    }
}

/// The notices of the refusals carried back by the upload handlers (`refus=<code>`): codes only, each shown
/// by its own sentence, so an address cannot make the page say anything of its own.
pub fn refusals_from_query() -> Signal<Vec<String>> {
    let query = use_query_map();
    Signal::derive(move || Refusal::summaries(&query.read().get_all("refus").unwrap_or_default()))
}

/// The files refused, as an error summary linked to the file field.
#[component]
pub fn RefusalSummary(
    refusals: Vec<String>,
    field_id: &'static str,
    #[prop(default = None)] extra: Option<String>,
) -> impl IntoView {
    (!refusals.is_empty() || extra.is_some()).then(|| {
        view! {
            <div class="alert alert-error error-summary" role="alert" tabindex="-1" id=format!("{field_id}-erreurs")>
                <h3>"Ce qui n'a pas été envoyé"</h3>
                <ul>
                    {extra.map(|text| view! { <li><a href="#message-texte">{text}</a></li> })}
                    {refusals.into_iter().map(|text| view! { <li><a href=format!("#{field_id}")>{text}</a></li> }).collect_view()}
                </ul>
            </div>
        }
    })
}

/// What the upload forms say of the antivirus: only what is true on this server.
pub fn scan_sentence(scanned: bool) -> &'static str {
    if scanned {
        "Le contenu du fichier est vérifié, ainsi que l'absence de virus (antivirus ClamAV)."
    } else {
        "Le contenu du fichier est vérifié. Les fichiers ne sont pas analysés par un antivirus sur ce serveur."
    }
}

/// The file field of a form, with its limits stated.
#[component]
pub fn FileField(id: &'static str, label: &'static str, room: usize, scanned: bool) -> impl IntoView {
    let hint = format!(
        "20 Mo au plus par fichier, {MAX_FILES_PER_CASE} fichiers au plus par dossier (encore {room} possible{}). Types acceptés : {}. {}",
        if room > 1 { "s" } else { "" },
        accepted_types_sentence(),
        scan_sentence(scanned)
    );
    let hint_id = format!("{id}-aide");
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <p class="hint" id=hint_id.clone()>{hint}</p>
            <input type="file" id=id name="fichiers" multiple accept=ACCEPT aria-describedby=hint_id disabled=room == 0/>
        </div>
    }
}
