//! Every server function, called the way its page calls it, on SQLite and PostgreSQL: a valid body on real
//! objects (`hostile_templates`) with one field at a time given each hostile value (huge strings, control and
//! right-to-left characters, emoji, negative and overflowing numbers, HTML and SQL fragments, header
//! injection, paths), by the role that may call it, as the WASM client (JSON) and as a form without
//! JavaScript. Never a 5xx nor a panic: every answer is a success or a French refusal (4xx); without
//! JavaScript, every redirect stays on the site. Then nothing stored is half-valid (`hostile_stored`). Also: no
//! server function that changes state answers GET, and a broken database gives a generic French message.

use std::collections::HashMap;

use crate::common;
use crate::hostile_templates::{Encoding, Template};
use crate::hostile_world::World;

use app::error::AppError;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use common::http::*;
use http_body_util::BodyExt;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tower::ServiceExt;

/// The server functions that only read, and so may be GET (a shared search link, for instance).
const READ_ONLY_GET: &[&str] = &[
    "/api/catalogue/recherche",
    "/api/catalogue/cas",
    "/api/programme/indicateurs",
    "/api/programme/evolution",
    "/api/programme/passage-a-l-echelle",
    "/api/catalogue/deploiements",
    "/api/catalogue/bibliotheque",
];

/// Every server function's path, registered by building the routes.
pub fn server_functions() -> Vec<(&'static str, axum::http::Method)> {
    let _ = server::state::load_directory();
    server::http::route_list();
    let mut functions: Vec<(&str, axum::http::Method)> = leptos::server_fn::axum::server_fn_paths().collect();
    functions.sort_by_key(|(path, _)| *path);
    functions.dedup_by_key(|(path, _)| *path);
    functions
}

#[test]
fn no_state_changing_server_function_answers_get() {
    let functions = server_functions();
    assert!(functions.len() > 30, "every server function is listed: {functions:?}");
    for (path, method) in functions {
        if method == axum::http::Method::GET {
            assert!(
                READ_ONLY_GET.contains(&path),
                "{path} answers GET: a GET must never change anything (links, prefetch, cross-site images)"
            );
        }
    }
}

const HOSTILE: &[&str] = &[
    "<script>alert('iaf')</script>",
    "\"><img src=x onerror=alert(1)>",
    "'; DROP TABLE cases; --",
    "1 OR 1=1",
    "\u{202e}gnp.exe\u{202c}",
    "\u{0}\u{1}\u{7}\u{1b}[31m",
    "🦀🇫🇷👩🏽‍💻",
    "-1",
    "0",
    "2147483648",
    "9223372036854775807",
    "-9223372036854775808",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "",
    " ",
    "../../etc/passwd",
    "%00%0d%0aSet-Cookie:x=y",
    "/equipe/tableau\u{1}\u{7f}",
    "/equipe/cas\r\nSet-Cookie: x=y",
    "//evil.example/equipe/",
    "IAF-2026-0001",
    "cadrage",
    "qualifie",
    "2026-02-30",
    "javascript:alert(1)",
    "{\"Invalid\":\"x\"}",
];

/// The longest value sent in a URL (GET): browsers and proxies refuse longer addresses.
const MAX_URL_VALUE: usize = 8_000;

fn hostile_values() -> Vec<String> {
    let mut rng = StdRng::seed_from_u64(0x1AF);
    let mut values: Vec<String> = HOSTILE.iter().map(|v| v.to_string()).collect();
    values.push("A".repeat(120_000));
    values.push("é".repeat(6_000));
    values.push(
        (0..64)
            .map(|_| char::from_u32(rng.gen_range(0..0x11_0000)).unwrap_or('\u{fffd}'))
            .collect(),
    );
    values
}

/// What came back from one call.
pub(crate) struct Sent {
    pub status: StatusCode,
    pub location: String,
    pub content_type: String,
    pub body: String,
}

