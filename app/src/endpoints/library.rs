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
    page.twin = ctx.store.case_twin(&page.slug).await?;
    Ok(page)
}

/// The team's page of the Bibliothèque: the last import with its report, and the pairs of a project and a case
/// published here shown as one (every team member reads it; the programme decides).
#[server(endpoint = "equipe/bibliotheque")]
pub async fn bibliotheque_equipe() -> Result<crate::model::library::LibraryOverview, AppError> {
    let (account, _) = crate::server::access::require_viewer(crate::domain::auth::Role::can_read).await?;
    let ctx = server_context()?;
    Ok(crate::model::library::LibraryOverview {
        last_import: ctx.store.last_library_import().await?,
        pairs: ctx.store.library_pairs().await?,
        may_decide: account.role.can_act_on_cases(),
    })
}

/// The programme confirms that a project of the Bibliothèque and a case published here are one project, or
/// splits them into two entries of the catalogue (`decision`: `confirmee` or `separee`).
#[server(endpoint = "equipe/bibliotheque/paire")]
pub async fn decider_paire(
    projet: String,
    cas: String,
    decision: crate::domain::library::pairs::PairDecision,
) -> Result<(), AppError> {
    let (account, _) = crate::server::access::require_viewer(crate::domain::auth::Role::can_act_on_cases).await?;
    let ctx = server_context()?;
    let unknown = || AppError::NotFound("Cette paire n'existe pas (ou plus) : rechargez la page.".into());
    let decision = crate::domain::library::pairs::check_team_decision(decision).map_err(AppError::Invalid)?;
    if !crate::domain::catalogue::is_slug(&projet) || !crate::domain::catalogue::is_slug(&cas) {
        return Err(unknown());
    }
    let decided = ctx
        .store
        .decide_library_pair(&projet, &cas, decision, &account.name, crate::server::context::now())
        .await?;
    if !decided {
        return Err(unknown());
    }
    leptos_axum::redirect(&format!(
        "{}?enregistre={}",
        crate::routes::TEAM_LIBRARY,
        decision.code()
    ));
    Ok(())
}
