//! What accounts and sessions ask of persistence.

use super::outcome::StoreError;
use crate::domain::auth::Role;

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

/// Accounts of the programme team and their server-side sessions.
#[async_trait::async_trait]
pub trait AccountStore: Send + Sync {
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
}
