//! HTTP helpers of the team's tests: a router on a fresh database with one account per role, requests through
//! it (as a form post without JavaScript or as the WASM client's call) and sign-in.

use std::sync::Arc;

use app::domain::auth::Role;
use app::store::*;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use server::http::router;
use server::sql::SqlStore;
use server::state::{load_directory, AppState};
use tower::ServiceExt;

pub const PASSWORD: &str = "une phrase de passe solide";

pub async fn setup(db: &super::TestDb) -> (Router, Arc<SqlStore>) {
    setup_with(db, false).await
}

/// `setup`, with the router behind a reverse proxy (`IAF_PROXY=1`) or not.
pub async fn setup_with(db: &super::TestDb, behind_proxy: bool) -> (Router, Arc<SqlStore>) {
    let files = Arc::new(server::scan::DocumentFiles::scratch().expect("pieces"));
    let (app, store) = setup_full(db, behind_proxy, files).await;
    (app, store)
}

/// The application with its documents in `files` (and its antivirus, when `files` has one).
pub async fn setup_full(
    db: &super::TestDb,
    behind_proxy: bool,
    files: Arc<server::scan::DocumentFiles>,
) -> (Router, Arc<SqlStore>) {
    setup_site(db, behind_proxy, files, Default::default()).await
}

/// The application signing the team in with the ProConnect of `config` (a provider of `super::oidc`), on a
/// database given its test accounts.
pub async fn setup_proconnect(
    db: &super::TestDb,
    config: server::proconnect::ProConnectConfig,
) -> (Router, Arc<SqlStore>) {
    let (_, store) = setup(db).await;
    (setup_proconnect_again(db, config).await.0, store)
}

/// Another application with ProConnect on a database already set up.
pub async fn setup_proconnect_again(
    db: &super::TestDb,
    config: server::proconnect::ProConnectConfig,
) -> (Router, Arc<SqlStore>) {
    let proconnect = server::proconnect::ProConnect::new(config).expect("ProConnect client");
    let files = Arc::new(server::scan::DocumentFiles::scratch().expect("pieces"));
    let (state, store) = state_on(db, files);
    (router(state.with_proconnect(Arc::new(proconnect))), store)
}

/// Another application on a database already set up, with its documents in `files`.
pub fn app_on(db: &super::TestDb, files: Arc<server::scan::DocumentFiles>) -> Router {
    router(state_on(db, files).0)
}

fn state_on(db: &super::TestDb, files: Arc<server::scan::DocumentFiles>) -> (AppState, Arc<SqlStore>) {
    let store = Arc::new(SqlStore::new(db.pools.clone()));
    let state = AppState::new(
        LeptosOptions::builder().output_name("ia-factory").build(),
        store.clone(),
        Arc::new(load_directory().expect("directory")),
        false,
        files,
        Default::default(),
    );
    (state, store)
}

/// The application served at `IAF_PUBLIC_URL=public_url` (behind a proxy when it is `https://…`).
pub async fn setup_public(db: &super::TestDb, public_url: &str) -> (Router, Arc<SqlStore>) {
    let files = Arc::new(server::scan::DocumentFiles::scratch().expect("pieces"));
    let site = app::server::context::Site::new(public_url);
    setup_site(db, site.is_https(), files, site).await
}

async fn setup_site(
    db: &super::TestDb,
    behind_proxy: bool,
    files: Arc<server::scan::DocumentFiles>,
    site: app::server::context::Site,
) -> (Router, Arc<SqlStore>) {
    let store = Arc::new(SqlStore::new(db.pools.clone()));
    let hash = app::server::session::hash_password(PASSWORD).expect("hash");
    for (email, role) in [("prog@ville.fr", Role::Programme), ("lecture@ville.fr", Role::Lecture)] {
        assert!(store
            .create_account(email, "Agent", role, &hash, 0)
            .await
            .expect("create"));
    }
    assert!(!store
        .create_account("prog@ville.fr", "Doublon", Role::Admin, &hash, 0)
        .await
        .expect("dup"));
    let app = router(AppState::new(
        LeptosOptions::builder().output_name("ia-factory").build(),
        store.clone(),
        Arc::new(load_directory().expect("directory")),
        behind_proxy,
        files,
        site,
    ));
    (app, store)
}

