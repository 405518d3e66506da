//! Serving documents and the attestation de dépôt: only to whoever may see the case (its private link, or a
//! member whose scope covers it), always as an attachment, never sniffed nor run (`nosniff`, a sandboxing CSP),
//! and only once the antivirus has cleared the file.

use app::domain::documents::{content_disposition, ScanStatus};
use app::error::AppError;
use app::server::tokens::token_hash;
use app::store::documents::DocumentLine;
use app::store::{DocumentStore, IntakeStore, MessageStore};
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::auth::{refusal, unavailable, AgentSignedIn, SignedIn};
use crate::state::AppState;

fn document_not_found() -> Response {
    refusal(&AppError::NotFound(
        "Ce document n'existe pas, ou vous n'y avez pas accès.".into(),
    ))
}

/// The headers every download carries.
fn attachment_headers(response: &mut Response, media_type: &str, file_name: &str) {
    let headers = response.headers_mut();
    let value = |text: &str| {
        HeaderValue::from_str(text).unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"))
    };
    headers.insert(header::CONTENT_TYPE, value(media_type));
    if let Ok(disposition) = HeaderValue::from_str(&content_disposition(file_name)) {
        headers.insert(header::CONTENT_DISPOSITION, disposition);
    }
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox; default-src 'none'"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
}

/// Streams a document from disk, or says why it cannot be had yet.
async fn serve(state: &AppState, document: &DocumentLine) -> Response {
    if !document.scan_status.downloadable() {
        let message = if document.scan_status == ScanStatus::Pending {
            "Ce fichier est en cours d'analyse antivirus : il pourra être téléchargé dans quelques instants."
        } else {
            "Ce fichier a été bloqué par l'antivirus et mis en quarantaine : il ne peut pas être téléchargé."
        };
        return (
            StatusCode::CONFLICT,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            message,
        )
            .into_response();
    }
    if !crate::scan::is_stored_name(&document.stored_name) {
        return document_not_found();
    }
    let bytes = match state.documents.storage.read(&document.stored_name).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::error!(
                "pièce {} illisible ({}) : {error}",
                document.public_id,
                state.documents.storage.label()
            );
            return document_not_found();
        }
    };
    let mut response = Body::from_stream(bytes).into_response();
    attachment_headers(&mut response, &document.media_type, &document.file_name);
    if let Ok(length) = HeaderValue::from_str(&document.size.to_string()) {
        response.headers_mut().insert(header::CONTENT_LENGTH, length);
    }
    response
}

/// `GET /suivi/{token}/pieces/{id}`: a document of the draft or case behind a private link.
pub async fn document_by_link(State(state): State<AppState>, Path((token, id)): Path<(String, String)>) -> Response {
    let Some(hash) = token_hash(&token) else {
        return document_not_found();
    };
    match state.store.documents_for_token(&hash).await {
        Ok(documents) => match documents.iter().find(|d| d.public_id == id) {
            Some(document) => serve(&state, document).await,
            None => document_not_found(),
        },
        Err(error) => unavailable(error),
    }
}

/// `GET /equipe/cas/{reference}/pieces/{id}`: a document of a case the member may see.
pub async fn document_of_case(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((reference, id)): Path<(String, String)>,
) -> Response {
    let case = match signed_in.case(&state, &reference).await {
        Ok(case) => case,
        Err(response) if response.status() == axum::http::StatusCode::NOT_FOUND => return document_not_found(),
        Err(response) => return response,
    };
    serve_of_case(&state, &case, &id).await
}

/// `GET /collectivite/cas/{reference}/pieces/{id}`: a document of a case of the signed-in agent's collectivité.
pub async fn document_for_agent(
    State(state): State<AppState>,
    agent: AgentSignedIn,
    Path((reference, id)): Path<(String, String)>,
) -> Response {
    let case = match agent.case(&state, &reference).await {
        Ok(case) => case,
        Err(response) if response.status() == axum::http::StatusCode::NOT_FOUND => return document_not_found(),
        Err(response) => return response,
    };
    serve_of_case(&state, &case, &id).await
}

/// The document `id` of a case its viewer may see.
async fn serve_of_case(state: &AppState, case: &app::domain::access::VisibleCase, id: &str) -> Response {
    match state.store.documents_of_case(case).await {
        Ok(documents) => match documents.iter().find(|d| d.public_id == id) {
            Some(document) => serve(state, document).await,
            None => document_not_found(),
        },
        Err(error) => unavailable(error),
    }
}

/// `GET /suivi/{token}/attestation.pdf`: the attestation de dépôt of the case filed behind a private link.
pub async fn attestation(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    use app::domain::dates::format_paris;
    use app::domain::intake::{step_fields, step_title, STEP_COUNT};
    let not_found = || {
        refusal(&AppError::NotFound(
            "Ce lien ne correspond à aucun dossier déposé : l'attestation n'est délivrée qu'après le dépôt.".into(),
        ))
    };
    let Some(hash) = token_hash(&token) else {
        return not_found();
    };
    let (filed, linked) = match tokio::join!(state.store.filed_case(&hash), state.store.linked_case(&hash)) {
        (Ok(Some(filed)), Ok(Some(linked))) => (filed, linked),
        (Ok(_), Ok(_)) => return not_found(),
        (Err(error), _) | (_, Err(error)) => return unavailable(error),
    };
    let answers = match state.store.filed_answers(&hash).await {
        Ok(Some(answers)) => answers,
        Ok(None) => return not_found(),
        Err(error) => return unavailable(error),
    };
    let collectivite = state.context.directory.by_key(answers.get("collectivite"));
    let mut sections = Vec::new();
    for step in 1..STEP_COUNT {
        let lines: Vec<(String, String)> = step_fields(step)
            .filter(|spec| spec.name != "collectivite")
            .filter_map(|spec| {
                let value = app::domain::intake::display_answer(spec, &answers);
                (!value.is_empty()).then(|| (spec.label.to_string(), value))
            })
            .collect();
        sections.push((format!("Étape {step} — {}", step_title(step)), lines));
    }
    let origin = state.context.site.link_origin().to_string();
    let document = crate::pdf::Attestation {
        reference: filed.reference.clone(),
        filed_at: format_paris(filed.filed_at),
        collectivite: filed.collectivite_name.clone(),
        siren: collectivite.map(|c| c.siren.clone()).unwrap_or_default(),
        region: linked.region,
        contact: format!(
            "{} — {} — {}",
            answers.get("contact_nom"),
            answers.get("contact_fonction"),
            answers.get("contact_email")
        ),
        title: filed.title.clone(),
        sections,
        lost_link_page: format!("{origin}{}", app::routes::LOST_LINK),
    };
    // Laying out the PDF is CPU work: off the runtime's threads.
    let written = tokio::task::spawn_blocking(move || crate::pdf::attestation_pdf(&document))
        .await
        .unwrap_or_else(|error| Err(format!("tâche interrompue : {error}")));
    match written {
        Ok(bytes) => {
            let mut response = Body::from(bytes).into_response();
            attachment_headers(
                &mut response,
                "application/pdf",
                &format!("attestation-depot-{}.pdf", filed.reference),
            );
            response
        }
        Err(error) => {
            tracing::error!("attestation {} : {error}", filed.reference);
            refusal(&AppError::Unavailable)
        }
    }
}
