//! The board through HTTP on SQLite and PostgreSQL: every gate refuses in French and lets through once
//! satisfied, two concurrent moves of one case give one winner and one conflict naming the winner, every board
//! endpoint checks the session and the role without leaking, changes reach the live stream, CSV exports.

use crate::common;

use std::sync::Arc;
use std::time::Duration;

use app::domain::auth::Role;
use app::domain::intake::IntakeAnswers;
use app::store::intake::NewCase;
use app::store::*;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::http::*;
use http_body_util::BodyExt;
use server::sql::SqlStore;
use tower::ServiceExt;

const DAY: i64 = 86_400;

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64
}

/// Files a case directly in the store, `filed_at` seconds since the epoch; returns its reference.
pub(crate) async fn file_case(store: &SqlStore, title: &str, filed_at: i64) -> String {
    let mut answers = IntakeAnswers::default();
    answers.set("titre", title);
    answers.set("brique_vibe", "oui");
    answers.set("brique_agents", "oui");
    let case = NewCase {
        domain: "finances-achats".into(),
        briques: "vibe,agents".into(),
        contact_email: String::new(),
        ..lyon_case(title)
    };
    insert_case(store, &answers, &case, filed_at).await
}

pub(crate) fn move_body(reference: &str, version: i64, to: &str, reason: &str, destination: &str) -> String {
    format!(
        "reference={reference}&version={version}&vers={to}&raison={}&destination={destination}",
        app::domain::text::encode_component(reason)
    )
}

pub(crate) async fn version_of(store: &SqlStore, reference: &str) -> i64 {
    store
        .case_detail(&crate::common::system_case(reference))
        .await
        .expect("detail")
        .expect("case")
        .summary
        .version
}

/// The grid form as the page posts it: every score, a decision, and the AI Act level preselected (minimal).
pub(crate) fn grid_body(reference: &str, version: i64, score: &str, decision: &str) -> String {
    let mut body = format!(
        "reference={reference}&version={version}&notes_entretien=Entretien+du+3+mars&decision={decision}\
         &niveau_ai_act=minimal"
    );
    for code in ["replicabilite", "alignement", "impact", "portage", "faisabilite"] {
        body.push_str(&format!("&note_{code}={score}&commentaire_{code}=ok"));
    }
    body
}

