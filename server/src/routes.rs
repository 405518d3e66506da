//! The axum application: Leptos pages and server functions with their context, the static site (hashed
//! assets cached for a year, compressed with brotli or gzip), and the shared state.

use std::sync::Arc;

use app::api::context::ServerContext;
use app::app::{shell, App};
use app::domain::collectivites::Directory;
use axum::extract::FromRef;
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::compression::CompressionLayer;

use crate::store::SqlStore;

/// Everything the handlers share: one store (one pool set) and the Leptos options.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub store: Arc<SqlStore>,
    pub directory: Arc<Directory>,
}

/// The official list of collectivités, compiled into the binary (no npm or file needed at run time).
pub fn load_directory() -> Result<Directory, String> {
    let text = include_str!("../data/collectivites.tsv");
    app::domain::collectivites::parse_tsv(text)
        .map(Directory::new)
        .map_err(|e| format!("collectivites.tsv ligne {} : {}", e.line, e.reason))
}

pub fn router(state: AppState) -> Router {
    let context = ServerContext {
        store: state.store.clone(),
        directory: state.directory.clone(),
        limiter: Default::default(),
    };
    let provide = move || provide_context(context.clone());
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    // The compiled assets, with the `.br` and `.gz` files made at build time when they exist.
    let pkg_dir = format!("{}/{}", options.site_root, options.site_pkg_dir);
    let assets = tower_http::services::ServeDir::new(pkg_dir)
        .precompressed_br()
        .precompressed_gzip();
    Router::new()
        .nest_service(&format!("/{}", options.site_pkg_dir), assets)
        .route("/equipe/flux", axum::routing::get(crate::live::board_events))
        .route("/catalogue.json", axum::routing::get(crate::open_data::catalogue_json))
        .route("/catalogue.csv", axum::routing::get(crate::open_data::catalogue_csv))
        .route("/catalogue.atom", axum::routing::get(crate::open_data::catalogue_atom))
        .route("/sitemap.xml", axum::routing::get(crate::open_data::sitemap))
        .route("/robots.txt", axum::routing::get(crate::open_data::robots))
        .route(
            "/docs/catalogue-donnees-ouvertes",
            axum::routing::get(crate::open_data::schema_documentation),
        )
        .route("/equipe/export/cas.csv", axum::routing::get(crate::live::export_cases))
        .route(
            "/equipe/cas/{reference}/cadrage/{numero}/document.odt",
            axum::routing::get(crate::live::export_cadrage_odt),
        )
        .route(
            "/equipe/export/decisions.csv",
            axum::routing::get(crate::live::export_trail),
        )
        .route(
            "/equipe/export/personne.json",
            axum::routing::get(crate::privacy::export_personal_data),
        )
        .leptos_routes_with_context(&state, routes, provide.clone(), move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(
            provide, shell,
        ))
        // Pages and data are compressed as they are sent, at a level that costs little CPU (the compiled assets
        // are compressed at the highest level once, at build time).
        .layer(CompressionLayer::new().quality(tower_http::CompressionLevel::Precise(4)))
        .layer(axum::middleware::from_fn(cache_lifetimes))
        .layer(axum::middleware::from_fn(crate::limits::server_fn_statuses))
        .layer(axum::middleware::from_fn_with_state(
            crate::limits::RateLimits::from_env(),
            crate::limits::rate_limits,
        ))
        .layer(axum::middleware::from_fn(crate::limits::body_limit))
        .layer(axum::middleware::from_fn(refuse_cross_site_writes))
        .layer(axum::middleware::from_fn(security_headers))
        .with_state(state)
}

/// Whether a file name carries a content hash (`ia-factory.p9-M-tVpo9tYRqi7tKQp1A.js`): its content never
/// changes under that name.
pub fn is_hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() >= 3
        && parts[1..parts.len() - 1]
            .iter()
            .any(|part| part.len() >= 16 && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
}

