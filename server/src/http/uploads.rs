//! Receiving documents: multipart forms (they work without JavaScript) streamed to disk chunk by chunk with the
//! size limit enforced as they arrive, the type checked on the content, the SHA-256 computed on the way; then
//! one transaction records them (with their message). A request cut off stores nothing.

use app::domain::documents::{
    check_type, clean_file_name, DocumentKind, Refusal, MAX_DRAFT_BYTES, MAX_FILES_PER_CASE, MAX_FILE_BYTES,
    SNIFF_BYTES,
};
use app::domain::messages::{check_message, NotSent};
use app::error::AppError;
use app::server::context::now;
use app::server::tokens::token_hash;
use app::store::documents::{AddOutcome, DraftQuota, NewDocument};
use app::store::messages::{NewMessage, Thread};
use app::store::{DocumentStore, MessageStore};
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use super::auth::{refusal, unavailable, AgentSignedIn, SignedIn};
use crate::scan::{new_stored_name, DocumentFiles};
use crate::state::AppState;

/// The most a request with documents may carry: five files at the limit, and the form around them.
pub const MAX_UPLOAD_REQUEST_BYTES: usize = 5 * MAX_FILE_BYTES as usize + 1024 * 1024;

/// The most of a text field kept: the longest message is 5,000 characters, at most 4 bytes each.
const MAX_TEXT_FIELD_BYTES: usize = 20_000 + 4;

/// The paths whose bodies are streamed by these handlers (the general 1 MB body limit does not apply).
pub fn is_upload_path(method: &axum::http::Method, path: &str) -> bool {
    use app::routes::{axum_paths::UPLOADS, matches_route};
    method == axum::http::Method::POST && UPLOADS.iter().any(|pattern| matches_route(pattern, path))
}

/// What a form sent: its text fields, the files kept on disk, and the files refused.
#[derive(Default)]
struct Received {
    text: String,
    kind: Option<DocumentKind>,
    kept: Vec<NewDocument>,
    refused: Vec<Refusal>,
}

/// Why a form was not received: it could not be read to its end (the connection was cut, the body was
/// malformed), or the documents' storage did not take a file (a bucket that does not answer).
#[derive(Clone, Copy, Debug)]
enum NotReceived {
    CutOff,
    StorageDown,
}
use NotReceived::{CutOff, StorageDown};

/// Removes the files of a request that will not be recorded.
async fn discard(files: &DocumentFiles, kept: &[NewDocument]) {
    for document in kept {
        if let Err(error) = files.storage.remove(&document.stored_name).await {
            tracing::warn!("pièce {} non effacée : {error}", document.public_id);
        }
    }
}

/// Reads the multipart form, writing each file to disk as it arrives. `room`: how many more files the case
/// may hold; those beyond are refused. On a cut-off every file written is removed.
async fn receive(
    mut form: Multipart,
    files: &DocumentFiles,
    room: usize,
    uploaded_by: &str,
) -> Result<Received, NotReceived> {
    let mut received = Received::default();
    let outcome = read_fields(&mut form, files, room, uploaded_by, &mut received).await;
    if let Err(why) = outcome {
        discard(files, &received.kept).await;
        return Err(why);
    }
    Ok(received)
}