#[tokio::test]
async fn every_gate_refuses_in_french_then_lets_the_case_through() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        let prog = sign_in(&app, "prog@ville.fr").await;
        let filed_at = now() - 10 * DAY;
        let reference = file_case(&store, "Analyse des marchés publics", filed_at).await;
        let post = |body: String| {
            let app = app.clone();
            let prog = prog.clone();
            async move { call(&app, "POST", "/api/equipe/deplacer", &body, Some(&prog), false).await }
        };

        // No open relève period: refused, with a link to the periods.
        let refused = post(move_body(&reference, 1, "qualification", "", "")).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", db.label);
        assert!(
            refused.body.contains("période de relève"),
            "{}: {}",
            db.label,
            refused.body
        );
        assert!(refused.body.contains("/equipe/periodes"), "{}", db.label);
        store
            .create_period("Relève en cours", filed_at + DAY, now() + 30 * DAY, now())
            .await
            .expect("period");
        let moved = post(move_body(&reference, 1, "qualification", "", "")).await;
        assert_eq!(moved.status, StatusCode::OK, "{}: {}", db.label, moved.body);
        assert_eq!(version_of(&store, &reference).await, 2, "{}", db.label);

        // Qualification → cadrage needs the full grid and "qualifié".
        let refused = post(move_body(&reference, 2, "cadrage", "", "")).await;
        assert!(refused.body.contains("grille de qualification"), "{}", db.label);
        assert!(refused.body.contains("#qualification"), "{}", db.label);
        let incomplete = call(
            &app,
            "POST",
            "/api/equipe/qualifier",
            &grid_body(&reference, 2, "", "qualifie"),
            Some(&prog),
            false,
        )
        .await;
        assert!(
            incomplete.body.contains("notez chacun des cinq critères"),
            "{}: {}",
            db.label,
            incomplete.body
        );
        let saved = call(
            &app,
            "POST",
            "/api/equipe/qualifier",
            &grid_body(&reference, 2, "2", "qualifie"),
            Some(&prog),
            true,
        )
        .await;
        assert!(
            saved.location.contains("enregistre=qualification"),
            "{}: {}",
            db.label,
            saved.location
        );
        let version = version_of(&store, &reference).await;
        let moved = post(move_body(&reference, version, "cadrage", "", "")).await;
        assert_eq!(moved.status, StatusCode::OK, "{}: {}", db.label, moved.body);

        // Cadrage → conception needs the cadrage document validated by the three parties.
        signed_pdf(&store, &reference).await;
        let version = version_of(&store, &reference).await;
        let refused = post(move_body(&reference, version, "conception", "", "")).await;
        assert!(refused.body.contains("trois parties"), "{}: {}", db.label, refused.body);
        assert!(refused.body.contains("/cadrage#validations"), "{}", db.label);
        let answers = store
            .case_detail(&crate::common::system_case(&reference))
            .await
            .expect("detail")
            .expect("case")
            .answers;
        let saved = call(
            &app,
            "POST",
            "/api/equipe/cadrage/enregistrer",
            &cadrage_body(&reference, 0, &complete_cadrage(&answers)),
            Some(&prog),
            true,
        )
        .await;
        assert!(
            saved.location.contains("enregistre=version"),
            "{}: {}",
            db.label,
            saved.body
        );
        for party in ["collectivite", "caisse-des-depots", "prestataire"] {
            let validated = call(
                &app,
                "POST",
                "/api/equipe/cadrage/valider",
                &validation_body(&reference, 1, party),
                Some(&prog),
                true,
            )
            .await;
            assert!(
                validated.location.contains("enregistre=validation"),
                "{}: {}",
                db.label,
                validated.body
            );
        }
        let version = version_of(&store, &reference).await;
        let moved = post(move_body(&reference, version, "conception", "", "")).await;
        assert_eq!(moved.status, StatusCode::OK, "{}: {}", db.label, moved.body);
        // Conception → diffusion needs the phase 4 conditions checked.
        let version = version_of(&store, &reference).await;
        let refused = post(move_body(&reference, version, "diffusion", "", "")).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", db.label);
        assert!(refused.body.contains("phase 4"), "{}: {}", db.label, refused.body);

        // A move back needs a reason.
        let refused = post(move_body(&reference, version, "cadrage", "", "")).await;
        assert!(refused.body.contains("raison"), "{}", db.label);
        let moved = post(move_body(&reference, version, "cadrage", "Livrables à reprendre", "")).await;
        assert_eq!(moved.status, StatusCode::OK, "{}: {}", db.label, moved.body);

        let detail = store
            .case_detail(&crate::common::system_case(&reference))
            .await
            .expect("detail")
            .expect("case");
        let moves: Vec<_> = detail.events.iter().filter(|e| e.kind.code() == "deplace").collect();
        assert_eq!(moves.len(), 4, "{}", db.label);
        assert_eq!(
            moves[3].detail,
            app::domain::history::EventDetail::Reason("Livrables à reprendre".into()),
            "{}",
            db.label
        );
        assert_eq!(moves[3].actor, "Agent", "{}", db.label);
        assert_eq!(detail.assessment.interview_notes, "Entretien du 3 mars", "{}", db.label);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn reorientation_needs_non_qualifie_a_destination_and_a_reason() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        let prog = sign_in(&app, "prog@ville.fr").await;
        let filed_at = now() - 10 * DAY;
        let reference = file_case(&store, "Chatbot RH", filed_at).await;
        store
            .create_period("Relève", filed_at + DAY, now() + DAY, now())
            .await
            .expect("period");
        let moved = call(
            &app,
            "POST",
            "/api/equipe/deplacer",
            &move_body(&reference, 1, "qualification", "", ""),
            Some(&prog),
            false,
        )
        .await;
        assert_eq!(moved.status, StatusCode::OK, "{}", db.label);
        let refused = call(
            &app,
            "POST",
            "/api/equipe/deplacer",
            &move_body(&reference, 2, "reoriente", "Déjà financé", "ingenierie"),
            Some(&prog),
            false,
        )
        .await;
        assert!(refused.body.contains("non qualifié"), "{}: {}", db.label, refused.body);
        call(
            &app,
            "POST",
            "/api/equipe/qualifier",
            &grid_body(&reference, 2, "1", "non-qualifie"),
            Some(&prog),
            true,
        )
        .await;
        let version = version_of(&store, &reference).await;
        let refused = call(
            &app,
            "POST",
            "/api/equipe/deplacer",
            &move_body(&reference, version, "reoriente", "Déjà financé", ""),
            Some(&prog),
            false,
        )
        .await;
        assert!(refused.body.contains("destination"), "{}", db.label);
        let moved = call(
            &app,
            "POST",
            "/api/equipe/deplacer",
            &move_body(
                &reference,
                version,
                "reoriente",
                "Déjà financé par ailleurs",
                "guichet-cofinancement",
            ),
            Some(&prog),
            false,
        )
        .await;
        assert_eq!(moved.status, StatusCode::OK, "{}: {}", db.label, moved.body);
        let detail = store
            .case_detail(&crate::common::system_case(&reference))
            .await
            .expect("detail")
            .expect("case");
        assert_eq!(
            detail.assessment.destination,
            Some(app::domain::qualification::Destination::GuichetCofinancement),
            "{}",
            db.label
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn two_concurrent_moves_of_one_case_give_one_winner_and_one_conflict() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        let hash = app::server::session::hash_password(PASSWORD).expect("hash");
        store
            .create_account("camille@ville.fr", "Camille Martin", Role::Programme, &hash, 0)
            .await
            .expect("account");
        let first = sign_in(&app, "prog@ville.fr").await;
        let second = sign_in(&app, "camille@ville.fr").await;
        let filed_at = now() - 10 * DAY;
        store
            .create_period("Relève", filed_at + DAY, now() + DAY, now())
            .await
            .expect("period");
        for round in 0..5 {
            let reference = file_case(&store, &format!("Cas {round}"), filed_at).await;
            let body = move_body(&reference, 1, "qualification", "", "");
            let (a, b) = tokio::join!(
                call(&app, "POST", "/api/equipe/deplacer", &body, Some(&first), false),
                call(&app, "POST", "/api/equipe/deplacer", &body, Some(&second), false)
            );
            let statuses = [a.status, b.status];
            assert_eq!(
                statuses.iter().filter(|s| **s == StatusCode::OK).count(),
                1,
                "{} round {round}: {statuses:?}",
                db.label
            );
            let loser = if a.status == StatusCode::OK { &b } else { &a };
            let winner_name = if a.status == StatusCode::OK {
                "Agent"
            } else {
                "Camille Martin"
            };
            assert_eq!(loser.status, StatusCode::CONFLICT, "{}", db.label);
            assert!(loser.body.contains(winner_name), "{}: {}", db.label, loser.body);
            let detail = store
                .case_detail(&crate::common::system_case(&reference))
                .await
                .expect("detail")
                .expect("case");
            assert_eq!(detail.summary.version, 2, "{}", db.label);
            assert_eq!(
                detail.events.iter().filter(|e| e.kind.code() == "deplace").count(),
                1,
                "{}",
                db.label
            );
        }
        db.cleanup().await;
    }
}

