//! Open data served from copies, on SQLite and PostgreSQL: every document answers `304` to a reader who has it
//! (by `ETag` or by date) and changes at once after a publication, a withdrawal or an import — also when another
//! server on the same database wrote; the copy sent compressed reads back the same; the cases are read by pages.

use crate::common;

use app::store::*;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::http::*;

use crate::catalogue::{publish, FIXTURES};

/// Every document served from a copy.
const DOCUMENTS: [&str; 6] = [
    "/catalogue.json",
    "/catalogue.csv",
    "/catalogue/bibliotheque-ia-territoriale.csv",
    "/catalogue/dcat.jsonld",
    "/catalogue.atom",
    "/sitemap.xml",
];

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64
}

/// A `GET` with extra headers: the status, the headers and the body as sent.
async fn get(
    app: &axum::Router,
    path: &str,
    headers: &[(header::HeaderName, &str)],
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let mut request = Request::builder().method("GET").uri(path);
    for (name, value) in headers {
        request = request.header(name, *value);
    }
    let (parts, bytes) = answered(path, app, request.body(Body::empty()).expect("request")).await;
    (parts.status, parts.headers, bytes.to_vec())
}

fn header_of(headers: &axum::http::HeaderMap, name: header::HeaderName) -> String {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn every_document_answers_304_until_the_catalogue_changes() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        let base = now() - 10 * 86_400;
        publish(&store, &FIXTURES[0], "marches-publics", base).await;
        for path in DOCUMENTS {
            let (status, headers, body) = get(&app, path, &[]).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert!(!body.is_empty(), "{path}");
            let etag = header_of(&headers, header::ETAG);
            let modified = header_of(&headers, header::LAST_MODIFIED);
            assert!(etag.starts_with('"') && etag.len() > 4, "{path}: ETag {etag:?}");
            assert!(modified.ends_with(" GMT"), "{path}: Last-Modified {modified:?}");
            assert_eq!(header_of(&headers, header::CACHE_CONTROL), "public, no-cache", "{path}");
            let (again, _, empty) = get(&app, path, &[(header::IF_NONE_MATCH, &etag)]).await;
            assert_eq!(again, StatusCode::NOT_MODIFIED, "{path} by ETag");
            assert!(empty.is_empty(), "{path}: a 304 has no body");
            let (since, _, _) = get(&app, path, &[(header::IF_MODIFIED_SINCE, &modified)]).await;
            assert_eq!(since, StatusCode::NOT_MODIFIED, "{path} by date");
        }
        let (_, before, _) = get(&app, "/catalogue.json", &[]).await;
        let old_etag = header_of(&before, header::ETAG);

        // A publication: the reader's copy is no longer current, the new one names the case.
        publish(&store, &FIXTURES[1], "veille-reglementaire", base + 86_400).await;
        for path in ["/catalogue.json", "/catalogue.csv", "/sitemap.xml", "/catalogue.atom"] {
            let (status, headers, body) = get(&app, path, &[(header::IF_NONE_MATCH, &old_etag)]).await;
            assert_eq!(status, StatusCode::OK, "{path} after a publication");
            assert_ne!(header_of(&headers, header::ETAG), old_etag, "{path}");
            assert!(
                String::from_utf8_lossy(&body).contains("veille-reglementaire"),
                "{path}"
            );
        }

        // A withdrawal: the case leaves every document at once.
        let (_, published, _) = get(&app, "/catalogue.csv", &[]).await;
        let reference = store
            .search_publications(&app::domain::catalogue::CatalogueQuery::from_pairs([(
                "texte", "veille",
            )]))
            .await
            .expect("search")
            .items
            .iter()
            .find_map(|item| match item {
                app::model::catalogue::CatalogueItem::Case(case) => Some(case.reference.clone()),
                _ => None,
            })
            .expect("the published case");
        store
            .withdraw(&common::system_case(&reference), "Équipe programme", now())
            .await
            .expect("withdraw");
        let etag = header_of(&published, header::ETAG);
        for path in ["/catalogue.csv", "/catalogue.json", "/sitemap.xml"] {
            let (status, _, body) = get(&app, path, &[(header::IF_NONE_MATCH, &etag)]).await;
            assert_eq!(status, StatusCode::OK, "{path} after a withdrawal");
            assert!(
                !String::from_utf8_lossy(&body).contains("veille-reglementaire"),
                "{path}"
            );
        }

        // An import of the Bibliothèque changes the catalogue's searches (not our exports): a new generation.
        let (_, before, _) = get(&app, "/catalogue.json", &[]).await;
        let directory = server::state::load_directory().expect("directory");
        server::library_import::import(
            &store,
            &directory,
            concat!(env!("CARGO_MANIFEST_DIR"), "/data/bibliotheque-echantillon.csv"),
            now(),
        )
        .await
        .expect("import");
        let (status, _, _) = get(
            &app,
            "/catalogue.json",
            &[(header::IF_NONE_MATCH, &header_of(&before, header::ETAG))],
        )
        .await;
        assert_eq!(status, StatusCode::OK, "after an import");
        db.cleanup().await;
    }
}

