//! What the Bibliothèque's import asks of persistence: recording an import in one transaction (new, changed,
//! unchanged and withdrawn projects, the report), reading a project's page and the last import.

use super::outcome::StoreError;
use crate::domain::library::pairs::PairDecision;
use crate::domain::library::report::ImportReport;
use crate::domain::library::ReadFile;
use crate::model::library::{LibraryImportRecord, LibraryPair, LibraryProjectPage};
use crate::model::similar::{LibraryMatch, PublishedMatch};

/// A file of the Bibliothèque read, to be recorded.
#[derive(Clone, Debug, PartialEq)]
pub struct LibraryImport {
    /// The file's path or URL.
    pub origin: String,
    pub read: ReadFile,
    pub licence: String,
    pub source_url: String,
    /// What the source answered, for the next conditional request.
    pub etag: String,
    pub last_modified: String,
    pub now: i64,
}

/// The Bibliothèque's projects.
#[async_trait::async_trait]
pub trait LibraryStore: Send + Sync {
    /// Records an import: each record created, updated in place or left unchanged, the projects the file no
    /// longer has withdrawn; one transaction. Returns the report.
    async fn import_library(&self, import: &LibraryImport) -> Result<ImportReport, StoreError>;
    /// An imported project that is not withdrawn.
    async fn library_project(&self, slug: &str) -> Result<Option<LibraryProjectPage>, StoreError>;
    /// The last import recorded.
    async fn last_library_import(&self) -> Result<Option<LibraryImportRecord>, StoreError>;
    /// Every pair of a project and a case published here found to be the same project.
    async fn library_pairs(&self) -> Result<Vec<LibraryPair>, StoreError>;
    /// Records the team's decision on the pair of these two pages; false when there is no such pair.
    async fn decide_library_pair(
        &self,
        library_slug: &str,
        case_slug: &str,
        decision: PairDecision,
        actor: &str,
        now: i64,
    ) -> Result<bool, StoreError>;
    /// The project of the Bibliothèque shown with the published case of `case_slug`, if any.
    async fn library_twin(&self, case_slug: &str) -> Result<Option<LibraryMatch>, StoreError>;
    /// The published case shown with the project of `library_slug`, if any.
    async fn case_twin(&self, library_slug: &str) -> Result<Option<PublishedMatch>, StoreError>;
}
