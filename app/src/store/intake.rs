//! What the intake asks of persistence: drafts behind their token hash, and filing one as a case.

use super::outcome::StoreError;
use crate::domain::collectivites::Collectivite;
use crate::domain::email::CollectiviteNotice;
use crate::domain::intake::IntakeAnswers;
use crate::domain::stage::Stage;

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
    /// Incremented by every save (optimistic locking of the autosave).
    pub version: i64,
    /// The version at which each step was last saved, and by which tab.
    pub step_versions: crate::domain::intake::StepVersions,
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
    /// The contact's address, lower-case (the "lien perdu" form finds cases by it).
    pub contact_email: String,
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
            contact_email: answers.get("contact_email").trim().to_lowercase(),
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

/// The operations of the intake on the database. Token hashes identify drafts; the token itself never reaches
/// the database.
#[async_trait::async_trait]
pub trait IntakeStore: Send + Sync {
    async fn create_draft(&self, token_hash: &str, now: i64) -> Result<(), StoreError>;
    async fn load_draft(&self, token_hash: &str) -> Result<Option<Draft>, StoreError>;
    /// Saves the answers of a draft not yet filed; false when there is no such open draft.
    async fn save_draft(&self, token_hash: &str, answers: &IntakeAnswers, now: i64) -> Result<bool, StoreError>;
    /// Saves the answers after a change of `step`, if the draft is still at `read.version` (the draft as the
    /// caller read it, whose step versions it extends): the new version, or None when another save came first
    /// (read it again and merge) or there is no such open draft. One statement: every save bumps the version,
    /// so a draft still at `read.version` still has the step versions read with it.
    async fn save_draft_step(
        &self,
        token_hash: &str,
        answers: &IntakeAnswers,
        step: i32,
        tab: &str,
        read: &Draft,
        now: i64,
    ) -> Result<Option<i64>, StoreError>;
    /// Files the draft as a case in one transaction (reference, case, answers, first event `déposé`, its token
    /// kept as the first follow-up link, the documents of the draft and the receipt `notice`). Filing the same
    /// draft twice returns the first case and creates nothing.
    async fn submit_draft(
        &self,
        token_hash: &str,
        answers: &IntakeAnswers,
        case: &NewCase,
        notice: Option<&CollectiviteNotice>,
        now: i64,
    ) -> Result<Option<FiledCase>, StoreError>;
    async fn filed_case(&self, token_hash: &str) -> Result<Option<FiledCase>, StoreError>;
    /// The answers of the case filed behind a follow-up link (for its attestation de dépôt).
    async fn filed_answers(&self, token_hash: &str) -> Result<Option<IntakeAnswers>, StoreError>;
}
