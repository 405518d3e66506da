//! What the server functions find in the Leptos context: the store, the official list, the cap on password
//! hashing, whether a proxy stands in front and where the site is served (`Site`); the clock, the client's
//! address and the site's public address.

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
    /// Where the site is served (`IAF_PUBLIC_URL`).
    pub site: Site,
    /// Whether an antivirus (`IAF_CLAMAV`) scans the files sent: the upload forms say so only when it does.
    pub scanner: bool,
    /// ProConnect, when configured (`IAF_PROCONNECT_*`): the sign-in page offers it, the logout goes through it.
    pub proconnect: Option<Arc<dyn ProConnectLogout>>,
}

/// What the server functions and pages need of ProConnect (the client itself lives in the server): the address
/// of its logout for a session's ID token, and its origin (the pages' forms lead there).
#[async_trait::async_trait]
pub trait ProConnectLogout: Send + Sync {
    /// Where to send the browser once the local session has ended; none when the provider has no logout.
    async fn logout_url(&self, id_token: &str, state: &str, space: crate::domain::proconnect::Space) -> Option<String>;
    /// The provider's origin (`https://host[:port]`), which the pages' forms may lead to.
    fn origin(&self) -> String;
}

/// How many passwords may be hashed or checked at once.
pub const HASHING_PERMITS: usize = 4;

impl ServerContext {
    pub fn new(
        store: SharedStore,
        directory: Arc<Directory>,
        behind_proxy: bool,
        site: Site,
        scanner: bool,
    ) -> ServerContext {
        ServerContext {
            store,
            directory,
            hashing: Arc::new(tokio::sync::Semaphore::new(HASHING_PERMITS)),
            behind_proxy,
            site,
            scanner,
            proconnect: None,
        }
    }
}

/// Where the site is served. With `IAF_PUBLIC_URL` (required in production, see the README), its public address
/// is the only one: links, the cross-site check and HTTPS all follow it, whatever `Host` a request names.
/// Without it (a laptop), the site is served over plain HTTP at the host each request names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Site {
    /// The public origin (lower case, no default port, no trailing slash), empty when unset.
    public_url: String,
    /// This server's own origin (`http://` and the address it listens at): what the links it sends away start
    /// with when there is no public address.
    own_origin: String,
}

impl Default for Site {
    fn default() -> Site {
        Site::new("")
    }
}

impl Site {
    /// The site of `IAF_PUBLIC_URL` (empty: none). Whether the address is well formed is checked at start
    /// (`public_url_problem`).
    pub fn new(public_url: &str) -> Site {
        Site {
            public_url: normalized_origin(public_url),
            own_origin: "http://127.0.0.1:3000".into(),
        }
    }

    /// The same site, served by this server at `address`.
    pub fn serving_at(self, address: std::net::SocketAddr) -> Site {
        Site {
            own_origin: format!("http://{address}"),
            ..self
        }
    }

    /// Where the links the site sends away start (emails, the attestation de dépôt, the antivirus's notices):
    /// the public address, else this server's own address; never the `Host` a request names.
    pub fn link_origin(&self) -> &str {
        if self.public_url.is_empty() {
            &self.own_origin
        } else {
            &self.public_url
        }
    }

    /// `IAF_PUBLIC_URL` as the site compares it, empty when unset.
    pub fn public_url(&self) -> &str {
        &self.public_url
    }

    /// Whether the site is served over HTTPS: only at an `https://` public address (the server itself speaks
    /// plain HTTP; HTTPS is a reverse proxy's, which requires `IAF_PUBLIC_URL`).
    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// The site's origin for links: the public address, else `http://` and the request's `Host` (empty when the
    /// host looks wrong).
    pub fn origin(&self, headers: &axum::http::HeaderMap) -> String {
        if !self.public_url.is_empty() {
            return self.public_url.clone();
        }
        let host = request_host(headers);
        if host.is_empty() {
            String::new()
        } else {
            format!("http://{host}")
        }
    }

    /// Whether `origin` (an `Origin` header) is this site: the public address exactly (scheme, host and port),
    /// or without one the host the request names.
    pub fn is_own_origin(&self, origin: &str, headers: &axum::http::HeaderMap) -> bool {
        let origin = normalized_origin(origin);
        if !self.public_url.is_empty() {
            return origin == self.public_url;
        }
        let host = request_host(headers).to_ascii_lowercase();
        !host.is_empty() && origin.split_once("://").is_some_and(|(_, rest)| rest == host)
    }
}

/// The request's `Host`, empty unless it is made of the characters of a host name, an address and a port.
fn request_host(headers: &axum::http::HeaderMap) -> &str {
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let well_formed = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if well_formed {
        host
    } else {
        ""
    }
}

