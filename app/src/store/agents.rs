//! What the collectivité's space asks of persistence: the agents ProConnect let in (one per identity and
//! collectivité), their sessions (with the ID token their logout needs), and the cases of a collectivité.

use super::outcome::StoreError;
use crate::domain::access::{VisibleCase, VisibleDraft};
use crate::domain::email::Email;
use crate::domain::intake::IntakeAnswers;
use crate::model::agents::{CaseContact, Colleague, PendingTransfer, SentInvitation, SpaceCase, SpaceDraft};

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

/// A draft an agent starts in their collectivité's space, reached by the private link whose hash is here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharedDraft {
    pub token_hash: String,
    pub answers: IntakeAnswers,
    /// `kind:code`: the collectivité whose agents may continue it.
    pub collectivite_key: String,
    pub agent_id: i64,
    pub now: i64,
}

/// A colleague proposed as a case's contact, and the email telling them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransferProposal {
    pub to_agent_id: i64,
    pub proposed_by: i64,
    pub email: Email,
    pub now: i64,
}

/// The proposed colleague's answer to a transfer and, when accepted, who they are (the new contact), what the
/// history says and the emails to the new and former contacts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransferDecision {
    pub transfer_id: i64,
    pub agent_id: i64,
    pub accept: bool,
    pub name: String,
    pub email: String,
    pub actor: String,
    pub detail: String,
    pub emails: Vec<Email>,
    pub now: i64,
}

/// A colleague an agent invites to the space, and the email inviting them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColleagueInvitation {
    pub collectivite_key: String,
    pub email: Email,
    pub invited_by: i64,
    pub now: i64,
}

/// A case filed by link that an agent attaches to their collectivité's space, and what its history says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseAttachment {
    pub agent_id: i64,
    /// The agent's collectivité (`kind:code`): the case must have been filed for it.
    pub collectivite_key: String,
    pub actor: String,
    pub detail: String,
    pub now: i64,
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
    /// The references of the cases attached to a collectivité's space (`kind:code`): what its agents may see.
    async fn collectivite_references(&self, collectivite_key: &str) -> Result<Vec<String>, StoreError>;
    /// The cases attached to a collectivité's space, the most recently filed first.
    async fn collectivite_cases(&self, collectivite_key: &str) -> Result<Vec<SpaceCase>, StoreError>;
    /// How many cases were filed by private link for a collectivité and not yet attached to its space.
    async fn unattached_count(&self, collectivite_key: &str) -> Result<i64, StoreError>;
    /// The collectivité (`kind:code`) a case was filed for, and whether it is attached to its space.
    async fn case_attachment(&self, case: &VisibleCase) -> Result<Option<(String, bool)>, StoreError>;
    /// Attaches a case filed for the agent's collectivité to its space, with its line of history, in one
    /// transaction; false when it was not filed for it or was attached meanwhile.
    async fn attach_case(&self, case: &VisibleCase, attachment: &CaseAttachment) -> Result<bool, StoreError>;
    /// Starts a draft in a collectivité's space.
    async fn start_shared_draft(&self, draft: &SharedDraft) -> Result<(), StoreError>;
    /// The drafts started in the space of a collectivité and not yet filed, the most recently saved first.
    async fn collectivite_drafts(&self, collectivite_key: &str) -> Result<Vec<SpaceDraft>, StoreError>;
    /// The collectivité (`kind:code`) of a draft started in a space and not yet filed.
    async fn shared_draft_collectivite(&self, id: i64) -> Result<Option<String>, StoreError>;
    /// A new private link of a shared draft for the agent who continues it; None once the draft is filed.
    async fn issue_draft_link(
        &self,
        draft: &VisibleDraft,
        agent_id: i64,
        now: i64,
    ) -> Result<Option<String>, StoreError>;
    /// The agents of a collectivité who signed in to its space, by name.
    async fn colleagues(&self, collectivite_key: &str) -> Result<Vec<Colleague>, StoreError>;
    /// The contact of a case and a transfer awaiting its answer.
    async fn case_contact(&self, case: &VisibleCase) -> Result<Option<CaseContact>, StoreError>;
    /// Proposes a colleague as the case's contact (replacing a pending proposal), their email queued with it.
    async fn propose_transfer(&self, case: &VisibleCase, proposal: &TransferProposal) -> Result<bool, StoreError>;
    /// The transfers proposed to an agent and awaiting their answer.
    async fn transfers_for(&self, agent_id: i64) -> Result<Vec<PendingTransfer>, StoreError>;
    /// Records the proposed agent's answer; when accepted, the case's contact changes, its history says so and
    /// the emails are queued, in one transaction. False when no such pending transfer is theirs.
    async fn decide_transfer(&self, case: &VisibleCase, decision: &TransferDecision) -> Result<bool, StoreError>;
    /// How many colleagues an agent invited since `since`.
    async fn invitations_sent_since(&self, agent_id: i64, since: i64) -> Result<i64, StoreError>;
    /// Records an invitation and queues its email, in one transaction.
    async fn invite_colleague(&self, invitation: &ColleagueInvitation) -> Result<(), StoreError>;
    /// The invitations to a collectivité's space, the most recent first (one per address).
    async fn invitations(&self, collectivite_key: &str) -> Result<Vec<SentInvitation>, StoreError>;
    /// Deletes the agents' sessions expired before `before`; how many.
    async fn purge_agent_sessions(&self, before: i64) -> Result<u64, StoreError>;
}
