//! What the server functions need from persistence, declared here and implemented with SQL in `server/`, so that
//! `app` holds no SQL and can be tested against both databases through one interface.

use std::sync::Arc;

use crate::domain::auth::Role;
use crate::domain::collectivites::Collectivite;
use crate::domain::intake::IntakeAnswers;
use crate::domain::qualification::Period;
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
}

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
}

/// The store as the server functions receive it (a Leptos context).
pub type SharedStore = Arc<dyn Store>;
