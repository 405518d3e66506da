//! The wire types of the conception (stage 4): the conditions of validation with their checks and the log.

use serde::{Deserialize, Serialize};

use super::case::CaseHead;

/// A phase 4 condition with its check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConditionView {
    pub text: String,
    /// Evidence, who checked, when.
    pub checked: Option<(String, String, i64)>,
}

/// A phase 4 log entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogView {
    pub day: String,
    pub kind: String,
    pub body: String,
    pub author: String,
}

/// The phase 4 page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConceptionView {
    pub head: CaseHead,
    pub current: i64,
    pub conditions: Vec<ConditionView>,
    pub log: Vec<LogView>,
    /// `AAAA-MM-JJ`, the default day of a new entry.
    pub today: String,
}
