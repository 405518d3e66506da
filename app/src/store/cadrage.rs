//! What the cadrage (stage 3) asks of persistence: the versions of the tripartite document and the parties'
//! validations.

use super::outcome::{StoreError, WriteOutcome};
use crate::domain::access::VisibleCase;
use crate::domain::cadrage::{CadrageDocument, Party};

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
    /// The team member who recorded it, or the agent who gave it.
    pub recorded_by: String,
    /// How the signatory was identified.
    pub identification: crate::domain::cadrage::Identification,
    pub at: i64,
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

/// A party's validation of the version in force of a case at the cadrage stage, as the board shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidationInForce {
    pub reference: String,
    pub party: Party,
    pub signatory: String,
    pub recorded_by: String,
    pub identification: crate::domain::cadrage::Identification,
}

/// The cadrage of a case.
#[async_trait::async_trait]
pub trait CadrageStore: Send + Sync {
    /// Saves a new version of the cadrage document, if the version in force is still `based_on` (0: none).
    /// Done carries the new version's number.
    async fn save_cadrage(&self, save: &CadrageSave) -> Result<WriteOutcome, StoreError>;
    /// Records a party's validation if `gates::check` lets it, inside the transaction, on what is recorded.
    async fn validate_cadrage(&self, validation: &PartyValidation) -> Result<WriteOutcome, StoreError>;
    /// The validations of the version in force of every case at the cadrage stage (the board filters them with
    /// its cards).
    async fn validations_in_force(&self) -> Result<Vec<ValidationInForce>, StoreError>;
}
