//! The wire types of the team's case page: answers, qualification grid, history, comments, stages 3 to 5, and
//! the header every page of stages 3 to 5 shows.

use serde::{Deserialize, Serialize};

use super::intake::CollectiviteChoice;
use crate::domain::intake::IntakeAnswers;
use crate::domain::qualification::{Decision, Destination};
use crate::domain::stage::Stage;

/// One line of a case's history, in French.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventView {
    pub at: i64,
    pub actor: String,
    pub what: String,
    pub detail: String,
}

/// One criterion of the qualification grid: the team's score beside the score the intake suggests.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridLineView {
    pub code: String,
    pub label: String,
    pub score: Option<i32>,
    pub comment: String,
    pub suggested: Option<i32>,
    pub suggestion_reason: String,
}

/// A comment of the team.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentView {
    pub author: String,
    pub body: String,
    pub at: i64,
}

/// A case as the team reads it: summary, every intake answer, qualification, history, comments.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseDetailView {
    pub summary: CaseSummaryView,
    pub answers: IntakeAnswers,
    pub collectivite: Option<CollectiviteChoice>,
    pub filed_at: i64,
    pub events: Vec<EventView>,
    pub version: i64,
    pub grid: Vec<GridLineView>,
    pub warnings: Vec<String>,
    pub interview_notes: String,
    pub decision: Option<Decision>,
    pub destination: Option<Destination>,
    /// Stages 3 to 5: cadrage, phase 4, diffusion (empty before the cadrage).
    pub project: Vec<ProjectLine>,
    pub comments: Vec<CommentView>,
    pub period_name: Option<String>,
    /// The signed-in role may move, score and validate.
    pub can_act: bool,
    /// The signed-in role may comment.
    pub can_comment: bool,
    /// The prestataire technique the case is assigned to.
    pub assignee: Option<String>,
    /// The prestataires it may be assigned to (id, name), for those who may assign.
    pub prestataires: Vec<(i64, String)>,
    /// The avis requested on the case, oldest first.
    pub avis: Vec<AvisView>,
    /// Whom the team may ask for an avis now (id, name and role): the directions of the case's région and its
    /// prestataire, during qualification.
    pub avis_candidates: Vec<(i64, String)>,
    /// An avis is asked of the signed-in account and not given yet.
    pub avis_asked_of_me: bool,
    /// The AI Act pre-assessment and the team's confirmation, with the obligations of the level that counts.
    pub ai_act: crate::domain::ai_act::review::AiActReview,
    pub ai_act_obligations: Vec<(String, String)>,
    /// Close cases filed by other collectivités.
    pub similar: crate::model::similar::SimilarForTeam,
}

/// An avis requested on a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AvisView {
    pub name: String,
    pub role: crate::domain::auth::Role,
    pub requested_by: String,
    pub requested_at: i64,
    pub opinion: Option<crate::domain::avis::Opinion>,
    pub text: String,
    pub given_at: Option<i64>,
}

/// The header every follow-up page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseHead {
    pub reference: String,
    pub title: String,
    pub collectivite_name: String,
    pub stage: Stage,
    /// The case's version when the page was read: a write that must not follow an unseen change sends it back.
    pub version: i64,
    /// The signed-in role may write.
    pub can_act: bool,
    /// The signed-in role (a prestataire validates its own party and writes the journal).
    pub role: crate::domain::auth::Role,
}

/// What the follow-up section of the case page says of stages 3 to 5.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectLine {
    pub href: String,
    pub label: String,
    pub status: String,
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
