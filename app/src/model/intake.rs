//! The wire types of the intake: a draft as a wizard step shows it, a filed case, a collectivité choice.

use serde::{Deserialize, Serialize};

use crate::domain::collectivites::Collectivite;
use crate::domain::intake::{FieldError, IntakeAnswers};
use crate::domain::stage::Stage;

/// A collectivité as the wizard shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectiviteChoice {
    pub key: String,
    pub name: String,
    pub description: String,
}

impl CollectiviteChoice {
    /// A collectivité of the official list as the wizard shows it.
    pub fn of(collectivite: &Collectivite) -> CollectiviteChoice {
        CollectiviteChoice {
            key: collectivite.key(),
            name: collectivite.name.clone(),
            description: collectivite.description(),
        }
    }
}

/// A draft as one step of the wizard needs it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DraftView {
    pub answers: IntakeAnswers,
    /// The errors of the requested step, checked by the server against the official list.
    pub errors: Vec<FieldError>,
    /// Errors of every step (steps 1–5), for the summary before "Déposer".
    pub errors_by_step: Vec<(i32, Vec<FieldError>)>,
    pub collectivite: Option<CollectiviteChoice>,
    pub updated_at: i64,
    /// Set when the draft is already filed.
    pub case_reference: Option<String>,
    /// The published case this intake replicates (its catalogue slug and title).
    pub replicates: Option<(String, String)>,
    /// The site's address as the person reached it, to show private links in full.
    pub origin: String,
    /// The draft's version, sent back with each autosave.
    pub version: i64,
    /// On the screen after the need (step 3): the cases close to it.
    pub similar: Option<crate::model::similar::SimilarForCollectivite>,
}

/// An autosave done: when, and the draft's new version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftSaved {
    pub at: i64,
    pub version: i64,
}

/// A part of a wizard step that follows what the person types (the collectivité search's results, the close
/// cases, the AI Act pre-assessment), rendered by the server for the browser to put in place: the step's
/// WebAssembly holds none of these views.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepFragment {
    /// The part's HTML, rendered (and escaped) by the server.
    pub html: String,
    /// What the part's polite live region says of it (empty: nothing to say).
    pub announce: String,
}

/// Which part of a step the browser asks the server for (`endpoints::intake::partie_etape`), from the step's
/// fields as typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepPart {
    /// Step 1: the collectivités matching the search (`recherche`), the one chosen (`collectivite`) kept first.
    Collectivites,
    /// Step 2: the published cases close to the need (`titre`, `probleme`, `solution`) and the count of others.
    CasProches,
    /// Step 5: the AI Act pre-assessment of the step's answers.
    PreEvaluation,
}

/// A filed case, for the receipt and the follow-up page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FiledCaseView {
    pub origin: String,
    /// The relève period that will examine the case (name, first day, last day), when one is planned.
    pub review_period: Option<(String, i64, i64)>,
    pub reference: String,
    pub title: String,
    pub collectivite_name: String,
    pub stage: Stage,
    pub filed_at: i64,
    pub updated_at: i64,
}