#[tokio::test]
async fn another_server_on_the_database_sees_a_publication_at_once() {
    for db in common::both().await {
        let (first, store) = setup(&db).await;
        let second = app_on(
            &db,
            std::sync::Arc::new(server::scan::DocumentFiles::scratch().expect("pieces")),
        );
        let base = now() - 10 * 86_400;
        publish(&store, &FIXTURES[0], "marches-publics", base).await;
        for app in [&first, &second] {
            // Both servers keep their copy and their recent search.
            let (_, _, json) = get(app, "/catalogue.json", &[]).await;
            assert!(!String::from_utf8_lossy(&json).contains("comptes-rendus"));
            let page = call(app, "GET", "/catalogue?texte=comptes", "", None, true).await;
            assert!(!page.body.contains("Comptes rendus de réunions"));
        }
        // Published by a writer of its own on the same database: neither server is told but by the database.
        let writer = server::sql::SqlStore::new(db.pools.clone());
        publish(&writer, &FIXTURES[3], "comptes-rendus", base + 86_400).await;
        let started = std::time::Instant::now();
        for app in [&first, &second] {
            let (_, _, json) = get(app, "/catalogue.json", &[]).await;
            assert!(String::from_utf8_lossy(&json).contains("comptes-rendus"));
            let page = call(app, "GET", "/catalogue?texte=comptes", "", None, true).await;
            assert!(
                page.body.contains("Comptes rendus de réunions"),
                "the search cache follows"
            );
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        db.cleanup().await;
    }
}

#[tokio::test]
async fn the_compressed_copy_reads_back_as_the_plain_one() {
    use tokio::io::AsyncReadExt;
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        for (index, fixture) in FIXTURES.iter().enumerate() {
            publish(&store, fixture, &format!("cas-{index}"), now() - 86_400 + index as i64).await;
        }
        for path in DOCUMENTS {
            let (_, _, plain) = get(&app, path, &[]).await;
            let (_, headers, gzip) = get(&app, path, &[(header::ACCEPT_ENCODING, "gzip, deflate, br")]).await;
            assert_eq!(header_of(&headers, header::CONTENT_ENCODING), "gzip", "{path}");
            assert_eq!(header_of(&headers, header::VARY), "accept-encoding", "{path}");
            let mut unzipped = Vec::new();
            async_compression::tokio::bufread::GzipDecoder::new(gzip.as_slice())
                .read_to_end(&mut unzipped)
                .await
                .expect("gzip");
            // DCAT and the JSON say when they were written: the same copy, so the same bytes.
            assert_eq!(unzipped, plain, "{path} (gzip)");
        }
        let json: serde_json::Value = serde_json::from_slice(&get(&app, "/catalogue.json", &[]).await.2).expect("JSON");
        assert_eq!(json["cas"].as_array().map(Vec::len), Some(FIXTURES.len()));
        db.cleanup().await;
    }
}

#[tokio::test]
async fn published_cases_are_read_by_pages_most_recent_first() {
    for db in common::both().await {
        let (_, store) = setup(&db).await;
        let at = now() - 86_400;
        // Two cases published in the same second: the row breaks the tie, and no page repeats or skips one.
        for index in 0..7 {
            let fixture = &FIXTURES[index % FIXTURES.len()];
            publish(&store, fixture, &format!("cas-{index}"), at + (index as i64 / 2)).await;
        }
        let mut seen = Vec::new();
        let mut after = None;
        let mut sizes = Vec::new();
        loop {
            let page = store.publications_page(after, 3).await.expect("page");
            sizes.push(page.items.len());
            seen.extend(page.items.iter().map(|d| d.case.slug.clone()));
            match page.next {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        let all: Vec<String> = store
            .publications()
            .await
            .expect("all")
            .iter()
            .map(|d| d.case.slug.clone())
            .collect();
        assert_eq!(seen, all, "the pages, in order, are every published case once");
        assert_eq!(sizes, vec![3, 3, 1]);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn three_server_processes_show_a_publication_within_a_second() {
    use common::process::{request, Servers};
    let Some(db) =
        common::postgres_unless_sqlite_only("three_server_processes_show_a_publication_within_a_second").await
    else {
        return;
    };
    let (_, store) = setup(&db).await;
    publish(&store, &FIXTURES[0], "marches-publics", now() - 86_400).await;
    let servers = Servers::start(&db.url, 3);
    let get_on = |port: u16, path: &'static str| async move {
        request(port, format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n"), "").await
    };
    for port in &servers.ports {
        // Each process writes its copy and keeps its search.
        assert!(!get_on(*port, "/catalogue.json").await.contains("comptes-rendus"));
        assert!(!get_on(*port, "/catalogue?texte=comptes")
            .await
            .contains("Comptes rendus de réunions"));
    }
    publish(&store, &FIXTURES[3], "comptes-rendus", now()).await;
    let published = std::time::Instant::now();
    for port in &servers.ports {
        assert!(
            get_on(*port, "/catalogue.json").await.contains("comptes-rendus"),
            "port {port}"
        );
        assert!(
            get_on(*port, "/sitemap.xml")
                .await
                .contains("/catalogue/comptes-rendus"),
            "port {port}"
        );
        assert!(
            get_on(*port, "/catalogue?texte=comptes")
                .await
                .contains("Comptes rendus de réunions"),
            "port {port}"
        );
    }
    let seen_in = published.elapsed();
    assert!(
        seen_in < std::time::Duration::from_secs(1),
        "seen by the three in {seen_in:?}"
    );
    servers.stop().await;
    db.cleanup().await;
}
