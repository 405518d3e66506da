//! Every kind of route carries the security headers: pages with a Content-Security-Policy whose nonce is the
//! one of their inline scripts, server functions, open data and static files with a policy that allows nothing.
//! With a public address (`IAF_PUBLIC_URL`), the request's `Host` decides nothing: the cross-site check, the
//! links of open data and HTTPS follow the address; without one, the site is plain HTTP at the request's host.

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

/// Sends `method path` with `pairs` as headers; the status, the headers and the body.
async fn send(
    app: &axum::Router,
    method: &str,
    path: &str,
    pairs: &[(&str, &str)],
    body: &str,
) -> (axum::http::StatusCode, axum::http::HeaderMap, String) {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json");
    for (name, value) in pairs {
        request = request.header(*name, *value);
    }
    let response = app
        .clone()
        .oneshot(request.body(axum::body::Body::from(body.to_string())).expect("request"))
        .await
        .expect("response");
    let (status, headers) = (response.status(), response.headers().clone());
    let bytes = response.into_body().collect().await.expect("body").to_bytes();
    (status, headers, String::from_utf8_lossy(&bytes).into_owned())
}

const SIGN_IN: &str = "email=prog%40ville.fr&mot_de_passe=une+phrase+de+passe+solide";

#[tokio::test]
async fn with_a_public_address_the_host_header_decides_nothing() {
    for db in common::both().await {
        let (app, _) = common::http::setup_public(&db, "https://ia-factory.example").await;
        let forged_host = ("host", "evil.example");
        // The cross-site check compares Origin with the public address, scheme included.
        for origin in ["https://evil.example", "http://ia-factory.example"] {
            let (status, headers, _) = send(
                &app,
                "POST",
                "/api/equipe/connexion",
                &[forged_host, ("origin", origin)],
                SIGN_IN,
            )
            .await;
            assert_eq!(status, axum::http::StatusCode::FORBIDDEN, "{}: {origin}", db.label);
            assert!(!headers.contains_key(header::SET_COOKIE), "{}: {origin}", db.label);
        }
        let (status, headers, _) = send(
            &app,
            "POST",
            "/api/equipe/connexion",
            &[forged_host, ("origin", "https://ia-factory.example")],
            SIGN_IN,
        )
        .await;
        assert!(status.is_success(), "{}: {status}", db.label);
        let cookie = headers
            .get(header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(cookie.contains("; Secure"), "{}: {cookie}", db.label);
        // Links in cacheable open data use the public address, whatever the request's Host.
        for path in [
            "/sitemap.xml",
            "/robots.txt",
            "/catalogue.atom",
            "/catalogue/dcat.jsonld",
        ] {
            let (status, headers, body) = send(&app, "GET", path, &[forged_host], "").await;
            assert_eq!(status, axum::http::StatusCode::OK, "{}: {path}", db.label);
            assert!(
                body.contains("https://ia-factory.example/"),
                "{}: {path}: {body}",
                db.label
            );
            assert!(!body.contains("evil.example"), "{}: {path}: {body}", db.label);
            assert!(
                headers.contains_key(header::STRICT_TRANSPORT_SECURITY),
                "{}: {path}",
                db.label
            );
        }
        db.cleanup().await;
    }
}

#[tokio::test]
async fn without_a_public_address_the_site_is_plain_http_at_the_request_host() {
    for db in common::both().await {
        let (app, _) = common::http::setup(&db).await;
        let pairs = [("host", "localhost:3000"), ("x-forwarded-proto", "https")];
        let (_, headers, body) = send(&app, "GET", "/sitemap.xml", &pairs, "").await;
        assert!(body.contains("http://localhost:3000/catalogue"), "{}: {body}", db.label);
        assert!(!headers.contains_key(header::STRICT_TRANSPORT_SECURITY), "{}", db.label);
        let (status, headers, _) = send(
            &app,
            "POST",
            "/api/equipe/connexion",
            &[pairs[0], pairs[1], ("origin", "http://localhost:3000")],
            SIGN_IN,
        )
        .await;
        assert!(status.is_success(), "{}: {status}", db.label);
        let cookie = headers
            .get(header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(
            cookie.starts_with("iaf_session=") && !cookie.contains("Secure"),
            "{}: X-Forwarded-Proto is not trusted: {cookie}",
            db.label
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn over_https_the_session_cookie_is_host_prefixed_and_accepted_back() {
    use common::http::{call, session_pair, sign_in_body, PASSWORD};
    for db in common::both().await {
        let (app, _) = common::http::setup_public(&db, "https://ia-factory.example").await;
        let signed_in = call(
            &app,
            "POST",
            "/api/equipe/connexion",
            &sign_in_body("prog@ville.fr", PASSWORD),
            None,
            true,
        )
        .await;
        let cookie = signed_in.cookie.expect("a session cookie");
        assert!(cookie.starts_with("__Host-iaf_session="), "{}: {cookie}", db.label);
        let attributes: Vec<&str> = cookie.split(';').map(str::trim).collect();
        for wanted in ["Secure", "Path=/", "HttpOnly", "SameSite=Lax"] {
            assert!(attributes.contains(&wanted), "{}: {wanted} in {cookie}", db.label);
        }
        assert!(
            !cookie.to_ascii_lowercase().contains("domain="),
            "{}: {cookie}",
            db.label
        );
        let pair = session_pair(&cookie);
        let token = pair.split_once('=').expect("pair").1;
        // Accepted back by the server functions and by the axum handlers.
        let cases = call(&app, "POST", "/api/equipe/cas", "", Some(&pair), false).await;
        assert_eq!(cases.status, axum::http::StatusCode::OK, "{}: {}", db.label, cases.body);
        let export = call(&app, "GET", "/equipe/export/cas.csv", "", Some(&pair), false).await;
        assert_eq!(export.status, axum::http::StatusCode::OK, "{}", db.label);
        // The same token under the plain name opens nothing over HTTPS.
        let plain = format!("iaf_session={token}");
        let refused = call(&app, "POST", "/api/equipe/cas", "", Some(&plain), false).await;
        assert_eq!(refused.status, axum::http::StatusCode::UNAUTHORIZED, "{}", db.label);
        let refused = call(&app, "GET", "/equipe/export/cas.csv", "", Some(&plain), false).await;
        assert_eq!(refused.status, axum::http::StatusCode::UNAUTHORIZED, "{}", db.label);
        // Signing out clears the prefixed cookie.
        let out = call(&app, "POST", "/api/equipe/deconnexion", "", Some(&pair), true).await;
        let cleared = out.cookie.expect("a cleared cookie");
        assert!(
            cleared.starts_with("__Host-iaf_session=;") && cleared.contains("Max-Age=0") && cleared.contains("Secure"),
            "{}: {cleared}",
            db.label
        );
        db.cleanup().await;
    }
}
