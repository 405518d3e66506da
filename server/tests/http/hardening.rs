//! Limits and personal data through the real router: body size (413), rate of intake submissions and
//! autocompletion (429 in French), the purge of abandoned drafts, the export of everything held about one email
//! (administrators only), and the pages every public service owes (données personnelles, mentions légales,
//! déclaration d'accessibilité).

use crate::common;

use app::domain::auth::Role;
use app::domain::intake::IntakeAnswers;
use app::store::*;
use axum::http::StatusCode;
use common::http::*;

const DAY: i64 = 86_400;

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64
}

#[tokio::test]
async fn bodies_over_one_megabyte_are_refused_with_413() {
    let db = common::sqlite().await;
    let (app, _) = setup(&db).await;
    let huge = format!("token=x&titre={}", "a".repeat(2 * 1024 * 1024));
    for accept_html in [false, true] {
        let reply = call(&app, "POST", "/api/depot/etape2", &huge, None, accept_html).await;
        assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(reply.body.contains("trop volumineuses"), "{}", reply.body);
    }
    let normal = call(&app, "POST", "/api/depot/etape2", "token=inconnu", None, false).await;
    assert_ne!(normal.status, StatusCode::PAYLOAD_TOO_LARGE);
    db.cleanup().await;
}

#[tokio::test]
async fn intake_and_autocomplete_are_rate_limited_per_address() {
    let db = common::sqlite().await;
    let (app, _) = setup(&db).await;
    let mut statuses = Vec::new();
    for _ in 0..31 {
        statuses.push(call(&app, "POST", "/api/depot/commencer", "", None, true).await);
    }
    assert!(
        statuses[..30].iter().all(|r| r.status == StatusCode::FOUND),
        "30 drafts a minute are fine"
    );
    let refused = &statuses[30];
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        refused.body.contains("Trop de demandes en peu de temps"),
        "{}",
        refused.body
    );
    let json = call(&app, "POST", "/api/depot/deposer", "token=x", None, false).await;
    assert_eq!(json.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        serde_json::from_str::<app::error::AppError>(&json.body).expect("app error"),
        app::error::AppError::RateLimited
    );
    let mut last = StatusCode::OK;
    for _ in 0..241 {
        last = call(&app, "POST", "/api/collectivites", "q=lyon", None, false)
            .await
            .status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    // Other requests are not limited.
    assert_eq!(
        call(&app, "GET", "/catalogue", "", None, true).await.status,
        StatusCode::OK
    );
    db.cleanup().await;
}

#[tokio::test]
async fn three_server_processes_share_the_request_limits_through_postgresql() {
    use common::process::{form_post, request, Servers};
    let Some(db) =
        common::postgres_unless_sqlite_only("three_server_processes_share_the_request_limits_through_postgresql").await
    else {
        return;
    };
    let _ = setup(&db).await;
    let servers = Servers::start_with(&db.url, 3, &[("IAF_LIMITE_RECHERCHES_PAR_MINUTE", "6")]);
    // The seven requests fall in one minute.
    let second = now() % 60;
    if second >= 45 {
        tokio::time::sleep(std::time::Duration::from_secs((61 - second) as u64)).await;
    }
    for n in 0..6 {
        let port = servers.ports[n % 3];
        let reply = request(port, form_post("/api/collectivites", None), "q=lyon").await;
        assert!(reply.starts_with("HTTP/1.1 200"), "request {n} on port {port}: {reply}");
    }
    // Each process has seen two: alone, each would admit four more.
    let reply = request(servers.ports[2], form_post("/api/collectivites", None), "q=lyon").await;
    assert!(
        reply.starts_with("HTTP/1.1 429") && reply.contains("RateLimited"),
        "the seventh of the minute, whichever process: {reply}"
    );
    servers.stop().await;
    db.cleanup().await;
}