#[tokio::test]
async fn every_board_endpoint_checks_the_session_and_the_role() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        let reference = file_case(&store, "Secret interne", now() - DAY).await;
        let reader = sign_in(&app, "lecture@ville.fr").await;
        let writes = [
            (
                "/api/equipe/deplacer",
                move_body(&reference, 1, "qualification", "", ""),
            ),
            ("/api/equipe/qualifier", grid_body(&reference, 1, "2", "")),
            (
                "/api/equipe/cadrage/valider",
                validation_body(&reference, 1, "collectivite"),
            ),
            ("/api/equipe/commenter", format!("reference={reference}&texte=bonjour")),
        ];
        for (path, body) in &writes {
            let anonymous = call(&app, "POST", path, body, None, false).await;
            assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED, "{} {path}", db.label);
            assert!(!anonymous.body.contains("IAF-"), "{} {path}", db.label);
            let read_only = call(&app, "POST", path, body, Some(&reader), false).await;
            assert_eq!(read_only.status, StatusCode::FORBIDDEN, "{} {path}", db.label);
            assert!(!read_only.body.contains("Secret"), "{} {path}", db.label);
        }
        let detail = store
            .case_detail(&crate::common::system_case(&reference))
            .await
            .expect("detail")
            .expect("case");
        assert_eq!(detail.summary.version, 1, "{}: nothing changed", db.label);
        assert!(detail.comments.is_empty(), "{}", db.label);

        // Reads: anonymous refused, every role allowed.
        for (method, path) in [
            ("POST", "/api/equipe/tableau"),
            ("GET", "/equipe/export/cas.csv"),
            ("GET", "/equipe/export/decisions.csv"),
            ("GET", "/equipe/flux"),
        ] {
            let anonymous = call(&app, method, path, "", None, false).await;
            assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED, "{} {path}", db.label);
            assert!(!anonymous.body.contains("Secret"), "{} {path}", db.label);
        }
        let board = call(&app, "POST", "/api/equipe/tableau", "", Some(&reader), false).await;
        assert_eq!(board.status, StatusCode::OK, "{}", db.label);
        assert!(board.body.contains("Secret interne"), "{}", db.label);
        assert!(board.body.contains("\"can_move\":false"), "{}", db.label);
        let page = call(&app, "GET", "/equipe/tableau", "", None, true).await;
        assert_eq!(
            (page.status, page.location.as_str()),
            (StatusCode::SEE_OTHER, "/equipe/connexion?retour=%2Fequipe%2Ftableau"),
            "{}: the sign-in returns to the board",
            db.label
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn filters_keep_only_matching_cards() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        let reader = sign_in(&app, "lecture@ville.fr").await;
        file_case(&store, "Analyse des marchés publics", now() - DAY).await;
        file_case(&store, "Assistant urbanisme", now() - DAY).await;
        let board = |query: &'static str| {
            let app = app.clone();
            let reader = reader.clone();
            async move {
                call(&app, "POST", "/api/equipe/tableau", query, Some(&reader), false)
                    .await
                    .body
            }
        };
        let all = board("").await;
        assert!(
            all.contains("\"total\":2") && all.contains("\"shown\":2"),
            "{}: {all}",
            db.label
        );
        let text = board("texte=marches").await;
        assert!(text.contains("\"shown\":1") && text.contains("marchés"), "{}", db.label);
        assert!(board("domaine=urbanisme").await.contains("\"shown\":0"), "{}", db.label);
        assert!(board("brique=agents").await.contains("\"shown\":2"), "{}", db.label);
        assert!(board("region=Bretagne").await.contains("\"shown\":0"), "{}", db.label);
        assert!(board("periode=aucune").await.contains("\"shown\":2"), "{}", db.label);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn comments_and_csv_exports_for_the_team() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        let prog = sign_in(&app, "prog@ville.fr").await;
        let reference = file_case(&store, "=Formule piégée; titre", now() - DAY).await;
        let empty = call(
            &app,
            "POST",
            "/api/equipe/commenter",
            &format!("reference={reference}&texte=++"),
            Some(&prog),
            false,
        )
        .await;
        assert!(empty.body.contains("Écrivez votre commentaire"), "{}", db.label);
        let added = call(
            &app,
            "POST",
            "/api/equipe/commenter",
            &format!("reference={reference}&texte=Entretien+pr%C3%A9vu+lundi"),
            Some(&prog),
            true,
        )
        .await;
        assert!(added.location.contains("enregistre=commentaire"), "{}", db.label);
        let detail = store
            .case_detail(&crate::common::system_case(&reference))
            .await
            .expect("detail")
            .expect("case");
        assert_eq!(detail.comments[0].body, "Entretien prévu lundi", "{}", db.label);

        let cases = call(&app, "GET", "/equipe/export/cas.csv", "", Some(&prog), false).await;
        assert_eq!(cases.status, StatusCode::OK, "{}", db.label);
        assert!(cases.body.starts_with('\u{feff}'), "{}", db.label);
        assert!(
            cases
                .body
                .contains(&format!("{reference};\"'=Formule piégée; titre\";Lyon")),
            "{}: {}",
            db.label,
            cases.body
        );
        let trail = call(&app, "GET", "/equipe/export/decisions.csv", "", Some(&prog), false).await;
        assert!(trail.body.contains("Cas d'usage déposé"), "{}", db.label);
        db.cleanup().await;
    }
}

