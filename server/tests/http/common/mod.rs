//! Fresh databases for each test: a SQLite file in a temporary folder, and a new PostgreSQL database
//! (`TEST_POSTGRES_URL`, default postgres://postgres@127.0.0.1:5432) dropped at the end.

#![allow(dead_code)]

pub mod clamav;
pub mod http;
pub mod oidc;
pub mod process;
pub mod s3;
pub mod smtp;
pub mod tamper;
pub mod upload;

use std::sync::atomic::{AtomicU32, Ordering};

use server::db::{connect, Pools};
use sqlx::Executor;

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique_name(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!(
        "{prefix}_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        nanos
    )
}

/// A database made for one test; `cleanup` removes it.
pub struct TestDb {
    pub label: &'static str,
    pub url: String,
    pub pools: Pools,
    cleanup: Cleanup,
}

enum Cleanup {
    Folder(std::path::PathBuf),
    Postgres { admin_url: String, name: String },
}

impl TestDb {
    /// Runs one statement of a test's own on the database (a date moved back, a value altered).
    pub async fn execute(&self, sql: &str) {
        sqlx::query(sql).execute(&self.pools.write).await.expect(sql);
    }

    pub async fn cleanup(self) {
        self.pools.read.close().await;
        self.pools.write.close().await;
        match self.cleanup {
            Cleanup::Folder(path) => {
                let _ = std::fs::remove_dir_all(path);
            }
            Cleanup::Postgres { admin_url, name } => {
                if let Ok(admin) = sqlx::AnyPool::connect(&admin_url).await {
                    let _ = admin
                        .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                        .await;
                }
            }
        }
    }
}

pub async fn sqlite() -> TestDb {
    let folder = std::env::temp_dir().join(unique_name("iaf_test"));
    std::fs::create_dir_all(&folder).expect("temp folder");
    let url = format!("sqlite://{}/test.db", folder.display());
    let pools = connect(&url).await.expect("sqlite connects and migrates");
    TestDb {
        label: "SQLite",
        url,
        pools,
        cleanup: Cleanup::Folder(folder),
    }
}

pub async fn postgres() -> TestDb {
    sqlx::any::install_default_drivers();
    let base = std::env::var("TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
    let admin_url = format!("{base}/postgres");
    let name = unique_name("iaf_test");
    let admin = sqlx::AnyPool::connect(&admin_url).await.unwrap_or_else(|e| {
        panic!("PostgreSQL injoignable à {admin_url} ({e}) : lancez scripts/test.sh, qui le démarre")
    });
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("create database");
    admin.close().await;
    let url = format!("{base}/{name}");
    let pools = connect(&url).await.expect("postgres connects and migrates");
    TestDb {
        label: "PostgreSQL",
        url,
        pools,
        cleanup: Cleanup::Postgres { admin_url, name },
    }
}

/// Both databases, each fresh; SQLite alone with `IAF_TEST_DB=sqlite` (the development loop of
/// `scripts/check.sh`, on a machine without PostgreSQL).
pub async fn both() -> Vec<TestDb> {
    if sqlite_only() {
        return vec![sqlite().await];
    }
    vec![sqlite().await, postgres().await]
}

/// A fresh PostgreSQL database for a test about PostgreSQL itself, or None (the test is skipped, and says so)
/// with `IAF_TEST_DB=sqlite`.
pub async fn postgres_unless_sqlite_only(test: &str) -> Option<TestDb> {
    if sqlite_only() {
        eprintln!("{test} : ignoré avec IAF_TEST_DB=sqlite (il porte sur PostgreSQL).");
        return None;
    }
    Some(postgres().await)
}

/// Whether the tests run on SQLite alone (`IAF_TEST_DB=sqlite`).
pub fn sqlite_only() -> bool {
    std::env::var("IAF_TEST_DB").is_ok_and(|db| db.eq_ignore_ascii_case("sqlite"))
}

/// The case of `reference` as the tests read and write it through the store, on nobody's behalf.
pub fn system_case(reference: &str) -> app::domain::access::VisibleCase {
    let parsed = app::domain::reference::CaseReference::parse(reference).expect("a well-formed reference");
    app::domain::access::VisibleCase::for_system(parsed)
}

/// A line of the authentication log for a change a test makes through the store.
pub fn test_log(kind: app::domain::accounts::AuthEvent) -> app::store::accounts::AuthEntry {
    app::store::accounts::AuthEntry::by_system(kind, "", app::server::context::now())
}
