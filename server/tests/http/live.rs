//! The board's live stream (`/equipe/flux`) on SQLite and PostgreSQL: the session is checked before every
//! event (signed out, expired or changed role: no further event, the stream ends), and an account has at most
//! five streams open at once (the sixth is refused with 429 in French).

use crate::common;

use std::time::Duration;

use app::domain::auth::Role;
use app::store::*;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::http::*;
use http_body_util::BodyExt;
use server::sql::SqlStore;
use tower::ServiceExt;

use crate::board::{file_case, move_body};

const DAY: i64 = 86_400;

use app::server::context::now;

/// Opens `/equipe/flux` with `cookie`: the status, the French body of a refusal, and the stream.
async fn open_stream(app: &axum::Router, cookie: &str) -> (StatusCode, Body) {
    let response = app
        .clone()
        .oneshot(
            Request::builder()
                .uri("/equipe/flux")
                .header(header::COOKIE, cookie)
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("response");
    (response.status(), response.into_body())
}

/// Reads the stream until it ends (true) or 5 s pass (false), with what it sent.
async fn read_until_end(body: &mut Body) -> (bool, String) {
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        match tokio::time::timeout_at(deadline, body.frame()).await {
            Err(_) => return (false, seen),
            Ok(None) => return (true, seen),
            Ok(Some(frame)) => {
                if let Ok(data) = frame.expect("frame").into_data() {
                    seen.push_str(&String::from_utf8_lossy(&data));
                }
            }
        }
    }
}

/// A case in remontée, in the open relève period, that the programme can move to qualification.
async fn movable_case(store: &SqlStore, title: &str) -> String {
    let filed_at = now() - 10 * DAY;
    store
        .create_period("Relève", filed_at + DAY, now() + DAY, now())
        .await
        .expect("period");
    file_case(store, title, filed_at).await
}

fn session_hash(cookie: &str) -> String {
    let token = cookie.split_once('=').expect("pair").1;
    app::server::tokens::token_hash(token).expect("hash")
}

#[tokio::test]
async fn a_stream_whose_session_ended_or_changed_gets_no_further_event() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        store.listen(&db.url).await.expect("listen");
        let prog = sign_in(&app, "prog@ville.fr").await;
        let reference = movable_case(&store, "Cas suivi puis quitté").await;
        let moves = [
            ("qualification", ""),
            ("remontee", "Dossier incomplet"),
            ("qualification", ""),
        ];
        for (step, ending) in ["signed out", "expired", "role changed"].into_iter().enumerate() {
            // The case's version before this step's move: it was filed at 1, each step moves it once.
            let version = step as i64 + 1;
            let reader = sign_in(&app, "lecture@ville.fr").await;
            let (status, mut body) = open_stream(&app, &reader).await;
            assert_eq!(status, StatusCode::OK, "{}: {ending}", db.label);
            match ending {
                "signed out" => {
                    let out = call(&app, "POST", "/api/equipe/deconnexion", "", Some(&reader), false).await;
                    assert!(out.status.is_success(), "{}: {}", db.label, out.status);
                }
                "expired" => {
                    sqlx::query("UPDATE sessions SET expires_at = $1 WHERE token_hash = $2")
                        .bind(now() - 1)
                        .bind(session_hash(&reader))
                        .execute(&store.pools.write)
                        .await
                        .expect("expire");
                }
                _ => {
                    let account = store
                        .account_by_email("lecture@ville.fr")
                        .await
                        .expect("account")
                        .expect("reader");
                    assert!(store
                        .set_role(
                            account.id,
                            Role::Programme,
                            &crate::common::test_log(app::domain::accounts::AuthEvent::RoleChanged)
                        )
                        .await
                        .expect("role"));
                }
            }
            let (to, reason) = moves[step];
            let moved = call(
                &app,
                "POST",
                "/api/equipe/deplacer",
                &move_body(&reference, version, to, reason, ""),
                Some(&prog),
                false,
            )
            .await;
            assert_eq!(moved.status, StatusCode::OK, "{}: {}", db.label, moved.body);
            let (ended, seen) = read_until_end(&mut body).await;
            assert!(ended, "{}: {ending}: the stream goes on; seen: {seen}", db.label);
            assert!(
                !seen.contains(&reference),
                "{}: {ending}: an event was sent: {seen}",
                db.label
            );
            if ending == "role changed" {
                let account = store
                    .account_by_email("lecture@ville.fr")
                    .await
                    .expect("account")
                    .expect("reader");
                store
                    .set_role(
                        account.id,
                        Role::Lecture,
                        &crate::common::test_log(app::domain::accounts::AuthEvent::RoleChanged),
                    )
                    .await
                    .expect("role back");
            }
        }
        db.cleanup().await;
    }
}

#[tokio::test]
async fn an_account_has_at_most_five_live_streams() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        store.listen(&db.url).await.expect("listen");
        let prog = sign_in(&app, "prog@ville.fr").await;
        let other_session = sign_in(&app, "prog@ville.fr").await;
        let mut open = Vec::new();
        for n in 0..5 {
            let cookie = if n % 2 == 0 { &prog } else { &other_session };
            let (status, body) = open_stream(&app, cookie).await;
            assert_eq!(status, StatusCode::OK, "{}: stream {n}", db.label);
            open.push(body);
        }
        let (status, body) = open_stream(&app, &prog).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{}: the sixth", db.label);
        let text = String::from_utf8_lossy(&body.collect().await.expect("body").to_bytes()).into_owned();
        assert!(
            text.contains("5 onglets") && text.contains("fermez"),
            "{}: {text}",
            db.label
        );
        let reader = sign_in(&app, "lecture@ville.fr").await;
        let (status, _reader_stream) = open_stream(&app, &reader).await;
        assert_eq!(status, StatusCode::OK, "{}: another account is not limited", db.label);

        // A closed stream frees its place.
        drop(open.pop());
        let (status, again) = open_stream(&app, &prog).await;
        assert_eq!(status, StatusCode::OK, "{}: a place was freed", db.label);
        // The streams still open get the changes.
        let reference = movable_case(&store, "Cas suivi dans cinq onglets").await;
        let moved = call(
            &app,
            "POST",
            "/api/equipe/deplacer",
            &move_body(&reference, 1, "qualification", "", ""),
            Some(&prog),
            false,
        )
        .await;
        assert_eq!(moved.status, StatusCode::OK, "{}: {}", db.label, moved.body);
        open.push(again);
        for body in &mut open {
            crate::board::wait_for_change(body, &reference).await;
        }
        db.cleanup().await;
    }
}
