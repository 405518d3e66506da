//! What the team's work on cases asks of persistence: the pipeline, a case with its history, moves through the gates, the qualification grid and comments, and the read of stages 3 to 5 at
//! once (their writes are in `cadrage`, `conception` and `diffusion`).

use super::cadrage::{CadrageVersion, PartyValidation};
use super::conception::{LogEntry, RecordedCheck};
use super::diffusion::{PublicationState, StoredKit};
use super::outcome::{StoreError, WriteOutcome};
use crate::domain::access::{OfCase, VisibleCase};
use crate::domain::cadrage::RecordedValidation;
use crate::domain::history::{EventDetail, EventKind};
use crate::domain::intake::IntakeAnswers;
use crate::domain::qualification::{Decision, Destination, GridLine};
use crate::domain::stage::Stage;

/// One case as the back office lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct CaseSummary {
    pub reference: String,
    pub title: String,
    pub collectivite_name: String,
    pub region: String,
    pub domain: String,
    pub stage: Stage,
    pub agents: i64,
    pub hours_saved_per_year: i64,
    pub portage_missing: String,
    pub stage_entered_at: i64,
    /// Grows at every change of the case; a move names the version it saw.
    pub version: i64,
    pub collectivite_kind: String,
    /// Codes of the chosen bricks, comma separated.
    pub briques: String,
    pub filed_at: i64,
    pub decision: Option<Decision>,
    /// Avis requested on the case, and how many were given.
    pub avis_requested: i64,
    pub avis_given: i64,
    /// The AI Act level pre-assessed at filing and the team's confirmation.
    pub ai_act: crate::domain::ai_act::review::AiActReview,
    /// Every criterion of the qualification grid is scored.
    pub grid_complete: bool,
}

/// One entry of a case's history.
#[derive(Clone, Debug, PartialEq)]
pub struct CaseEvent {
    pub actor: String,
    pub kind: EventKind,
    pub from_stage: Option<Stage>,
    pub to_stage: Option<Stage>,
    pub detail: EventDetail,
    pub created_at: i64,
}

/// A case with everything the team reads about it.
#[derive(Clone, Debug, PartialEq)]
pub struct CaseDetail {
    pub summary: CaseSummary,
    pub collectivite_key: String,
    pub answers: IntakeAnswers,
    /// The slug of the published case it replicates.
    pub replicates: Option<String>,
    pub filed_at: i64,
    /// Oldest first.
    pub events: Vec<CaseEvent>,
    pub assessment: Assessment,
    /// Oldest first.
    pub comments: Vec<Comment>,
    /// Who changed the case last, and when.
    pub updated_by: String,
    pub updated_at: i64,
}

/// The qualification of a case: the grid, the interview notes, the decision and where a case not qualified
/// was sent, and the stage whose validation was recorded.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Assessment {
    /// One line per scored or commented criterion.
    pub lines: Vec<GridLine>,
    pub interview_notes: String,
    pub decision: Option<Decision>,
    pub destination: Option<Destination>,
}

/// A comment of the team on a case.
#[derive(Clone, Debug, PartialEq)]
pub struct Comment {
    pub author: String,
    pub body: String,
    pub created_at: i64,
}

/// A move asked by a team member.
#[derive(Clone, Debug, PartialEq)]
pub struct MoveRequest {
    pub case: VisibleCase,
    /// The version of the case the mover saw.
    pub expected_version: i64,
    pub to: Stage,
    pub reason: String,
    pub destination: Option<Destination>,
    pub actor: String,
    /// The member who moves it (the one the collectivité's messages are emailed to).
    pub mover_id: Option<i64>,
    /// What the collectivité is told (a reorientation).
    pub notice: Option<crate::domain::email::CollectiviteNotice>,
    pub now: i64,
}

/// The qualification as saved from the grid form.
#[derive(Clone, Debug, PartialEq)]
pub struct AssessmentUpdate {
    pub case: VisibleCase,
    pub expected_version: i64,
    pub lines: Vec<GridLine>,
    pub interview_notes: String,
    pub decision: Option<Decision>,
    /// The AI Act level the team confirms, and its reason for setting aside a "prohibited" pre-assessment.
    pub ai_act_confirmed: Option<crate::domain::ai_act::RiskLevel>,
    pub ai_act_override: String,
    pub actor: String,
    /// What the collectivité is told when the decision changes (qualified).
    pub notice: Option<crate::domain::email::CollectiviteNotice>,
    pub now: i64,
}

/// One line of the decision trail: an event with its case.
#[derive(Clone, Debug, PartialEq)]
pub struct TrailEntry {
    pub reference: String,
    pub event: CaseEvent,
}

/// A request for an avis, with the email that tells the person asked.
#[derive(Clone, Debug, PartialEq)]
pub struct AvisRequest {
    pub case: VisibleCase,
    pub account_id: i64,
    pub requested_by: String,
    pub message: crate::domain::email::Email,
    pub now: i64,
}

