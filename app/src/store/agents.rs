//! What the collectivité's space asks of persistence: the agents ProConnect let in (one per identity and
//! collectivité), their sessions (with the ID token their logout needs), and the cases of a collectivité.

use super::outcome::StoreError;
use crate::model::agents::SpaceCase;

/// An agent as ProConnect vouched for them at sign-in, for the collectivité they chose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgentIdentity {
    pub issuer: String,
    pub subject: String,
    /// Lower-cased.
    pub email: String,
    pub given_name: String,
    pub usual_name: String,
    pub siren: String,
    /// `kind:code` of the official list.
    pub collectivite_key: String,
    pub collectivite_name: String,
    pub now: i64,
}

/// A signed-in agent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Agent {
    pub id: i64,
    pub email: String,
    pub given_name: String,
    pub usual_name: String,
    pub collectivite_key: String,
    pub collectivite_name: String,
    /// The level of assurance of this session (`eidas1`…) and the identity provider ProConnect used.
    pub acr: String,
    pub idp_id: String,
}

impl Agent {
    /// First name and usual name, as the pages greet them.
    pub fn name(&self) -> String {
        format!("{} {}", self.given_name, self.usual_name).trim().to_string()
    }
}

/// A session opened for an agent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAgentSession {
    pub token_hash: String,
    pub agent_id: i64,
    pub id_token: String,
    pub acr: String,
    pub idp_id: String,
    pub now: i64,
    pub expires_at: i64,
}

#[async_trait::async_trait]
pub trait AgentStore: Send + Sync {
    /// The agent of an identity for a collectivité: created the first time, its names and email refreshed
    /// after; its id.
    async fn agent_signed_in(&self, identity: &AgentIdentity) -> Result<i64, StoreError>;
    /// Opens an agent's session.
    async fn create_agent_session(&self, session: &NewAgentSession) -> Result<(), StoreError>;
    /// The agent of a live session (by its token's hash) at `now`.
    async fn agent_of_session(&self, token_hash: &str, now: i64) -> Result<Option<Agent>, StoreError>;
    /// Ends an agent's session; its ID token (for ProConnect's logout), if it existed.
    async fn end_agent_session(&self, token_hash: &str) -> Result<Option<String>, StoreError>;
    /// The references of the cases of a collectivité (`kind:code`): what its agents may see.
    async fn collectivite_references(&self, collectivite_key: &str) -> Result<Vec<String>, StoreError>;
    /// The cases of a collectivité, the most recently filed first.
    async fn collectivite_cases(&self, collectivite_key: &str) -> Result<Vec<SpaceCase>, StoreError>;
    /// Deletes the agents' sessions expired before `before`; how many.
    async fn purge_agent_sessions(&self, before: i64) -> Result<u64, StoreError>;
}
