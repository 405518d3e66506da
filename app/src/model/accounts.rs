//! The wire types of team administration: the members as administrators list them, a one-time link's
//! account, the authentication log and the emails sent.

use serde::{Deserialize, Serialize};

use crate::domain::accounts::{AccountState, TokenPurpose};
use crate::domain::auth::Role;

/// A member of the team in the administrators' list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberLine {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub state: AccountState,
    pub last_sign_in_at: Option<i64>,
    /// The régions of a direction régionale.
    pub regions: Vec<String>,
    /// The signed-in administrator themselves (who may not disable or demote themselves).
    pub is_me: bool,
}

/// Whom a one-time link opens, for its page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkView {
    pub name: String,
    pub email: String,
    pub purpose: TokenPurpose,
}

/// A line of the authentication log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthLine {
    pub what: String,
    pub email: String,
    pub actor: String,
    pub address: String,
    pub at: i64,
    pub detail: String,
}

/// An email of the outbox, for administrators.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailLine {
    pub message_id: String,
    pub recipient: String,
    pub subject: String,
    pub text: String,
    pub created_at: i64,
    pub sent_at: Option<i64>,
    pub attempts: i64,
    pub last_error: String,
    /// Sent on its own, waiting, or held for a daily digest.
    pub delivery: crate::domain::notices::Delivery,
}

/// A live session of the signed-in member.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    pub opened_at: i64,
    pub last_seen_at: i64,
    pub address: String,
    pub browser: String,
    /// The session of this very request.
    pub current: bool,
}
