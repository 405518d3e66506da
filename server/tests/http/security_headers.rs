//! Every kind of route carries the security headers: pages with a Content-Security-Policy whose nonce is the
//! one of their inline scripts, server functions, open data and static files with a policy that allows nothing.

use crate::common;

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

#[tokio::test]
async fn writes_sent_from_another_site_are_refused() {
    let db = common::sqlite().await;
    let (app, _) = common::http::setup(&db).await;
    let send = |origin: Option<&'static str>| {
        let app = app.clone();
        async move {
            let mut request = Request::builder()
                .method("POST")
                .uri("/api/equipe/connexion")
                .header(header::HOST, "localhost:3000")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ACCEPT, "application/json");
            if let Some(origin) = origin {
                request = request.header(header::ORIGIN, origin);
            }
            let response = app
                .oneshot(
                    request
                        .body(axum::body::Body::from(
                            "email=prog%40ville.fr&mot_de_passe=une+phrase+de+passe+solide",
                        ))
                        .expect("request"),
                )
                .await
                .expect("response");
            (response.status(), response.headers().get(header::SET_COOKIE).is_some())
        }
    };
    let (status, cookie) = send(Some("https://site-malveillant.example")).await;
    assert_eq!(status, axum::http::StatusCode::FORBIDDEN);
    assert!(!cookie, "no session opened from another site");
    let (status, cookie) = send(Some("http://localhost:3000")).await;
    assert!(status.is_success() || status.is_redirection(), "{status}");
    assert!(cookie, "the same site signs in");
    db.cleanup().await;
}
