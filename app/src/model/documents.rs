//! What a document looks like on the wire: its kind, name and size, its scan status and download link.

use serde::{Deserialize, Serialize};

use crate::domain::documents::{DocumentKind, ScanStatus};

/// A document as a page lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocumentView {
    /// Its random public identifier.
    pub id: String,
    pub kind: DocumentKind,
    pub name: String,
    pub size: i64,
    pub status: ScanStatus,
    /// The antivirus's finding, shown to the team only (empty otherwise).
    pub detail: String,
    /// Where to download it (empty while it cannot be).
    pub href: String,
    pub uploaded_by: String,
    pub at: i64,
}
