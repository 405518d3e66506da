//! What the email outbox asks of persistence: the messages waiting, claimed one at a time by a sender, and
//! each delivery attempt recorded. Messages are queued by the writes that cause them, in their transaction.

use super::outcome::StoreError;

/// A message of the outbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxMessage {
    pub id: i64,
    /// `<…@ia-factory>`, the same at every attempt, so that a message delivered twice is recognisable.
    pub message_id: String,
    pub recipient: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub created_at: i64,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub sent_at: Option<i64>,
    /// Why the last attempt failed, empty when none did.
    pub last_error: String,
    /// The private links of the message, sealed (`server::seal`), until it is delivered; the bodies above hold
    /// placeholders instead (`domain::email::Email::at_rest`).
    pub sealed_links: Option<String>,
    /// Sent on its own, waiting, or held for its recipient's daily digest (`domain::notices`).
    pub delivery: crate::domain::notices::Delivery,
}

/// The outbox.
#[async_trait::async_trait]
pub trait OutboxStore: Send + Sync {
    /// Claims up to `limit` messages due at `now` for `lease` seconds (no other sender takes them meanwhile).
    async fn claim_due(&self, now: i64, lease: i64, limit: i64) -> Result<Vec<OutboxMessage>, StoreError>;
    /// Records an attempt: delivered, or failed with its reason and tried again at `retry_at`.
    async fn record_attempt(&self, id: i64, now: i64, failure: Option<&str>, retry_at: i64) -> Result<(), StoreError>;
    /// The most recent messages, newest first.
    async fn recent_messages(&self, limit: i64) -> Result<Vec<OutboxMessage>, StoreError>;
}
