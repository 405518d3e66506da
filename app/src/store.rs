//! What the server functions need from persistence, declared here and implemented with SQL in `server/`, so that
//! `app` holds no SQL and can be tested against both databases through one interface.

use std::sync::Arc;

use crate::domain::auth::Role;
use crate::domain::cadrage::{CadrageDocument, ConditionCheck, Party, RecordedValidation};
use crate::domain::collectivites::Collectivite;
use crate::domain::diffusion::DiffusionKit;
use crate::domain::gates::{Decision, Destination, Refusal};
use crate::domain::intake::IntakeAnswers;
use crate::domain::qualification::{GridLine, Period};
use crate::domain::stage::Stage;

/// A persistence failure; the text is for the server's log only.
#[derive(Debug)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A draft as stored: the answers typed so far.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    pub answers: IntakeAnswers,
    pub created_at: i64,
    pub updated_at: i64,
    /// Set once the draft was filed as a case.
    pub case_reference: Option<String>,
    /// The catalogue slug of the published case this intake replicates.
    pub replicates: Option<String>,
}

/// What a submitted case records beyond the answers: values derived by the domain when it was filed.
#[derive(Clone, Debug, PartialEq)]
pub struct NewCase {
    pub title: String,
    pub domain: String,
    pub collectivite_key: String,
    pub collectivite_name: String,
    pub collectivite_kind: String,
    pub region: String,
    pub agents: i64,
    pub hours_saved_per_year: i64,
    /// Codes of the missing portage levels, comma separated, empty when complete.
    pub portage_missing: String,
    /// Codes of the chosen bricks, comma separated.
    pub briques: String,
}

impl NewCase {
    /// What a complete intake records as a case: the collectivité's snapshot and the values the domain derives.
    pub fn from_answers(answers: &IntakeAnswers, collectivite: &Collectivite) -> NewCase {
        NewCase {
            title: answers.get("titre").trim().to_string(),
            domain: answers.get("domaine").to_string(),
            collectivite_key: collectivite.key(),
            collectivite_name: collectivite.name.clone(),
            collectivite_kind: collectivite.kind.code().to_string(),
            region: collectivite.region_name.clone(),
            agents: answers.integer("agents").unwrap_or_default(),
            hours_saved_per_year: answers.hours_saved_per_year().unwrap_or_default(),
            portage_missing: answers
                .missing_portage()
                .iter()
                .map(|level| level.code())
                .collect::<Vec<_>>()
                .join(","),
            briques: answers.briques().join(","),
        }
    }
}

/// A filed case as its collectivité sees it on the receipt and follow-up pages.
#[derive(Clone, Debug, PartialEq)]
pub struct FiledCase {
    pub reference: String,
    pub title: String,
    pub collectivite_name: String,
    pub stage: Stage,
    pub filed_at: i64,
    pub updated_at: i64,
}

/// A programme-team account.
#[derive(Clone, Debug, PartialEq)]
pub struct Account {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// Argon2id PHC string.
    pub password_hash: String,
    pub disabled: bool,
}

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
}

/// One entry of a case's history.
#[derive(Clone, Debug, PartialEq)]
pub struct CaseEvent {
    pub actor: String,
    /// `depose`, `deplace`…
    pub kind: String,
    pub from_stage: Option<String>,
    pub to_stage: Option<String>,
    pub detail: String,
    pub created_at: i64,
}

/// A case with everything the team reads about it.
#[derive(Clone, Debug, PartialEq)]
pub struct CaseDetail {
    pub summary: CaseSummary,
    pub collectivite_key: String,
    pub answers: IntakeAnswers,
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
    pub reference: String,
    /// The version of the case the mover saw.
    pub expected_version: i64,
    pub to: Stage,
    pub reason: String,
    pub destination: Option<Destination>,
    pub actor: String,
    pub now: i64,
}

