//! The wire type of the signed-in account.

use serde::{Deserialize, Serialize};

use crate::domain::auth::Role;

/// The signed-in account as pages see it (never the password hash).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub name: String,
    pub email: String,
    pub role: Role,
}

/// What an administrator decides of password sign-in: turned off for a role (ProConnect only), or back on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PasswordChoice {
    #[serde(rename = "desactiver")]
    Off,
    #[serde(rename = "autoriser")]
    On,
}

/// Password sign-in for one role: off since when and by whom, or allowed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RolePasswordView {
    pub role: Role,
    /// When and by whom passwords were turned off; none while they are allowed.
    pub off: Option<(i64, String)>,
}

/// The password sign-in policy, as the administrators set it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordPolicyView {
    /// ProConnect is offered on this service (passwords may go off only then).
    pub proconnect: bool,
    pub roles: Vec<RolePasswordView>,
    /// The break-glass administrator (name and email), who keeps their password.
    pub break_glass: Option<String>,
    /// The active administrators with a password: who may be named break-glass (id, name and email).
    pub admins: Vec<(i64, String)>,
}
