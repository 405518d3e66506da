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
