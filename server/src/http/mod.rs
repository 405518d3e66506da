//! The axum application: Leptos pages and server functions with their context, the static site (hashed
//! assets cached for a year, compressed with brotli or gzip), the live stream, exports and open data, behind
//! the middleware every response passes through.

use app::app::{shell, App};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use tower_http::compression::predicate::{DefaultPredicate, Predicate, SizeAbove};
use tower_http::compression::CompressionLayer;

use crate::state::AppState;

pub mod auth;
pub mod copies;
pub mod downloads;
pub mod events;
pub mod exports;
pub mod health;
pub mod limits;
pub mod metrics;
pub mod middleware;
pub mod open_data;
pub mod privacy;
pub mod proconnect;
pub mod registers;
pub mod tables;
pub mod uploads;

/// The routes of the documents: uploads streamed by their handlers (their own body limit), downloads and the
/// attestation de dépôt.
fn document_routes() -> Router<AppState> {
    use app::routes::axum_paths as paths;
    use axum::extract::DefaultBodyLimit;
    use axum::routing::{get, post};
    Router::new()
        .route(paths::DRAFT_DOCUMENTS, post(uploads::add_draft_documents))
        .route(paths::LINK_MESSAGES, post(uploads::collectivite_message))
        .route(paths::CASE_MESSAGES, post(uploads::team_message))
        .route(paths::AGENT_MESSAGES, post(uploads::agent_message))
        .layer(DefaultBodyLimit::max(uploads::MAX_UPLOAD_REQUEST_BYTES))
        .route(paths::LINK_DOCUMENT, get(downloads::document_by_link))
        .route(paths::CASE_DOCUMENT, get(downloads::document_of_case))
        .route(paths::AGENT_DOCUMENT, get(downloads::document_for_agent))
        .route(paths::ATTESTATION, get(downloads::attestation))
}

/// The Leptos routes, generated once per process. Generating them raises a flag that is global to the
/// process, under which a resource first polled on another thread waits forever (leptos-rs/leptos#4773): a
/// server builds its router once before serving, but the tests build one per test while others render pages.
/// Registering the server functions is part of the generation.
pub fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn router(state: AppState) -> Router {
    use app::routes::axum_paths as paths;
    let context = state.context.clone();
    let provide = move || provide_context(context.clone());
    let routes = route_list();
    let options = state.leptos_options.clone();
    // The compiled assets, with the `.br` and `.gz` files made at build time when they exist.
    let pkg_dir = format!("{}/{}", options.site_root, options.site_pkg_dir);
    let assets = tower_http::services::ServeDir::new(pkg_dir)
        .precompressed_br()
        .precompressed_gzip();
    Router::new()
        .nest_service(&format!("/{}", options.site_pkg_dir), assets)
        .route(
            paths::TEAM_STREAM,
            axum::routing::get(events::board_events)
                .layer(axum::Extension(std::sync::Arc::new(events::LiveStreams::default()))),
        )
        .merge(document_routes())
        .route("/catalogue.json", axum::routing::get(open_data::catalogue_json))
        .route("/catalogue.csv", axum::routing::get(open_data::catalogue_csv))
        .route("/catalogue.atom", axum::routing::get(open_data::catalogue_atom))
        .route(
            "/catalogue/bibliotheque-ia-territoriale.csv",
            axum::routing::get(registers::bibliotheque_csv),
        )
        .route("/catalogue/dcat.jsonld", axum::routing::get(registers::dcat))
        .route(
            "/programme/indicateurs.csv",
            axum::routing::get(open_data::programme_csv),
        )
        .route(
            "/docs/correspondances-registres",
            axum::routing::get(registers::mapping_documentation),
        )
        .route(app::routes::PROCONNECT_START, axum::routing::get(proconnect::start))
        .route(app::routes::PROCONNECT_RETURN, axum::routing::get(proconnect::finish))
        .route("/sitemap.xml", axum::routing::get(open_data::sitemap))
        .route("/robots.txt", axum::routing::get(open_data::robots))
        .route("/sante", axum::routing::get(health::alive))
        .route("/pret", axum::routing::get(health::ready))
        .route(
            "/docs/catalogue-donnees-ouvertes",
            axum::routing::get(open_data::schema_documentation),
        )
        .route(paths::TEAM_EXPORT, axum::routing::get(exports::export_table))
        .route(paths::CADRAGE_ODT, axum::routing::get(exports::export_cadrage_odt))
        .route(paths::PERSON_EXPORT, axum::routing::get(privacy::export_personal_data))
        .leptos_routes_with_context(&state, routes, provide.clone(), move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(
            provide, shell,
        ))
        // Inside every other layer but after the routes: a signed-out request to a team page is sent to sign in.
        .layer(axum::middleware::from_fn_with_state(state.clone(), auth::sign_in_first))
        // Pages and data are compressed as they are sent, at a level that costs little CPU (the compiled assets
        // are compressed at the highest level once, at build time). An answer known to be under 1 KiB (a move's
        // JSON, a 409, a redirect) is sent as it is: brotli's tables cost more to set up than the bytes saved (a
        // tenth of the server's time in the moves drill).
        // Inside the compression: it reads the server functions' error bodies before they are compressed.
        .layer(axum::middleware::from_fn(middleware::server_fn_statuses))
        .layer(
            CompressionLayer::new()
                .quality(tower_http::CompressionLevel::Precise(4))
                .compress_when(DefaultPredicate::new().and(SizeAbove::new(1024))),
        )
        .layer(axum::middleware::from_fn(middleware::cache_lifetimes))
        .layer(axum::middleware::from_fn_with_state(
            limits::RateLimits::from_env(
                state.context.behind_proxy,
                (state.store.pools.backend == crate::db::Backend::Postgres).then(|| state.store.clone()),
            ),
            limits::rate_limits,
        ))
        .layer(axum::middleware::from_fn(limits::body_limit))
        .layer(axum::middleware::from_fn_with_state(
            state.context.site.clone(),
            middleware::refuse_cross_site_writes,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.context.site.clone(),
            middleware::security_headers,
        ))
        .layer(axum::middleware::from_fn(metrics::record_requests))
        // Every request gets an id (kept when a proxy already gave one), in its log lines and its response.
        .layer(
            tower_http::trace::TraceLayer::new_for_http()
                .make_span_with(crate::logging::request_span)
                .on_request(())
                .on_response(
                    tower_http::trace::DefaultOnResponse::new()
                        .level(tracing::Level::INFO)
                        .latency_unit(tower_http::LatencyUnit::Millis),
                )
                .on_failure(()),
        )
        .layer(tower_http::request_id::PropagateRequestIdLayer::x_request_id())
        .layer(tower_http::request_id::SetRequestIdLayer::x_request_id(
            tower_http::request_id::MakeRequestUuid,
        ))
        .with_state(state)
}
