//! What the catalogue asks of persistence: searching and reading published cases, publishing, replicating.

use super::outcome::StoreError;
use crate::domain::catalogue::CatalogueQuery;
use crate::domain::diffusion::{Support, Video};
use crate::domain::intake::IntakeAnswers;
use crate::model::catalogue::{
    CatalogueGeneration, ProgrammeFigures, PublicCaseDetail, PublicationsPage, SearchResults,
};

/// What the team publishes of a case: the public summary, the diffusion kit and the collectivité's public facts.
#[derive(Clone, Debug, PartialEq)]
pub struct NewPublication {
    pub case: crate::domain::access::VisibleCase,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub problem: String,
    pub solution: String,
    pub documentation: String,
    pub videos: Vec<Video>,
    pub supports: Vec<Support>,
    pub contact: String,
    pub hosting: String,
    pub collectivite_code: String,
    pub collectivite_siren: String,
    pub population: Option<i64>,
    pub typologie: String,
    pub agents_measured: Option<i64>,
    pub hours_measured: Option<i64>,
    /// The AI Act level the team confirmed, with its obligations (none before it confirmed one).
    pub ai_act_level: Option<crate::domain::ai_act::RiskLevel>,
    pub ai_act_obligations: Vec<crate::domain::ai_act::review::PublishedObligation>,
    /// The system talks to the public or publishes content (the Bibliothèque's "Grand public" audience).
    pub public_facing: bool,
    pub now: i64,
    /// Who published (recorded in the case's history).
    pub actor: String,
    /// What the collectivité is told at the first publication.
    pub notice: Option<crate::domain::email::CollectiviteNotice>,
    /// The case's version the team saw (the preview's): the publication is refused if the case changed since
    /// (a conflict) or its stage no longer allows publishing, both checked in the publishing transaction. None
    /// only for what the server publishes itself (demonstration, benchmarks, test fixtures): no check.
    pub based_on: Option<i64>,
}

/// The public catalogue.
#[async_trait::async_trait]
pub trait CatalogueStore: Send + Sync {
    /// One page of the published cases matching `query`, with the total.
    async fn search_publications(&self, query: &CatalogueQuery) -> Result<SearchResults, StoreError>;
    /// A published (not withdrawn) case.
    async fn publication(&self, slug: &str) -> Result<Option<PublicCaseDetail>, StoreError>;
    /// When the catalogue last changed (the latest publication or update), none while empty.
    async fn catalogue_updated_at(&self) -> Result<Option<i64>, StoreError>;
    /// Every published case, most recent first (tests and small readers; open data reads them by pages).
    async fn publications(&self) -> Result<Vec<PublicCaseDetail>, StoreError>;
    /// At most `limit` published cases, most recent first, after `after` (the previous page's `next`), so that
    /// open data never holds every case at once.
    async fn publications_page(
        &self,
        after: Option<crate::model::catalogue::PublicationCursor>,
        limit: i64,
    ) -> Result<PublicationsPage, StoreError>;
    /// The number the database raises at every change of what the catalogue shows, and when it last did.
    async fn catalogue_generation(&self) -> Result<CatalogueGeneration, StoreError>;
    /// Publishes a case (or updates its publication) in one transaction that checks `based_on`, bumps the case's
    /// version and tells the open boards; the case's new version, or why nothing was published.
    async fn publish(&self, publication: &NewPublication) -> Result<super::WriteOutcome, StoreError>;
    /// A new draft pre-filled from a published case, recorded as replicating it.
    async fn create_replication_draft(
        &self,
        token_hash: &str,
        answers: &IntakeAnswers,
        slug: &str,
        now: i64,
    ) -> Result<(), StoreError>;
    async fn programme_figures(&self) -> Result<ProgrammeFigures, StoreError>;
}
