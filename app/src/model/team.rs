//! The wire types of the team's own pages: the signed-in account, the pipeline list, the relève periods.

use serde::{Deserialize, Serialize};

use crate::domain::auth::Role;
use crate::domain::periods::PeriodStatus;
use crate::domain::stage::Stage;

/// The signed-in account as pages see it (never the password hash).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub name: String,
    pub email: String,
    pub role: Role,
}

/// A case in the back-office list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSummaryView {
    pub reference: String,
    pub title: String,
    pub collectivite_name: String,
    pub region: String,
    pub domain: String,
    pub stage: Stage,
    pub agents: i64,
    pub hours_saved_per_year: i64,
    pub portage_missing: bool,
    pub stage_entered_at: i64,
    /// Messages of its thread the reader has not read.
    pub unread: i64,
}

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