pub struct Reply {
    pub status: StatusCode,
    pub cookie: Option<String>,
    pub location: String,
    pub body: String,
}

pub async fn call(
    app: &Router,
    method: &str,
    path: &str,
    body: &str,
    cookie: Option<&str>,
    accept_html: bool,
) -> Reply {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(
            header::ACCEPT,
            if accept_html { "text/html" } else { "application/json" },
        );
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let request = request.body(Body::from(body.to_string())).expect("request");
    let (parts, bytes) = answered(&format!("{method} {path}"), app, request).await;
    let status = parts.status;
    let header_text = |name| {
        parts
            .headers
            .get(name)
            .and_then(|v: &axum::http::HeaderValue| v.to_str().ok())
            .map(str::to_string)
    };
    let cookie = header_text(header::SET_COOKIE);
    let location = header_text(header::LOCATION).unwrap_or_default();
    Reply {
        status,
        cookie,
        location,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// The longest a test waits for a response and its whole body.
const ANSWER_WITHIN: std::time::Duration = std::time::Duration::from_secs(120);

/// The body asking the wizard's step 2 for the cases close to a need (`partie_etape`).
pub fn close_cases_body(token: &str, title: &str, problem: &str, solution: &str) -> serde_json::Value {
    serde_json::json!({
        "token": token,
        "partie": "cas-proches",
        "champs": [["titre", title], ["probleme", problem], ["solution", solution]],
    })
}

/// A JSON post as the browser's islands send it (`input = Json`).
pub async fn post_json(app: &Router, path: &str, body: &serde_json::Value) -> Reply {
    let request = Request::builder()
        .method("POST")
        .uri(path)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/json")
        .body(Body::from(body.to_string()))
        .expect("request");
    let (parts, bytes) = answered(&format!("POST {path}"), app, request).await;
    Reply {
        status: parts.status,
        cookie: None,
        location: String::new(),
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// Sends `request` through the router and reads its whole answer; a request left unanswered fails the test
/// naming it (`what`), instead of holding the whole suite.
pub async fn answered(
    what: &str,
    app: &Router,
    request: Request<Body>,
) -> (axum::http::response::Parts, axum::body::Bytes) {
    let exchange = async {
        let response = app.clone().oneshot(request).await.expect("response");
        let (parts, body) = response.into_parts();
        (parts, body.collect().await.expect("body").to_bytes())
    };
    match tokio::time::timeout(ANSWER_WITHIN, exchange).await {
        Ok(answer) => answer,
        Err(_) => panic!("{what} : aucune réponse complète en {} s", ANSWER_WITHIN.as_secs()),
    }
}

pub fn sign_in_body(email: &str, password: &str) -> String {
    format!(
        "email={}&mot_de_passe={}",
        app::domain::text::encode_component(email),
        app::domain::text::encode_component(password)
    )
}

pub fn session_pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().expect("pair").to_string()
}

/// Signs `email` in with the test password; returns the `iaf_session=…` pair to send back.
pub async fn sign_in(app: &Router, email: &str) -> String {
    let reply = with_password(app, email).await;
    session_pair(&reply.cookie.expect("a session cookie"))
}

/// The reply to signing `email` in with the test password, as the form without JavaScript posts it.
pub async fn with_password(app: &Router, email: &str) -> Reply {
    call(
        app,
        "POST",
        "/api/equipe/connexion",
        &sign_in_body(email, PASSWORD),
        None,
        true,
    )
    .await
}

/// A complete cadrage document: the intake's pre-filling plus the fields it cannot know.
pub fn complete_cadrage(answers: &app::domain::intake::IntakeAnswers) -> app::domain::cadrage::CadrageDocument {
    let mut document = app::domain::cadrage::prefill(answers, "2026-12-01");
    for (key, value) in [
        ("objectifs", "Répondre aux courriers en deux jours."),
        ("typologie", "produit-vibe"),
        ("perimetre", "Service courrier"),
        ("agents", "12"),
        ("directions", "Direction générale des services"),
        ("signataire_collectivite", "Mme Martin, maire"),
        ("signataire_cdc", "M. Durand, directeur régional"),
        ("signataire_prestataire", "Mme Roy, Mistral AI"),
        ("chef_de_projet", "Jeanne Petit"),
        ("acces_donnees", "Archives des courriers"),
        ("agents_tests", "5"),
    ] {
        if document.get(key).is_empty() {
            document.set(key, value);
        }
    }
    document
}

/// The form body of a cadrage save.
pub fn cadrage_body(reference: &str, base: i64, document: &app::domain::cadrage::CadrageDocument) -> String {
    let mut body = format!("reference={reference}&base={base}");
    for (key, value) in &document.0 {
        body.push_str(&format!(
            "&champs%5B{key}%5D={}",
            app::domain::text::encode_component(value)
        ));
    }
    body
}

/// The form body of a party's validation.
pub fn validation_body(reference: &str, version: i64, party: &str) -> String {
    // The team records the collectivité's and the prestataire's only as a paper signature, with its PDF.
    let piece = if party == "caisse-des-depots" {
        String::new()
    } else {
        format!("&piece={}", signed_pdf_id(reference))
    };
    format!("reference={reference}&version={version}&partie={party}&signataire=Signataire+{party}{piece}")
}

/// The public id of the signed PDF `signed_pdf` attaches to the case of `reference`.
pub fn signed_pdf_id(reference: &str) -> String {
    format!("pdf-{reference}")
}

/// Attaches to the case of `reference` a PDF past the antivirus: the signed cadrage a paper signature names.
pub async fn signed_pdf(store: &server::sql::SqlStore, reference: &str) {
    sqlx::query(
        "INSERT INTO documents (public_id, case_id, kind, file_name, media_type, size_bytes, sha256, stored_name, \
         scan_status, uploaded_by, created_at) \
         SELECT $1, id, 'message', 'cadrage-signe.pdf', 'application/pdf', 1000, 'x', $2, 'sain', 'Agent', 1 \
         FROM cases WHERE reference = $3",
    )
    .bind(signed_pdf_id(reference))
    .bind(format!("stored-{}", signed_pdf_id(reference)))
    .bind(reference)
    .execute(&store.pools.write)
    .await
    .expect("signed PDF");
}

/// A case of Lyon (relation aux usagers, 40 agents, 900 hours a year) titled `title`.
pub fn lyon_case(title: &str) -> app::store::intake::NewCase {
    app::store::intake::NewCase {
        title: title.into(),
        domain: "relation-usagers".into(),
        collectivite_key: "commune:69123".into(),
        collectivite_name: "Lyon".into(),
        collectivite_kind: "commune".into(),
        region: "Auvergne-Rhône-Alpes".into(),
        agents: 40,
        hours_saved_per_year: 900,
        portage_missing: String::new(),
        briques: "vibe".into(),
        contact_email: String::new(),
    }
}

/// Files `case` with `answers` directly in the store, `filed_at` seconds since the epoch; returns its reference.
pub async fn insert_case(
    store: &server::sql::SqlStore,
    answers: &app::domain::intake::IntakeAnswers,
    case: &app::store::intake::NewCase,
    filed_at: i64,
) -> String {
    let mut tx = store.pools.write.begin().await.expect("begin");
    let (_, reference) = store
        .insert_case(&mut tx, None, answers, case, filed_at)
        .await
        .expect("insert");
    tx.commit().await.expect("commit");
    reference
}

/// Puts the case of `reference` in its collectivité's space, as if it had been filed from there.
pub async fn attach_to_space(store: &server::sql::SqlStore, reference: &str) {
    sqlx::query("UPDATE cases SET attached_at = created_at WHERE reference = $1")
        .bind(reference)
        .execute(&store.pools.write)
        .await
        .expect("attach");
}

/// A form posted by the browser's client from `address` (the proxy's `X-Forwarded-For`): status, whether a
/// session cookie came back, body.
pub async fn post_from(app: &Router, address: &str, path: &str, body: String) -> (StatusCode, bool, String) {
    let request = Request::builder()
        .method("POST")
        .uri(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header("x-forwarded-for", format!("203.0.113.250, {address}"))
        .body(Body::from(body))
        .expect("request");
    let response = app.clone().oneshot(request).await.expect("response");
    let status = response.status();
    let cookie = response.headers().contains_key(header::SET_COOKIE);
    let bytes = response.into_body().collect().await.expect("body").to_bytes();
    (status, cookie, String::from_utf8_lossy(&bytes).into_owned())
}
