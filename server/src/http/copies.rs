//! Open data served from copies (`crate::copies`): each document is written once per catalogue generation, a
//! page of cases at a time (100,000 cases never sit in memory at once), and streamed from its file with `ETag` and
//! `Last-Modified` (`304` to a reader who has it) until the database raises the generation (migration 0029: a
//! publication, a withdrawal, a deployment report or an import, by any process or command on the database).

use app::store::CatalogueStore;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::auth::unavailable;
use crate::copies::{origin_hash, Copy, Encoding};
pub use crate::copies::{BuildError, Document, Sink};
use crate::state::AppState;

/// Whether the reader's copy is the current one: `If-None-Match` naming this `etag` (or `*`), otherwise
/// `If-Modified-Since` not before the last change (RFC 9110 §13.2.2).
fn reader_has_it(headers: &HeaderMap, etag: &str, changed_at: i64) -> bool {
    if let Some(tags) = headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) {
        return tags
            .split(',')
            .map(|tag| tag.trim().trim_start_matches("W/"))
            .any(|tag| tag == etag || tag == "*");
    }
    headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|since| httpdate::parse_http_date(since).ok())
        .and_then(|since| since.duration_since(std::time::UNIX_EPOCH).ok())
        .is_some_and(|since| changed_at <= since.as_secs() as i64)
}

fn http_date(seconds: i64) -> String {
    let at = std::time::UNIX_EPOCH + std::time::Duration::from_secs(seconds.max(0) as u64);
    httpdate::fmt_http_date(at)
}

fn header_value(text: &str) -> HeaderValue {
    HeaderValue::from_str(text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// What writes a document's copy: the state, the origin links are written with, the sink.
pub type Writer =
    for<'a> fn(&'a AppState, &'a str, &'a mut Sink) -> futures::future::BoxFuture<'a, Result<(), BuildError>>;

/// `serve(state, headers, document, writer)` with the `Writer` made from the async function
/// `write(state, origin, sink)` (a `fn` pointer cannot name an `async fn`'s future: the macro boxes it).
macro_rules! serve_copy {
    ($state:expr, $headers:expr, $document:expr, $write:path) => {{
        fn writer<'a>(
            state: &'a $crate::state::AppState,
            origin: &'a str,
            sink: &'a mut $crate::copies::Sink,
        ) -> futures::future::BoxFuture<'a, Result<(), $crate::copies::BuildError>> {
            Box::pin($write(state, origin, sink))
        }
        $crate::http::copies::serve($state, $headers, $document, writer).await
    }};
}
pub(crate) use serve_copy;

/// Answers a `GET` of `document`: `304` when the reader has the current copy, otherwise the copy streamed from
/// its file (written first by `writer` if the catalogue changed since the last one).
pub async fn serve(state: &AppState, headers: &HeaderMap, document: Document, writer: Writer) -> Response {
    let origin = state.context.site.origin(headers);
    let generation = match state.store.catalogue_generation().await {
        Ok(generation) => generation,
        Err(error) => return unavailable(error),
    };
    let etag = format!(
        "\"{}-{}-{:x}\"",
        document.stem(),
        generation.generation,
        origin_hash(&origin) & 0xffff_ffff
    );
    let mut response = if reader_has_it(headers, &etag, generation.changed_at) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let written = state
            .copies
            .copy_of(document, &origin, generation.generation, |mut sink| {
                Box::pin(async {
                    writer(state, &origin, &mut sink).await?;
                    Ok(sink)
                })
            })
            .await;
        match written {
            Ok(copy) => match streamed(&copy, document, Encoding::chosen(headers)).await {
                Ok(response) => response,
                Err(error) => return failed(document, BuildError::Io(error)),
            },
            Err(error) => return failed(document, error),
        }
    };
    let sent = response.headers_mut();
    sent.insert(header::ETAG, header_value(&etag));
    sent.insert(header::LAST_MODIFIED, header_value(&http_date(generation.changed_at)));
    // Stored, but asked again each time: the answer is a 304 while the catalogue has not changed.
    sent.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, no-cache"));
    sent.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    response
}

/// The copy's file in the chosen encoding, streamed.
async fn streamed(copy: &Copy, document: Document, encoding: Encoding) -> Result<Response, std::io::Error> {
    let path = copy.encoded(encoding);
    let file = tokio::fs::File::open(&path).await?;
    let length = file.metadata().await?.len();
    let body = axum::body::Body::from_stream(tokio_util::io::ReaderStream::new(file));
    let mut response = body.into_response();
    let sent = response.headers_mut();
    sent.insert(header::CONTENT_TYPE, HeaderValue::from_static(document.content_type()));
    sent.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    if let Some(coding) = encoding.header() {
        sent.insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
    }
    if let Some(name) = document.attachment() {
        sent.insert(
            header::CONTENT_DISPOSITION,
            header_value(&format!("attachment; filename=\"{name}\"")),
        );
    }
    Ok(response)
}

fn failed(document: Document, error: BuildError) -> Response {
    match error {
        BuildError::Store(error) => unavailable(error),
        BuildError::Io(error) => {
            tracing::error!(%error, document = document.stem(), "copie des données ouvertes");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::copies::tests::with;

    #[test]
    fn a_reader_has_the_copy_by_its_etag_or_its_date() {
        let etag = "\"catalogue-json-7-ab\"";
        assert!(reader_has_it(&with(header::IF_NONE_MATCH, etag), etag, 100));
        assert!(reader_has_it(
            &with(header::IF_NONE_MATCH, "\"x\", W/\"catalogue-json-7-ab\""),
            etag,
            100
        ));
        assert!(!reader_has_it(
            &with(header::IF_NONE_MATCH, "\"catalogue-json-6-ab\""),
            etag,
            100
        ));
        assert!(reader_has_it(
            &with(header::IF_MODIFIED_SINCE, &http_date(100)),
            etag,
            100
        ));
        assert!(!reader_has_it(
            &with(header::IF_MODIFIED_SINCE, &http_date(99)),
            etag,
            100
        ));
        // An ETag that does not match wins over a date that would.
        let mut both = with(header::IF_NONE_MATCH, "\"old\"");
        both.insert(header::IF_MODIFIED_SINCE, header_value(&http_date(200)));
        assert!(!reader_has_it(&both, etag, 100));
        assert!(!reader_has_it(&HeaderMap::new(), etag, 100));
    }
}
