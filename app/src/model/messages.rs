//! What the thread and the documents look like on the wire: the messages with their author and documents, the
//! documents with their scan status and download link, and the emails sent about a case.

use serde::{Deserialize, Serialize};

use super::documents::DocumentView;

/// A message of the thread.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MessageView {
    pub from_collectivite: bool,
    /// The author as shown: the contact, or the member and their role.
    pub author: String,
    pub body: String,
    pub at: i64,
    pub documents: Vec<DocumentView>,
}

/// An email sent about the case.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SentEmailView {
    pub subject: String,
    pub at: i64,
    pub delivery: crate::domain::notices::Delivery,
}

/// The thread of a case and its documents, as the collectivité or the team sees them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThreadView {
    pub messages: Vec<MessageView>,
    /// The documents sent with the intake (step 5).
    pub intake_documents: Vec<DocumentView>,
    /// Where the reply form posts.
    pub post_href: String,
    /// Whether the reader may write (a member with the read-only role may not).
    pub can_write: bool,
    /// For the team: whether the reader follows the case.
    pub following: bool,
    /// For the collectivité: the emails sent to it.
    pub emails: Vec<SentEmailView>,
    /// How many more files the case may hold.
    pub room: usize,
    /// Whether an antivirus scans the files sent (`IAF_CLAMAV`).
    pub scanned: bool,
}
