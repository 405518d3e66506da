//! The wire types of the collectivité's space: the signed-in agent and the cases of their collectivité.

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
}
