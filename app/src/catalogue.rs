//! The public catalogue's endpoints and wire types: search of the published cases, one published case, the
//! programme's indicators, and "Je veux répliquer ce cas". Nothing private is ever selected: these types hold
//! only what the team published and the collectivité's public register facts.
// A search read from the URL reaches its server function with one argument per parameter.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

pub use crate::domain::diffusion::{Support, Video};

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
    pub stage: String,
    pub agents: i64,
    pub hours_saved_per_year: i64,
    /// The gains were measured after deployment (not the intake's estimate).
    pub gains_measured: bool,
    pub published_at: i64,
    pub replications: i64,
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
}

/// One page of results.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResults {
    pub total: i64,
    pub items: Vec<PublicCase>,
    /// Régions of the published cases, for the filter.
    pub regions: Vec<String>,
}

/// A published case as its page shows it: the case and its documentation rendered (sanitised HTML).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicCasePage {
    pub detail: PublicCaseDetail,
    pub documentation_html: String,
    pub canonical: String,
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
    /// Agents using the published solutions (measured after deployment).
    pub agents_using: i64,
    pub replications: i64,
    pub published: i64,
}

/// The search of the catalogue: every argument is a URL parameter (GET, shareable).
#[server(endpoint = "catalogue/recherche", input = server_fn::codec::GetUrl)]
pub async fn rechercher(
    texte: Option<String>,
    domaine: Option<String>,
    brique: Option<String>,
    typologie: Option<String>,
    collectivite: Option<String>,
    population: Option<String>,
    region: Option<String>,
    tri: Option<String>,
    page: Option<String>,
) -> Result<SearchResults, AppError> {
    use crate::domain::catalogue::CatalogueQuery;
    let ctx = crate::api::context::server_context()?;
    let query = CatalogueQuery::from_pairs([
        ("texte", texte.as_deref().unwrap_or_default()),
        ("domaine", domaine.as_deref().unwrap_or_default()),
        ("brique", brique.as_deref().unwrap_or_default()),
        ("typologie", typologie.as_deref().unwrap_or_default()),
        ("collectivite", collectivite.as_deref().unwrap_or_default()),
        ("population", population.as_deref().unwrap_or_default()),
        ("region", region.as_deref().unwrap_or_default()),
        ("tri", tri.as_deref().unwrap_or_default()),
        ("page", page.as_deref().unwrap_or("1")),
    ]);
    Ok(ctx.store.search_publications(&query).await?)
}

/// The published case of a slug, or a French 404.
#[cfg(feature = "ssr")]
async fn published(ctx: &crate::api::context::ServerContext, slug: &str) -> Result<PublicCaseDetail, AppError> {
    let not_found = || {
        crate::team::session::set_error_status(axum::http::StatusCode::NOT_FOUND);
        AppError::NotFound("Ce cas d'usage n'est pas (ou plus) publié dans le catalogue.".into())
    };
    if !crate::domain::catalogue::is_slug(slug) {
        return Err(not_found());
    }
    ctx.store.publication(slug).await?.ok_or_else(not_found)
}

/// One published case (404 when unknown or withdrawn).
#[server(endpoint = "catalogue/cas", input = server_fn::codec::GetUrl)]
pub async fn cas_publie(slug: String) -> Result<PublicCasePage, AppError> {
    use crate::api::context::{public_origin, server_context};
    let ctx = server_context()?;
    let detail = published(&ctx, &slug).await?;
    Ok(PublicCasePage {
        documentation_html: crate::api::context::render_markdown(&detail.documentation),
        canonical: format!("{}/catalogue/{}", public_origin(), detail.case.slug),
        detail,
    })
}

/// The programme's indicators.
#[server(endpoint = "programme/indicateurs", input = server_fn::codec::GetUrl)]
pub async fn indicateurs() -> Result<ProgrammeFigures, AppError> {
    let ctx = crate::api::context::server_context()?;
    Ok(ctx.store.programme_figures().await?)
}

/// "Je veux répliquer ce cas": a new intake pre-filled with the case's domain, bricks and typology, recorded as
/// a replication of it; leads to the wizard's first step.
#[server(endpoint = "catalogue/repliquer")]
pub async fn repliquer(slug: String) -> Result<(), AppError> {
    use crate::api::context::{new_token, now, server_context, token_hash};
    use crate::domain::intake::IntakeAnswers;
    let ctx = server_context()?;
    let detail = published(&ctx, &slug).await?;
    let mut answers = IntakeAnswers::default();
    answers.set("domaine", &detail.case.domain);
    for brique in &detail.case.briques {
        answers.set(&format!("brique_{brique}"), "on");
    }
    answers.set("typologie", &detail.case.typologie);
    let token = new_token();
    ctx.store
        .create_replication_draft(&token_hash(&token)?, &answers, &slug, now())
        .await?;
    leptos_axum::redirect(&format!("/deposer/{token}/etape/1?replique={slug}"));
    Ok(())
}
