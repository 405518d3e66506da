//! What every handler shares: the store, the official list of collectivités and the Leptos options.

use std::sync::Arc;

use app::domain::collectivites::Directory;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

use crate::sql::SqlStore;

/// Everything the handlers share: one store (one pool set) and the Leptos options.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub store: Arc<SqlStore>,
    pub directory: Arc<Directory>,
    /// `IAF_PROXY=1`: a reverse proxy in front gives the client's address (see `client_address`).
    pub behind_proxy: bool,
    /// Where documents are stored, and the antivirus that clears them.
    pub documents: Arc<crate::scan::DocumentFiles>,
    /// Where the site is served (`IAF_PUBLIC_URL`): links, the cross-site check, HTTPS and the session cookie.
    pub site: app::server::context::Site,
}

/// The official list of collectivités, compiled into the binary (no npm or file needed at run time).
pub fn load_directory() -> Result<Directory, String> {
    let text = include_str!("../data/collectivites.tsv");
    app::domain::collectivites::parse_tsv(text)
        .map(Directory::new)
        .map_err(|e| format!("collectivites.tsv ligne {} : {}", e.line, e.reason))
}