/// Cache lifetimes: a year for hashed assets, an hour for the other static files, none for pages and data.
async fn cache_lifetimes(request: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    use axum::http::{header, HeaderValue};
    let path = request.uri().path().to_string();
    let mut response = next.run(request).await;
    if response.status().is_success() && !response.headers().contains_key(header::CACHE_CONTROL) {
        let value = if path.starts_with("/pkg/") && is_hashed_asset(&path) {
            Some("public, max-age=31536000, immutable")
        } else if path.starts_with("/pkg/") || path == "/favicon.svg" {
            Some("public, max-age=3600")
        } else {
            None
        };
        if let Some(value) = value {
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
        }
    }
    response
}

/// The headers every response carries: no MIME sniffing, no referrer outside the site (private links carry
/// their token in the address), no framing, HSTS when the site is public over HTTPS; a page sets its own
/// Content-Security-Policy with its nonce, every other response gets one that allows nothing.
async fn security_headers(request: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    use axum::http::{header, HeaderValue};
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'; base-uri 'none'"),
        );
    }
    if std::env::var("IAF_PUBLIC_URL").is_ok_and(|url| url.starts_with("https://")) {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    response
}

/// Whether a state-changing request comes from another site: `Sec-Fetch-Site: cross-site`, or an `Origin` that
/// is not this site's. Requests without either (non-browser clients) are not cross-site requests.
pub fn is_cross_site(method: &axum::http::Method, headers: &axum::http::HeaderMap) -> bool {
    use axum::http::Method;
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return false;
    }
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if header("sec-fetch-site") == "cross-site" {
        return true;
    }
    let origin = header("origin");
    if origin.is_empty() {
        return false;
    }
    let own = app::api::context::origin_from_headers(headers);
    let host_of = |url: &str| {
        url.split("://")
            .nth(1)
            .unwrap_or_default()
            .trim_end_matches('/')
            .to_string()
    };
    origin == "null" || host_of(origin) != host_of(&own)
}

/// Server functions have no CSRF protection of their own: a write sent from another site is refused (403).
async fn refuse_cross_site_writes(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if is_cross_site(request.method(), request.headers()) {
        return (
            axum::http::StatusCode::FORBIDDEN,
            [(axum::http::header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Requête refusée : elle provient d'un autre site.",
        )
            .into_response();
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn writes_from_other_sites_are_recognised() {
        use axum::http::{HeaderMap, HeaderValue, Method};
        let headers = |pairs: &[(&'static str, &'static str)]| {
            let mut map = HeaderMap::new();
            map.insert("host", HeaderValue::from_static("ia-factory.example:3000"));
            for (name, value) in pairs {
                map.insert(*name, HeaderValue::from_static(value));
            }
            map
        };
        let post = Method::POST;
        assert!(super::is_cross_site(
            &post,
            &headers(&[("origin", "https://evil.example")])
        ));
        assert!(super::is_cross_site(
            &post,
            &headers(&[("sec-fetch-site", "cross-site")])
        ));
        assert!(super::is_cross_site(&post, &headers(&[("origin", "null")])));
        assert!(!super::is_cross_site(
            &post,
            &headers(&[("origin", "http://ia-factory.example:3000")])
        ));
        assert!(!super::is_cross_site(
            &post,
            &headers(&[("sec-fetch-site", "same-origin")])
        ));
        assert!(
            !super::is_cross_site(&post, &headers(&[])),
            "no browser headers: not a cross-site request"
        );
        assert!(!super::is_cross_site(
            &Method::GET,
            &headers(&[("origin", "https://evil.example")])
        ));
    }

    #[test]
    fn hashed_assets_are_recognised() {
        assert!(super::is_hashed_asset("/pkg/ia-factory.p9-M-tVpo9tYRqi7tKQp1A.js"));
        assert!(super::is_hashed_asset("/pkg/ia-factory.jAVrXs7VpsB04Gmc8VT8jQ.wasm.br"));
        assert!(!super::is_hashed_asset("/pkg/ia-factory.js"));
        assert!(!super::is_hashed_asset("/favicon.svg"));
    }
}
