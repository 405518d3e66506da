//! The wire types of the public catalogue. Nothing private is ever selected: they hold only what the team
//! published and the collectivité's public register facts.

use serde::{Deserialize, Serialize};

use crate::domain::diffusion::{Support, Video};
use crate::domain::stage::Stage;

/// A published case as a result of the catalogue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicCase {
    pub slug: String,
    pub reference: String,
    pub title: String,
    pub summary: String,
    pub collectivite_name: String,
    pub collectivite_kind: String,
    pub region: String,
    pub population: Option<i64>,
    pub domain: String,
    /// Brick codes.
    pub briques: Vec<String>,
    pub typologie: String,
    pub stage: Stage,
    pub agents: i64,
    pub hours_saved_per_year: i64,
    /// The gains were measured after deployment (not the intake's estimate).
    pub gains_measured: bool,
    pub published_at: i64,
    pub replications: i64,
    /// The AI Act level confirmed by the team, as published, and the articles of its obligations.
    pub ai_act_level: Option<crate::domain::ai_act::RiskLevel>,
    pub ai_act_articles: Vec<String>,
}

/// A published case with everything a reader who wants to replicate it needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicCaseDetail {
    pub case: PublicCase,
    pub problem: String,
    pub solution: String,
    /// Markdown as written by the team.
    pub documentation: String,
    pub videos: Vec<Video>,
    pub supports: Vec<Support>,
    pub contact: String,
    pub hosting: String,
    /// INSEE code (commune, département, région) or SIREN (EPCI).
    pub collectivite_code: String,
    pub collectivite_siren: String,
    pub agents_estimated: i64,
    pub hours_estimated: i64,
    pub agents_measured: Option<i64>,
    pub hours_measured: Option<i64>,
    pub updated_at: i64,
    pub ai_act_obligations: Vec<crate::domain::ai_act::review::PublishedObligation>,
    pub public_facing: bool,
    /// When the case was filed in the programme.
    pub filed_at: i64,
}

/// A project of the Bibliothèque d'IA territoriales as a result of the catalogue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LibraryCard {
    pub slug: String,
    pub summary: String,
    pub project: crate::domain::library::LibraryProject,
}

/// One result of the catalogue, from either source (a page holds twelve: their sizes do not matter).
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum CatalogueItem {
    Case(PublicCase),
    Library(LibraryCard),
}

/// One page of results.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    pub total: i64,
    /// How many of them are projects of the Bibliothèque.
    pub library: i64,
    pub items: Vec<CatalogueItem>,
    /// Régions of the published cases, for the filter.
    pub regions: Vec<String>,
    /// The project of the Bibliothèque each case of the page is shown with (by case slug), if any.
    pub twins: Vec<(String, crate::model::similar::LibraryMatch)>,
}

/// A published case as its page shows it: the case and its documentation rendered (sanitised HTML).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicCasePage {
    pub detail: PublicCaseDetail,
    pub documentation_html: String,
    pub canonical: String,
    /// The published cases and projects of the Bibliothèque closest to it (none in the team's preview).
    pub neighbours: Vec<crate::model::similar::Neighbour>,
    /// The project of the Bibliothèque that is the same project (`domain::library::pairs`), if any.
    pub twin: Option<crate::model::similar::LibraryMatch>,
}

/// A count with its label, for the indicators.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelledCount {
    pub label: String,
    pub count: i64,
}

/// The programme's indicators.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeFigures {
    pub by_stage: Vec<LabelledCount>,
    pub by_region: Vec<LabelledCount>,
    /// Collectivités whose cases are carried by the IA Factory (cadrage to diffusion).
    pub pioneers: i64,
    pub replications: i64,
    pub published: i64,
}

/// Where a page of published cases stopped (the last case's publication time and row), for the next page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PublicationCursor {
    pub published_at: i64,
    pub id: i64,
}

/// One page of published cases, most recent first, and where the next one starts (none after the last).
#[derive(Clone, Debug, PartialEq)]
pub struct PublicationsPage {
    pub items: Vec<PublicCaseDetail>,
    pub next: Option<PublicationCursor>,
}

/// What the catalogue is made of, as a number the database raises at each change (publication, withdrawal,
/// deployment report, import…), and the time of that change: copies and recent searches are kept while it
/// stays the same.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CatalogueGeneration {
    pub generation: i64,
    pub changed_at: i64,
}
