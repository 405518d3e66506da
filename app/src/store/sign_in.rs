//! What the password sign-in policy asks of persistence: the roles an administrator turned passwords off for
//! (ProConnect only), and the one break-glass administrator who keeps their password.

use super::accounts::AuthEntry;
use super::outcome::StoreError;
use crate::domain::auth::Role;

/// A role whose members no longer sign in with a password: since when, decided by whom.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleOff {
    pub role: Role,
    pub since: i64,
    pub decided_by: String,
}

/// The administrator whose password keeps working whatever is decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BreakGlass {
    pub account_id: i64,
    pub name: String,
    pub email: String,
}

/// The password sign-in policy in force.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PasswordPolicy {
    pub off: Vec<RoleOff>,
    pub break_glass: Option<BreakGlass>,
}

impl PasswordPolicy {
    /// The roles passwords are off for.
    pub fn off_roles(&self) -> Vec<Role> {
        self.off.iter().map(|off| off.role).collect()
    }

    /// Whether `account_id` is the break-glass administrator.
    pub fn is_break_glass(&self, account_id: i64) -> bool {
        self.break_glass.as_ref().is_some_and(|b| b.account_id == account_id)
    }
}

#[async_trait::async_trait]
pub trait SignInStore: Send + Sync {
    /// The policy in force.
    async fn password_policy(&self) -> Result<PasswordPolicy, StoreError>;
    /// Turns passwords off (`off`) or back on for `role`, with its line of the authentication log, in one
    /// transaction.
    async fn set_password_sign_in(&self, role: Role, off: bool, entry: &AuthEntry) -> Result<(), StoreError>;
    /// Names the break-glass administrator (the previous one no longer is), with its line of the log, in one
    /// transaction; false when `account_id` is no active administrator.
    async fn name_break_glass(&self, account_id: i64, entry: &AuthEntry) -> Result<bool, StoreError>;
    /// Tells a member whose role signs in with ProConnect only, who asked for a new password, how to sign in
    /// instead: the email queued with its line of the log, in one transaction.
    async fn tell_proconnect_only(
        &self,
        message: &crate::domain::email::Email,
        entry: &AuthEntry,
    ) -> Result<(), StoreError>;
}
