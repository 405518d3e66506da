//! The wire types of the board: its columns and cards, the filters' choices, a move done.

use serde::{Deserialize, Serialize};

use crate::domain::qualification::Decision;
use crate::domain::stage::Stage;

/// One card of the board.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardView {
    pub reference: String,
    pub title: String,
    pub collectivite_name: String,
    pub collectivite_kind: String,
    pub region: String,
    pub domain: String,
    pub agents: i64,
    pub hours_saved_per_year: i64,
    pub portage_missing: bool,
    pub period_name: Option<String>,
    pub days_in_stage: i64,
    pub stage: Stage,
    pub version: i64,
    pub decision: Option<Decision>,
    /// "avis 1/2" when avis were requested.
    pub avis: Option<String>,
    /// Messages of the thread the reader has not read.
    pub unread: i64,
    /// The AI Act level that counts (confirmed, or pre-assessed), and whether the team confirmed it.
    pub ai_act_level: crate::domain::ai_act::RiskLevel,
    pub ai_act_confirmed: bool,
    /// At the cadrage stage, once a party validated the version in force: how many did ("1/3"), and each
    /// party, who signed and how (behind it).
    pub signatures_summary: String,
    pub signatures: Vec<String>,
}

/// One column of the board.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnView {
    pub stage: Stage,
    pub title: String,
    /// The cards shown: the first ones (longest at the stage first), then any the page asked to keep.
    pub cards: Vec<CardView>,
    /// Every card of the column that the filters keep, shown or not.
    pub total: i64,
    /// The first card not shown, where the « Afficher plus » link leads.
    pub next: Option<String>,
}

/// A choice of a filter: value and label.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilterOption {
    pub value: String,
    pub label: String,
}

/// The board as a page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardView {
    pub columns: Vec<ColumnView>,
    pub periods: Vec<FilterOption>,
    pub regions: Vec<String>,
    pub can_move: bool,
    pub total: i64,
    pub shown: i64,
}

/// A move that happened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoveDone {
    pub reference: String,
    pub stage: Stage,
    pub version: i64,
}
