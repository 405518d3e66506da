//! The sign-in limits through the real router, on SQLite and PostgreSQL: an account is slowed down but the
//! right password always opens its session, each client address is limited on its own (behind a proxy too),
//! parallel attempts cannot all pass the check, and two server processes share the counts.

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use axum::Router;

use app::store::AccountStore;

use crate::common;
use common::http::*;

/// A sign-in posted by the browser's client from `address` (the proxy's `X-Forwarded-For`).
async fn sign_in_from(app: &Router, address: &str, email: &str, password: &str) -> (StatusCode, bool, String) {
    post_from(app, address, "/api/equipe/connexion", sign_in_body(email, password)).await
}

#[tokio::test]
async fn failures_slow_an_account_down_but_its_right_password_still_opens_the_session() {
    for db in common::both().await {
        let (app, _) = setup_with(&db, true).await;
        for n in 1..=4 {
            let (status, cookie, body) = sign_in_from(&app, &format!("198.51.100.{n}"), "prog@ville.fr", "faux").await;
            assert_ne!(status, StatusCode::TOO_MANY_REQUESTS, "{}: {body}", db.label);
            assert!(!cookie && body.contains("incorrect"), "{}: {body}", db.label);
        }
        let started = Instant::now();
        let (status, cookie, body) = sign_in_from(&app, "198.51.100.5", "prog@ville.fr", PASSWORD).await;
        assert!(
            cookie,
            "{}: the right password opens the session ({status}, {body})",
            db.label
        );
        assert!(
            started.elapsed() >= Duration::from_secs(2),
            "{}: after four failures the password is checked after two seconds",
            db.label
        );
        // The success cleared the account: the next sign-in waits no more.
        let started = Instant::now();
        let (_, cookie, _) = sign_in_from(&app, "198.51.100.6", "prog@ville.fr", PASSWORD).await;
        assert!(cookie && started.elapsed() < Duration::from_secs(2), "{}", db.label);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn each_client_address_is_limited_on_its_own_and_only_behind_a_proxy_is_the_header_read() {
    for db in common::both().await {
        let (proxied, _) = setup_with(&db, true).await;
        for n in 0..5 {
            let (status, _, _) = sign_in_from(&proxied, "198.51.100.20", &format!("inconnu{n}@ville.fr"), "faux").await;
            assert_ne!(status, StatusCode::TOO_MANY_REQUESTS, "{}", db.label);
        }
        let (status, cookie, body) = sign_in_from(&proxied, "198.51.100.20", "lecture@ville.fr", PASSWORD).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{}: {body}", db.label);
        assert!(!cookie && body.contains("TooManyAttempts"), "{}: {body}", db.label);
        let (_, cookie, body) = sign_in_from(&proxied, "198.51.100.21", "lecture@ville.fr", PASSWORD).await;
        assert!(
            cookie,
            "{}: another client behind the same proxy signs in ({body})",
            db.label
        );
        db.cleanup().await;
    }
    for db in common::both().await {
        let (direct, _) = setup_with(&db, false).await;
        for n in 0..5 {
            let address = format!("198.51.100.{}", 30 + n);
            let (status, _, _) = sign_in_from(&direct, &address, &format!("inconnu{n}@ville.fr"), "faux").await;
            assert_ne!(status, StatusCode::TOO_MANY_REQUESTS, "{}", db.label);
        }
        let (status, _, _) = sign_in_from(&direct, "198.51.100.99", "lecture@ville.fr", PASSWORD).await;
        assert_eq!(
            status,
            StatusCode::TOO_MANY_REQUESTS,
            "{}: without IAF_PROXY a forged header changes nothing",
            db.label
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn parallel_attempts_from_one_address_cannot_all_pass_the_check() {
    for db in common::both().await {
        let (app, _) = setup_with(&db, true).await;
        let attempts = (0..12).map(|n| {
            let app = app.clone();
            async move { sign_in_from(&app, "198.51.100.40", &format!("parallele{n}@ville.fr"), "faux").await }
        });
        let replies = futures::future::join_all(attempts).await;
        let checked = replies
            .iter()
            .filter(|(_, _, body)| !body.contains("TooManyAttempts"))
            .count();
        assert_eq!(
            checked, 5,
            "{}: exactly five failures per address pass the check",
            db.label
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn two_server_processes_share_the_sign_in_limits_through_postgresql() {
    use common::process::{form_post, request, Servers};
    let Some(db) =
        common::postgres_unless_sqlite_only("two_server_processes_share_the_sign_in_limits_through_postgresql").await
    else {
        return;
    };
    let (_, _) = setup(&db).await;
    let servers = Servers::start(&db.url, 2);
    for n in 0..5 {
        let port = servers.ports[n % 2];
        let reply = request(
            port,
            form_post("/api/equipe/connexion", None),
            &sign_in_body(&format!("inconnu{n}@ville.fr"), "faux"),
        )
        .await;
        assert!(
            !reply.contains("TooManyAttempts"),
            "attempt {n} on port {port}: {reply}"
        );
    }
    let reply = request(
        servers.ports[0],
        form_post("/api/equipe/connexion", None),
        &sign_in_body("prog@ville.fr", PASSWORD),
    )
    .await;
    assert!(
        reply.starts_with("HTTP/1.1 429") && reply.contains("TooManyAttempts"),
        "failures counted by either process limit both: {reply}"
    );
    servers.stop().await;
    db.cleanup().await;
}

#[tokio::test]
async fn the_counts_of_ended_windows_are_purged() {
    for db in common::both().await {
        let (app, store) = setup_with(&db, true).await;
        sign_in_from(&app, "198.51.100.60", "inconnu@ville.fr", "faux").await;
        let rows = || async {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM sign_in_attempts")
                .fetch_one(&store.pools.read)
                .await
                .expect("count")
        };
        assert_eq!(rows().await, 2, "{}: the address and the account", db.label);
        let now = app::server::context::now();
        let purged = store.purge_attempts(now - 10).await.expect("purge");
        assert_eq!(purged, 0, "{}: the window is still open", db.label);
        let purged = store
            .purge_attempts(now + app::domain::sign_in::FAILURE_WINDOW_SECONDS)
            .await
            .expect("purge");
        assert_eq!(purged, 2, "{}", db.label);
        assert_eq!(rows().await, 0, "{}", db.label);
        db.cleanup().await;
    }
}
