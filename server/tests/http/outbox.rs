//! The email outbox on SQLite and PostgreSQL: a message is committed with the write that causes it, a failed
//! delivery is recorded and tried again later with the same Message-ID, a delivered one is never sent again,
//! and what was committed before a `kill -9` is delivered after the restart.

use std::sync::Arc;

use app::store::*;
use server::config::Config;
use server::mail::{deliver_due, Mailer};
use server::sql::SqlStore;

use crate::common;
use common::http::*;
use common::smtp::{read, SmtpServer};

fn mailer(smtp_url: &str) -> Mailer {
    Mailer::from_config(&Config {
        smtp_url: smtp_url.into(),
        ..Config::from_env()
    })
    .expect("mailer")
}

/// An SMTP address where nothing listens.
fn closed_smtp() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("port")
        .local_addr()
        .expect("addr")
        .port();
    format!("smtp://127.0.0.1:{port}")
}

async fn due_now(store: &SqlStore) {
    sqlx::query("UPDATE outbox SET next_attempt_at = 0 WHERE sent_at IS NULL")
        .execute(&store.pools.write)
        .await
        .expect("due");
}

#[tokio::test]
async fn a_failed_delivery_is_recorded_retried_later_and_delivered_once() {
    let smtp = SmtpServer::start().await;
    for (round, db) in common::both().await.into_iter().enumerate() {
        let (app, store): (_, Arc<SqlStore>) = setup(&db).await;
        let asked = call(
            &app,
            "POST",
            "/api/equipe/mot-de-passe-oublie",
            "email=prog%40ville.fr",
            None,
            true,
        )
        .await;
        assert_eq!(asked.location, "/equipe/mot-de-passe-oublie?envoye=1", "{}", db.label);

        assert_eq!(
            deliver_due(&store, &mailer(&closed_smtp())).await,
            Ok(0),
            "{}",
            db.label
        );
        let waiting = server::mail::readable_messages(&store, 1)
            .await
            .expect("outbox")
            .remove(0);
        assert_eq!(waiting.attempts, 1, "{}", db.label);
        assert!(
            waiting.sent_at.is_none() && !waiting.last_error.is_empty(),
            "{}: {waiting:?}",
            db.label
        );
        assert!(
            waiting.next_attempt_at > app::server::context::now() + 20,
            "{}: tried again later",
            db.label
        );
        assert_eq!(
            deliver_due(&store, &mailer(&smtp.url())).await,
            Ok(0),
            "{}: not before its time",
            db.label
        );

        due_now(&store).await;
        assert_eq!(deliver_due(&store, &mailer(&smtp.url())).await, Ok(1), "{}", db.label);
        let received = smtp.wait_for(round + 1).await;
        let sent = server::mail::readable_messages(&store, 1)
            .await
            .expect("outbox")
            .remove(0);
        assert_eq!(sent.attempts, 2, "{}", db.label);
        assert!(sent.sent_at.is_some(), "{}", db.label);
        assert_eq!(
            received
                .iter()
                .filter(|raw| read(raw).message_id == sent.message_id)
                .count(),
            1,
            "{}",
            db.label
        );
        due_now(&store).await;
        assert_eq!(
            deliver_due(&store, &mailer(&smtp.url())).await,
            Ok(0),
            "{}: never sent twice",
            db.label
        );
        let attempts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox_attempts WHERE outbox_id = $1")
            .bind(sent.id)
            .fetch_one(&store.pools.read)
            .await
            .expect("attempts");
        assert_eq!(attempts, 2, "{}: each attempt recorded", db.label);
        db.cleanup().await;
    }
    smtp.stop().await;
}

/// A server process queues emails, is killed with `SIGKILL` before it can deliver them (its SMTP server is
/// down), and a new process delivers each exactly once.
#[tokio::test]
async fn emails_committed_before_a_kill_are_delivered_once_after_the_restart() {
    use common::process::{form_post, request, Servers};
    // With SMTP, a server starts only with its public address (the links of its emails).
    const PUBLIC: &str = "http://127.0.0.1:3000";
    let smtp = SmtpServer::start().await;
    for db in common::both().await {
        let (_, store) = setup(&db).await;
        let down = closed_smtp();
        let mut first = Servers::start_with(
            &db.url,
            1,
            &[("IAF_SMTP_URL", down.as_str()), ("IAF_PUBLIC_URL", PUBLIC)],
        );
        for email in ["prog@ville.fr", "lecture@ville.fr"] {
            let reply = request(
                first.ports[0],
                form_post("/api/equipe/mot-de-passe-oublie", None),
                &format!("email={}", app::domain::text::encode_component(email)),
            )
            .await;
            assert!(
                reply.starts_with("HTTP/1.1 200") || reply.starts_with("HTTP/1.1 30"),
                "{}: {reply}",
                db.label
            );
        }
        first.kill().await;
        let queued: Vec<String> = store
            .recent_messages(10)
            .await
            .expect("outbox")
            .into_iter()
            .filter(|m| m.sent_at.is_none())
            .map(|m| m.message_id)
            .collect();
        assert_eq!(queued.len(), 2, "{}: both committed, none delivered", db.label);
        // The killed process may have tried once and put them back for 30 s: as if that time had passed.
        due_now(&store).await;

        let second = Servers::start_with(
            &db.url,
            1,
            &[("IAF_SMTP_URL", smtp.url().as_str()), ("IAF_PUBLIC_URL", PUBLIC)],
        );
        let mut delivered = Vec::new();
        for _ in 0..100 {
            delivered = smtp
                .messages()
                .iter()
                .map(|raw| read(raw).message_id)
                .collect::<Vec<_>>();
            if queued.iter().all(|id| delivered.contains(id)) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        for id in &queued {
            assert_eq!(
                delivered.iter().filter(|d| *d == id).count(),
                1,
                "{}: {id} delivered once",
                db.label
            );
        }
        second.stop().await;
        db.cleanup().await;
    }
    smtp.stop().await;
}

#[tokio::test]
async fn without_smtp_each_email_is_written_as_an_eml_file() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        call(
            &app,
            "POST",
            "/api/equipe/mot-de-passe-oublie",
            "email=prog%40ville.fr",
            None,
            true,
        )
        .await;
        let dir = std::env::temp_dir().join(format!("iaf-courriels-{}-{}", std::process::id(), db.label));
        let files = Mailer::from_config(&Config {
            smtp_url: String::new(),
            emails_dir: dir.display().to_string(),
            ..Config::from_env()
        })
        .expect("mailer");
        assert_eq!(deliver_due(&store, &files).await, Ok(1), "{}", db.label);
        let sent = server::mail::readable_messages(&store, 1)
            .await
            .expect("outbox")
            .remove(0);
        let written: Vec<Vec<u8>> = std::fs::read_dir(&dir)
            .expect("folder")
            .filter_map(|entry| std::fs::read(entry.ok()?.path()).ok())
            .collect();
        assert_eq!(written.len(), 1, "{}", db.label);
        let message = read(&written[0]);
        assert_eq!(message.message_id, sent.message_id, "{}", db.label);
        assert!(
            message.to.contains("prog@ville.fr") && message.text.contains("60 minutes"),
            "{}",
            db.label
        );
        let _ = std::fs::remove_dir_all(&dir);
        db.cleanup().await;
    }
}
