//! A proxy in front of the test OpenID provider that forwards every request and answer unchanged, except one
//! claim of the ID token or of the signed userinfo, rewritten in transit with the signature kept: what an
//! attacker on the wire would send, and what the service must refuse. A claim that already has the value is
//! left untouched, byte for byte, so that the proxy alone never breaks a sign-in.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header;
use axum::response::Response;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use http_body_util::BodyExt;

use super::oidc::Tamper;

#[derive(Clone)]
struct Upstream {
    port: u16,
    tamper: Tamper,
    http: openidconnect::reqwest::Client,
}

/// Serves the proxy on `listener` in front of the provider listening on `port`.
pub async fn serve(listener: tokio::net::TcpListener, port: u16, tamper: Tamper) {
    let http = openidconnect::reqwest::ClientBuilder::new()
        .redirect(openidconnect::reqwest::redirect::Policy::none())
        .build()
        .expect("proxy client");
    let app = axum::Router::new()
        .fallback(forward)
        .with_state(Upstream { port, tamper, http });
    let _ = axum::serve(listener, app).await;
}

async fn forward(State(upstream): State<Upstream>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = body.collect().await.expect("request body").to_bytes();
    let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let mut outgoing = upstream
        .http
        .request(
            parts.method.clone(),
            format!("http://127.0.0.1:{}{path}", upstream.port),
        )
        .body(body);
    for (name, value) in &parts.headers {
        // The Host header is kept: the provider builds its endpoints' addresses from it (the proxy's).
        if name != header::ACCEPT_ENCODING {
            outgoing = outgoing.header(name, value);
        }
    }
    let answer = outgoing.send().await.expect("the provider answers");
    let status = answer.status();
    let headers = answer.headers().clone();
    let bytes = answer.bytes().await.expect("the provider's body");
    let is_jwt = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/jwt"));
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let rewritten = match upstream.tamper {
        Tamper::IdTokenAcr(acr) if parts.uri.path().ends_with("/token") => rewrite_token_answer(&text, acr),
        Tamper::UserinfoEmail(email) if is_jwt => rewrite_jwt(text.trim(), "email", email),
        _ => None,
    };
    let mut response = Response::builder().status(status);
    for (name, value) in &headers {
        if name != header::CONTENT_LENGTH && name != header::TRANSFER_ENCODING {
            response = response.header(name, value);
        }
    }
    let body = rewritten.map_or_else(|| Body::from(bytes), Body::from);
    response.body(body).expect("response")
}

/// The token endpoint's JSON answer with the ID token's `acr` set to `acr`, if it was another.
fn rewrite_token_answer(text: &str, acr: &str) -> Option<String> {
    let mut answer: serde_json::Value = serde_json::from_str(text).ok()?;
    let id_token = answer.get("id_token")?.as_str()?;
    let rewritten = rewrite_jwt(id_token, "acr", acr)?;
    answer["id_token"] = serde_json::Value::String(rewritten);
    Some(answer.to_string())
}

/// A compact JWS whose payload's `claim` is set to `value`, the header and the signature kept; None when the
/// claim already has that value.
fn rewrite_jwt(jwt: &str, claim: &str, value: &str) -> Option<String> {
    let mut parts = jwt.split('.');
    let (head, payload, signature) = (parts.next()?, parts.next()?, parts.next()?);
    let mut claims: serde_json::Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
    if claims.get(claim).and_then(|v| v.as_str()) == Some(value) {
        return None;
    }
    claims[claim] = serde_json::Value::String(value.to_string());
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    Some(format!("{head}.{payload}.{signature}"))
}