/// What the gates need, read inside the move's transaction.
#[derive(Clone, Debug, PartialEq)]
pub struct GateInputs {
    pub stage: Stage,
    pub filed_at: i64,
    pub grid_complete: bool,
    pub decision: Option<Decision>,
    pub periods: Vec<Period>,
    /// The number of the cadrage version in force.
    pub cadrage_version: Option<i64>,
    pub validations: Vec<RecordedValidation>,
    /// The phase 4 conditions of the version in force.
    pub phase4_conditions: Vec<String>,
    pub checks: Vec<ConditionCheck>,
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

/// The qualification as saved from the grid form.
#[derive(Clone, Debug, PartialEq)]
pub struct AssessmentUpdate {
    pub reference: String,
    pub expected_version: i64,
    pub lines: Vec<GridLine>,
    pub interview_notes: String,
    pub decision: Option<Decision>,
    pub actor: String,
    pub now: i64,
}

/// One line of the decision trail: an event with its case.
#[derive(Clone, Debug, PartialEq)]
pub struct TrailEntry {
    pub reference: String,
    pub event: CaseEvent,
}

/// The gate a move passes, called inside the move's transaction.
pub type Gate<'a> = &'a (dyn Fn(&GateInputs) -> Result<(), Refusal> + Send + Sync);

/// The operations of the intake on the database. Token hashes identify drafts; the token itself never reaches
/// the database.
#[async_trait::async_trait]
pub trait Store: Send + Sync {
    async fn create_draft(&self, token_hash: &str, now: i64) -> Result<(), StoreError>;
    async fn load_draft(&self, token_hash: &str) -> Result<Option<Draft>, StoreError>;
    /// Saves the answers of a draft not yet filed; false when there is no such open draft.
    async fn save_draft(&self, token_hash: &str, answers: &IntakeAnswers, now: i64) -> Result<bool, StoreError>;
    /// Files the draft as a case in one transaction (reference, case, answers, first event `déposé`). Filing the
    /// same draft twice returns the first case and creates nothing.
    async fn submit_draft(
        &self,
        token_hash: &str,
        answers: &IntakeAnswers,
        case: &NewCase,
        now: i64,
    ) -> Result<Option<FiledCase>, StoreError>;
    async fn filed_case(&self, token_hash: &str) -> Result<Option<FiledCase>, StoreError>;