/// An origin as browsers send it: lower case, without a trailing slash or the scheme's default port.
fn normalized_origin(url: &str) -> String {
    let url = url.trim().trim_end_matches('/').to_ascii_lowercase();
    for (scheme, port) in [("https://", ":443"), ("http://", ":80")] {
        if url.starts_with(scheme) {
            if let Some(without) = url.strip_suffix(port) {
                return without.to_string();
            }
        }
    }
    url
}

/// What is wrong with an `IAF_PUBLIC_URL` value, in French; none when it is a scheme (`http://`, `https://`)
/// and a host, with an optional port and nothing else.
pub fn public_url_problem(url: &str) -> Option<String> {
    let normalized = normalized_origin(url);
    let host = normalized
        .strip_prefix("https://")
        .or_else(|| normalized.strip_prefix("http://"));
    let fine = host.is_some_and(|host| {
        !host.is_empty()
            && !host.starts_with(':')
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
    });
    (!fine).then(|| {
        format!(
            "IAF_PUBLIC_URL={} n'est pas l'adresse d'un site : indiquez le schéma et l'hôte seulement, par exemple \
             https://ia-factory.banquedesterritoires.fr (sans chemin ni paramètre).",
            url.trim()
        )
    })
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

/// The site's public address: `IAF_PUBLIC_URL` when set, else `http://` and the host of the request.
pub fn public_origin() -> String {
    let site = use_context::<ServerContext>().map(|ctx| ctx.site).unwrap_or_default();
    match use_context::<axum::http::request::Parts>() {
        Some(parts) => site.origin(&parts.headers),
        None => site.origin(&axum::http::HeaderMap::new()),
    }
}

/// Where the links of an email start: the public address, else this server's own (`Site::link_origin`).
pub fn link_origin() -> String {
    use_context::<ServerContext>()
        .map(|ctx| ctx.site.link_origin().to_string())
        .unwrap_or_default()
}

/// A notice to a collectivité, its links starting with this site's address (`link_origin`).
pub fn notice(notice: crate::domain::email::Notice) -> crate::domain::email::CollectiviteNotice {
    crate::domain::email::CollectiviteNotice {
        notice,
        origin: link_origin(),
    }
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

    fn headers(pairs: &[(&'static str, &'static str)]) -> axum::http::HeaderMap {
        let mut map = axum::http::HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, axum::http::HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn the_public_address_wins_over_the_host_a_request_names() {
        let public = Site::new(" https://IA-Factory.example:443/ ");
        assert_eq!(public.public_url(), "https://ia-factory.example");
        assert!(public.is_https());
        let forged = headers(&[("host", "evil.example"), ("x-forwarded-proto", "http")]);
        assert_eq!(public.origin(&forged), "https://ia-factory.example");
        assert!(public.is_own_origin("https://ia-factory.example", &forged));
        assert!(!public.is_own_origin("https://evil.example", &forged));
        assert!(
            !public.is_own_origin("http://ia-factory.example", &forged),
            "the scheme counts"
        );
        assert!(
            !public.is_own_origin("https://ia-factory.example:8443", &forged),
            "the port counts"
        );

        let laptop = Site::default();
        assert!(!laptop.is_https());
        let local = headers(&[("host", "localhost:3000"), ("x-forwarded-proto", "https")]);
        assert_eq!(
            laptop.origin(&local),
            "http://localhost:3000",
            "X-Forwarded-Proto is not trusted"
        );
        assert!(laptop.is_own_origin("http://localhost:3000", &local));
        assert!(!laptop.is_own_origin("http://evil.example", &local));
        assert_eq!(laptop.origin(&headers(&[("host", "a\"><b")])), "");
    }

    #[test]
    fn the_links_sent_away_never_follow_the_host_a_request_names() {
        let public = Site::new("https://ia-factory.example").serving_at(([0, 0, 0, 0], 3000).into());
        assert_eq!(public.link_origin(), "https://ia-factory.example");
        let laptop = Site::default().serving_at(([127, 0, 0, 1], 8080).into());
        assert_eq!(laptop.link_origin(), "http://127.0.0.1:8080");
    }

    #[test]
    fn a_public_address_is_a_scheme_and_a_host() {
        for fine in [
            "https://ia-factory.fr",
            "http://127.0.0.1:3000",
            "https://ia-factory.fr/",
            "HTTPS://X.FR",
        ] {
            assert_eq!(public_url_problem(fine), None, "{fine}");
        }
        for wrong in [
            "ia-factory.fr",
            "https://",
            "https://ia-factory.fr/equipe",
            "ftp://x.fr",
            "https://a@b.fr",
        ] {
            let problem = public_url_problem(wrong).unwrap_or_default();
            assert!(
                problem.contains("IAF_PUBLIC_URL") && problem.contains("https://"),
                "{wrong}: {problem}"
            );
        }
    }
}
