//! What the server functions find in the Leptos context: the store, the official list, the cap on password
//! hashing and whether a proxy stands in front; the clock, the client's address and the site's public address.

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
    /// Permits to run Argon2 (19 MiB and a few dozen milliseconds each): at most this many at once.
    pub hashing: Arc<tokio::sync::Semaphore>,
    /// `IAF_PROXY=1`: the client's address is the last one of `X-Forwarded-For`.
    pub behind_proxy: bool,
}

/// How many passwords may be hashed or checked at once.
pub const HASHING_PERMITS: usize = 4;

impl ServerContext {
    pub fn new(store: SharedStore, directory: Arc<Directory>, behind_proxy: bool) -> ServerContext {
        ServerContext {
            store,
            directory,
            hashing: Arc::new(tokio::sync::Semaphore::new(HASHING_PERMITS)),
            behind_proxy,
        }
    }
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

/// A notice to a collectivité, its links starting with this site's address.
pub fn notice(notice: crate::domain::email::Notice) -> crate::domain::email::CollectiviteNotice {
    crate::domain::email::CollectiviteNotice {
        notice,
        origin: public_origin(),
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

/// The client's address, the one every limit counts: the connection's, or behind a proxy (`behind_proxy`) the
/// last address of `X-Forwarded-For`, the one the proxy saw; "inconnue" when neither is known.
pub fn client_address(headers: &axum::http::HeaderMap, peer: Option<std::net::IpAddr>, behind_proxy: bool) -> String {
    let forwarded = || {
        headers
            .get("x-forwarded-for")?
            .to_str()
            .ok()?
            .rsplit(',')
            .next()?
            .trim()
            .parse::<std::net::IpAddr>()
            .ok()
    };
    match (behind_proxy.then(forwarded).flatten(), peer) {
        (Some(ip), _) | (None, Some(ip)) => ip.to_string(),
        (None, None) => "inconnue".into(),
    }
}

/// The address of the client of the current server function (see `client_address`).
pub async fn request_client_address() -> String {
    let peer = leptos_axum::extract::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .await
        .ok()
        .map(|info| info.0.ip());
    let headers = use_context::<axum::http::request::Parts>()
        .map(|parts| parts.headers)
        .unwrap_or_default();
    let behind_proxy = use_context::<ServerContext>().is_some_and(|ctx| ctx.behind_proxy);
    client_address(&headers, peer, behind_proxy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forwarded_address_counts_only_behind_a_proxy() {
        let mut headers = axum::http::HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            axum::http::HeaderValue::from_static("203.0.113.9, 198.51.100.7"),
        );
        let peer = Some(std::net::IpAddr::from([10, 0, 0, 1]));
        assert_eq!(client_address(&headers, peer, true), "198.51.100.7");
        assert_eq!(client_address(&headers, peer, false), "10.0.0.1");
        headers.insert(
            "x-forwarded-for",
            axum::http::HeaderValue::from_static("pas une adresse"),
        );
        assert_eq!(client_address(&headers, peer, true), "10.0.0.1");
        assert_eq!(client_address(&headers, None, false), "inconnue");
    }
}
