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
    Router::new()
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
            "/equipe/export/decisions.csv",
            axum::routing::get(crate::live::export_trail),
        )
        .leptos_routes_with_context(&state, routes, provide.clone(), move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(
            provide, shell,
        ))
        .layer(CompressionLayer::new())
        .with_state(state)
}
