//! How a store operation fails or ends, shared by every area's store.

use crate::domain::gates::Refusal;

/// A persistence failure; the text is for the server's log only.
#[derive(Debug)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// How a write that names the version it saw ended.
#[derive(Clone, Debug, PartialEq)]
pub enum WriteOutcome {
    /// Done; the case's new version.
    Done {
        version: i64,
    },
    /// A gate refused the move; nothing changed.
    Refused(Refusal),
    /// Someone changed the case after the writer read it; nothing changed.
    Conflict {
        by: String,
        at: i64,
    },
    NotFound,
}