/// An avis requested on a case, given or not.
#[derive(Clone, Debug, PartialEq)]
pub struct AvisLine {
    pub account_id: i64,
    pub name: String,
    pub role: crate::domain::auth::Role,
    pub requested_by: String,
    pub requested_at: i64,
    /// The opinion, its text and when, once given.
    pub given: Option<(crate::domain::avis::Opinion, String, i64)>,
}

impl OfCase for CaseSummary {
    fn case_reference(&self) -> &str {
        &self.reference
    }
    fn case_region(&self) -> &str {
        &self.region
    }
}

/// The cases as the team works on them.
#[async_trait::async_trait]
pub trait CaseStore: Send + Sync {
    /// Every case, pipeline order then most recent first.
    async fn case_summaries(&self) -> Result<Vec<CaseSummary>, StoreError>;
    async fn case_detail(&self, case: &VisibleCase) -> Result<Option<CaseDetail>, StoreError>;
    /// Everything of stages 3 to 5 of a case: cadrage versions and validations, phase 4 checks and log,
    /// diffusion kit and publication. None when there is no such case.
    async fn project(&self, case: &VisibleCase) -> Result<Option<Project>, StoreError>;
    /// Moves a case in one transaction: reads it (locked), compares its version, reads its `gates::CaseRecord`
    /// and asks `gates::check`, updates it and appends the event; then tells the open boards.
    async fn move_case(&self, request: &MoveRequest) -> Result<WriteOutcome, StoreError>;
    /// Saves the qualification grid, notes and decision, if the case is still at `expected_version` and
    /// `gates::check` lets the decision be saved (the AI Act rule), in one transaction.
    async fn save_assessment(&self, update: &AssessmentUpdate) -> Result<WriteOutcome, StoreError>;
    /// Adds a comment; false when there is no such case.
    async fn add_comment(&self, case: &VisibleCase, author: &str, body: &str, now: i64) -> Result<bool, StoreError>;
    /// Every event of every case, oldest first.
    async fn decision_trail(&self) -> Result<Vec<TrailEntry>, StoreError>;
    /// The references of the cases assigned to a prestataire's account.
    async fn assigned_references(&self, account_id: i64) -> Result<Vec<String>, StoreError>;
    /// Assigns the case to a prestataire's account (or to nobody), logging in the authentication log, in the
    /// same transaction, the case taken from the former prestataire and given to the new one (`log`: who, from
    /// where, when); false when there is no such case.
    async fn assign_prestataire(
        &self,
        case: &VisibleCase,
        account_id: Option<i64>,
        log: &crate::store::accounts::AuthEntry,
    ) -> Result<bool, StoreError>;
    /// The account (id, name) the case is assigned to.
    async fn case_assignee(&self, case: &VisibleCase) -> Result<Option<(i64, String)>, StoreError>;
    /// The région of a case: what `server::access` grants a case on (nothing else reads it).
    async fn case_region(&self, reference: &str) -> Result<Option<String>, StoreError>;
    /// Records the request of an avis and queues its email, in one transaction; false when there is no such case.
    async fn request_avis(&self, request: &AvisRequest) -> Result<bool, StoreError>;
    /// Records the avis of `account_id` on its pending request; false when it has none on this case.
    async fn give_avis(
        &self,
        case: &VisibleCase,
        account_id: i64,
        opinion: crate::domain::avis::Opinion,
        body: &str,
        now: i64,
    ) -> Result<bool, StoreError>;
    /// Every avis requested on a case, oldest first.
    async fn case_avis(&self, case: &VisibleCase) -> Result<Vec<AvisLine>, StoreError>;
    /// The cases whose avis is asked of `account_id` and not given yet, with when it was asked, oldest first.
    async fn avis_asked_of(&self, account_id: i64) -> Result<Vec<(String, i64)>, StoreError>;
}

/// Stages 3 to 5 of a case (the project the IA Factory carries), read at once for the pages that need them
/// together.
#[derive(Clone, Debug, PartialEq)]
pub struct Project {
    /// Oldest first.
    pub versions: Vec<CadrageVersion>,
    /// Every validation of every version, oldest first.
    pub validations: Vec<PartyValidation>,
    pub checks: Vec<RecordedCheck>,
    /// By day, then as entered.
    pub log: Vec<LogEntry>,
    pub kit: Option<StoredKit>,
    pub publication: Option<PublicationState>,
}

impl Project {
    pub fn current(&self) -> Option<&CadrageVersion> {
        self.versions.last()
    }

    pub fn recorded_validations(&self) -> Vec<RecordedValidation> {
        self.validations
            .iter()
            .map(|validation| RecordedValidation {
                version: validation.version,
                party: validation.party,
            })
            .collect()
    }
}
