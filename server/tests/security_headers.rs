//! Every kind of route carries the security headers: pages with a Content-Security-Policy whose nonce is the
//! one of their inline scripts, server functions, open data and static files with a policy that allows nothing.

mod common;

use axum::http::{header, Request};
use http_body_util::BodyExt;
use tower::ServiceExt;

#[tokio::test]
async fn every_route_kind_carries_the_security_headers() {
    let db = common::sqlite().await;
    let (app, _) = common::http::setup(&db).await;
    for (method, path) in [
        ("GET", "/"),
        ("GET", "/catalogue"),
        ("GET", "/equipe/connexion"),
        ("GET", "/page-inexistante"),
        ("GET", "/api/catalogue/recherche?texte="),
        ("POST", "/api/equipe/cas"),
        ("GET", "/catalogue.json"),
        ("GET", "/robots.txt"),
        ("GET", "/favicon.svg"),
    ] {
        let response = app
            .clone()
            .oneshot(
                Request::builder()
                    .method(method)
                    .uri(path)
                    .header(header::ACCEPT, "text/html")
                    .body(axum::body::Body::empty())
                    .expect("request"),
            )
            .await
            .expect("response");
        let headers = response.headers().clone();
        let get = |name: header::HeaderName| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string()
        };
        assert_eq!(get(header::X_CONTENT_TYPE_OPTIONS), "nosniff", "{path}");
        assert_eq!(get(header::REFERRER_POLICY), "same-origin", "{path}");
        let csp = get(header::CONTENT_SECURITY_POLICY);
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(csp.contains("base-uri 'none'"), "{path}: {csp}");
        let is_page = get(header::CONTENT_TYPE).starts_with("text/html");
        if is_page {
            assert!(
                csp.contains("object-src 'none'") && csp.contains("'wasm-unsafe-eval'"),
                "{path}: {csp}"
            );
            let body =
                String::from_utf8_lossy(&response.into_body().collect().await.expect("body").to_bytes()).into_owned();
            let nonce = body
                .split("nonce=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .unwrap_or_else(|| panic!("{path}: no inline script with a nonce"));
            assert!(csp.contains(&format!("'nonce-{nonce}'")), "{path}: {csp} vs {nonce}");
        } else {
            assert!(csp.starts_with("default-src 'none'"), "{path}: {csp}");
        }
    }
    db.cleanup().await;
}