/// Reads the SSE body until a `changement` event names `reference`, or fails after 5 s.
pub(crate) async fn wait_for_change(body: &mut Body, reference: &str) -> String {
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while !seen.contains(reference) {
        let frame = tokio::time::timeout_at(deadline, body.frame())
            .await
            .unwrap_or_else(|_| panic!("no change for {reference} within 5 s; seen: {seen}"))
            .expect("stream open")
            .expect("frame");
        if let Ok(data) = frame.into_data() {
            seen.push_str(&String::from_utf8_lossy(&data));
        }
    }
    seen
}

#[tokio::test]
async fn a_move_reaches_the_open_live_streams() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        store.listen(&db.url).await.expect("listen");
        let prog = sign_in(&app, "prog@ville.fr").await;
        let reader = sign_in(&app, "lecture@ville.fr").await;
        let filed_at = now() - 10 * DAY;
        store
            .create_period("Relève", filed_at + DAY, now() + DAY, now())
            .await
            .expect("period");
        let reference = file_case(&store, "Cas suivi en direct", filed_at).await;
        let stream = app
            .clone()
            .oneshot(
                Request::builder()
                    .uri("/equipe/flux")
                    .header(header::COOKIE, &reader)
                    .body(Body::empty())
                    .expect("request"),
            )
            .await
            .expect("response");
        assert_eq!(stream.status(), StatusCode::OK, "{}", db.label);
        assert_eq!(
            stream.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()),
            Some("text/event-stream"),
            "{}",
            db.label
        );
        let mut body = stream.into_body();
        let moved = call(
            &app,
            "POST",
            "/api/equipe/deplacer",
            &move_body(&reference, 1, "qualification", "", ""),
            Some(&prog),
            false,
        )
        .await;
        assert_eq!(moved.status, StatusCode::OK, "{}", db.label);
        let seen = wait_for_change(&mut body, &reference).await;
        assert!(seen.contains("event: changement"), "{}: {seen}", db.label);
        assert!(seen.contains("\"stage\":\"qualification\""), "{}: {seen}", db.label);
        drop(body);
        db.cleanup().await;
    }
}

