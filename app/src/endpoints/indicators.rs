//! The programme's indicators over time, public: lead times per stage and period, filings per month,
//! qualified versus reoriented, targets with their projected date. Counts only: nothing that names a
//! collectivité whose case is not published.

use leptos::prelude::*;

use crate::domain::indicators::Evolution;
use crate::error::AppError;

/// The indicators over time, computed from the event log.
#[server(endpoint = "programme/evolution", input = server_fn::codec::GetUrl)]
pub async fn indicateurs_dans_le_temps() -> Result<Evolution, AppError> {
    let ctx = crate::server::context::server_context()?;
    let timelines = ctx.store.timelines().await?;
    let periods = ctx.store.periods().await?;
    let figures = ctx.store.programme_figures().await?;
    let usage = ctx.store.programme_usage().await?;
    let now = crate::server::context::now();
    let series = crate::domain::deployments::usage::programme_series(&usage.deployments, &usage.reports, now);
    Ok(crate::domain::indicators::evolution(
        &timelines,
        &periods,
        figures.pioneers,
        &series,
        now,
    ))
}
