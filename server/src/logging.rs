//! The server's log: human-readable lines by default, one JSON object a line with `IAF_LOG_FORMAT=json`; every
//! line written while a request is served carries that request's id (`x-request-id`, also sent back in the
//! response and shown on error pages) and its route template (never its path, which may hold a private token).

use axum::http::Request;
use tracing::Span;
use tracing_subscriber::EnvFilter;

/// Sets the process's log format and level (`RUST_LOG`, `info,sqlx=warn` by default).
pub fn init() {
    let filter = || EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into());
    let json = std::env::var("IAF_LOG_FORMAT").is_ok_and(|format| format.trim() == "json");
    if json {
        tracing_subscriber::fmt()
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .with_env_filter(filter())
            .init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter()).init();
    }
}

/// The span of one request: its id, method and route.
pub fn request_span<B>(request: &Request<B>) -> Span {
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let route = crate::http::metrics::route_of(request);
    tracing::info_span!("requete", id = %id, methode = %request.method(), route = %route)
}
