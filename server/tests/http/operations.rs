//! Running it in production, against the real server process: SIGTERM ends it within 10 seconds after the
//! request in progress got its answer, the live stream was closed and the due email was sent; Prometheus
//! metrics on their own address only; JSON log lines carrying the request's id; the id on error pages.

use crate::common;

use std::process::Stdio;
use std::time::{Duration, Instant};

use app::domain::auth::Role;
use app::store::*;
use axum::http::StatusCode;
use common::http::*;
use common::process::{connect, form_post, free_port, request, sign_in_cookie};
use server::sql::SqlStore;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

/// One server process on `database_url`, its standard output piped.
fn spawn(database_url: &str, site: &std::path::Path, port: u16, env: &[(&str, String)]) -> tokio::process::Child {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .env("DATABASE_URL", database_url)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_SITE_ROOT", site)
        .env("LEPTOS_OUTPUT_NAME", "ia-factory")
        .env("IAF_COURRIELS_DIR", site.join("courriels"))
        .env("IAF_SMTP_URL", "")
        .env("RUST_LOG", "info,sqlx=warn")
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("server process")
}

fn site_folder() -> std::path::PathBuf {
    let site = std::env::temp_dir().join(format!("iaf-ops-{}-{}", std::process::id(), free_port()));
    std::fs::create_dir_all(&site).expect("site");
    site
}

#[tokio::test]
async fn sigterm_finishes_the_request_closes_streams_sends_due_mail_and_exits_within_ten_seconds() {
    let db = common::sqlite().await;
    let store = SqlStore::new(db.pools.clone());
    let hash = app::server::session::hash_password(PASSWORD).expect("hash");
    store
        .create_account("prog@ville.fr", "Dominique Agent", Role::Programme, &hash, 0)
        .await
        .expect("account");
    let site = site_folder();
    let port = free_port();
    let mut child = spawn(&db.url, &site, port, &[]);
    let cookie = sign_in_cookie(port, "prog@ville.fr", PASSWORD).await;

    // A live stream is open…
    let mut stream = connect(port).await;
    stream
        .write_all(format!("GET /equipe/flux HTTP/1.1\r\nHost: localhost\r\nCookie: {cookie}\r\n\r\n").as_bytes())
        .await
        .expect("write");
    let mut events = BufReader::new(stream);
    let mut status_line = String::new();
    events.read_line(&mut status_line).await.expect("status");
    assert!(status_line.contains("200"), "{status_line}");
    // …an email is due…
    let now = app::server::context::now();
    sqlx::query(
        "INSERT INTO outbox (message_id, recipient, subject, text_body, html_body, created_at, next_attempt_at) \
         VALUES ('<arret@test>', 'x@exemple.fr', 'Avant l''arrêt', 'texte', '<p>texte</p>', $1, $1)",
    )
    .bind(now)
    .execute(&db.pools.write)
    .await
    .expect("queue");
    // …and a sign-in (Argon2: a slow request) is in progress when SIGTERM arrives.
    let slow = tokio::spawn(async move {
        request(
            port,
            form_post("/api/equipe/connexion", None),
            &sign_in_body("prog@ville.fr", PASSWORD),
        )
        .await
    });
    tokio::time::sleep(Duration::from_millis(30)).await;
    let signalled = Instant::now();
    let pid = child.id().expect("pid");
    let killed = std::process::Command::new("kill")
        .arg("-TERM")
        .arg(pid.to_string())
        .status()
        .expect("kill");
    assert!(killed.success());

    let answered = slow.await.expect("slow request");
    assert!(
        answered.starts_with("HTTP/1.1 200")
            || answered.starts_with("HTTP/1.1 302")
            || answered.starts_with("HTTP/1.1 303"),
        "the request in progress got its answer: {answered}"
    );
    // The stream ends (end of the chunked body, then the connection closes).
    let ended = tokio::time::timeout(Duration::from_secs(10), async {
        let mut rest = Vec::new();
        events.read_to_end(&mut rest).await.map(|_| rest)
    })
    .await;
    assert!(ended.is_ok(), "the live stream was closed by the shutdown");
    let status = tokio::time::timeout(Duration::from_secs(11), child.wait())
        .await
        .expect("the process exits within 10 s")
        .expect("status");
    let took = signalled.elapsed();
    assert!(status.success(), "a clean exit: {status:?}");
    assert!(took < Duration::from_secs(10), "{took:?}");
    eprintln!("arrêt sur SIGTERM en {} ms", took.as_millis());
    // New connections are refused once it stopped.
    assert!(tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err());
    let sent: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL AND message_id = '<arret@test>'")
            .fetch_one(&db.pools.read)
            .await
            .expect("sent");
    assert_eq!(sent, 1, "the due email left before the process ended");
    let files = std::fs::read_dir(site.join("courriels"))
        .map(|d| d.count())
        .unwrap_or_default();
    assert!(files >= 1, "the email was written");
    let _ = std::fs::remove_dir_all(&site);
    db.cleanup().await;
}

