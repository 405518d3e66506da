//! What accounts and sessions ask of persistence.

use super::outcome::StoreError;
use crate::domain::accounts::{AuthEvent, TokenPurpose};
use crate::domain::auth::Role;
use crate::domain::email::Email;

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

/// An account as the administrators list it.
#[derive(Clone, Debug, PartialEq)]
pub struct AccountLine {
    pub account: Account,
    pub last_sign_in_at: Option<i64>,
    /// Whether the invitation was accepted (a password chosen, or a ProConnect sign-in).
    pub accepted: bool,
}

/// A new member invited by an administrator (or an invitation sent again).
#[derive(Clone, Debug, PartialEq)]
pub struct Invitation {
    pub email: String,
    pub name: String,
    pub role: Role,
    /// The hash of the one-time link's token.
    pub token_hash: String,
    pub expires_at: i64,
    /// The email carrying the link, queued in the same transaction.
    pub message: Email,
    pub actor: String,
    pub address: String,
    pub now: i64,
}

/// How an invitation ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InviteOutcome {
    /// The account exists (or was created) without a password; the link was sent.
    Sent,
    /// The email belongs to a member who already chose a password.
    AlreadyMember,
}

/// A session being opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewSession {
    pub token_hash: String,
    pub account_id: i64,
    pub now: i64,
    pub expires_at: i64,
    pub address: String,
    pub user_agent: String,
}

/// A live session of a member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionLine {
    pub token_hash: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub address: String,
    pub user_agent: String,
}

/// A line of the authentication log.
#[derive(Clone, Debug, PartialEq)]
pub struct AuthEntry {
    pub kind: AuthEvent,
    /// The account the event is about.
    pub email: String,
    /// Who did it (the member themselves, or an administrator).
    pub actor: String,
    pub address: String,
    pub at: i64,
    /// What changed, when the kind alone does not say it (the new role, the régions, the case given or taken).
    pub detail: String,
}

impl AuthEntry {
    /// A line written by the server itself (the demonstration's set-up), not by a person.
    pub fn by_system(kind: AuthEvent, email: &str, at: i64) -> AuthEntry {
        AuthEntry {
            kind,
            email: email.to_string(),
            actor: "système".into(),
            address: String::new(),
            at,
            detail: String::new(),
        }
    }
}

/// Accounts of the programme team and their server-side sessions.
/// Why a session is read: a person's request keeps it alive; the live stream's periodic check does not, so
/// that an idle tab still reaches the idle delay.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionUse {
    Request,
    Recheck,
}

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
    async fn create_session(&self, session: &NewSession) -> Result<(), StoreError>;
    /// The account behind a live session of an enabled account (not expired, used within the idle delay); a
    /// person's request (`SessionUse::Request`) records the activity, a check of the server's own does not.
    async fn session_account(
        &self,
        token_hash: &str,
        now: i64,
        used: SessionUse,
    ) -> Result<Option<Account>, StoreError>;
    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError>;

    /// Counts one more attempt under `key` in its window, atomically (parallel attempts each get their own
    /// count): a window that started `window` seconds or more before `now` starts again. Returns the count,
    /// this attempt included.
    async fn count_attempt(&self, key: &str, now: i64, window: i64) -> Result<i64, StoreError>;
    /// Takes back one attempt counted under `key` (it was not a failure).
    async fn forget_attempt(&self, key: &str) -> Result<(), StoreError>;
    /// Forgets every attempt counted under `key` (a successful sign-in clears its account).
    async fn clear_attempts(&self, key: &str) -> Result<(), StoreError>;
    /// Deletes the counts of windows that started before `before`; returns how many.
    async fn purge_attempts(&self, before: i64) -> Result<u64, StoreError>;

    /// Every account, by name.
    async fn accounts(&self) -> Result<Vec<AccountLine>, StoreError>;
    async fn account_by_id(&self, id: i64) -> Result<Option<Account>, StoreError>;
    /// Creates the account of an invited member without a password (or renews the invitation of one who never
    /// chose it), stores the link's hash, queues the email and logs it, in one transaction.
    async fn invite(&self, invitation: &Invitation) -> Result<InviteOutcome, StoreError>;
    /// Stores a forgotten-password link of `account_id`, queues its email and logs it, in one transaction.
    async fn request_reset(
        &self,
        account_id: i64,
        token_hash: &str,
        expires_at: i64,
        message: &Email,
        address: &str,
        now: i64,
    ) -> Result<(), StoreError>;
    /// The enabled account a valid, unused link of `purpose` opens.
    async fn token_account(
        &self,
        token_hash: &str,
        purpose: TokenPurpose,
        now: i64,
    ) -> Result<Option<Account>, StoreError>;
    /// Sets the password of the account a valid, unused link of `purpose` opens, uses the link, ends every
    /// session of the account and logs it, in one transaction; None when the link is unknown, used or expired.
    async fn redeem_token(
        &self,
        token_hash: &str,
        purpose: TokenPurpose,
        password_hash: &str,
        address: &str,
        now: i64,
    ) -> Result<Option<Account>, StoreError>;
    /// Changes a member's password and ends their other sessions (all but `kept_session`), in one transaction.
    async fn change_password(
        &self,
        account_id: i64,
        password_hash: &str,
        kept_session: &str,
        address: &str,
        now: i64,
    ) -> Result<(), StoreError>;
    /// Changes an account's role, with its line of the authentication log in the same transaction; false when
    /// there is no such account.
    async fn set_role(&self, account_id: i64, role: Role, log: &AuthEntry) -> Result<bool, StoreError>;
    /// Records that an account signed in now.
    async fn record_sign_in(&self, account_id: i64, now: i64) -> Result<(), StoreError>;
    async fn log_auth_event(&self, entry: &AuthEntry) -> Result<(), StoreError>;
    /// The most recent lines of the authentication log, newest first.
    async fn auth_log(&self, limit: i64) -> Result<Vec<AuthEntry>, StoreError>;
    /// The live sessions of an account, most recent activity first.
    async fn account_sessions(&self, account_id: i64, now: i64) -> Result<Vec<SessionLine>, StoreError>;
    /// Ends every session of an account.
    async fn end_sessions(&self, account_id: i64) -> Result<(), StoreError>;
    /// Deletes the sessions that expired or went idle; returns how many.
    async fn purge_sessions(&self, now: i64) -> Result<u64, StoreError>;
    /// The régions (official names) attached to an account, for a direction régionale.
    async fn account_regions(&self, account_id: i64) -> Result<Vec<String>, StoreError>;
    /// Replaces the régions attached to an account, with its line of the authentication log, in one transaction.
    async fn set_account_regions(&self, account_id: i64, regions: &[String], log: &AuthEntry)
        -> Result<(), StoreError>;
}
