//! What the relève periods ask of persistence: the periods themselves and when each case was filed.

use super::outcome::StoreError;
use crate::domain::periods::Period;

/// The relève periods.
#[async_trait::async_trait]
pub trait PeriodStore: Send + Sync {
    /// When each case was filed, for assigning cases to periods.
    async fn case_filing_times(&self) -> Result<Vec<i64>, StoreError>;
    /// The relève periods, earliest first.
    async fn periods(&self) -> Result<Vec<Period>, StoreError>;
    async fn create_period(&self, name: &str, starts_at: i64, ends_at: i64, now: i64) -> Result<(), StoreError>;
}