/// Two server processes on one PostgreSQL database: a move made through one reaches a board open on the other.
#[tokio::test]
async fn two_server_processes_share_live_changes_through_postgresql() {
    use common::process::{connect, form_post, request, sign_in_cookie, Servers};
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let Some(db) =
        common::postgres_unless_sqlite_only("two_server_processes_share_live_changes_through_postgresql").await
    else {
        return;
    };
    let store = Arc::new(SqlStore::new(db.pools.clone()));
    let hash = app::server::session::hash_password(PASSWORD).expect("hash");
    store
        .create_account("prog@ville.fr", "Dominique Agent", Role::Programme, &hash, 0)
        .await
        .expect("account");
    let filed_at = now() - 10 * DAY;
    store
        .create_period("Relève", filed_at + DAY, now() + DAY, now())
        .await
        .expect("period");
    let reference = file_case(&store, "Cas partagé entre deux serveurs", filed_at).await;

    let servers = Servers::start(&db.url, 2);
    let ports = servers.ports.clone();
    let cookie = sign_in_cookie(ports[0], "prog@ville.fr", PASSWORD).await;

    // The board open on the second process.
    let mut stream = connect(ports[1]).await;
    stream
        .write_all(format!("GET /equipe/flux HTTP/1.1\r\nHost: localhost\r\nCookie: {cookie}\r\n\r\n").as_bytes())
        .await
        .expect("write");
    let mut events = BufReader::new(stream);
    let mut status_line = String::new();
    events.read_line(&mut status_line).await.expect("status");
    assert!(status_line.contains("200"), "{status_line}");

    let moved = request(
        ports[0],
        form_post("/api/equipe/deplacer", Some(&cookie)),
        &move_body(&reference, 1, "qualification", "", ""),
    )
    .await;
    assert!(moved.starts_with("HTTP/1.1 200"), "{moved}");

    let mut seen = String::new();
    let found = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            let mut line = String::new();
            if events.read_line(&mut line).await.expect("read") == 0 {
                return false;
            }
            seen.push_str(&line);
            if line.contains(&reference) {
                return true;
            }
        }
    })
    .await;
    assert_eq!(
        found,
        Ok(true),
        "the other process did not relay the move; seen: {seen}"
    );
    assert!(seen.contains("Dominique Agent"), "{seen}");
    servers.stop().await;
    db.cleanup().await;
}
