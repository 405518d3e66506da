//! What the agents' email notices ask of persistence: each agent's choice (each notice, or a daily digest), the
//! notices held for a digest, and the digest queued in their place.

use super::outcome::StoreError;
use crate::domain::email::{DigestItem, Email};
use crate::domain::notices::NoticeChoice;

/// A notice held in the outbox for its recipient's daily digest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeldNotice {
    /// Its row in the outbox.
    pub id: i64,
    pub recipient: String,
    pub item: DigestItem,
}

#[async_trait::async_trait]
pub trait NoticeStore: Send + Sync {
    /// The agent's choice (each notice when they never chose).
    async fn notice_choice(&self, agent_id: i64) -> Result<NoticeChoice, StoreError>;
    /// Records the agent's choice; back to each notice, the notices held for them and not yet in a digest go
    /// out now, each on its own. How many were released.
    async fn set_notice_choice(&self, agent_id: i64, choice: NoticeChoice, now: i64) -> Result<u64, StoreError>;
    /// The notices held for a digest and queued before `cutoff`, by recipient then in order.
    async fn held_notices(&self, cutoff: i64) -> Result<Vec<HeldNotice>, StoreError>;
    /// Queues `digest` in place of the notices `ids`, in one transaction; false (nothing written) when one of
    /// them was carried or released meanwhile (another server process).
    async fn queue_digest(&self, ids: &[i64], digest: &Email, now: i64) -> Result<bool, StoreError>;
}
