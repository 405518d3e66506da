//! The backup drill, on SQLite and PostgreSQL: a backup taken while collectivités keep filing, restored on a
//! fresh database, gives back every table row for row (count and checksum of each), the documents byte for
//! byte, and a consistent state (each case with exactly one `depose` event); a restore refuses a database
//! that holds anything unless told to overwrite it. Also `/sante` and `/pret`.

use crate::common;

use std::sync::Arc;

use app::domain::intake::IntakeAnswers;
use app::store::*;
use axum::http::StatusCode;
use common::http::*;
use server::backup::{back_up, restore};
use server::db::Backend;
use server::sql::SqlStore;
use server::storage::Storage;
use sqlx::Connection;

const NOW: i64 = 1_795_000_000;

fn answers(title: &str) -> IntakeAnswers {
    let mut a = IntakeAnswers::default();
    a.set("titre", title);
    a.set("contact_email", "camille@ville.fr");
    a.set("probleme", "Les dossiers arrivent incomplets.");
    a
}

/// An empty database of the same kind as `db` (not migrated) and a way to drop it.
pub(crate) async fn empty_like(db: &common::TestDb, folder: &std::path::Path) -> (String, Option<String>) {
    if db.url.starts_with("sqlite:") {
        (format!("sqlite://{}/restauree.db", folder.display()), None)
    } else {
        let base = std::env::var("TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
        let name = format!("iaf_restore_{}_{}", std::process::id(), rand::random::<u32>());
        let mut admin = sqlx::AnyConnection::connect(&format!("{base}/postgres"))
            .await
            .expect("admin");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .expect("create");
        (format!("{base}/{name}"), Some(name))
    }
}

pub(crate) async fn drop_pg(name: Option<String>) {
    if let Some(name) = name {
        let base = std::env::var("TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
        if let Ok(mut admin) = sqlx::AnyConnection::connect(&format!("{base}/postgres")).await {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut admin)
                .await;
        }
    }
}

async fn count(url: &str, sql: &str) -> i64 {
    let mut conn = sqlx::AnyConnection::connect(url).await.expect("connect");
    let value: i64 = sqlx::query_scalar(sql).fetch_one(&mut conn).await.expect("count");
    let _ = conn.close().await;
    value
}

#[tokio::test]
async fn a_backup_under_load_restores_every_table_and_document_exactly() {
    sqlx::any::install_default_drivers();
    for db in common::both().await {
        let label = db.label;
        let store = Arc::new(SqlStore::new(db.pools.clone()));
        let folder = std::env::temp_dir().join(format!("iaf_backup_{}_{}", std::process::id(), rand::random::<u32>()));
        let documents = folder.join("pieces");
        std::fs::create_dir_all(documents.join("quarantaine")).expect("documents");
        std::fs::write(documents.join("a.pdf"), b"%PDF-1.4 premier").expect("doc");
        std::fs::write(documents.join("quarantaine").join("b.bin"), vec![7u8; 70_000]).expect("doc");
        for i in 0..20 {
            store.create_draft(&format!("avant{i}"), NOW).await.expect("draft");
            store
                .submit_draft(
                    &format!("avant{i}"),
                    &answers(&format!("Avant {i}")),
                    &lyon_case(&format!("Avant {i}")),
                    None,
                    NOW,
                )
                .await
                .expect("submit")
                .expect("filed");
        }
        // Filers keep going while the backup runs.
        let progress = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let load = {
            let store = store.clone();
            let progress = progress.clone();
            tokio::spawn(async move {
                let mut filed = 0;
                for i in 0..60 {
                    let hash = format!("pendant{i}");
                    store.create_draft(&hash, NOW).await.expect("draft");
                    let title = format!("Pendant {i}");
                    store
                        .submit_draft(&hash, &answers(&title), &lyon_case(&title), None, NOW + i)
                        .await
                        .expect("submit")
                        .expect("filed");
                    filed += 1;
                    progress.store(filed, std::sync::atomic::Ordering::SeqCst);
                    tokio::task::yield_now().await;
                }
                filed
            })
        };
        while progress.load(std::sync::atomic::Ordering::SeqCst) < 10 {
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        }
        let archive = folder.join("sauvegarde.tar");
        let report = back_up(&db.url, &Storage::Folder(documents.clone()), &archive, NOW)
            .await
            .expect("backup");
        let filed_at_end = progress.load(std::sync::atomic::Ordering::SeqCst);
        let filed_during = load.await.expect("load");
        assert_eq!(filed_during, 60);
        let saved_cases = report
            .manifest
            .tables
            .iter()
            .find(|t| t.table == "cases")
            .expect("cases table")
            .rows;
        assert!(
            (30..=80).contains(&saved_cases),
            "{label}: {saved_cases} cases in the backup"
        );
        eprintln!("{label}: {filed_at_end} of the 60 filings under way were done when the backup ended");
        assert_eq!(report.manifest.pieces, 2, "{label}");
        assert!(report.manifest.tables.len() > 20, "{label}: every table is listed");
        eprintln!(
            "{label}: sauvegarde sous charge de {saved_cases} cas, {} tables, {} octets en {:.3} s",
            report.manifest.tables.len(),
            report.bytes,
            report.seconds
        );

        // Restored on a fresh database: every table is checked against the manifest by `restore` itself…
        let (target, pg_name) = empty_like(&db, &folder).await;
        let restored_documents = folder.join("pieces-restaurees");
        let restored = restore(&target, &Storage::Folder(restored_documents.clone()), &archive, false)
            .await
            .expect("restore");
        assert_eq!(restored.manifest.tables, report.manifest.tables, "{label}");
        // …and again here, independently of it.
        let mut conn = sqlx::AnyConnection::connect(&target).await.expect("restored");
        let backend = Backend::of(&target).expect("backend");
        let digests = server::sql::backup::digests(&mut conn, backend).await.expect("digests");
        let _ = conn.close().await;
        assert_eq!(
            digests, report.manifest.tables,
            "{label}: row counts and checksums of every table"
        );
        assert!(digests.iter().map(|t| t.rows).sum::<i64>() > saved_cases, "{label}");
        assert_eq!(
            count(&target, "SELECT COUNT(*) FROM cases").await,
            saved_cases,
            "{label}"
        );
        assert_eq!(
            count(
                &target,
                "SELECT COUNT(*) FROM cases c WHERE (SELECT COUNT(*) FROM case_events e WHERE e.case_id = c.id AND e.kind = 'depose') <> 1"
            )
            .await,
            0,
            "{label}: each restored case has exactly one 'déposé' event"
        );
        assert_eq!(
            std::fs::read(restored_documents.join("a.pdf")).expect("a"),
            b"%PDF-1.4 premier"
        );
        assert_eq!(
            std::fs::read(restored_documents.join("quarantaine").join("b.bin")).expect("b"),
            vec![7u8; 70_000]
        );
        // The restored database serves: the service starts on it and finds the cases.
        let pools = server::db::connect(&target)
            .await
            .expect("the service starts on the restored database");
        let restored_store = SqlStore::new(pools.clone());
        assert_eq!(
            restored_store.case_summaries().await.expect("cases").len() as i64,
            saved_cases
        );
        pools.read.close().await;
        pools.write.close().await;

        // A database holding anything is not overwritten unless asked.
        let refused = restore(&target, &Storage::Folder(restored_documents.clone()), &archive, false).await;
        assert!(
            refused
                .as_ref()
                .is_err_and(|e| e.contains("n'est pas vide") && e.contains("--ecraser")),
            "{label}: {refused:?}"
        );
        restore(&target, &Storage::Folder(restored_documents.clone()), &archive, true)
            .await
            .expect("overwrite when asked");
        assert_eq!(
            count(&target, "SELECT COUNT(*) FROM cases").await,
            saved_cases,
            "{label}"
        );

        drop_pg(pg_name).await;
        let _ = std::fs::remove_dir_all(&folder);
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_backup_of_another_kind_of_database_is_refused() {
    sqlx::any::install_default_drivers();
    let db = common::sqlite().await;
    let folder = std::env::temp_dir().join(format!(
        "iaf_backup_kind_{}_{}",
        std::process::id(),
        rand::random::<u32>()
    ));
    std::fs::create_dir_all(&folder).expect("folder");
    let archive = folder.join("s.tar");
    back_up(&db.url, &Storage::Folder(folder.join("pieces")), &archive, NOW)
        .await
        .expect("backup");
    let Some(postgres) = common::postgres_unless_sqlite_only("a_backup_of_another_kind_of_database_is_refused").await
    else {
        return;
    };
    let refused = restore(&postgres.url, &Storage::Folder(folder.join("p")), &archive, true).await;
    assert!(
        refused.is_err_and(|e| e.contains("base sqlite")),
        "a SQLite backup is not restored into PostgreSQL"
    );
    let garbage = folder.join("pas-une-sauvegarde.tar");
    std::fs::write(&garbage, b"ceci n'est pas une archive").expect("write");
    let unreadable = restore(&db.url, &Storage::Folder(folder.join("p")), &garbage, true).await;
    assert!(
        unreadable.is_err_and(|e| e.contains("sauvegarde")),
        "an unreadable file is named as such"
    );
    let _ = std::fs::remove_dir_all(&folder);
    postgres.cleanup().await;
    db.cleanup().await;
}

#[tokio::test]
async fn health_and_readiness_answer_for_a_load_balancer() {
    for db in common::both().await {
        let (app, store) = setup(&db).await;
        let alive = call(&app, "GET", "/sante", "", None, false).await;
        assert_eq!(alive.status, StatusCode::OK, "{}", db.label);
        let ready = call(&app, "GET", "/pret", "", None, false).await;
        assert_eq!(ready.status, StatusCode::OK, "{}: {}", db.label, ready.body);
        let report: serde_json::Value = serde_json::from_str(&ready.body).expect("json");
        assert_eq!(report["pret"], true);
        assert_eq!(report["verifications"].as_array().map(Vec::len), Some(3));
        // An email due for more than ten minutes and still not sent: the outbox is stuck.
        let now = app::server::context::now();
        sqlx::query(
            "INSERT INTO outbox (message_id, recipient, subject, text_body, html_body, created_at, next_attempt_at) \
             VALUES ('<bloque@test>', 'x@exemple.fr', 'Objet', 'texte', '<p>texte</p>', $1, $1)",
        )
        .bind(now - 3_600)
        .execute(&store.pools.write)
        .await
        .expect("queue");
        let stuck = call(&app, "GET", "/pret", "", None, false).await;
        assert_eq!(
            stuck.status,
            StatusCode::SERVICE_UNAVAILABLE,
            "{}: {}",
            db.label,
            stuck.body
        );
        assert!(stuck.body.contains("bloqué"), "{}", stuck.body);
        // Once the database is gone, not ready (and still alive).
        db.pools.read.close().await;
        db.pools.write.close().await;
        let down = call(&app, "GET", "/pret", "", None, false).await;
        assert_eq!(down.status, StatusCode::SERVICE_UNAVAILABLE, "{}", db.label);
        assert_eq!(
            call(&app, "GET", "/sante", "", None, false).await.status,
            StatusCode::OK
        );
        db.cleanup().await;
    }
}
