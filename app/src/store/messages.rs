//! What the thread between a collectivité and the team asks of persistence: messages with their documents,
//! who follows a case, what each member has read, the private follow-up links and the emails sent.

use super::documents::{AddOutcome, NewDocument};
use super::outcome::StoreError;
use crate::domain::access::VisibleCase;
use crate::domain::email::CollectiviteNotice;

/// A message to record, with its documents, in one transaction that also queues the emails it causes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewMessage {
    pub from_collectivite: bool,
    /// The member who writes (None for the collectivité).
    pub account_id: Option<i64>,
    pub author_name: String,
    /// The member's role in words, empty for the collectivité.
    pub author_role: String,
    pub body: String,
    pub documents: Vec<NewDocument>,
    /// At most this many documents for the case.
    pub max_documents: usize,
    /// For a team message: the email to the collectivité. For the collectivité's: the site's address, to
    /// link the emails to the followers.
    pub notice: Option<CollectiviteNotice>,
    pub origin: String,
    pub now: i64,
}

/// Where a message is written: a case by its reference (team) or by a private link (collectivité).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Thread {
    Case(VisibleCase),
    Link(String),
}

/// A message of a thread.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageLine {
    pub id: i64,
    pub from_collectivite: bool,
    pub account_id: Option<i64>,
    pub author_name: String,
    pub author_role: String,
    pub body: String,
    pub created_at: i64,
}

/// An email sent (or waiting) about a case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseEmail {
    pub recipient: String,
    pub subject: String,
    pub created_at: i64,
    pub delivery: crate::domain::notices::Delivery,
}

/// The case behind a follow-up link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkedCase {
    pub reference: String,
    pub region: String,
    pub contact_name: String,
}

#[async_trait::async_trait]
pub trait MessageStore: Send + Sync {
    /// Records a message and its documents; its id, or the refusal of the documents' limit.
    async fn post_message(
        &self,
        thread: &Thread,
        message: &NewMessage,
    ) -> Result<(AddOutcome, Option<i64>), StoreError>;
    /// The messages of a case, oldest first.
    async fn thread(&self, case: &VisibleCase) -> Result<Vec<MessageLine>, StoreError>;
    /// The case behind a follow-up link still valid.
    async fn linked_case(&self, token_hash: &str) -> Result<Option<LinkedCase>, StoreError>;
    /// Marks the messages of the case up to `up_to` (the last one shown) read by the member.
    async fn mark_read(&self, case: &VisibleCase, account_id: i64, up_to: i64) -> Result<(), StoreError>;
    /// The member's unread messages by case reference (messages of others after the last one read).
    async fn unread_counts(&self, account_id: i64) -> Result<Vec<(String, i64)>, StoreError>;
    async fn set_following(&self, case: &VisibleCase, account_id: i64, follow: bool) -> Result<bool, StoreError>;
    async fn is_following(&self, case: &VisibleCase, account_id: i64) -> Result<bool, StoreError>;
    /// The emails queued about a case, newest first.
    async fn case_emails(&self, case: &VisibleCase) -> Result<Vec<CaseEmail>, StoreError>;
    /// Ends every follow-up link of the case behind `token_hash` and makes `new_hash` its only link; false when
    /// the link is not valid.
    async fn renew_link(&self, token_hash: &str, new_hash: &str, now: i64) -> Result<bool, StoreError>;
    /// Queues, for the cases filed with `email`, one email holding a new follow-up link for each; nothing when
    /// none was filed with it.
    async fn send_lost_links(&self, email: &str, origin: &str, now: i64) -> Result<(), StoreError>;
}
