//! `/sante` (the process answers) and `/pret` (ready for traffic: database, migrations, outbox), for a load
//! balancer or an orchestrator; never cached, no session needed, nothing private in them.

use std::time::Duration;

use app::domain::health::{readiness, Observed};
use app::server::context::now;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::state::AppState;

/// How long each check may take before it counts as failed.
const CHECK_TIMEOUT: Duration = Duration::from_secs(2);

/// `GET /sante`: 200 as long as the process serves requests.
pub async fn alive() -> Response {
    no_store((StatusCode::OK, "Le service fonctionne.\n").into_response())
}

/// `GET /pret`: 200 when every check passes, 503 otherwise, with the report as JSON.
pub async fn ready(State(state): State<AppState>) -> Response {
    let store = state.store.clone();
    let timed = |what: &'static str| move |_| format!("pas de réponse en {} s ({what})", CHECK_TIMEOUT.as_secs());
    let database = match tokio::time::timeout(CHECK_TIMEOUT, store.ping())
        .await
        .map_err(timed("base"))
    {
        Ok(Ok(())) => Ok(()),
        Ok(Err(error)) => {
            tracing::warn!(cause = %error.0, "/pret : base");
            Err("connexion impossible".to_string())
        }
        Err(reason) => Err(reason),
    };
    let applied = match tokio::time::timeout(CHECK_TIMEOUT, store.applied_migrations()).await {
        Ok(Ok(versions)) => Some(versions),
        _ => None,
    };
    let outbox = match tokio::time::timeout(CHECK_TIMEOUT, store.outbox_backlog()).await {
        Ok(Ok(backlog)) => Some((backlog.waiting, backlog.oldest_due_at)),
        _ => None,
    };
    let observed = Observed {
        database,
        applied,
        outbox,
    };
    let report = readiness(&observed, &crate::db::expected_migrations(store.pools.backend), now());
    let status = if report.pret {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    no_store((status, axum::Json(report)).into_response())
}

fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
