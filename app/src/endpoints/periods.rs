//! The relève periods: listed with the cases each examines, created by administrators.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::periods::PeriodsPage;
#[cfg(feature = "ssr")]
use crate::server::access::require_viewer;
#[cfg(feature = "ssr")]
use crate::server::context::{now, server_context};
#[cfg(feature = "ssr")]
use crate::server::session;

#[server(endpoint = "equipe/periodes")]
pub async fn periodes_de_releve() -> Result<PeriodsPage, AppError> {
    use crate::domain::periods::{period_for_case, PeriodStatus};
    use crate::model::periods::PeriodView;
    let (account, viewer) = require_viewer(crate::domain::auth::Role::can_read).await?;
    let ctx = server_context()?;
    let periods = ctx.store.periods().await?;
    let cases: Vec<i64> = if viewer.sees_every_case() {
        ctx.store.case_filing_times().await?
    } else {
        viewer
            .keep_visible(ctx.store.case_summaries().await?)
            .into_iter()
            .map(|case| case.filed_at)
            .collect()
    };
    let at = now();
    Ok(PeriodsPage {
        can_create: account.role.can_administer(),
        periods: periods
            .iter()
            .map(|period| PeriodView {
                name: period.name.clone(),
                starts_at: period.starts_at,
                ends_at: period.ends_at,
                status: PeriodStatus::of(period, at),
                cases: cases
                    .iter()
                    .filter(|filed_at| period_for_case(**filed_at, &periods).is_some_and(|p| p.id == period.id))
                    .count() as i64,
            })
            .collect(),
    })
}

/// Creates a relève period (administrators only): dates typed `AAAA-MM-JJ`, the end day included.
#[server(endpoint = "equipe/periodes/creer")]
pub async fn creer_periode(nom: String, debut: String, fin: String) -> Result<(), AppError> {
    use crate::domain::periods::{check_new_period, period_bounds};
    session::require(crate::domain::auth::Role::can_administer).await?;
    let ctx = server_context()?;
    let (starts_at, ends_at) = period_bounds(&debut, &fin).map_err(|e| AppError::Invalid(e.0))?;
    let name: String = crate::domain::text::clean_text(&nom).trim().chars().take(200).collect();
    let existing = ctx.store.periods().await?;
    let warnings = check_new_period(&name, starts_at, ends_at, &existing).map_err(|e| AppError::Invalid(e.0))?;
    ctx.store.create_period(&name, starts_at, ends_at, now()).await?;
    let suffix = if warnings.is_empty() {
        ""
    } else {
        "&avertissement=duree"
    };
    leptos_axum::redirect(&format!("/equipe/periodes?creee=1{suffix}"));
    Ok(())
}
