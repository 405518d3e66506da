//! What similar cases ask of persistence: the words of each filed case's need, and the cases sharing words
//! with a need (published or not; the endpoints decide what each reader may learn of them).

use super::outcome::StoreError;
use crate::domain::access::{OfCase, VisibleCase};
use crate::domain::stage::Stage;

/// A filed case sharing words with a need, with its publication when it is in the catalogue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CloseCase {
    pub reference: String,
    pub title: String,
    pub collectivite_key: String,
    pub collectivite_name: String,
    pub region: String,
    pub stage: Stage,
    /// Words shared with the need, and the case's own number of words.
    pub shared: usize,
    pub term_count: usize,
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
    /// The filed cases sharing at least `domain::similar::MIN_SHARED` words with the need (title, problem,
    /// solution), most shared first, with the number of words of the need compared.
    async fn close_to_need(
        &self,
        title: &str,
        problem: &str,
        solution: &str,
    ) -> Result<(usize, Vec<CloseCase>), StoreError>;
    /// The filed cases close to a filed case (itself left out), with its number of words.
    async fn close_to_case(&self, case: &VisibleCase) -> Result<(usize, Vec<CloseCase>), StoreError>;
    /// Derives the words and the AI Act pre-assessment of cases filed before they were recorded; returns how
    /// many were done (at most `limit`).
    async fn index_pending_cases(&self, limit: i64) -> Result<usize, StoreError>;
}
