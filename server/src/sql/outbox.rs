//! The SQL of the email outbox: queuing a message inside the transaction of the write that causes it, the
//! sender's claim of due messages (a lease, so two senders never take the same one at once), and each attempt.

use app::domain::email::Email;
use app::store::outbox::{OutboxMessage, OutboxStore};
use app::store::StoreError;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{fail, SqlStore};

/// A new `Message-ID`: 128 random bits, kept for every attempt of the message.
fn new_message_id() -> String {
    use rand::RngCore;
    let mut bytes = [0_u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("<{hex}@ia-factory>")
}

/// Queues `email` in the transaction `tx`: it is sent only if the transaction commits.
pub(crate) async fn queue_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    email: &Email,
    now: i64,
) -> Result<(), StoreError> {
    queue_about(tx, email, None, Wait::Never, now).await.map(|_| ())
}

/// Whether an email may wait for its recipient's daily digest (`domain::notices::may_wait`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Wait {
    Never,
    MayWait,
}

/// Queues `email` about a case (its follow-up page lists it) in the transaction `tx`; its row's id. An email
/// that may wait is held for the daily digest when its recipient is an agent of the case's collectivité who
/// chose it, and the case is in their space (the digest links there).
pub(crate) async fn queue_about(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    email: &Email,
    case_id: Option<i64>,
    wait: Wait,
    now: i64,
) -> Result<i64, StoreError> {
    let held = match case_id {
        Some(case_id) if wait == Wait::MayWait => {
            let digest: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM agents a JOIN cases c ON c.collectivite_key = a.collectivite_key \
                 WHERE c.id = $1 AND c.attached_at IS NOT NULL AND LOWER(a.email) = LOWER($2) AND a.notices = $3",
            )
            .bind(case_id)
            .bind(email.to.trim())
            .bind(app::domain::notices::NoticeChoice::Daily.code())
            .fetch_one(&mut **tx)
            .await
            .map_err(fail("digest choice"))?;
            digest > 0
        }
        _ => false,
    };
    // The bodies are stored without their private links, which are sealed (`crate::seal`) until delivery.
    let (text, html) = email.at_rest();
    let sealed = crate::seal::key().seal(&email.secrets).map_err(StoreError)?;
    sqlx::query(
        "INSERT INTO outbox (message_id, recipient, subject, text_body, html_body, created_at, next_attempt_at, \
         case_id, sealed_links, held) VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9) RETURNING id",
    )
    .bind(new_message_id())
    .bind(&email.to)
    .bind(&email.subject)
    .bind(text)
    .bind(html)
    .bind(now)
    .bind(case_id)
    .bind(sealed)
    .bind(i64::from(held))
    .fetch_one(&mut **tx)
    .await
    .map_err(fail("queue email"))?
    .try_get("id")
    .map_err(fail("queued email id"))
}

const COLUMNS: &str = "id, message_id, recipient, subject, text_body, html_body, created_at, attempts, \
    next_attempt_at, sent_at, last_error, sealed_links, held, digest_id, \
    (SELECT d.sent_at FROM outbox d WHERE d.id = outbox.digest_id) AS digest_sent_at";

fn message_from(row: &AnyRow) -> Result<OutboxMessage, StoreError> {
    Ok(OutboxMessage {
        id: row.try_get("id").map_err(fail("outbox id"))?,
        message_id: row.try_get("message_id").map_err(fail("outbox message id"))?,
        recipient: row.try_get("recipient").map_err(fail("outbox recipient"))?,
        subject: row.try_get("subject").map_err(fail("outbox subject"))?,
        text_body: row.try_get("text_body").map_err(fail("outbox text"))?,
        html_body: row.try_get("html_body").map_err(fail("outbox html"))?,
        created_at: row.try_get("created_at").map_err(fail("outbox created"))?,
        attempts: row.try_get("attempts").map_err(fail("outbox attempts"))?,
        next_attempt_at: row.try_get("next_attempt_at").map_err(fail("outbox next"))?,
        sent_at: row.try_get("sent_at").map_err(fail("outbox sent"))?,
        last_error: row.try_get("last_error").map_err(fail("outbox error"))?,
        sealed_links: row.try_get("sealed_links").map_err(fail("outbox sealed"))?,
        delivery: delivery_of(row)?,
    })
}

/// What became of an outbox row, from its columns `sent_at`, `held`, `digest_id` and `digest_sent_at`.
pub(crate) fn delivery_of(row: &AnyRow) -> Result<app::domain::notices::Delivery, StoreError> {
    let held: i64 = row.try_get("held").map_err(fail("outbox held"))?;
    let digest: Option<i64> = row.try_get("digest_id").map_err(fail("outbox digest"))?;
    Ok(app::domain::notices::Delivery::of(
        row.try_get("sent_at").map_err(fail("outbox sent"))?,
        held == 1,
        digest.is_some(),
        row.try_get("digest_sent_at").map_err(fail("outbox digest sent"))?,
    ))
}

#[async_trait::async_trait]
impl OutboxStore for SqlStore {
    async fn claim_due(&self, now: i64, lease: i64, limit: i64) -> Result<Vec<OutboxMessage>, StoreError> {
        let due = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM outbox WHERE sent_at IS NULL AND held = 0 AND next_attempt_at <= $1 \
             ORDER BY id LIMIT $2"
        ))
        .bind(now)
        .bind(limit)
        .fetch_all(self.read())
        .await
        .map_err(fail("outbox due"))?;
        let mut claimed = Vec::new();
        for row in &due {
            let message = message_from(row)?;
            // Taken only if nobody took it since it was read.
            let taken = sqlx::query(
                "UPDATE outbox SET next_attempt_at = $1 WHERE id = $2 AND sent_at IS NULL AND next_attempt_at = $3",
            )
            .bind(now + lease)
            .bind(message.id)
            .bind(message.next_attempt_at)
            .execute(self.write())
            .await
            .map_err(fail("outbox claim"))?;
            if taken.rows_affected() == 1 {
                claimed.push(message);
            }
        }
        Ok(claimed)
    }

    async fn record_attempt(&self, id: i64, now: i64, failure: Option<&str>, retry_at: i64) -> Result<(), StoreError> {
        let mut tx = self.write().begin().await.map_err(fail("attempt begin"))?;
        sqlx::query("INSERT INTO outbox_attempts (outbox_id, at, delivered, detail) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(now)
            .bind(i64::from(failure.is_none()))
            .bind(failure.unwrap_or_default())
            .execute(&mut *tx)
            .await
            .map_err(fail("attempt insert"))?;
        match failure {
            None => {
                // Delivered: its private links are wiped in the same statement.
                sqlx::query(
                    "UPDATE outbox SET attempts = attempts + 1, sent_at = $1, last_error = '', sealed_links = NULL \
                     WHERE id = $2",
                )
                .bind(now)
                .bind(id)
            }
            Some(reason) => sqlx::query(
                "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $1, last_error = $2 WHERE id = $3",
            )
            .bind(retry_at)
            .bind(reason.chars().take(500).collect::<String>())
            .bind(id),
        }
        .execute(&mut *tx)
        .await
        .map_err(fail("attempt update"))?;
        tx.commit().await.map_err(fail("attempt commit"))
    }

    async fn recent_messages(&self, limit: i64) -> Result<Vec<OutboxMessage>, StoreError> {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM outbox ORDER BY id DESC LIMIT $1"))
            .bind(limit)
            .fetch_all(self.read())
            .await
            .map_err(fail("outbox recent"))?;
        rows.iter().map(message_from).collect()
    }
}
