//! What the server functions find in the Leptos context: the store, the official list and the sign-in limiter;
//! the clock, and the site's public address.

use std::sync::Arc;

use leptos::prelude::*;

use crate::domain::collectivites::Directory;
use crate::error::AppError;
use crate::store::SharedStore;

/// Everything a server function may use, provided once per request by the server.
#[derive(Clone)]
pub struct ServerContext {
    pub store: SharedStore,
    pub directory: Arc<Directory>,
    /// Failed sign-ins per IP and per account.
    pub limiter: Arc<std::sync::Mutex<crate::domain::auth::AttemptLimiter>>,
}

pub fn server_context() -> Result<ServerContext, AppError> {
    use_context::<ServerContext>().ok_or_else(|| {
        tracing::error!("ServerContext missing from the Leptos context");
        AppError::Unavailable
    })
}

/// The current time in Unix seconds: the one clock of the server.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

/// The site's public address: `IAF_PUBLIC_URL` when set, else the scheme and host of the request.
pub fn public_origin() -> String {
    match use_context::<axum::http::request::Parts>() {
        Some(parts) => origin_from_headers(&parts.headers),
        None => origin_from_headers(&axum::http::HeaderMap::new()),
    }
}

/// `IAF_PUBLIC_URL`, or the scheme and host a request was sent to (empty when the host looks wrong).
pub fn origin_from_headers(headers: &axum::http::HeaderMap) -> String {
    if let Ok(url) = std::env::var("IAF_PUBLIC_URL") {
        if !url.trim().is_empty() {
            return url.trim().trim_end_matches('/').to_string();
        }
    }
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    let host = header("host").unwrap_or_default();
    let well_formed = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if !well_formed {
        return String::new();
    }
    let scheme = match header("x-forwarded-proto").as_deref() {
        Some("https") => "https",
        _ => "http",
    };
    format!("{scheme}://{host}")
}
