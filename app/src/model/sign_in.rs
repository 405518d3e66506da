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
