//! Prometheus metrics, served on their own listen address (`IAF_METRIQUES_ADDR`, never on the public one):
//! requests by route, method and status with their latency, the database pools, the outbox backlog, the open
//! live streams and the failed sign-ins (counted where they happen, in `app::server::session`).

use std::collections::HashSet;
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::sql::SqlStore;

pub const REQUESTS: &str = "iaf_requetes_total";
pub const REQUEST_SECONDS: &str = "iaf_requete_duree_secondes";
pub const POOL_CONNECTIONS: &str = "iaf_base_connexions";
pub const OUTBOX_WAITING: &str = "iaf_courriels_en_attente";
pub const OUTBOX_OLDEST_SECONDS: &str = "iaf_courriels_attente_max_secondes";
pub const LIVE_STREAMS: &str = "iaf_flux_ouverts";
/// Counted by `app::server::session::sign_in`.
pub const SIGN_IN_FAILURES: &str = app::server::session::SIGN_IN_FAILURES_METRIC;

/// Installs the process's recorder; the handle renders what it holds.
pub fn install() -> Result<PrometheusHandle, String> {
    PrometheusBuilder::new()
        .set_buckets_for_metric(
            Matcher::Full(REQUEST_SECONDS.into()),
            &[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0],
        )
        .and_then(|builder| builder.install_recorder())
        .map_err(|e| format!("métriques : {e}"))
}

/// The server functions' paths: each is a route of its own (the rest of `/api/` is one label, `autre`).
fn server_function_paths() -> &'static HashSet<String> {
    static PATHS: OnceLock<HashSet<String>> = OnceLock::new();
    PATHS.get_or_init(|| {
        leptos::server_fn::axum::server_fn_paths()
            .map(|(path, _)| path.to_string())
            .collect()
    })
}

/// The route label of a request: its route template (never the path itself, which may hold a private token),
/// a server function's path, `/pkg/*` for the assets, `autre` for the rest. The log lines use it too.
pub fn route_of<B>(request: &axum::http::Request<B>) -> String {
    if let Some(matched) = request.extensions().get::<MatchedPath>() {
        return matched.as_str().to_string();
    }
    let path = request.uri().path();
    if path.starts_with("/pkg/") {
        "/pkg/*".into()
    } else if server_function_paths().contains(path) {
        path.to_string()
    } else {
        "autre".into()
    }
}

/// Counts every request and records how long it took to answer (time to the response's head).
pub async fn record_requests(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = route_of(&request);
    let method = match request.method().as_str() {
        method @ ("GET" | "POST" | "HEAD" | "PUT" | "DELETE" | "OPTIONS") => method.to_string(),
        _ => "autre".to_string(),
    };
    let response = next.run(request).await;
    let labels = [
        ("route", route),
        ("methode", method),
        ("statut", response.status().as_u16().to_string()),
    ];
    metrics::counter!(REQUESTS, &labels).increment(1);
    metrics::histogram!(REQUEST_SECONDS, &labels).record(started.elapsed().as_secs_f64());
    response
}

/// One open live stream: counted while it lives.
pub struct LiveStream(());

impl LiveStream {
    pub fn open() -> LiveStream {
        metrics::gauge!(LIVE_STREAMS).increment(1.0);
        LiveStream(())
    }
}

impl Drop for LiveStream {
    fn drop(&mut self) {
        metrics::gauge!(LIVE_STREAMS).decrement(1.0);
    }
}

/// What the metrics listener needs.
#[derive(Clone)]
struct Exporter {
    handle: PrometheusHandle,
    store: Arc<SqlStore>,
}

/// `GET /metrics` on the metrics address: the gauges read now, then everything in the text format.
async fn render(State(exporter): State<Exporter>) -> Response {
    let pools = &exporter.store.pools;
    for (name, pool) in [("lecture", &pools.read), ("ecriture", &pools.write)] {
        let size = f64::from(pool.size());
        let idle = pool.num_idle() as f64;
        metrics::gauge!(POOL_CONNECTIONS, "pool" => name, "etat" => "ouvertes").set(size);
        metrics::gauge!(POOL_CONNECTIONS, "pool" => name, "etat" => "occupees").set((size - idle).max(0.0));
        metrics::gauge!(POOL_CONNECTIONS, "pool" => name, "etat" => "max")
            .set(f64::from(pool.options().get_max_connections()));
    }
    if let Ok(backlog) = exporter.store.outbox_backlog().await {
        metrics::gauge!(OUTBOX_WAITING).set(backlog.waiting as f64);
        let oldest = backlog
            .oldest_due_at
            .map(|due| (app::server::context::now() - due).max(0))
            .unwrap_or_default();
        metrics::gauge!(OUTBOX_OLDEST_SECONDS).set(oldest as f64);
    }
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        exporter.handle.render(),
    )
        .into_response()
}

/// The metrics listener's routes.
pub fn router(handle: PrometheusHandle, store: Arc<SqlStore>) -> axum::Router {
    axum::Router::new()
        .route("/metrics", axum::routing::get(render))
        .with_state(Exporter { handle, store })
}
