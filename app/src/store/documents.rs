//! What the documents ask of persistence: the files of a draft or a case (their bytes live on disk under
//! random names; the database holds what they are), the antivirus's verdicts and who may fetch them.

use super::outcome::StoreError;
use crate::domain::access::VisibleCase;
use crate::domain::documents::{DocumentKind, ScanStatus};

/// A file written to disk and checked, to be recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewDocument {
    /// The random identifier of its URL.
    pub public_id: String,
    pub kind: DocumentKind,
    pub file_name: String,
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
    /// Its random name on disk.
    pub stored_name: String,
    pub scan_status: ScanStatus,
    /// Who sent it, as the page shows it.
    pub uploaded_by: String,
}

/// A recorded document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentLine {
    pub public_id: String,
    pub kind: DocumentKind,
    pub file_name: String,
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
    pub stored_name: String,
    pub scan_status: ScanStatus,
    /// The antivirus's finding (the signature), empty when none.
    pub scan_detail: String,
    pub uploaded_by: String,
    pub created_at: i64,
    /// The message it came with, when it did.
    pub message_id: Option<i64>,
}

/// Adding documents: done, or refused because the case would hold more than the limit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AddOutcome {
    Added,
    /// The limit would be passed: `room` more files could still be added.
    TooMany {
        room: usize,
    },
    NotFound,
    /// The draft would hold more than its quota of bytes before filing.
    DraftFull,
    /// All unfiled drafts together would hold more than the global quota.
    DraftsQuota,
}

/// The limits a draft's uploads must respect before filing: files and bytes of the draft, bytes of all unfiled drafts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DraftQuota {
    pub max_files: usize,
    pub draft_bytes: i64,
    pub drafts_bytes: i64,
}

/// The documents' operations.
#[async_trait::async_trait]
pub trait DocumentStore: Send + Sync {
    /// Records documents sent from the wizard (step 5) of a draft not yet filed, within `quota` (checked under the
    /// draft's lock, so that parallel uploads cannot pass it).
    async fn add_draft_documents(
        &self,
        token_hash: &str,
        documents: &[NewDocument],
        quota: DraftQuota,
        now: i64,
    ) -> Result<AddOutcome, StoreError>;
    /// Removes a document of a draft not yet filed; its stored name, to delete the file.
    async fn remove_draft_document(&self, token_hash: &str, public_id: &str) -> Result<Option<String>, StoreError>;
    /// The documents of the draft or filed case behind a private link (draft token or follow-up link).
    async fn documents_for_token(&self, token_hash: &str) -> Result<Vec<DocumentLine>, StoreError>;
    /// The documents of a case, those of its intake included.
    async fn documents_of_case(&self, case: &VisibleCase) -> Result<Vec<DocumentLine>, StoreError>;
    /// How many documents the draft or case behind a private link holds.
    async fn document_count_for_token(&self, token_hash: &str) -> Result<Option<usize>, StoreError>;
    /// Documents waiting for the antivirus, oldest first.
    async fn pending_scans(&self, limit: i64) -> Result<Vec<DocumentLine>, StoreError>;
    /// Counts one failure of the antivirus on a waiting document; at `MAX_SCAN_ATTEMPTS` it is set aside and
    /// the programme's team (administrators and programme) emailed, in the same transaction. Whether it was set
    /// aside.
    async fn record_scan_failure(
        &self,
        public_id: &str,
        reason: &str,
        origin: &str,
        now: i64,
    ) -> Result<bool, StoreError>;
    /// Records the antivirus's verdict; for an infected file of a filed case, `notice` tells its collectivité.
    async fn record_scan(
        &self,
        public_id: &str,
        status: ScanStatus,
        detail: &str,
        notice: Option<&crate::domain::email::CollectiviteNotice>,
        now: i64,
    ) -> Result<(), StoreError>;
    /// Stored names of every document (to find files on disk that no row points to).
    async fn stored_names(&self) -> Result<Vec<String>, StoreError>;
}