    /// The account of a (lower-cased) email, disabled or not.
    async fn account_by_email(&self, email: &str) -> Result<Option<Account>, StoreError>;
    /// Creates an account; false when the email is taken.
    async fn create_account(
        &self,
        email: &str,
        name: &str,
        role: Role,
        password_hash: &str,
        now: i64,
    ) -> Result<bool, StoreError>;
    /// Disables or enables an account; disabling ends its sessions in the same transaction.
    async fn set_account_disabled(&self, account_id: i64, disabled: bool) -> Result<(), StoreError>;
    async fn create_session(
        &self,
        token_hash: &str,
        account_id: i64,
        now: i64,
        expires_at: i64,
    ) -> Result<(), StoreError>;
    /// The account behind a live session of an enabled account.
    async fn session_account(&self, token_hash: &str, now: i64) -> Result<Option<Account>, StoreError>;
    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError>;
    /// Every case, pipeline order then most recent first.
    async fn case_summaries(&self) -> Result<Vec<CaseSummary>, StoreError>;
    async fn case_detail(&self, reference: &str) -> Result<Option<CaseDetail>, StoreError>;
    /// When each case was filed, for assigning cases to periods.
    async fn case_filing_times(&self) -> Result<Vec<i64>, StoreError>;
    /// The relève periods, earliest first.
    async fn periods(&self) -> Result<Vec<Period>, StoreError>;
    async fn create_period(&self, name: &str, starts_at: i64, ends_at: i64, now: i64) -> Result<(), StoreError>;
    /// Moves a case in one transaction: reads it (locked), compares its version, asks `gate`, updates it and
    /// appends the event; then tells the open boards.
    async fn move_case(&self, request: &MoveRequest, gate: Gate<'_>) -> Result<WriteOutcome, StoreError>;
    /// Saves the qualification grid, notes and decision, if the case is still at `expected_version`.
    async fn save_assessment(&self, update: &AssessmentUpdate) -> Result<WriteOutcome, StoreError>;
    /// Adds a comment; false when there is no such case.
    async fn add_comment(&self, reference: &str, author: &str, body: &str, now: i64) -> Result<bool, StoreError>;
    /// Every event of every case, oldest first.
    async fn decision_trail(&self) -> Result<Vec<TrailEntry>, StoreError>;

    /// One page of the published cases matching `query`, with the total.
    async fn search_publications(
        &self,
        query: &crate::domain::catalogue::CatalogueQuery,
    ) -> Result<crate::catalogue::SearchResults, StoreError>;
    /// A published (not withdrawn) case.
    async fn publication(&self, slug: &str) -> Result<Option<crate::catalogue::PublicCaseDetail>, StoreError>;
    /// Every published case, most recent first (open data, feed, sitemap).
    async fn publications(&self) -> Result<Vec<crate::catalogue::PublicCaseDetail>, StoreError>;
    /// Publishes a case (or updates its publication).
    async fn publish(&self, publication: &NewPublication) -> Result<(), StoreError>;
    /// A new draft pre-filled from a published case, recorded as replicating it.
    async fn create_replication_draft(
        &self,
        token_hash: &str,
        answers: &IntakeAnswers,
        slug: &str,
        now: i64,
    ) -> Result<(), StoreError>;
    async fn programme_figures(&self) -> Result<crate::catalogue::ProgrammeFigures, StoreError>;

    /// Everything of stages 3 to 5 of a case: cadrage versions and validations, phase 4 checks and log,
    /// diffusion kit and publication. None when there is no such case.
    async fn follow_up(&self, reference: &str) -> Result<Option<FollowUp>, StoreError>;
    /// Saves a new version of the cadrage document, if the version in force is still `based_on` (0: none).
    /// Done carries the new version's number.
    async fn save_cadrage(&self, save: &CadrageSave) -> Result<WriteOutcome, StoreError>;
    /// Records a party's validation; `check` runs inside the transaction on what is recorded.
    async fn validate_cadrage(
        &self,
        validation: &PartyValidation,
        check: ValidationCheck<'_>,
    ) -> Result<WriteOutcome, StoreError>;
    /// Records (or replaces) the check of a phase 4 condition with its evidence.
    async fn check_condition(
        &self,
        reference: &str,
        check: &ConditionCheck,
        actor: &str,
        now: i64,
    ) -> Result<WriteOutcome, StoreError>;
    /// Appends an entry to the phase 4 log.
    async fn add_log_entry(&self, reference: &str, entry: &LogEntry) -> Result<WriteOutcome, StoreError>;
    /// Saves the diffusion kit, if its revision is still `based_on` (0: none).
    async fn save_kit(
        &self,
        reference: &str,
        based_on: i64,
        kit: &DiffusionKit,
        actor: &str,
        now: i64,
    ) -> Result<WriteOutcome, StoreError>;
    /// Withdraws a published case from the catalogue (its publication is kept, hidden).
    async fn withdraw(&self, reference: &str, actor: &str, now: i64) -> Result<WriteOutcome, StoreError>;
}

/// A saved version of the cadrage document.
#[derive(Clone, Debug, PartialEq)]
pub struct CadrageVersion {
    pub number: i64,
    pub document: CadrageDocument,
    pub author: String,
    pub created_at: i64,
}

/// A party's validation of a version, as recorded.
#[derive(Clone, Debug, PartialEq)]
pub struct PartyValidation {
    pub reference: String,
    pub version: i64,
    pub party: Party,
    /// Who signed for the party.
    pub signatory: String,
    /// The team member who recorded it.
    pub recorded_by: String,
    pub at: i64,
}

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

/// The diffusion kit as saved, with its revision.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredKit {
    pub kit: DiffusionKit,
    pub revision: i64,
    pub updated_by: String,
    pub updated_at: i64,
}

/// The publication of a case in the catalogue.
#[derive(Clone, Debug, PartialEq)]
pub struct PublicationState {
    pub slug: String,
    pub published_at: i64,
    pub withdrawn_at: Option<i64>,
}

/// Stages 3 to 5 of a case.
#[derive(Clone, Debug, PartialEq)]
pub struct FollowUp {
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

impl FollowUp {
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

/// A new version of the cadrage document.
#[derive(Clone, Debug, PartialEq)]
pub struct CadrageSave {
    pub reference: String,
    /// The version in force the author started from (0 when there was none).
    pub based_on: i64,
    pub document: CadrageDocument,
    pub actor: String,
    pub now: i64,
}

/// The rule a validation passes, called inside its transaction with the version in force and what is recorded.
pub type ValidationCheck<'a> = &'a (dyn Fn(Option<i64>, &[RecordedValidation]) -> Result<(), String> + Send + Sync);

/// What the team publishes of a case: the public summary, the diffusion kit and the collectivité's public facts.
#[derive(Clone, Debug, PartialEq)]
pub struct NewPublication {
    pub reference: String,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub problem: String,
    pub solution: String,
    pub documentation: String,
    pub videos: Vec<crate::catalogue::Video>,
    pub supports: Vec<crate::catalogue::Support>,
    pub contact: String,
    pub hosting: String,
    pub collectivite_code: String,
    pub collectivite_siren: String,
    pub population: Option<i64>,
    pub typologie: String,
    pub agents_measured: Option<i64>,
    pub hours_measured: Option<i64>,
    pub now: i64,
    /// Who published (recorded in the case's history).
    pub actor: String,
}

/// The store as the server functions receive it (a Leptos context).
pub type SharedStore = Arc<dyn Store>;
