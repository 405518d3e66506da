//! What similar cases ask of persistence: the counted words of each filed case's need and of each publication,
//! and the cases close to a need (published or not; the endpoints decide what each reader may learn of them).

use super::outcome::StoreError;
use crate::domain::access::{OfCase, VisibleCase};
use crate::domain::stage::Stage;

/// A filed case close to a need, with its publication when it is in the catalogue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CloseCase {
    pub reference: String,
    pub title: String,
    pub collectivite_key: String,
    pub collectivite_name: String,
    pub region: String,
    pub stage: Stage,
    /// Slug and public title when published (and not withdrawn).
    pub publication: Option<(String, String)>,
}

impl OfCase for CloseCase {
    fn case_reference(&self) -> &str {
        &self.reference
    }
    fn case_region(&self) -> &str {
        &self.region
    }
}

#[async_trait::async_trait]
pub trait SimilarStore: Send + Sync {
    /// The cases close to a need (title, problem, solution; `domain::similar::MIN_SCORE`), closest first: the
    /// published ones by their publication's text, the unpublished ones by their need; with the number of
    /// distinct words of the need compared.
    async fn close_to_need(
        &self,
        title: &str,
        problem: &str,
        solution: &str,
    ) -> Result<(usize, Vec<CloseCase>), StoreError>;
    /// The filed cases close to a filed case by their needs (itself left out), closest first.
    async fn close_to_case(&self, case: &VisibleCase) -> Result<Vec<CloseCase>, StoreError>;
    /// The published cases and projects of the Bibliothèque closest to a catalogue page (the published case of
    /// `slug`, or the Bibliothèque's project of `slug` when `library`), closest first, itself left out.
    async fn neighbours(&self, slug: &str, library: bool) -> Result<Vec<crate::model::similar::Neighbour>, StoreError>;
    /// The projects of the Bibliothèque (not withdrawn) closest to a need, closest first.
    async fn library_close_to_need(
        &self,
        title: &str,
        problem: &str,
        solution: &str,
    ) -> Result<Vec<crate::model::similar::LibraryMatch>, StoreError>;
    /// Derives the words and the AI Act pre-assessment of cases filed before they were recorded; returns how
    /// many were done (at most `limit`).
    async fn index_pending_cases(&self, limit: i64) -> Result<usize, StoreError>;
}
