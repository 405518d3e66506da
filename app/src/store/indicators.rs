//! What the programme's indicators over time ask of persistence: each case's timeline from the event log.

use super::outcome::StoreError;
use crate::domain::indicators::Timeline;

#[async_trait::async_trait]
pub trait IndicatorStore: Send + Sync {
    /// Every case's filing, current stage and moves (oldest first).
    async fn timelines(&self) -> Result<Vec<Timeline>, StoreError>;
}
