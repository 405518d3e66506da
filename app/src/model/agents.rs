//! The wire types of the collectivité's space: the signed-in agent, the cases and the shared drafts of their
//! collectivité.

use serde::{Deserialize, Serialize};

use crate::domain::access::OfCase;
use crate::domain::stage::Stage;

/// One case of a collectivité, as its space lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpaceCase {
    pub reference: String,
    pub title: String,
    pub stage: Stage,
    pub region: String,
    pub filed_at: i64,
    /// Messages of the team written since the collectivité's last message.
    pub unanswered: i64,
}

impl OfCase for SpaceCase {
    fn case_reference(&self) -> &str {
        &self.reference
    }
    fn case_region(&self) -> &str {
        &self.region
    }
}

/// A draft started in the collectivité's space, which any of its agents may continue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpaceDraft {
    pub id: i64,
    /// The title typed so far (empty before step 2).
    pub title: String,
    /// Who started it (first name and usual name).
    pub started_by: String,
    pub updated_at: i64,
}

/// An agent of the collectivité who signed in to its space: who a case's contact may be handed to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Colleague {
    pub id: i64,
    /// First name and usual name.
    pub name: String,
    pub email: String,
}

/// A case whose contact a colleague proposed to hand to the signed-in agent, awaiting their answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingTransfer {
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub proposed_by: String,
    /// Who proposed it, told by email if the transfer is declined.
    pub proposed_by_email: String,
    pub proposed_at: i64,
}

/// The agent's answer to a proposed transfer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TransferAnswer {
    #[serde(rename = "accepter")]
    Accept,
    #[serde(rename = "refuser")]
    Decline,
}

/// The contact of a case, and the colleague a transfer was proposed to, while they have not answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseContact {
    pub name: String,
    pub email: String,
    /// The colleague (name) and when, of a transfer awaiting its answer.
    pub pending: Option<(String, i64)>,
}

/// A colleague invited to the space by email, and whether they signed in since.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentInvitation {
    pub email: String,
    pub invited_by: String,
    pub at: i64,
    pub joined: bool,
}

/// The space of a collectivité, as its signed-in agent sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpaceView {
    /// First name and usual name.
    pub agent_name: String,
    pub agent_email: String,
    pub collectivite_name: String,
    /// How ProConnect identified the agent (`eidas1`…), in French.
    pub assurance: String,
    pub cases: Vec<SpaceCase>,
    /// How many cases were filed by private link for the collectivité and are not yet attached to its space.
    pub unattached: i64,
    /// The drafts started in the space and not yet filed, the most recently saved first.
    pub drafts: Vec<SpaceDraft>,
    /// The cases colleagues proposed to hand to this agent as contact, awaiting an answer.
    pub transfers: Vec<PendingTransfer>,
    /// The collectivité's agents who signed in to the space, and the colleagues invited who have not yet.
    pub colleagues: Vec<Colleague>,
    pub invitations: Vec<SentInvitation>,
    /// How the agent chose to hear of the cases by email.
    pub notices: crate::domain::notices::NoticeChoice,
}

/// The cadrage of a case of the collectivité, as its agent reads and validates it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentCadrageView {
    pub reference: String,
    pub title: String,
    pub collectivite_name: String,
    /// The version in force, 0 before the team saved the first one.
    pub current: i64,
    /// The document in force (empty before the first version).
    pub sections: Vec<crate::model::cadrage::SectionView>,
    /// The three parties and their validation of the version in force.
    pub parties: Vec<crate::model::cadrage::PartyView>,
    /// The collectivité may validate the version in force now (it has not yet).
    pub can_validate: bool,
}

/// A case of the collectivité as its agent follows it: where it stands and its thread with the team.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgentCaseView {
    pub reference: String,
    pub title: String,
    pub stage: Stage,
    pub collectivite_name: String,
    /// The messages, the documents and the emails sent to the case's contact.
    pub thread: crate::model::messages::ThreadView,
    /// Its contact (who the team writes to), and a transfer awaiting its answer.
    pub contact: CaseContact,
    /// The agents of the collectivité the contact may be handed to (not the contact).
    pub colleagues: Vec<Colleague>,
}
