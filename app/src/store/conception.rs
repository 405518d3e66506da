//! What the conception (stage 4) asks of persistence: the checks of the conditions of validation and the log.

use super::outcome::{StoreError, WriteOutcome};
use crate::domain::access::VisibleCase;
use crate::domain::cadrage::ConditionCheck;

/// A check of a phase 4 condition, as recorded.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordedCheck {
    pub check: ConditionCheck,
    pub checked_by: String,
    pub at: i64,
}

/// An entry of the phase 4 log.
#[derive(Clone, Debug, PartialEq)]
pub struct LogEntry {
    /// `AAAA-MM-JJ`.
    pub day: String,
    /// A code of `domain::cadrage::LOG_KINDS`.
    pub kind: String,
    pub body: String,
    pub author: String,
    pub created_at: i64,
}

/// The phase 4 of a case.
#[async_trait::async_trait]
pub trait ConceptionStore: Send + Sync {
    /// Records (or replaces) the check of a phase 4 condition with its evidence.
    async fn check_condition(
        &self,
        case: &VisibleCase,
        check: &ConditionCheck,
        actor: &str,
        now: i64,
    ) -> Result<WriteOutcome, StoreError>;
    /// Appends an entry to the phase 4 log.
    async fn add_log_entry(&self, case: &VisibleCase, entry: &LogEntry) -> Result<WriteOutcome, StoreError>;
}
