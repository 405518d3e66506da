//! Delivery of the email outbox: through SMTP when `IAF_SMTP_URL` is set (lettre), otherwise as `.eml` files
//! under `IAF_COURRIELS_DIR` (`data/courriels/` by default), so the embedded run shows what would be sent. A
//! sender task claims the due messages, delivers each with its own `Message-ID` and records every attempt;
//! what failed is tried again later (`domain::email::retry_delay_seconds`), until it is delivered; it queues the
//! agents' daily digests (`domain::notices`) when they are due. The private links, sealed at rest
//! (`crate::seal`), are put back into the bodies only here, just before sending.

use std::sync::Arc;
use std::time::Duration;

use app::domain::email::{restore, retry_delay_seconds};
use app::server::context::now;
use app::store::outbox::OutboxMessage;
use app::store::OutboxStore;
use lettre::message::header::MessageId;
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::Config;
use crate::sql::SqlStore;

/// How long a claimed message is kept from other senders while it is being delivered, in seconds.
const LEASE_SECONDS: i64 = 120;
/// How often the sender looks for due messages.
const POLL: Duration = Duration::from_secs(1);

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>),
}

/// Where and from whom the outbox's messages go.
pub struct Mailer {
    transport: Transport,
    from: Mailbox,
}

impl Mailer {
    /// The mailer the configuration asks for, or a French message saying what is wrong.
    pub fn from_config(config: &Config) -> Result<Mailer, String> {
        let from: Mailbox = config.sender.parse().map_err(|e| {
            format!(
                "IAF_EXPEDITEUR « {} » n'est pas une adresse valide : {e}",
                config.sender
            )
        })?;
        let transport = if config.smtp_url.is_empty() {
            std::fs::create_dir_all(&config.emails_dir)
                .map_err(|e| format!("dossier des courriels {} : {e}", config.emails_dir))?;
            Transport::Files(AsyncFileTransport::new(&config.emails_dir))
        } else {
            Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(&config.smtp_url)
                    .map_err(|e| format!("IAF_SMTP_URL n'est pas une adresse SMTP valide : {e}"))?
                    .timeout(Some(Duration::from_secs(20)))
                    .build(),
            )
        };
        Ok(Mailer { transport, from })
    }

    /// The message as it leaves: French subject, plain text with an HTML alternative, its `Message-ID`.
    fn message(&self, message: &OutboxMessage) -> Result<Message, String> {
        let message = &readable(message)?;
        let to: Mailbox = message
            .recipient
            .parse()
            .map_err(|e| format!("destinataire {} : {e}", message.recipient))?;
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(message.subject.clone())
            .header(MessageId::from(message.message_id.clone()))
            .multipart(MultiPart::alternative_plain_html(
                message.text_body.clone(),
                message.html_body.clone(),
            ))
            .map_err(|e| format!("message : {e}"))
    }

    /// Delivers one message; the error says why it failed.
    pub async fn deliver(&self, message: &OutboxMessage) -> Result<(), String> {
        let built = self.message(message)?;
        match &self.transport {
            Transport::Smtp(smtp) => smtp.send(built).await.map(|_| ()).map_err(|e| format!("SMTP : {e}")),
            Transport::Files(files) => files
                .send(built)
                .await
                .map(|_| ())
                .map_err(|e| format!("fichier : {e}")),
        }
    }
}

/// The message with its private links back in its bodies (opened with this process's key), as it is sent.
pub fn readable(message: &OutboxMessage) -> Result<OutboxMessage, String> {
    let Some(sealed) = &message.sealed_links else {
        return Ok(message.clone());
    };
    let links = crate::seal::key().open(sealed)?;
    Ok(OutboxMessage {
        text_body: restore(&message.text_body, &links, false),
        html_body: restore(&message.html_body, &links, true),
        sealed_links: None,
        ..message.clone()
    })
}

/// The most recent messages as they are sent, links included (tests and support tools; the team's view shows
/// them at rest, `OutboxStore::recent_messages`).
pub async fn readable_messages(store: &SqlStore, limit: i64) -> Result<Vec<OutboxMessage>, String> {
    let messages = store.recent_messages(limit).await.map_err(|e| e.0)?;
    messages.iter().map(readable).collect()
}

/// Delivers the messages due now, once each; returns how many were delivered.
pub async fn deliver_due(store: &SqlStore, mailer: &Mailer) -> Result<usize, String> {
    let at = now();
    let due = store.claim_due(at, LEASE_SECONDS, 50).await.map_err(|e| e.0)?;
    let mut delivered = 0;
    for message in due {
        let outcome = mailer.deliver(&message).await;
        let retry_at = now() + retry_delay_seconds(message.attempts + 1);
        if let Err(reason) = &outcome {
            tracing::warn!(message_id = %message.message_id, %reason, "courriel non remis, nouvel essai prévu");
        } else {
            delivered += 1;
        }
        store
            .record_attempt(message.id, now(), outcome.as_ref().err().map(String::as_str), retry_at)
            .await
            .map_err(|e| e.0)?;
    }
    Ok(delivered)
}

