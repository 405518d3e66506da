//! The wire types of the cadrage (stage 3): the tripartite document's fields and sections, its versions, the
//! parties' validations, the printed version and the difference between two versions.

use serde::{Deserialize, Serialize};

use super::case::CaseHead;

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
    /// Who signed, how they were identified (who recorded it, or ProConnect's level) and when, once validated.
    pub validated: Option<(String, String, i64)>,
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
    /// The case's PDF documents past the antivirus (public id, file name): what a paper signature may attach.
    pub signed_pdfs: Vec<(String, String)>,
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
