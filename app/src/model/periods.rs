//! The wire types of the relève periods page.

use serde::{Deserialize, Serialize};

use crate::domain::periods::PeriodStatus;

/// A relève period as the team sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodView {
    pub name: String,
    pub starts_at: i64,
    /// Exclusive end (midnight after the last day).
    pub ends_at: i64,
    pub status: PeriodStatus,
    /// Cases filed before it starts and after the previous one started: the cases it examines.
    pub cases: i64,
}

/// The relève periods and whether the signed-in account may create one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodsPage {
    pub periods: Vec<PeriodView>,
    pub can_create: bool,
}