/// Calls the server function at `path` with `body` (its query for GET), as the WASM client or as a form
/// without JavaScript, from its own client address (no per-address limit is reached); a panic is an error.
pub(crate) async fn send(
    app: &Router,
    path: &str,
    template: &Template,
    body: String,
    html: bool,
    address: u32,
) -> Result<Sent, String> {
    let (method, uri, body) = match template.encoding {
        Encoding::Query => ("GET", format!("{path}?{body}"), String::new()),
        _ => ("POST", path.to_string(), body),
    };
    let content_type = match template.encoding {
        Encoding::Json { .. } => "application/json",
        _ => "application/x-www-form-urlencoded",
    };
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, content_type)
        .header(
            "x-forwarded-for",
            format!(
                "10.{}.{}.{}",
                (address >> 16) & 255,
                (address >> 8) & 255,
                address & 255
            ),
        );
    request = if html {
        request
            .header(header::ACCEPT, "text/html,application/xhtml+xml")
            .header(header::REFERER, "http://localhost/equipe")
    } else {
        request.header(header::ACCEPT, "application/json")
    };
    if let Some(cookie) = &template.cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let request = request.body(Body::from(body)).map_err(|e| e.to_string())?;
    let app = app.clone();
    let answered = tokio::spawn(async move {
        let response = app.oneshot(request).await.expect("response");
        let (status, location, content_type) = {
            let text = |name| {
                response
                    .headers()
                    .get(name)
                    .and_then(|v: &axum::http::HeaderValue| v.to_str().ok())
                    .unwrap_or_default()
                    .to_string()
            };
            (response.status(), text(header::LOCATION), text(header::CONTENT_TYPE))
        };
        let bytes = response.into_body().collect().await.expect("body").to_bytes();
        Sent {
            status,
            location,
            content_type,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    })
    .await;
    answered.map_err(|e| format!("the server panicked: {e}"))
}

fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(byte) => {
                        out.push(byte);
                        i += 3;
                    }
                    Err(_) => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            byte => {
                out.push(byte);
                i += 1;
            }
        }
    }
    out
}

fn base64_url_decode(text: &[u8]) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'-' | b'+' => Some(62),
        b'_' | b'/' => Some(63),
        _ => None,
    };
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0_u32, 0);
    for sextet in text.iter().filter_map(|c| value(*c)) {
        buffer = (buffer << 6) | u32::from(sextet);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((buffer >> bits) & 0xff) as u8);
        }
    }
    out
}

/// The error a server function encoded in the redirect of a form posted without JavaScript.
fn redirected_error(location: &str) -> Option<Result<AppError, String>> {
    let query = location.split_once('?')?.1;
    let encoded = query.split('&').find_map(|pair| pair.strip_prefix("__err="))?;
    let json = base64_url_decode(&percent_decode(encoded));
    Some(serde_json::from_slice::<AppError>(&json).map_err(|_| String::from_utf8_lossy(&json).into_owned()))
}

/// A call that was answered as it must be: done, or refused with a French message.
enum Outcome {
    Done,
    Refused,
}

const LEAKS: &[&str] = &[
    "sqlx",
    "SQLSTATE",
    "syntax error",
    "/work/",
    "panicked",
    "constraint failed",
    "duplicate key",
    "no such table",
];

/// Whether `sent` is an answer the function may give; why not otherwise.
fn judge(sent: &Sent, html: bool) -> Result<Outcome, String> {
    for leak in LEAKS {
        if sent.body.contains(leak) || sent.location.contains(leak) {
            return Err(format!("leaks «{leak}»"));
        }
    }
    let refused = |error: AppError| match error {
        AppError::Unavailable => Err("answered 503 Unavailable: the database is up, the query failed".to_string()),
        error if error.to_string().trim().is_empty() => Err("a refusal without a message".to_string()),
        _ => Ok(Outcome::Refused),
    };
    if html {
        if sent.status != StatusCode::FOUND {
            return Err(format!("a form post answered {} instead of a redirect", sent.status));
        }
        let location = sent.location.as_str();
        let on_site = (location.starts_with('/') && !location.starts_with("//") && !location.starts_with("/\\"))
            || location.starts_with("http://localhost/");
        if !on_site {
            return Err(format!("redirects off the site, to {location:?}"));
        }
        return match redirected_error(location) {
            None => Ok(Outcome::Done),
            Some(Ok(AppError::ServerFn(_))) => Ok(Outcome::Refused),
            Some(Ok(error)) => refused(error),
            Some(Err(text)) => Err(format!("an unreadable error in the redirect: {text}")),
        };
    }
    if sent.content_type.contains("text/html") {
        return Err(format!("answered the client with HTML ({})", sent.content_type));
    }
    match sent.status.as_u16() {
        200 => Ok(Outcome::Done),
        400 | 404 | 409 | 422 => match serde_json::from_str::<AppError>(&sent.body) {
            Ok(AppError::ServerFn(cause)) => Err(format!("an unreadable request left as {cause:?}")),
            Ok(error) => refused(error),
            Err(_) => Err("a refusal whose body is not the app's French error".into()),
        },
        status => Err(format!("answered {status}")),
    }
}

