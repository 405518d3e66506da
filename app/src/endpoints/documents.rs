//! The endpoints of documents: a document as a page lists it, and the documents of a draft not yet filed
//! (listed, removed). Files themselves are posted as multipart forms to the server's upload handlers
//! (`server/src/http/uploads.rs`) and read through its download handlers (`server/src/http/downloads.rs`).

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::documents::DocumentView;
#[cfg(feature = "ssr")]
use crate::routes::ThreadUrls;
#[cfg(feature = "ssr")]
use crate::server::context::server_context;
#[cfg(feature = "ssr")]
use crate::server::tokens::link_hash;

/// A document as a page lists it; `href_base` leads to its download when it may be had.
#[cfg(feature = "ssr")]
pub(crate) fn document_view(
    line: &crate::store::documents::DocumentLine,
    urls: &ThreadUrls,
    for_team: bool,
) -> DocumentView {
    DocumentView {
        id: line.public_id.clone(),
        kind: line.kind,
        name: line.file_name.clone(),
        size: line.size,
        status: line.scan_status,
        detail: if for_team {
            line.scan_detail.clone()
        } else {
            String::new()
        },
        href: if line.scan_status.downloadable() {
            urls.document(&line.public_id)
        } else {
            String::new()
        },
        uploaded_by: line.uploaded_by.clone(),
        at: line.created_at,
    }
}

/// The documents of a draft not yet filed (step 5 of the wizard), how many more it may hold and whether an
/// antivirus scans the files sent.
#[server(endpoint = "depot/pieces")]
pub async fn pieces_brouillon(token: String) -> Result<(Vec<DocumentView>, usize, bool), AppError> {
    use crate::domain::documents::MAX_FILES_PER_CASE;
    let ctx = server_context()?;
    let hash = link_hash(&token)?;
    let documents = ctx.store.documents_for_token(&hash).await?;
    let room = MAX_FILES_PER_CASE.saturating_sub(documents.len());
    Ok((
        documents
            .iter()
            .map(|d| document_view(d, &ThreadUrls::Link(token.clone()), false))
            .collect(),
        room,
        ctx.scanner,
    ))
}

/// Removes a document of a draft not yet filed (its file is deleted by the next sweep of the documents'
/// folder).
#[server(endpoint = "depot/retirer-piece")]
pub async fn retirer_piece(token: String, piece: String, confirmation: Option<String>) -> Result<(), AppError> {
    if !crate::domain::text::confirmed(confirmation.as_deref()) {
        return Err(AppError::Invalid(
            "« Je confirme le retrait » : cochez la case pour retirer ce document ; il ne pourra pas être récupéré."
                .into(),
        ));
    }
    let ctx = server_context()?;
    let hash = link_hash(&token)?;
    let piece = crate::domain::text::clean_text(piece.trim());
    if ctx.store.remove_draft_document(&hash, &piece).await?.is_none() {
        return Err(AppError::NotFound(
            "Ce document n'existe plus ou le dossier a déjà été déposé.".into(),
        ));
    }
    leptos_axum::redirect(&format!("/deposer/{token}/etape/5?retire=1#pieces"));
    Ok(())
}
