//! What stages 3 to 5 (the project the IA Factory carries) ask of persistence: cadrage versions and the
//! parties' validations, phase 4 checks and log, the diffusion kit and the publication state.

use super::outcome::{StoreError, WriteOutcome};
use crate::domain::access::VisibleCase;
use crate::domain::cadrage::{CadrageDocument, ConditionCheck, Party, RecordedValidation};
use crate::domain::diffusion::DiffusionKit;

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
    pub case: VisibleCase,
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

/// A new version of the cadrage document.
#[derive(Clone, Debug, PartialEq)]
pub struct CadrageSave {
    pub case: VisibleCase,
    /// The version in force the author started from (0 when there was none).
    pub based_on: i64,
    pub document: CadrageDocument,
    pub actor: String,
    /// What the collectivité is told (a version ready to validate).
    pub notice: Option<crate::domain::email::CollectiviteNotice>,
    pub now: i64,
}

/// Stages 3 to 5 of a case.
#[async_trait::async_trait]
pub trait ProjectStore: Send + Sync {
    /// Everything of stages 3 to 5 of a case: cadrage versions and validations, phase 4 checks and log,
    /// diffusion kit and publication. None when there is no such case.
    async fn project(&self, case: &VisibleCase) -> Result<Option<Project>, StoreError>;
    /// Saves a new version of the cadrage document, if the version in force is still `based_on` (0: none).
    /// Done carries the new version's number.
    async fn save_cadrage(&self, save: &CadrageSave) -> Result<WriteOutcome, StoreError>;
    /// Records a party's validation if `gates::check` lets it, inside the transaction, on what is recorded.
    async fn validate_cadrage(&self, validation: &PartyValidation) -> Result<WriteOutcome, StoreError>;
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
    /// Saves the diffusion kit, if its revision is still `based_on` (0: none).
    async fn save_kit(
        &self,
        case: &VisibleCase,
        based_on: i64,
        kit: &DiffusionKit,
        actor: &str,
        now: i64,
    ) -> Result<WriteOutcome, StoreError>;
    /// Withdraws a published case from the catalogue (its publication is kept, hidden).
    async fn withdraw(&self, case: &VisibleCase, actor: &str, now: i64) -> Result<WriteOutcome, StoreError>;
}