#[tokio::test]
async fn hostile_values_in_every_field_of_every_server_function() {
    let functions = server_functions();
    let values = hostile_values();
    for db in common::both().await {
        let (app, store) = setup_with(&db, true).await;
        let mut world = World::new(app.clone(), store.clone()).await;
        let mut missing = Vec::new();
        let mut done: HashMap<&str, usize> = HashMap::new();
        let (mut exercised, mut fields, mut calls, mut address) = (0, 0, 0, 0_u32);
        for (path, _) in &functions {
            let Some(valid) = world.template(path).await else {
                missing.push(*path);
                continue;
            };
            exercised += 1;
            fields += valid.fields.len();
            // The valid call is done, both ways: the hostile calls below differ from it by one field.
            for html in [false, true] {
                let template = world.template(path).await.expect("template");
                address += 1;
                let sent = send(&app, path, &template, template.encode(None), html, address).await;
                let outcome = sent.as_ref().map_err(String::clone).and_then(|sent| judge(sent, html));
                match outcome {
                    Ok(Outcome::Done) => *done.entry(path).or_default() += 1,
                    Ok(Outcome::Refused) | Err(_) => {
                        let sent = sent.as_ref().ok();
                        panic!(
                            "{}: the valid call of {path} (html: {html}) is not done: {:?} {:?} {:?}",
                            db.label,
                            sent.map(|s| s.status),
                            sent.map(|s| s.location.clone()),
                            sent.map(|s| s.body.chars().take(400).collect::<String>())
                        )
                    }
                }
            }
            for (index, (name, _)) in valid.fields.iter().enumerate() {
                for value in &values {
                    for html in [false, true] {
                        let template = world.template(path).await.expect("template");
                        assert_eq!(&template.fields[index].0, name, "{path}: the fields keep their order");
                        let value: String = if template.encoding == Encoding::Query {
                            value.chars().take(MAX_URL_VALUE).collect()
                        } else {
                            value.clone()
                        };
                        address += 1;
                        calls += 1;
                        let body = template.encode(Some((index, &value)));
                        let judged = match send(&app, path, &template, body, html, address).await {
                            Ok(sent) => judge(&sent, html)
                                .map_err(|why| format!("{why}: {}", sent.body.chars().take(300).collect::<String>())),
                            Err(panic) => Err(panic),
                        };
                        match judged {
                            Ok(Outcome::Done) => *done.entry(path).or_default() += 1,
                            Ok(Outcome::Refused) => {}
                            Err(why) => panic!(
                                "{}: {path} with {name} = {:?} (html: {html}): {why}",
                                db.label,
                                value.chars().take(80).collect::<String>()
                            ),
                        }
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "server functions without a valid template in hostile_templates.rs: {missing:?}"
        );
        eprintln!(
            "{}: {exercised} server functions, {fields} fields, {} hostile values, {calls} hostile calls",
            db.label,
            values.len()
        );
        assert!(exercised > 60 && fields > 150, "{}", db.label);
        crate::hostile_stored::nothing_half_valid(&store, &world, &done, db.label).await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_database_failure_shows_a_generic_french_message() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        let prog = sign_in(&app, "prog@ville.fr").await;
        let mut answers = app::domain::intake::IntakeAnswers::default();
        answers.set("titre", "Cas");
        let reference = insert_case(&store, &answers, &lyon_case("Cas"), 0).await;
        // Break the database under the running app: tables the pages read disappear.
        sqlx::query("DROP TABLE publications_fts")
            .execute(&store.pools.write)
            .await
            .ok();
        for table in [
            // PostgreSQL's narrow copy of the publications refers to them: it goes first.
            "publication_words",
            "publications",
            "case_scores",
            "case_comments",
            "cadrage_validations",
            "cadrage_versions",
        ] {
            sqlx::query(&format!("DROP TABLE {table}"))
                .execute(&store.pools.write)
                .await
                .ok();
        }
        for (path, body) in [
            ("/api/equipe/cadrage", format!("reference={reference}")),
            ("/api/equipe/dossier", format!("reference={reference}")),
        ] {
            let reply = call(&app, "POST", path, &body, Some(&prog), false).await;
            assert_eq!(
                reply.status,
                StatusCode::SERVICE_UNAVAILABLE,
                "{} {path}: {}",
                db.label,
                reply.body
            );
            assert!(
                reply.body.contains("Unavailable"),
                "{} {path}: {}",
                db.label,
                reply.body
            );
            for leak in ["no such table", "does not exist", "sqlx", "SQLSTATE", "publications"] {
                assert!(
                    !reply.body.contains(leak),
                    "{} {path} leaks «{leak}»: {}",
                    db.label,
                    reply.body
                );
            }
        }
        let page = call(&app, "GET", "/catalogue/un-cas", "", None, true).await;
        assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE, "{}", db.label);
        assert!(page.body.contains("momentanément indisponible"), "{}", db.label);
        assert!(
            !page.body.contains("no such table") && !page.body.contains("does not exist"),
            "{}",
            db.label
        );
        db.cleanup().await;
    }
}
