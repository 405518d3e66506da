//! The similar cases as they cross the wire: what a collectivité may see (published cases, a count of the
//! others) and what the team sees on a case page.

use serde::{Deserialize, Serialize};

use crate::domain::stage::Stage;

/// A published case close to a need.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedMatch {
    pub slug: String,
    pub title: String,
    pub collectivite: String,
    pub region: String,
}

/// A project of the Bibliothèque d'IA territoriales close to a need (public, so named).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LibraryMatch {
    pub slug: String,
    pub title: String,
    pub collectivite: String,
}

/// A neighbour of a catalogue page: a published case or a project of the Bibliothèque.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Neighbour {
    Case(PublishedMatch),
    Library(LibraryMatch),
}

/// What a collectivité describing its need may learn: the published cases, and how many other collectivités
/// filed close cases not published (never which).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimilarForCollectivite {
    pub published: Vec<PublishedMatch>,
    /// Projects already run elsewhere, as the Bibliothèque d'IA territoriales publishes them.
    pub library: Vec<LibraryMatch>,
    pub others_sentence: Option<String>,
}

/// A filed case close to the one the team reads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiledMatch {
    pub reference: String,
    pub title: String,
    pub collectivite: String,
    pub region: String,
    pub stage: Stage,
    pub published_slug: Option<String>,
}

/// The close cases filed by other collectivités, as the team sees them on a case page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimilarForTeam {
    /// Those the reader may open (a direction régionale sees its régions' only).
    pub cases: Vec<FiledMatch>,
    /// Other collectivités having filed a close case, whoever may see them.
    pub other_collectivites: usize,
}
