//! Limits that keep one client from exhausting the service: the size of a request body (413 beyond), the rate
//! of intake submissions and of collectivité autocompletion per address (429, in French).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use app::server::context::client_address;
pub use app::store::limits::Bucket;
use app::store::LimitStore;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The largest request body accepted, in bytes (the longest form, the cadrage document, stays far below).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// For each kind of request and address: when its current minute started and how many it counted.
type Windows = HashMap<(Bucket, String), (Instant, u32)>;

/// Requests counted per address and minute (a fixed window, forgotten after it ends).
#[derive(Clone, Debug)]
pub struct RateLimits {
    intake_per_minute: u32,
    autocomplete_per_minute: u32,
    windows: Arc<Mutex<Windows>>,
    /// Count the address a proxy in front gives (see `app::server::context::client_address`).
    behind_proxy: bool,
    /// On PostgreSQL, the database every server process counts in (the limits hold across processes).
    shared: Option<Arc<crate::sql::SqlStore>>,
}

fn env_limit(name: &str, default: u32) -> u32 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

impl RateLimits {
    /// Defaults: 30 draft starts or filings and 240 autocompletions a minute per address; the environment
    /// (`IAF_LIMITE_DEPOTS_PAR_MINUTE`, `IAF_LIMITE_RECHERCHES_PAR_MINUTE`) may change them. With `shared` (a
    /// PostgreSQL store) every process counts in the database.
    pub fn from_env(behind_proxy: bool, shared: Option<Arc<crate::sql::SqlStore>>) -> RateLimits {
        RateLimits {
            behind_proxy,
            shared,
            ..RateLimits::new(
                env_limit("IAF_LIMITE_DEPOTS_PAR_MINUTE", 30),
                env_limit("IAF_LIMITE_RECHERCHES_PAR_MINUTE", 240),
            )
        }
    }

    pub fn new(intake_per_minute: u32, autocomplete_per_minute: u32) -> RateLimits {
        RateLimits {
            intake_per_minute,
            autocomplete_per_minute,
            windows: Arc::new(Mutex::new(HashMap::new())),
            behind_proxy: false,
            shared: None,
        }
    }

    fn limit(&self, bucket: Bucket) -> u32 {
        match bucket {
            Bucket::Intake => self.intake_per_minute,
            Bucket::Autocomplete => self.autocomplete_per_minute,
        }
    }

    /// Counts one request where the limits are kept (the database when shared, else this process); false when
    /// the address is over its limit for this minute. A database that cannot count leaves this process's count
    /// to decide.
    pub async fn admits(&self, bucket: Bucket, address: &str) -> bool {
        if let Some(store) = &self.shared {
            let now = app::server::context::now();
            match store.count_request(bucket, address, now - now.rem_euclid(60)).await {
                Ok(seen) => return seen <= i64::from(self.limit(bucket)),
                Err(error) => tracing::warn!(cause = %error.0, "limites de requêtes en base"),
            }
        }
        self.allow(bucket, address, Instant::now())
    }

    /// Counts one request; false when the address is over its limit for this minute.
    pub fn allow(&self, bucket: Bucket, address: &str, now: Instant) -> bool {
        let limit = self.limit(bucket);
        let Ok(mut windows) = self.windows.lock() else {
            return true;
        };
        if windows.len() > 100_000 {
            windows.retain(|_, (start, _)| now.duration_since(*start) < Duration::from_secs(60));
        }
        let entry = windows.entry((bucket, address.to_string())).or_insert((now, 0));
        if now.duration_since(entry.0) >= Duration::from_secs(60) {
            *entry = (now, 0);
        }
        entry.1 += 1;
        entry.1 <= limit
    }
}

/// The limited bucket of a request, if any.
pub fn bucket_of(method: &Method, path: &str) -> Option<Bucket> {
    match (method, path) {
        (&Method::POST, "/api/depot/commencer" | "/api/depot/deposer" | "/api/catalogue/repliquer") => {
            Some(Bucket::Intake)
        }
        // The search and the parts of a step that follow the typing (`partie_etape`).
        (&Method::POST, "/api/collectivites" | "/api/depot/partie") => Some(Bucket::Autocomplete),
        // Asking for lost links sends email: limited like filing.
        (&Method::POST, "/api/suivi/lien-perdu" | "/api/suivi/nouveau-lien") => Some(Bucket::Intake),
        // The attestation is laid out on each request.
        (&Method::GET, path) if path.starts_with("/suivi/") && path.ends_with("/attestation.pdf") => {
            Some(Bucket::Intake)
        }
        // Documents and messages sent by a private link.
        (&Method::POST, path) if super::uploads::is_upload_path(method, path) && !path.starts_with("/equipe/") => {
            Some(Bucket::Intake)
        }
        _ => None,
    }
}