async fn read_fields(
    form: &mut Multipart,
    files: &DocumentFiles,
    room: usize,
    uploaded_by: &str,
    received: &mut Received,
) -> Result<(), NotReceived> {
    while let Some(mut field) = form.next_field().await.map_err(|_| CutOff)? {
        let name = field.name().unwrap_or_default().to_string();
        let Some(raw_file_name) = field.file_name().map(str::to_string) else {
            // A text field: kept up to MAX_TEXT_FIELD_BYTES, the rest read and dropped (never all in memory).
            let mut value = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(|_| CutOff)? {
                let room = MAX_TEXT_FIELD_BYTES.saturating_sub(value.len());
                value.extend_from_slice(&chunk[..room.min(chunk.len())]);
            }
            let value = String::from_utf8_lossy(&value);
            match name.as_str() {
                "texte" => received.text = value.into_owned(),
                "nature" => received.kind = DocumentKind::parse(value.trim()),
                _ => {}
            }
            continue;
        };
        // A file input left empty is sent with no name and no content.
        if raw_file_name.is_empty() {
            while field.chunk().await.map_err(|_| CutOff)?.is_some() {}
            continue;
        }
        let file_name = clean_file_name(&raw_file_name);
        let stored_name = new_stored_name();
        let partial = files.receiving_path(&stored_name).ok_or(CutOff)?;
        let mut out = tokio::fs::File::create(&partial).await.map_err(|_| CutOff)?;
        let mut hasher = Sha256::new();
        let mut head: Vec<u8> = Vec::new();
        let mut size: u64 = 0;
        let mut too_large = false;
        let read = async {
            while let Some(chunk) = field.chunk().await.map_err(|_| CutOff)? {
                size += chunk.len() as u64;
                if size > MAX_FILE_BYTES {
                    // Read to the end of the part without keeping anything.
                    too_large = true;
                    continue;
                }
                if head.len() < SNIFF_BYTES {
                    let take = (SNIFF_BYTES - head.len()).min(chunk.len());
                    head.extend_from_slice(&chunk[..take]);
                }
                hasher.update(&chunk);
                out.write_all(&chunk).await.map_err(|_| CutOff)?;
            }
            out.flush().await.map_err(|_| CutOff)?;
            Ok::<(), NotReceived>(())
        }
        .await;
        drop(out);
        if read.is_err() {
            let _ = tokio::fs::remove_file(&partial).await;
            return Err(CutOff);
        }
        let checked = if too_large {
            Err(Refusal::TooLarge {
                name: file_name.clone(),
            })
        } else if received.kept.len() >= room {
            Err(Refusal::TooMany {
                name: file_name.clone(),
            })
        } else {
            check_type(&file_name, infer::get(&head).map(|t| t.mime_type()), &head)
        };
        match checked {
            Ok(file_type) => {
                if let Err(error) = files.storage.keep(&partial, &stored_name).await {
                    tracing::error!("pièce reçue non conservée ({}) : {error}", files.storage.label());
                    return Err(StorageDown);
                }
                received.kept.push(NewDocument {
                    public_id: new_stored_name(),
                    kind: DocumentKind::Message,
                    file_name,
                    media_type: file_type.media_type().to_string(),
                    size: size as i64,
                    sha256: hasher.finalize().iter().map(|b| format!("{b:02x}")).collect(),
                    stored_name,
                    scan_status: files.initial_status(),
                    uploaded_by: uploaded_by.to_string(),
                });
            }
            Err(refused) => {
                let _ = tokio::fs::remove_file(&partial).await;
                received.refused.push(refused);
            }
        }
    }
    Ok(())
}

/// The query that tells the page what was refused: `refus=<code>` for each file, never its name.
fn refusals_query(refused: &[Refusal]) -> String {
    refused.iter().map(|r| format!("&refus={}", r.code())).collect()
}

