//! The wire types of stages 3 to 5 (the project the IA Factory carries): the cadrage document and its
//! versions, the phase 4 conditions and log, the diffusion kit, and the case page's summary of them.

use serde::{Deserialize, Serialize};

use crate::domain::stage::Stage;

/// A field of the cadrage document as a form or the print view shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldView {
    pub key: String,
    pub label: String,
    pub hint: String,
    /// `text`, `long`, `lines`, `integer`, `date` or `choice`.
    pub kind: String,
    pub min: i64,
    pub max: i64,
    pub required: bool,
    /// (code, label) of a choice.
    pub options: Vec<(String, String)>,
    pub value: String,
    /// The value as a person reads it (a choice's label, a date in words).
    pub display: String,
}

/// A titled group of fields.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionView {
    pub title: String,
    pub fields: Vec<FieldView>,
}

/// A saved version, listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionView {
    pub number: i64,
    pub author: String,
    pub at: i64,
    /// How many of the three parties validated it.
    pub validations: i64,
}

/// A party's validation of the version in force.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyView {
    pub code: String,
    pub label: String,
    /// The signatory named by the document (pre-fills the form).
    pub signatory: String,
    /// Who signed, who recorded it and when, once validated.
    pub validated: Option<(String, String, i64)>,
}

/// The header every follow-up page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseHead {
    pub reference: String,
    pub title: String,
    pub collectivite_name: String,
    pub stage: Stage,
    /// The case's version when the page was read: a write that must not follow an unseen change sends it back.
    pub version: i64,
    /// The signed-in role may write.
    pub can_act: bool,
    /// The signed-in role (a prestataire validates its own party and writes the journal).
    pub role: crate::domain::auth::Role,
}

/// The cadrage page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CadrageView {
    pub head: CaseHead,
    /// The version in force, 0 before the first save.
    pub current: i64,
    /// The document in force, or the pre-filled first version.
    pub sections: Vec<SectionView>,
    /// Newest first.
    pub versions: Vec<VersionView>,
    pub parties: Vec<PartyView>,
    pub fully_validated: bool,
    /// The document may be edited at this stage.
    pub editable_stage: bool,
}

/// One version as printed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrintView {
    pub head: CaseHead,
    pub number: i64,
    pub in_force: i64,
    pub author: String,
    pub at: i64,
    pub sections: Vec<SectionView>,
    /// (party, signatory, when) of this version.
    pub validations: Vec<(String, String, i64)>,
}

/// A changed field between two versions: (`same`/`added`/`removed`, text) per line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeView {
    pub label: String,
    pub lines: Vec<(String, String)>,
}

/// The difference between two versions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffView {
    pub head: CaseHead,
    pub from: i64,
    pub to: i64,
    pub numbers: Vec<i64>,
    pub changes: Vec<ChangeView>,
}

/// A phase 4 condition with its check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConditionView {
    pub text: String,
    /// Evidence, who checked, when.
    pub checked: Option<(String, String, i64)>,
}

/// A phase 4 log entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogView {
    pub day: String,
    pub kind: String,
    pub body: String,
    pub author: String,
}

/// The phase 4 page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConceptionView {
    pub head: CaseHead,
    pub current: i64,
    pub conditions: Vec<ConditionView>,
    pub log: Vec<LogView>,
    /// `AAAA-MM-JJ`, the default day of a new entry.
    pub today: String,
}

/// The diffusion page: the kit as the form shows it, the estimate and the publication.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffusionView {
    pub head: CaseHead,
    pub revision: i64,
    pub summary: String,
    pub problem: String,
    pub solution: String,
    pub documentation: String,
    pub videos: String,
    pub supports: String,
    pub contact: String,
    pub agents_measured: String,
    pub hours_measured: String,
    pub agents_estimated: i64,
    pub hours_estimated: i64,
    /// Slug, published at, withdrawn.
    pub publication: Option<(String, i64, bool)>,
    /// What the kit lacks before publication.
    pub missing: Vec<String>,
    /// The stage allows publication (conception or diffusion).
    pub publishable_stage: bool,
    pub saved: bool,
}

/// What the follow-up section of the case page says of stages 3 to 5.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectLine {
    pub href: String,
    pub label: String,
    pub status: String,
}