fn wants_html(request: &Request) -> bool {
    request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

/// A French refusal, as a page for a browser without JavaScript and as the app's error otherwise.
fn refusal(status: StatusCode, html: bool, message: &str, error_json: &str) -> Response {
    if html {
        let page = format!(
            "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>{message}</title></head>\
             <body><main><h1>{message}</h1><p>Utilisez le bouton « Retour » de votre navigateur pour revenir à \
             votre saisie, ou <a href=\"/\">revenez à l'accueil</a>.</p></main></body></html>"
        );
        (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response()
    } else {
        (
            status,
            [(header::CONTENT_TYPE, "application/json")],
            error_json.to_string(),
        )
            .into_response()
    }
}

/// 429 once an address is over its limit for a limited kind of request.
pub async fn rate_limits(State(limits): State<RateLimits>, request: Request, next: Next) -> Response {
    if let Some(bucket) = bucket_of(request.method(), request.uri().path()) {
        let peer = request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip());
        let address = client_address(request.headers(), peer, limits.behind_proxy);
        let address = app::domain::sign_in::limited_address(&address);
        if !limits.admits(bucket, &address).await {
            let mut response = refusal(
                StatusCode::TOO_MANY_REQUESTS,
                wants_html(&request),
                "Trop de demandes en peu de temps : patientez une minute puis réessayez. Votre saisie est conservée.",
                "\"RateLimited\"",
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
            return response;
        }
    }
    next.run(request).await
}

/// 413 with a French message for a body over `MAX_BODY_BYTES` (announced by its length, or found while
/// reading it).
pub async fn body_limit(request: Request, next: Next) -> Response {
    // Documents are streamed to disk by their handlers, which enforce their own limits as bytes arrive.
    if super::uploads::is_upload_path(request.method(), request.uri().path()) {
        return next.run(request).await;
    }
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let html = wants_html(&request);
    let too_large = || {
        refusal(
            StatusCode::PAYLOAD_TOO_LARGE,
            html,
            "Les données envoyées sont trop volumineuses (1 Mo au plus).",
            "{\"Invalid\":\"Les données envoyées sont trop volumineuses (1 Mo au plus).\"}",
        )
    };
    if declared.is_some_and(|length| length > MAX_BODY_BYTES) {
        return too_large();
    }
    let (parts, body) = request.into_parts();
    let limited = http_body_util::Limited::new(body, MAX_BODY_BYTES);
    let bytes = match http_body_util::BodyExt::collect(limited).await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => return too_large(),
    };
    next.run(Request::from_parts(parts, axum::body::Body::from(bytes)))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_over_its_limit_waits_for_the_next_minute() {
        let limits = RateLimits::new(3, 100);
        let start = Instant::now();
        for _ in 0..3 {
            assert!(limits.allow(Bucket::Intake, "192.0.2.1", start));
        }
        assert!(!limits.allow(Bucket::Intake, "192.0.2.1", start));
        assert!(limits.allow(Bucket::Intake, "192.0.2.2", start), "another address");
        assert!(limits.allow(Bucket::Autocomplete, "192.0.2.1", start), "another kind");
        assert!(limits.allow(Bucket::Intake, "192.0.2.1", start + Duration::from_secs(61)));
    }

    #[test]
    fn only_intake_and_autocomplete_are_limited() {
        assert_eq!(bucket_of(&Method::POST, "/api/depot/deposer"), Some(Bucket::Intake));
        assert_eq!(
            bucket_of(&Method::POST, "/api/collectivites"),
            Some(Bucket::Autocomplete)
        );
        assert_eq!(
            bucket_of(&Method::POST, "/api/depot/partie"),
            Some(Bucket::Autocomplete)
        );
        assert_eq!(bucket_of(&Method::POST, "/api/depot/etape2"), None);
        assert_eq!(bucket_of(&Method::GET, "/catalogue"), None);
    }
}