fn not_received(why: NotReceived) -> Response {
    let (status, text) = match why {
        CutOff => (
            StatusCode::BAD_REQUEST,
            "L'envoi a été interrompu avant la fin : rien n'a été enregistré. Vérifiez votre connexion puis envoyez à nouveau.",
        ),
        StorageDown => (
            StatusCode::SERVICE_UNAVAILABLE,
            "Le stockage des documents ne répond pas : rien n'a été enregistré. Envoyez à nouveau dans quelques minutes.",
        ),
    };
    (
        status,
        [(axum::http::header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response()
}

/// A 507 when storing the request (its announced length, else the most a request may carry) would leave less than
/// the reserve free on the documents' filesystem: nothing is read, the rest of the site keeps serving. `back`: the
/// form's page.
fn disk_nearly_full(state: &AppState, headers: &axum::http::HeaderMap, back: &str) -> Option<Response> {
    let incoming = headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(MAX_UPLOAD_REQUEST_BYTES as u64);
    if state.documents.has_room_for(incoming) {
        return None;
    }
    tracing::warn!(incoming, "upload refused: the documents' disk is nearly full");
    Some(refused_upload(
        StatusCode::INSUFFICIENT_STORAGE,
        &[
            "Le serveur manque momentanément de place pour enregistrer des pièces : rien n'a été enregistré. \
           Réessayez plus tard ; si le problème persiste, écrivez à l'équipe IA Factory."
                .to_string(),
        ],
        back,
        headers,
    ))
}

/// An upload refused as a whole, with its status (413: the draft would pass its own quota; 507: the space of all
/// drafts, or the server's disk, is short) and what happened to each file: a French page leading back to the form
/// (`back`) for a browser's form post (it asks for `text/html`), one line a file for the progress bar's request.
/// Every text of the page is escaped.
fn refused_upload(status: StatusCode, lines: &[String], back: &str, headers: &axum::http::HeaderMap) -> Response {
    let wants_page = headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    if !wants_page {
        let text = lines.join("\n");
        return (
            status,
            [(axum::http::header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            text,
        )
            .into_response();
    }
    super::auth::french_page(
        status,
        "Pièces non enregistrées",
        lines,
        (back, "Revenir au formulaire"),
    )
}

fn link_not_found() -> Response {
    refusal(&AppError::NotFound(
        "Ce lien ne correspond à aucun dossier. Vérifiez qu'il a été copié en entier ; un lien de suivi inutilisé pendant 12 mois prend fin : demandez-en un nouveau avec « Lien perdu ? ».".into(),
    ))
}

/// The limits of a draft's uploads: the files and bytes of one draft, and `IAF_QUOTA_BROUILLONS_MO` for all.
fn draft_quota(files: &DocumentFiles) -> DraftQuota {
    DraftQuota {
        max_files: MAX_FILES_PER_CASE,
        draft_bytes: MAX_DRAFT_BYTES,
        drafts_bytes: files.drafts_quota_bytes,
    }
}

/// `POST /deposer/{token}/pieces`: documents of step 5 of the wizard (délibération, note de cadrage interne,
/// exemple de données) for a draft not yet filed.
pub async fn add_draft_documents(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: axum::http::HeaderMap,
    form: Multipart,
) -> Response {
    let step = format!("/deposer/{token}/etape/5#pieces");
    if let Some(full) = disk_nearly_full(&state, &headers, &step) {
        return full;
    }
    let Some(hash) = token_hash(&token) else {
        return link_not_found();
    };
    let held = match state.store.document_count_for_token(&hash).await {
        Ok(Some(held)) => held,
        Ok(None) => return link_not_found(),
        Err(error) => return unavailable(error),
    };
    let files = state.documents.clone();
    let mut received = match receive(form, &files, MAX_FILES_PER_CASE.saturating_sub(held), "collectivité").await {
        Ok(received) => received,
        Err(why) => return not_received(why),
    };
    let kind = received
        .kind
        .filter(|k| *k != DocumentKind::Message)
        .unwrap_or(DocumentKind::Deliberation);
    received.kept.iter_mut().for_each(|d| d.kind = kind);
    let added = received.kept.len();
    match state
        .store
        .add_draft_documents(&hash, &received.kept, draft_quota(&files), now())
        .await
    {
        Ok(AddOutcome::Added) => files.arrived.notify_one(),
        Ok(AddOutcome::NotFound) => {
            discard(&files, &received.kept).await;
            return Redirect::to(&format!("/suivi/{token}")).into_response();
        }
        Ok(AddOutcome::TooMany { .. }) => {
            discard(&files, &received.kept).await;
            received
                .refused
                .extend(received.kept.drain(..).map(|d| Refusal::TooMany { name: d.file_name }));
        }
        Ok(outcome @ (AddOutcome::DraftFull | AddOutcome::DraftsQuota)) => {
            discard(&files, &received.kept).await;
            let (status, refusal): (_, fn(String) -> Refusal) = if outcome == AddOutcome::DraftFull {
                (StatusCode::PAYLOAD_TOO_LARGE, |name| Refusal::DraftFull { name })
            } else {
                (StatusCode::INSUFFICIENT_STORAGE, |name| Refusal::DraftsQuota { name })
            };
            received
                .refused
                .extend(received.kept.drain(..).map(|d| refusal(d.file_name)));
            let lines: Vec<String> = received.refused.iter().map(Refusal::message).collect();
            return refused_upload(status, &lines, &step, &headers);
        }
        Err(error) => {
            discard(&files, &received.kept).await;
            return unavailable(error);
        }
    }
    let added = if received.kept.is_empty() { 0 } else { added };
    Redirect::to(&format!(
        "/deposer/{token}/etape/5?pieces={added}{}#pieces",
        refusals_query(&received.refused)
    ))
    .into_response()
}

/// Records a message and its files, or discards the files; the page to go back to.
async fn post(
    state: &AppState,
    thread: Thread,
    mut received: Received,
    mut message: NewMessage,
    back: &str,
) -> Response {
    let files = state.documents.clone();
    let body = match check_message(&received.text, !received.kept.is_empty()) {
        Ok(body) => body,
        Err(reason) => {
            discard(&files, &received.kept).await;
            let refused = refusals_query(&received.refused);
            return Redirect::to(&format!("{back}erreur={}{refused}#nouveau-message", reason.code())).into_response();
        }
    };
    message.body = body;
    message.documents = std::mem::take(&mut received.kept);
    match state.store.post_message(&thread, &message).await {
        Ok((AddOutcome::Added, _)) => {
            if !message.documents.is_empty() {
                files.arrived.notify_one();
            }
            Redirect::to(&format!("{back}envoye=1{}#messages", refusals_query(&received.refused))).into_response()
        }
        Ok((AddOutcome::TooMany { .. }, _)) => {
            discard(&files, &message.documents).await;
            let mut refused = received.refused;
            refused.extend(message.documents.iter().map(|d| Refusal::TooMany {
                name: d.file_name.clone(),
            }));
            Redirect::to(&format!(
                "{back}erreur={}{}#nouveau-message",
                NotSent::FileLimit.code(),
                refusals_query(&refused)
            ))
            .into_response()
        }
        // A message never meets a draft's quotas; the arms are the same.
        Ok((AddOutcome::NotFound | AddOutcome::DraftFull | AddOutcome::DraftsQuota, _)) => {
            discard(&files, &message.documents).await;
            link_not_found()
        }
        Err(error) => {
            discard(&files, &message.documents).await;
            unavailable(error)
        }
    }
}

/// A message of the collectivité signed `author` (its text and documents come from the form); the followers'
/// emails link to this site.
fn from_collectivite(state: &AppState, author: String) -> NewMessage {
    NewMessage {
        from_collectivite: true,
        account_id: None,
        author_name: author,
        author_role: String::new(),
        body: String::new(),
        documents: Vec::new(),
        max_documents: MAX_FILES_PER_CASE,
        notice: None,
        origin: state.context.site.link_origin().to_string(),
        now: now(),
    }
}

/// `POST /suivi/{token}/messages`: the collectivité writes to the team, with documents.
pub async fn collectivite_message(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: axum::http::HeaderMap,
    form: Multipart,
) -> Response {
    if let Some(full) = disk_nearly_full(&state, &headers, &format!("/suivi/{token}#nouveau-message")) {
        return full;
    }
    let Some(hash) = token_hash(&token) else {
        return link_not_found();
    };
    let case = match state.store.linked_case(&hash).await {
        Ok(Some(case)) => case,
        Ok(None) => return link_not_found(),
        Err(error) => return unavailable(error),
    };
    let held = match state.store.document_count_for_token(&hash).await {
        Ok(held) => held.unwrap_or(MAX_FILES_PER_CASE),
        Err(error) => return unavailable(error),
    };
    let author = if case.contact_name.is_empty() {
        "Collectivité".to_string()
    } else {
        case.contact_name.clone()
    };
    let room = MAX_FILES_PER_CASE.saturating_sub(held);
    let received = match receive(form, &state.documents, room, &format!("{author} (collectivité)")).await {
        Ok(received) => received,
        Err(why) => return not_received(why),
    };
    let message = from_collectivite(&state, author);
    post(
        &state,
        Thread::Link(hash),
        received,
        message,
        &format!("/suivi/{token}?"),
    )
    .await
}

/// `POST /collectivite/cas/{reference}/messages`: a signed-in agent writes to the team about a case of their
/// collectivité, in their own name.
pub async fn agent_message(
    State(state): State<AppState>,
    agent: AgentSignedIn,
    Path(reference): Path<String>,
    headers: axum::http::HeaderMap,
    form: Multipart,
) -> Response {
    let back = app::routes::agent_case(&reference);
    if let Some(full) = disk_nearly_full(&state, &headers, &format!("{back}#nouveau-message")) {
        return full;
    }
    let case = match agent.case(&state, &reference).await {
        Ok(case) => case,
        Err(response) => return response,
    };
    let held = match state.store.documents_of_case(&case).await {
        Ok(documents) => documents.len(),
        Err(error) => return unavailable(error),
    };
    let author = agent.0.name();
    let room = MAX_FILES_PER_CASE.saturating_sub(held);
    let received = match receive(form, &state.documents, room, &format!("{author} (collectivité)")).await {
        Ok(received) => received,
        Err(why) => return not_received(why),
    };
    let message = from_collectivite(&state, author);
    post(&state, Thread::Case(case), received, message, &format!("{back}?")).await
}

/// `POST /equipe/cas/{reference}/messages`: a member who may see the case writes to its collectivité.
pub async fn team_message(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(reference): Path<String>,
    headers: axum::http::HeaderMap,
    form: Multipart,
) -> Response {
    let back = format!("{}#nouveau-message", app::routes::case(&reference).page());
    if let Some(full) = disk_nearly_full(&state, &headers, &back) {
        return full;
    }
    let case = match signed_in.case(&state, &reference).await {
        Ok(case) => case,
        Err(response) => return response,
    };
    let account = match signed_in.with(app::domain::auth::Role::can_write_messages) {
        Ok(account) => account,
        Err(error) => return refusal(&error),
    };
    let held = match state.store.documents_of_case(&case).await {
        Ok(documents) => documents.len(),
        Err(error) => return unavailable(error),
    };
    let role = account.role.label().to_string();
    let uploaded_by = format!("{} — {role}", account.name);
    let received = match receive(
        form,
        &state.documents,
        MAX_FILES_PER_CASE.saturating_sub(held),
        &uploaded_by,
    )
    .await
    {
        Ok(received) => received,
        Err(why) => return not_received(why),
    };
    let origin = state.context.site.link_origin().to_string();
    let mut message = NewMessage {
        from_collectivite: false,
        account_id: Some(account.id),
        author_name: account.name.clone(),
        author_role: role,
        body: String::new(),
        documents: Vec::new(),
        max_documents: MAX_FILES_PER_CASE,
        notice: None,
        origin: origin.clone(),
        now: now(),
    };
    // The email to the collectivité quotes the message: built once the text is checked.
    if let Ok(body) = check_message(&received.text, !received.kept.is_empty()) {
        message.notice = Some(app::domain::email::CollectiviteNotice {
            notice: app::domain::email::Notice::TeamMessage {
                author: format!("{} ({}, IA Factory)", account.name, account.role.label()),
                body: app::domain::messages::excerpt(&body, 1_500),
            },
            origin,
        });
    }
    post(
        &state,
        Thread::Case(case.clone()),
        received,
        message,
        &format!("{}?", app::routes::case(&case).page()),
    )
    .await
}
