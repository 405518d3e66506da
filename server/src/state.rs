//! What every handler shares: the Leptos options, the SQL store, the documents folder, and the context the
//! server functions receive (`app::server::context::ServerContext`: the store, the official list of
//! collectivités, the hashing permits, the proxy, the site), held once.

use std::sync::Arc;

use app::domain::collectivites::Directory;
use app::server::context::{ServerContext, Site};
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

use crate::sql::SqlStore;

/// Everything the handlers share: one store (one pool set), the documents, the Leptos options and the context
/// of the server functions, which the handlers read too (no field of it is copied here).
#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    /// The store with its SQL (the context holds the same one, as the server functions see it).
    pub store: Arc<SqlStore>,
    /// Where documents are stored, and the antivirus that clears them.
    pub documents: Arc<crate::scan::DocumentFiles>,
    /// The store, the official list, the hashing permits, `IAF_PROXY=1` and where the site is served
    /// (`IAF_PUBLIC_URL`: links, the cross-site check, HTTPS and the session cookie).
    pub context: ServerContext,
    /// The ProConnect client, when `IAF_PROCONNECT_*` configure it.
    pub proconnect: Option<Arc<crate::proconnect::ProConnect>>,
    /// This process's copies of the open data (`crate::copies`, served by `http::copies`).
    pub copies: Arc<crate::copies::Copies>,
}

impl AppState {
    pub fn new(
        leptos_options: LeptosOptions,
        store: Arc<SqlStore>,
        directory: Arc<Directory>,
        behind_proxy: bool,
        documents: Arc<crate::scan::DocumentFiles>,
        site: Site,
    ) -> AppState {
        AppState {
            context: ServerContext::new(store.clone(), directory, behind_proxy, site, documents.clamav.is_some()),
            leptos_options,
            store,
            documents,
            proconnect: None,
            copies: Default::default(),
        }
    }

    /// The same state signing in with ProConnect (the server functions see it too, for the sign-in page and the
    /// logout).
    pub fn with_proconnect(mut self, proconnect: Arc<crate::proconnect::ProConnect>) -> AppState {
        self.context.proconnect = Some(proconnect.clone());
        self.proconnect = Some(proconnect);
        self
    }

    /// Where the site is served.
    pub fn site(&self) -> &Site {
        &self.context.site
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> LeptosOptions {
        state.leptos_options.clone()
    }
}

impl FromRef<AppState> for Site {
    fn from_ref(state: &AppState) -> Site {
        state.context.site.clone()
    }
}

/// The official list of collectivités, compiled into the binary (no npm or file needed at run time).
pub fn load_directory() -> Result<Directory, String> {
    let text = include_str!("../data/collectivites.tsv");
    app::domain::collectivites::parse_tsv(text)
        .map(Directory::new)
        .map_err(|e| format!("collectivites.tsv ligne {} : {}", e.line, e.reason))
}