/// Queues the daily digests due at `now`: to each recipient, one digest of the notices held for them before the
/// last digest time (`domain::notices::digest_cutoff`), its links starting with `origin`; how many were queued.
pub async fn queue_digests(store: &SqlStore, origin: &str, now: i64) -> Result<usize, String> {
    use app::domain::email::DigestItem;
    use app::domain::notices::digest_cutoff;
    use app::store::NoticeStore;
    let held = store.held_notices(digest_cutoff(now)).await.map_err(|e| e.0)?;
    let mut by_recipient: std::collections::BTreeMap<String, Vec<_>> = std::collections::BTreeMap::new();
    for notice in &held {
        by_recipient
            .entry(notice.recipient.trim().to_lowercase())
            .or_default()
            .push(notice);
    }
    let mut queued = 0;
    for notices in by_recipient.values() {
        let ids: Vec<i64> = notices.iter().map(|notice| notice.id).collect();
        let items: Vec<DigestItem> = notices.iter().map(|notice| notice.item.clone()).collect();
        let digest = app::domain::email::daily_digest(&notices[0].recipient, &items, origin);
        // False when another server process queued it first: nothing is written twice.
        if store.queue_digest(&ids, &digest, now).await.map_err(|e| e.0)? {
            queued += 1;
        }
    }
    Ok(queued)
}

/// Queues the monthly reminders due at `now`: from the 1st of a month (Paris), each deployment in service without
/// a report for the month before gets one, once, to its contact and the colleagues who asked; how many
/// deployments were reminded. Their links start with `origin`.
pub async fn queue_usage_reminders(store: &SqlStore, origin: &str, now: i64) -> Result<usize, String> {
    use app::store::DeploymentStore;
    let month = app::domain::deployments::Month::of_instant(now).plus(-1);
    let mut queued = 0;
    for due in store.reminders_due(month).await.map_err(|e| e.0)? {
        let link = format!("{origin}{}", app::routes::agent_deployment(due.id));
        let emails: Vec<_> = due
            .recipients
            .iter()
            .map(|to| {
                app::domain::email::usage_reminder(to, &due.case_title, &due.collectivite_name, &month.label(), &link)
            })
            .collect();
        // False when another server process queued it first: nothing is written twice.
        if store
            .queue_reminder(due.id, month, &emails, now)
            .await
            .map_err(|e| e.0)?
        {
            queued += 1;
        }
    }
    Ok(queued)
}

/// How often the sender looks for daily digests to queue.
const DIGEST_POLL_SECONDS: i64 = 60;

/// Runs the sender until the server shuts down; then delivers what is due one last time (the caller bounds
/// how long that may take by awaiting the handle under its deadline). Once a minute it queues the daily
/// digests and the monthly reminders of usage reports due, their links starting with `origin`.
pub fn spawn_sender(store: Arc<SqlStore>, mailer: Arc<Mailer>, origin: String) -> tokio::task::JoinHandle<()> {
    let stop = crate::shutdown::signal();
    tokio::spawn(async move {
        let mut digests_checked = 0;
        loop {
            if now() - digests_checked >= DIGEST_POLL_SECONDS {
                digests_checked = now();
                match queue_digests(&store, &origin, now()).await {
                    Ok(0) => {}
                    Ok(count) => tracing::info!(count, "récapitulatifs quotidiens mis en file"),
                    Err(error) => tracing::error!(cause = %error, "récapitulatifs quotidiens"),
                }
                match queue_usage_reminders(&store, &origin, now()).await {
                    Ok(0) => {}
                    Ok(count) => tracing::info!(count, "rappels des relevés d'usage mis en file"),
                    Err(error) => tracing::error!(cause = %error, "rappels des relevés d'usage"),
                }
            }
            if let Err(error) = deliver_due(&store, &mailer).await {
                tracing::error!(cause = %error, "envoi des courriels");
            }
            tokio::select! {
                _ = tokio::time::sleep(POLL) => {}
                _ = stop.cancelled() => break,
            }
        }
        match deliver_due(&store, &mailer).await {
            Ok(count) => tracing::info!(envoyes = count, "courriels dus envoyés avant l'arrêt"),
            Err(error) => tracing::error!(cause = %error, "envoi des courriels avant l'arrêt"),
        }
    })
}
