//! The Bibliothèque's projects in the public catalogue: one imported project's page (the search over both
//! sources is the catalogue's `rechercher`).

use crate::error::AppError;
use crate::model::library::LibraryProjectPage;
#[cfg(feature = "ssr")]
use crate::server::context::{public_origin, server_context};
use leptos::prelude::*;

/// One imported project (404 when unknown or withdrawn from the source).
#[server(endpoint = "catalogue/bibliotheque", input = server_fn::codec::GetUrl)]
pub async fn projet_bibliotheque(slug: String) -> Result<LibraryProjectPage, AppError> {
    let ctx = server_context()?;
    let not_found = || {
        AppError::NotFound("Ce projet de la Bibliothèque d'IA territoriales n'est pas (ou plus) au catalogue.".into())
    };
    if !crate::domain::catalogue::is_slug(&slug) {
        return Err(not_found());
    }
    let mut page = ctx.store.library_project(&slug).await?.ok_or_else(not_found)?;
    page.canonical = format!("{}{}", public_origin(), crate::routes::library_project(&page.slug));
    page.neighbours = ctx
        .store
        .neighbours(&page.slug, true)
        .await?
        .into_iter()
        .take(crate::domain::similar::MAX_LISTED)
        .collect();
    Ok(page)
}
