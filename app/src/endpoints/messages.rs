//! The endpoints of the thread between a collectivité and the team, and of the private link: reading the
//! thread from the follow-up page or the case page, following a case, issuing a new link, asking for lost
//! links, and the documents of a draft. Messages and files are posted as multipart forms to the server's
//! upload handlers (`server/src/http/uploads.rs`).

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::access::VisibleCase;
use crate::error::AppError;
use crate::model::messages::{DocumentView, ThreadView};
#[cfg(feature = "ssr")]
use crate::routes::ThreadUrls;
#[cfg(feature = "ssr")]
use crate::server::context::{now, server_context};

#[cfg(feature = "ssr")]
fn link_not_found() -> AppError {
    AppError::NotFound(
        "Ce lien ne correspond à aucun dossier. Il a peut-être été remplacé par un nouveau lien : demandez-le avec « Lien perdu ? »."
            .into(),
    )
}

#[cfg(feature = "ssr")]
fn hash_of(token: &str) -> Result<String, AppError> {
    crate::server::tokens::token_hash(token).ok_or_else(link_not_found)
}

/// A document as a page lists it; `href_base` leads to its download when it may be had.
#[cfg(feature = "ssr")]
fn document_view(line: &crate::store::documents::DocumentLine, urls: &ThreadUrls, for_team: bool) -> DocumentView {
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

/// The thread of a case, its messages with their documents and the intake's documents.
#[cfg(feature = "ssr")]
async fn thread_view(
    case: &VisibleCase,
    documents: Vec<crate::store::documents::DocumentLine>,
    urls: &ThreadUrls,
    for_team: bool,
) -> Result<(ThreadView, Option<i64>), AppError> {
    use crate::domain::documents::{DocumentKind, MAX_FILES_PER_CASE};
    use crate::domain::messages::author_line;
    use crate::model::messages::MessageView;
    let ctx = server_context()?;
    let messages = ctx.store.thread(case).await?;
    let last_shown = messages.iter().map(|m| m.id).max();
    let room = MAX_FILES_PER_CASE.saturating_sub(documents.len());
    let view = ThreadView {
        messages: messages
            .into_iter()
            .map(|m| MessageView {
                from_collectivite: m.from_collectivite,
                author: author_line(m.from_collectivite, &m.author_name, &m.author_role),
                body: m.body,
                at: m.created_at,
                documents: documents
                    .iter()
                    .filter(|d| d.message_id == Some(m.id))
                    .map(|d| document_view(d, urls, for_team))
                    .collect(),
            })
            .collect(),
        intake_documents: documents
            .iter()
            .filter(|d| d.message_id.is_none() && d.kind != DocumentKind::Message)
            .map(|d| document_view(d, urls, for_team))
            .collect(),
        post_href: urls.post(),
        can_write: true,
        following: false,
        emails: Vec::new(),
        room,
    };
    Ok((view, last_shown))
}

/// The thread of the case behind a private follow-up link, with the emails sent to its collectivité.
#[server(endpoint = "suivi/fil")]
pub async fn fil_suivi(token: String) -> Result<ThreadView, AppError> {
    use crate::model::messages::SentEmailView;
    let ctx = server_context()?;
    let hash = hash_of(&token)?;
    let (_, case) = crate::server::access::open_linked_case(ctx.store.as_ref(), &hash)
        .await?
        .ok_or_else(link_not_found)?;
    let documents = ctx.store.documents_for_token(&hash).await?;
    let (mut view, _) = thread_view(&case, documents, &ThreadUrls::Link(token), false).await?;
    view.emails = ctx
        .store
        .case_emails(&case)
        .await?
        .into_iter()
        // Only the notices to the collectivité are linked to the case (the team's alerts are not).
        .map(|email| SentEmailView {
            subject: email.subject,
            at: email.created_at,
            sent: email.sent_at.is_some(),
        })
        .collect();
    Ok(view)
}

/// The thread of a case for a member who may see it; reading it marks its messages read.
#[server(endpoint = "equipe/fil")]
pub async fn fil_equipe(reference: String) -> Result<ThreadView, AppError> {
    use crate::domain::auth::Role;
    let (account, case) = crate::server::access::require_case(Role::can_read, &reference).await?;
    let ctx = server_context()?;
    let documents = ctx.store.documents_of_case(&case).await?;
    let urls = ThreadUrls::Case(crate::routes::case(&case));
    let (mut view, last_shown) = thread_view(&case, documents, &urls, true).await?;
    view.can_write = account.role.can_write_messages();
    view.following = ctx.store.is_following(&case, account.id).await?;
    // Read up to the last message shown: one that arrives meanwhile stays unread.
    if let Some(last) = last_shown {
        ctx.store.mark_read(&case, account.id, last).await?;
    }
    Ok(view)
}

/// Follows a case (its collectivité's messages are emailed to the member) or stops following it.
#[server(endpoint = "equipe/suivre")]
pub async fn suivre_dossier(reference: String, suivre: String) -> Result<(), AppError> {
    use crate::domain::auth::Role;
    use crate::routes::{CasePage, Saved, Section};
    let (account, case) = crate::server::access::require_case(Role::can_write_messages, &reference).await?;
    let ctx = server_context()?;
    let follow = suivre == "oui";
    ctx.store.set_following(&case, account.id, follow).await?;
    let saved = if follow { Saved::Following } else { Saved::NotFollowing };
    leptos_axum::redirect(&crate::routes::case(&case).after_save(
        CasePage::Detail,
        saved,
        None,
        Section::Messages.id(),
    ));
    Ok(())
}

/// Ends every follow-up link of the case and issues a new one (a link that circulated too widely).
#[server(endpoint = "suivi/nouveau-lien")]
pub async fn nouveau_lien(token: String) -> Result<(), AppError> {
    use crate::server::tokens::new_token;
    let ctx = server_context()?;
    let hash = hash_of(&token)?;
    let fresh = new_token();
    if !ctx.store.renew_link(&hash, &hash_of(&fresh)?, now()).await? {
        return Err(link_not_found());
    }
    leptos_axum::redirect(&format!("{}?enregistre=lien", crate::routes::follow_up(&fresh)));
    Ok(())
}

/// Emails the follow-up links of the cases filed with an address; the same answer whether or not any was.
#[server(endpoint = "suivi/lien-perdu")]
pub async fn lien_perdu(courriel: String) -> Result<(), AppError> {
    use crate::domain::intake::is_email;
    let address = courriel.trim().to_lowercase();
    if !is_email(&address) {
        return Err(AppError::Invalid(
            "Adresse électronique : saisissez l'adresse indiquée lors du dépôt, au format nom@domaine.fr.".into(),
        ));
    }
    let ctx = server_context()?;
    ctx.store
        .send_lost_links(&address, &crate::server::context::public_origin(), now())
        .await?;
    leptos_axum::redirect("/lien-perdu?envoye=1");
    Ok(())
}

/// The documents of a draft not yet filed (step 5 of the wizard), and how many more it may hold.
#[server(endpoint = "depot/pieces")]
pub async fn pieces_brouillon(token: String) -> Result<(Vec<DocumentView>, usize), AppError> {
    use crate::domain::documents::MAX_FILES_PER_CASE;
    let ctx = server_context()?;
    let hash = hash_of(&token)?;
    let documents = ctx.store.documents_for_token(&hash).await?;
    let room = MAX_FILES_PER_CASE.saturating_sub(documents.len());
    Ok((
        documents
            .iter()
            .map(|d| document_view(d, &ThreadUrls::Link(token.clone()), false))
            .collect(),
        room,
    ))
}

/// Removes a document of a draft not yet filed (its file is deleted by the next sweep of the documents'
/// folder).
#[server(endpoint = "depot/retirer-piece")]
pub async fn retirer_piece(token: String, piece: String) -> Result<(), AppError> {
    let ctx = server_context()?;
    let hash = hash_of(&token)?;
    let piece = crate::domain::text::clean_text(piece.trim());
    if ctx.store.remove_draft_document(&hash, &piece).await?.is_none() {
        return Err(AppError::NotFound(
            "Ce document n'existe plus ou le dossier a déjà été déposé.".into(),
        ));
    }
    leptos_axum::redirect(&format!("/deposer/{token}/etape/5?retire=1#pieces"));
    Ok(())
}
