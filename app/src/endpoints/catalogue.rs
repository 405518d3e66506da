//! The public catalogue's endpoints: search of the published cases, one published case, the programme's
//! indicators, and "Je veux répliquer ce cas".
// A search read from the URL reaches its server function with one argument per parameter.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::model::catalogue::PublicCaseDetail;
use crate::model::catalogue::{ProgrammeFigures, PublicCasePage, SearchResults};
#[cfg(feature = "ssr")]
use crate::server::context::{now, public_origin, server_context, ServerContext};
use leptos::prelude::*;

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
    source: Option<String>,
    tri: Option<String>,
    page: Option<String>,
) -> Result<SearchResults, AppError> {
    use crate::domain::catalogue::CatalogueQuery;
    let ctx = server_context()?;
    let query = CatalogueQuery::from_pairs([
        ("texte", texte.as_deref().unwrap_or_default()),
        ("domaine", domaine.as_deref().unwrap_or_default()),
        ("brique", brique.as_deref().unwrap_or_default()),
        ("typologie", typologie.as_deref().unwrap_or_default()),
        ("collectivite", collectivite.as_deref().unwrap_or_default()),
        ("population", population.as_deref().unwrap_or_default()),
        ("region", region.as_deref().unwrap_or_default()),
        ("source", source.as_deref().unwrap_or_default()),
        ("tri", tri.as_deref().unwrap_or_default()),
        ("page", page.as_deref().unwrap_or("1")),
    ]);
    Ok(ctx.store.search_publications(&query).await?)
}

/// The published case of a slug, or a French 404.
#[cfg(feature = "ssr")]
async fn published(ctx: &ServerContext, slug: &str) -> Result<PublicCaseDetail, AppError> {
    let not_found = || AppError::NotFound("Ce cas d'usage n'est pas (ou plus) publié dans le catalogue.".into());
    if !crate::domain::catalogue::is_slug(slug) {
        return Err(not_found());
    }
    ctx.store.publication(slug).await?.ok_or_else(not_found)
}

/// One published case (404 when unknown or withdrawn).
#[server(endpoint = "catalogue/cas", input = server_fn::codec::GetUrl)]
pub async fn cas_publie(slug: String) -> Result<PublicCasePage, AppError> {
    let ctx = server_context()?;
    let detail = published(&ctx, &slug).await?;
    Ok(PublicCasePage {
        documentation_html: crate::server::markdown::render_markdown(&detail.documentation),
        canonical: format!(
            "{}{}",
            public_origin(),
            crate::routes::catalogue_case(&detail.case.slug)
        ),
        neighbours: ctx
            .store
            .neighbours(&slug, false)
            .await?
            .into_iter()
            .take(crate::domain::similar::MAX_LISTED)
            .collect(),
        twin: ctx.store.library_twin(&slug).await?,
        detail,
    })
}

/// The programme's indicators.
#[server(endpoint = "programme/indicateurs", input = server_fn::codec::GetUrl)]
pub async fn indicateurs() -> Result<ProgrammeFigures, AppError> {
    let ctx = server_context()?;
    Ok(ctx.store.programme_figures().await?)
}

/// "Je veux répliquer ce cas": a new intake pre-filled with the case's domain, bricks and typology, recorded as
/// a replication of it; leads to the wizard's first step.
#[server(endpoint = "catalogue/repliquer")]
pub async fn repliquer(slug: String) -> Result<(), AppError> {
    use crate::domain::intake::IntakeAnswers;
    use crate::server::tokens::{new_token, token_hash};
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
        .create_replication_draft(
            &token_hash(&token).ok_or(AppError::Unavailable)?,
            &answers,
            &slug,
            now(),
        )
        .await?;
    leptos_axum::redirect(&format!("/deposer/{token}/etape/1?replique={slug}"));
    Ok(())
}
