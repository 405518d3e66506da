//! The middleware every response passes through: security headers, cache lifetimes, the refusal of cross-site
//! writes, and the one mechanism that gives a server function's error its HTTP status.

use app::error::AppError;
use app::server::context::Site;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

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
pub async fn cache_lifetimes(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
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
pub async fn security_headers(
    State(site): State<Site>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::{header, HeaderValue};
    warn_of_https_without_public_url(&site, request.headers());
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
    if site.is_https() {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    response
}

/// A request a TLS proxy forwarded (`X-Forwarded-Proto: https`) while `IAF_PUBLIC_URL` is unset: the site
/// then treats itself as plain HTTP (no `Secure` cookie, `http://` links), which the log says once.
fn warn_of_https_without_public_url(site: &Site, headers: &axum::http::HeaderMap) {
    static WARNED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    let forwarded_https = headers
        .get("x-forwarded-proto")
        .is_some_and(|value| value.as_bytes().eq_ignore_ascii_case(b"https"));
    if forwarded_https && site.public_url().is_empty() && !WARNED.swap(true, std::sync::atomic::Ordering::Relaxed) {
        tracing::warn!(
            "requête reçue par un mandataire en HTTPS alors que IAF_PUBLIC_URL n'est pas fixée : le site se croit \
             en HTTP (cookie sans Secure, liens en http://). Fixez IAF_PUBLIC_URL=https://… et IAF_PROXY=1."
        );
    }
}

/// Whether a state-changing request comes from another site: `Sec-Fetch-Site: cross-site`, or an `Origin` that
/// is not this site's (`IAF_PUBLIC_URL` exactly when set, whatever `Host` says). Requests without either
/// (non-browser clients) are not cross-site requests.
pub fn is_cross_site(method: &axum::http::Method, headers: &axum::http::HeaderMap, site: &Site) -> bool {
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
    origin == "null" || !site.is_own_origin(origin, headers)
}

/// Server functions have no CSRF protection of their own: a write sent from another site is refused (403).
pub async fn refuse_cross_site_writes(
    State(site): State<Site>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if is_cross_site(request.method(), request.headers(), &site) {
        return (
            axum::http::StatusCode::FORBIDDEN,
            [(axum::http::header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Requête refusée : elle provient d'un autre site.",
        )
            .into_response();
    }
    next.run(request).await
}

/// A server function's error answered 500 gets the status its error means; a request the server function
/// could not read (missing or malformed arguments) is a 400 with a French message that echoes nothing.
pub async fn server_fn_statuses(request: Request, next: Next) -> Response {
    let is_server_fn = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    if !is_server_fn || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // An error that does not fit in this size is the argument parser quoting a huge input back.
    let bytes = match http_body_util::BodyExt::collect(http_body_util::Limited::new(body, 64 * 1024)).await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => axum::body::Bytes::from_static(b"{\"ServerFn\":{\"Args\":\"\"}}"),
    };
    match serde_json::from_slice::<AppError>(&bytes) {
        Ok(AppError::ServerFn(cause)) => {
            let cause: String = cause.to_string().chars().take(200).collect();
            tracing::info!(%cause, "unreadable server function request");
            parts.status = StatusCode::BAD_REQUEST;
            parts.headers.remove(header::CONTENT_LENGTH);
            let body = serde_json::to_string(&AppError::Invalid(
                "La demande envoyée n'a pas pu être lue : rechargez la page puis réessayez.".into(),
            ))
            .unwrap_or_default();
            Response::from_parts(parts, axum::body::Body::from(body))
        }
        Ok(error) => {
            parts.status = StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            Response::from_parts(parts, axum::body::Body::from(bytes))
        }
        Err(_) => Response::from_parts(parts, axum::body::Body::from(bytes)),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn writes_from_other_sites_are_recognised() {
        use app::server::context::Site;
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
        let laptop = Site::default();
        let cross = |pairs: &[(&'static str, &'static str)]| super::is_cross_site(&post, &headers(pairs), &laptop);
        assert!(cross(&[("origin", "https://evil.example")]));
        assert!(cross(&[("sec-fetch-site", "cross-site")]));
        assert!(cross(&[("origin", "null")]));
        assert!(!cross(&[("origin", "http://ia-factory.example:3000")]));
        assert!(!cross(&[("sec-fetch-site", "same-origin")]));
        assert!(!cross(&[]), "no browser headers: not a cross-site request");
        assert!(!super::is_cross_site(
            &Method::GET,
            &headers(&[("origin", "https://evil.example")]),
            &laptop
        ));

        // With a public address, Origin is compared with it, not with the Host the request names.
        let public = Site::new("https://ia-factory.example");
        let mut forged = headers(&[("origin", "https://evil.example")]);
        forged.insert("host", HeaderValue::from_static("evil.example"));
        assert!(super::is_cross_site(&post, &forged, &public));
        assert!(!super::is_cross_site(
            &post,
            &headers(&[("origin", "https://ia-factory.example")]),
            &public
        ));
        assert!(super::is_cross_site(
            &post,
            &headers(&[("origin", "http://ia-factory.example")]),
            &public
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