#[tokio::test]
async fn metrics_are_served_on_their_own_address_only() {
    let db = common::sqlite().await;
    let site = site_folder();
    let port = free_port();
    let metrics_port = free_port();
    let mut child = spawn(
        &db.url,
        &site,
        port,
        &[("IAF_METRIQUES_ADDR", format!("127.0.0.1:{metrics_port}"))],
    );
    connect(port).await;
    let robots = request(port, "GET /robots.txt HTTP/1.1\r\nHost: localhost\r\n".into(), "").await;
    assert!(robots.starts_with("HTTP/1.1 200"), "{robots}");
    let refused = request(
        port,
        form_post("/api/equipe/connexion", None),
        &sign_in_body("nobody@ville.fr", "mauvais-mot-de-passe"),
    )
    .await;
    assert!(!refused.starts_with("HTTP/1.1 200"), "{refused}");
    let on_public = request(port, "GET /metrics HTTP/1.1\r\nHost: localhost\r\n".into(), "").await;
    assert!(
        on_public.starts_with("HTTP/1.1 404"),
        "no metrics on the public address: {on_public}"
    );
    let metrics = request(metrics_port, "GET /metrics HTTP/1.1\r\nHost: localhost\r\n".into(), "").await;
    assert!(metrics.starts_with("HTTP/1.1 200"), "{metrics}");
    for expected in [
        "iaf_requetes_total{route=\"/robots.txt\",methode=\"GET\",statut=\"200\"} 1",
        "iaf_requete_duree_secondes_bucket{route=\"/robots.txt\",methode=\"GET\",statut=\"200\",le=\"0.005\"}",
        "iaf_echecs_connexion_total 1",
        "iaf_base_connexions{pool=\"ecriture\",etat=\"max\"} 1",
        "iaf_courriels_en_attente 0",
        "route=\"/api/equipe/connexion\"",
    ] {
        assert!(metrics.contains(expected), "{expected} missing from:\n{metrics}");
    }
    let _ = child.kill().await;
    let _ = std::fs::remove_dir_all(&site);
    db.cleanup().await;
}

#[tokio::test]
async fn json_log_lines_carry_the_request_id() {
    let db = common::sqlite().await;
    let site = site_folder();
    let port = free_port();
    let mut child = spawn(&db.url, &site, port, &[("IAF_LOG_FORMAT", "json".into())]);
    connect(port).await;
    let reply = request(
        port,
        "GET /robots.txt HTTP/1.1\r\nHost: localhost\r\nx-request-id: essai-42\r\n".into(),
        "",
    )
    .await;
    assert!(reply.to_lowercase().contains("x-request-id: essai-42"), "{reply}");
    let generated = request(port, "GET /robots.txt HTTP/1.1\r\nHost: localhost\r\n".into(), "").await;
    let id = generated
        .lines()
        .find_map(|line| line.to_lowercase().strip_prefix("x-request-id: ").map(str::to_string))
        .expect("an id is given to every request");
    assert_eq!(id.trim().len(), 36, "a UUID: {id}");
    let _ = child.kill().await;
    let mut output = String::new();
    child
        .stdout
        .take()
        .expect("stdout")
        .read_to_string(&mut output)
        .await
        .expect("read");
    let lines: Vec<serde_json::Value> = output
        .lines()
        .filter(|line| line.starts_with('{'))
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}")))
        .collect();
    let of_request: Vec<&serde_json::Value> = lines.iter().filter(|l| l["span"]["id"] == "essai-42").collect();
    assert!(!of_request.is_empty(), "a line of the request carries its id: {output}");
    assert_eq!(of_request[0]["span"]["route"], "/robots.txt");
    assert!(
        of_request.iter().any(|l| l["fields"]["status"] == 200),
        "{of_request:?}"
    );
    let _ = std::fs::remove_dir_all(&site);
    db.cleanup().await;
}

#[tokio::test]
async fn an_error_page_shows_the_request_id() {
    for db in common::both().await {
        let (app, _store) = setup(&db).await;
        db.pools.read.close().await;
        db.pools.write.close().await;
        let page = call(&app, "GET", "/catalogue", "", None, true).await;
        assert_eq!(
            page.status,
            StatusCode::SERVICE_UNAVAILABLE,
            "{}: {}",
            db.label,
            page.body
        );
        assert!(
            page.body.contains("Référence de l&#x27;incident") || page.body.contains("Référence de l'incident"),
            "{}",
            page.body
        );
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_server_function_error_keeps_its_status_when_the_browser_accepts_compression() {
    use axum::body::Body;
    use axum::http::{header, Request};
    use tower::ServiceExt;
    let db = common::sqlite().await;
    let (app, _store) = setup(&db).await;
    for encoding in ["identity", "gzip", "br"] {
        let request = Request::builder()
            .method("POST")
            .uri("/api/depot/deposer")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .header(header::ACCEPT_ENCODING, encoding)
            .body(Body::from(format!("token={}", "z".repeat(64))))
            .expect("request");
        let response = app.clone().oneshot(request).await.expect("response");
        assert_eq!(
            response.status(),
            StatusCode::NOT_FOUND,
            "Accept-Encoding: {encoding} (an unknown draft is a 404, never a 500)"
        );
    }
    db.cleanup().await;
}
