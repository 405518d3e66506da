//! Multipart bodies as a browser sends them without JavaScript (text fields and files), and their posting.

use axum::body::Body;
use axum::http::{header, Request};
use axum::Router;

use super::http::Reply;

pub const BOUNDARY: &str = "----iaf-test-boundary-7MA4YWxkTrZu0gW";

/// A multipart body: text fields, then files (field name, file name, content).
pub fn multipart(fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    for (name, file_name, content) in files {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: application/pdf\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// Posts a multipart body as a browser's form does (`cookie`: a team session).
pub async fn post_multipart(app: &Router, path: &str, body: Vec<u8>, cookie: Option<&str>) -> Reply {
    post_multipart_accepting(app, path, body, cookie, "text/html").await
}

/// Posts a multipart body asking for `accept` (`*/*`: the progress bar's request).
pub async fn post_multipart_accepting(
    app: &Router,
    path: &str,
    body: Vec<u8>,
    cookie: Option<&str>,
    accept: &str,
) -> Reply {
    let mut request = Request::post(path)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header(header::ACCEPT, accept);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let request = request.body(Body::from(body)).expect("request");
    let (parts, bytes) = super::http::answered(&format!("POST {path}"), app, request).await;
    let status = parts.status;
    let location = parts
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    Reply {
        status,
        cookie: None,
        location,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// A GET with its headers and raw body.
pub async fn download(
    app: &Router,
    path: &str,
    cookie: Option<&str>,
) -> (axum::http::StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let mut request = Request::get(path);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let request = request.body(Body::empty()).expect("request");
    let (parts, bytes) = super::http::answered(&format!("GET {path}"), app, request).await;
    (parts.status, parts.headers, bytes.to_vec())
}
