//! What the diffusion (stage 5) asks of persistence: the kit with its revision and the withdrawal of a
//! publication (publishing itself is the catalogue's `publish`).

use super::outcome::{StoreError, WriteOutcome};
use crate::domain::access::VisibleCase;
use crate::domain::diffusion::DiffusionKit;

/// The diffusion kit as saved, with its revision.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredKit {
    pub kit: DiffusionKit,
    pub revision: i64,
    pub updated_by: String,
    pub updated_at: i64,
}

/// The publication of a case in the catalogue.
#[derive(Clone, Debug, PartialEq)]
pub struct PublicationState {
    pub slug: String,
    pub published_at: i64,
    pub withdrawn_at: Option<i64>,
}

/// The diffusion of a case.
#[async_trait::async_trait]
pub trait DiffusionStore: Send + Sync {
    /// Saves the diffusion kit, if its revision is still `based_on` (0: none).
    async fn save_kit(
        &self,
        case: &VisibleCase,
        based_on: i64,
        kit: &DiffusionKit,
        actor: &str,
        now: i64,
    ) -> Result<WriteOutcome, StoreError>;
    /// Withdraws a published case from the catalogue (its publication is kept, hidden).
    async fn withdraw(&self, case: &VisibleCase, actor: &str, now: i64) -> Result<WriteOutcome, StoreError>;
}
