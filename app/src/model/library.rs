//! The wire types of the Bibliothèque's projects in the catalogue: a project's page with its provenance, and
//! what the last import said.

use serde::{Deserialize, Serialize};

use crate::domain::library::report::ImportReport;
use crate::domain::library::LibraryProject;

/// An imported project as its page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LibraryProjectPage {
    pub project: LibraryProject,
    /// The page's address (`routes::library_project`), kept once given.
    pub slug: String,
    pub licence: String,
    /// The page presenting the source.
    pub source_url: String,
    pub first_seen: i64,
    pub last_seen: i64,
    pub updated_at: i64,
    pub canonical: String,
    /// The published cases and other projects of the Bibliothèque closest to it.
    pub neighbours: Vec<crate::model::similar::Neighbour>,
    /// The case published here that is the same project (`domain::library::pairs`), if any.
    pub twin: Option<crate::model::similar::PublishedMatch>,
}

/// A project of the Bibliothèque and a case published here found to be the same project, as the team sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LibraryPair {
    pub library: crate::model::similar::LibraryMatch,
    pub case: crate::model::similar::PublishedMatch,
    /// How close their texts are, in percent (cosine).
    pub closeness_percent: i64,
    pub decision: crate::domain::library::pairs::PairDecision,
    pub decided_by: String,
    pub decided_at: Option<i64>,
}

/// The team's page of the Bibliothèque: the last import and the pairs to look at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LibraryOverview {
    pub last_import: Option<LibraryImportRecord>,
    pub pairs: Vec<LibraryPair>,
    /// The reader may confirm or split a pair.
    pub may_decide: bool,
}

/// An import as it was recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LibraryImportRecord {
    pub id: i64,
    pub origin: String,
    pub imported_at: i64,
    pub etag: String,
    pub last_modified: String,
    pub report: ImportReport,
}
