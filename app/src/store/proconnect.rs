//! What ProConnect sign-in asks of persistence: the sign-ins started (each `state` usable once), the identity a
//! team account is linked to, and the sessions it opens (with the ID token their logout needs).

use super::accounts::{Account, NewSession};
use super::outcome::StoreError;

/// A sign-in started at ProConnect, kept under its `state`'s hash until it returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StartedSignIn {
    pub nonce: String,
    /// The page to return to once signed in (a team page of this site, checked when it was asked).
    pub return_to: String,
    pub created_at: i64,
    /// The space it was started for.
    pub space: crate::domain::proconnect::Space,
}

/// The agent as ProConnect vouched for them, as the store links it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkedIdentity {
    pub issuer: String,
    pub subject: String,
    /// Lower-cased.
    pub email: String,
    pub address: String,
    pub now: i64,
}

/// Which team account a ProConnect identity opens.
#[derive(Clone, Debug, PartialEq)]
pub enum MemberMatch {
    /// The account linked to this identity (or, the first time, invited with its email: now linked).
    Member(Account),
    /// That account is disabled.
    Disabled,
    /// No account is linked to it nor open for its email (or that account is linked to another identity).
    Unknown,
}

#[async_trait::async_trait]
pub trait ProConnectStore: Send + Sync {
    /// Keeps a sign-in started, under the hash of its `state`.
    async fn start_proconnect(&self, state_hash: &str, started: &StartedSignIn) -> Result<(), StoreError>;
    /// Takes the sign-in of a `state`, once: none when unknown or already taken (expiry is the caller's).
    async fn take_proconnect(&self, state_hash: &str) -> Result<Option<StartedSignIn>, StoreError>;
    /// The team account of an identity: the one linked to (issuer, subject); the first time, the account open
    /// for its email and linked to no identity of that issuer, linked now with its line in the authentication
    /// log, in one transaction.
    async fn proconnect_member(&self, identity: &LinkedIdentity) -> Result<MemberMatch, StoreError>;
    /// Opens a session signed in with ProConnect, keeping its ID token and level of assurance.
    async fn create_proconnect_session(
        &self,
        session: &NewSession,
        id_token: &str,
        acr: &str,
    ) -> Result<(), StoreError>;
    /// Ends a session; the ID token it was opened with, when it was opened with ProConnect (for its logout).
    async fn end_session_for_logout(&self, token_hash: &str) -> Result<Option<String>, StoreError>;
    /// Deletes the sign-ins started before `before` and never finished; how many.
    async fn purge_proconnect(&self, before: i64) -> Result<u64, StoreError>;
}