#[tokio::test]
async fn request_counts_start_again_each_minute_and_old_minutes_are_forgotten() {
    use app::store::limits::Bucket;
    for db in common::both().await {
        let (_, store) = setup(&db).await;
        for expected in 1..=3 {
            let seen = store
                .count_request(Bucket::Autocomplete, "192.0.2.1", 600)
                .await
                .expect("count");
            assert_eq!(seen, expected, "{}", db.label);
        }
        let other = store
            .count_request(Bucket::Intake, "192.0.2.1", 600)
            .await
            .expect("count");
        assert_eq!(other, 1, "{}: another kind of request counts apart", db.label);
        let next = store
            .count_request(Bucket::Autocomplete, "192.0.2.1", 660)
            .await
            .expect("count");
        assert_eq!(next, 1, "{}: a new minute starts again", db.label);
        assert_eq!(store.forget_requests(660).await.expect("forget"), 1, "{}", db.label);
        assert_eq!(store.forget_requests(661).await.expect("forget"), 1, "{}", db.label);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn abandoned_drafts_are_purged_after_the_published_delay() {
    for db in common::both().await {
        let (_, store) = setup(&db).await;
        let at = now();
        store.create_draft("ancien", at - 91 * DAY).await.expect("old");
        store.create_draft("recent", at - 89 * DAY).await.expect("recent");
        store.create_draft("depose", at - 200 * DAY).await.expect("filed");
        let mut answers = IntakeAnswers::default();
        answers.set("titre", "Cas déposé");
        let case = lyon_case("Cas déposé");
        store
            .submit_draft("depose", &answers, &case, None, at - 200 * DAY)
            .await
            .expect("submit");
        assert_eq!(
            store.purge_abandoned_drafts(at).await.expect("purge"),
            1,
            "{}",
            db.label
        );
        assert!(
            store.load_draft("ancien").await.expect("load").is_none(),
            "{}",
            db.label
        );
        assert!(
            store.load_draft("recent").await.expect("load").is_some(),
            "{}",
            db.label
        );
        assert!(
            store.load_draft("depose").await.expect("load").is_some(),
            "{}: a filed draft stays",
            db.label
        );
        assert_eq!(
            store.purge_abandoned_drafts(at).await.expect("again"),
            0,
            "{}",
            db.label
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn everything_held_about_an_email_is_exported_to_administrators_only() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        let hash = app::server::session::hash_password(PASSWORD).expect("hash");
        store
            .create_account("admin@ville.fr", "Alice Admin", Role::Admin, &hash, 0)
            .await
            .expect("admin");
        let mut answers = IntakeAnswers::default();
        answers.set("titre", "Tri des courriers");
        answers.set("contact_nom", "Camille Martin");
        answers.set("contact_email", "camille.martin@ville.fr");
        let case = lyon_case("Tri des courriers");
        store.create_draft("filed", now()).await.expect("draft");
        let filed = store
            .submit_draft("filed", &answers, &case, None, now())
            .await
            .expect("submit")
            .expect("case");
        store.create_draft("open", now()).await.expect("draft");
        answers.set("titre", "Brouillon en cours");
        assert!(store.save_draft("open", &answers, now()).await.expect("save"));
        let mut other = IntakeAnswers::default();
        other.set("contact_email", "autre.camille.martin@ville.fr");
        store.create_draft("other", now()).await.expect("draft");
        store.save_draft("other", &other, now()).await.expect("save");

        let path = "/equipe/export/personne.json?email=Camille.Martin%40ville.fr";
        let admin = sign_in(&app, "admin@ville.fr").await;
        let export = call(&app, "GET", path, "", Some(&admin), false).await;
        assert_eq!(export.status, StatusCode::OK, "{}: {}", db.label, export.body);
        let data: serde_json::Value = serde_json::from_str(&export.body).expect("json");
        assert_eq!(data["cases"][0]["reference"], filed.reference, "{}", db.label);
        assert_eq!(
            data["cases"][0]["answers"]["contact_nom"], "Camille Martin",
            "{}",
            db.label
        );
        assert_eq!(
            data["drafts"].as_array().map(Vec::len),
            Some(1),
            "{}: only that address",
            db.label
        );
        assert_eq!(
            data["drafts"][0]["answers"]["titre"], "Brouillon en cours",
            "{}",
            db.label
        );
        assert!(data["account"].is_null(), "{}", db.label);
        assert!(!export.body.contains("argon2"), "{}: no password hash", db.label);

        let account = call(
            &app,
            "GET",
            "/equipe/export/personne.json?email=admin%40ville.fr",
            "",
            Some(&admin),
            false,
        )
        .await;
        assert!(
            account.body.contains("Alice Admin") && !account.body.contains("$argon2"),
            "{}",
            db.label
        );
        let bad = call(
            &app,
            "GET",
            "/equipe/export/personne.json?email=nimporte",
            "",
            Some(&admin),
            false,
        )
        .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", db.label);
        let programme = sign_in(&app, "prog@ville.fr").await;
        assert_eq!(
            call(&app, "GET", path, "", Some(&programme), false).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            call(&app, "GET", path, "", None, false).await.status,
            StatusCode::UNAUTHORIZED
        );
        db.cleanup().await;
    }
}

/// `_` and `%` are wildcards of SQL `LIKE` and `\` its escape: an address holding them is still found, and
/// matches no other.
#[tokio::test]
async fn the_export_finds_an_address_with_an_underscore_and_no_lookalike() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        let hash = app::server::session::hash_password(PASSWORD).expect("hash");
        store
            .create_account("admin@ville.fr", "Alice Admin", Role::Admin, &hash, 0)
            .await
            .expect("admin");
        let mut filed_refs = Vec::new();
        for (token, email) in [
            ("underscore", "jean_dupont@ville.fr"),
            ("lookalike", "jeanxdupont@ville.fr"),
            ("percent", "jean%dupont@ville.fr"),
            ("backslash", "jean\\dupont@ville.fr"),
        ] {
            let mut answers = IntakeAnswers::default();
            answers.set("titre", &format!("Cas de {email}"));
            answers.set("contact_email", email);
            store.create_draft(token, now()).await.expect("draft");
            let filed = store
                .submit_draft(token, &answers, &lyon_case("Tri des courriers"), None, now())
                .await
                .expect("submit")
                .expect("case");
            filed_refs.push(filed.reference);
        }
        let admin = sign_in(&app, "admin@ville.fr").await;
        let export_of = |email: &str| {
            let path = format!(
                "/equipe/export/personne.json?email={}",
                app::domain::text::encode_component(email)
            );
            let app = app.clone();
            let admin = admin.clone();
            async move {
                let reply = call(&app, "GET", &path, "", Some(&admin), false).await;
                assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
                let data: serde_json::Value = serde_json::from_str(&reply.body).expect("json");
                data["cases"]
                    .as_array()
                    .expect("cases")
                    .iter()
                    .map(|case| case["reference"].as_str().unwrap_or_default().to_string())
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(
            export_of("jean_dupont@ville.fr").await,
            vec![filed_refs[0].clone()],
            "{}: the address with `_` is found, not its lookalike",
            db.label
        );
        assert_eq!(
            export_of("jeanXdupont@ville.fr").await,
            vec![filed_refs[1].clone()],
            "{}",
            db.label
        );
        assert_eq!(
            export_of("jean%dupont@ville.fr").await,
            vec![filed_refs[2].clone()],
            "{}: the address with `%` is found",
            db.label
        );
        assert_eq!(
            export_of("jean\\dupont@ville.fr").await,
            vec![filed_refs[3].clone()],
            "{}: the address with `\\` is found",
            db.label
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn the_legal_pages_are_public_and_static() {
    let db = common::sqlite().await;
    let (app, _) = setup(&db).await;
    for (path, heading, fact) in [
        ("/donnees-personnelles", "Données personnelles", "90 jours"),
        ("/mentions-legales", "Mentions légales", "56 rue de Lille"),
        (
            "/accessibilite",
            "Déclaration d&#x27;accessibilité",
            "partiellement conforme",
        ),
    ] {
        let page = call(&app, "GET", path, "", None, true).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(
            page.body.contains(heading) || page.body.contains(&heading.replace("&#x27;", "'")),
            "{path}"
        );
        assert!(page.body.contains(fact), "{path}");
        assert!(!page.body.contains(".wasm"), "{path}: no WebAssembly on a static page");
        let home = call(&app, "GET", "/", "", None, true).await;
        assert!(
            home.body.contains(&format!("href=\"{path}\"")),
            "the footer links {path}"
        );
    }
    db.cleanup().await;
}
