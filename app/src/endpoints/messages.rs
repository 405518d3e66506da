//! The endpoints of the thread between a collectivité and the team, and of the private link: reading the
//! thread from the follow-up page or the case page, following a case, issuing a new link, asking for lost
//! links. Messages and files are posted as multipart forms to the server's
//! upload handlers (`server/src/http/uploads.rs`).

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::documents::document_view;
#[cfg(feature = "ssr")]
use crate::domain::access::VisibleCase;
use crate::error::AppError;
use crate::model::messages::ThreadView;
#[cfg(feature = "ssr")]
use crate::routes::ThreadUrls;
#[cfg(feature = "ssr")]
use crate::server::context::{now, server_context};
#[cfg(feature = "ssr")]
use crate::server::tokens::{link_hash, link_not_found};

/// The thread of a case, its messages with their documents and the intake's documents.
#[cfg(feature = "ssr")]
pub(crate) async fn thread_view(
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
        scanned: ctx.scanner,
    };
    Ok((view, last_shown))
}

/// The thread of the case behind a private follow-up link, with the emails sent to its collectivité.
#[server(endpoint = "suivi/fil")]
pub async fn fil_suivi(token: String) -> Result<ThreadView, AppError> {
    let ctx = server_context()?;
    let hash = link_hash(&token)?;
    let (_, case) = crate::server::access::open_linked_case(ctx.store.as_ref(), &hash)
        .await?
        .ok_or_else(link_not_found)?;
    let documents = ctx.store.documents_for_token(&hash).await?;
    let (mut view, _) = thread_view(&case, documents, &ThreadUrls::Link(token), false).await?;
    view.emails = emails_to_collectivite(&case).await?;
    Ok(view)
}

/// The emails sent to the collectivité about `case`, as its follow-up pages list them.
#[cfg(feature = "ssr")]
pub(crate) async fn emails_to_collectivite(
    case: &VisibleCase,
) -> Result<Vec<crate::model::messages::SentEmailView>, AppError> {
    use crate::model::messages::SentEmailView;
    Ok(server_context()?
        .store
        .case_emails(case)
        .await?
        .into_iter()
        // Only the notices to the collectivité are linked to the case (the team's alerts are not).
        .map(|email| SentEmailView {
            subject: email.subject,
            at: email.created_at,
            delivery: email.delivery,
        })
        .collect())
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
pub async fn nouveau_lien(token: String, confirmation: Option<String>) -> Result<(), AppError> {
    use crate::server::tokens::new_token;
    if !crate::domain::text::confirmed(confirmation.as_deref()) {
        return Err(AppError::Invalid(
            "« J'ai compris » : cochez la case pour émettre un nouveau lien ; les liens envoyés jusqu'ici cesseront de fonctionner.".into(),
        ));
    }
    let ctx = server_context()?;
    let hash = link_hash(&token)?;
    let fresh = new_token();
    if !ctx.store.renew_link(&hash, &link_hash(&fresh)?, now()).await? {
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
        .send_lost_links(&address, &crate::server::context::link_origin(), now())
        .await?;
    leptos_axum::redirect("/lien-perdu?envoye=1");
    Ok(())
}
