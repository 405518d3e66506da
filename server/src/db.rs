//! Connecting to SQLite or PostgreSQL with the same behaviour: migrations at start-up, and on SQLite WAL,
//! foreign keys, `synchronous=FULL`, reads through `mmap`, a busy timeout and a single writer connection so that
//! concurrent writes queue instead of failing with SQLITE_BUSY.

use std::time::Duration;

use sqlx::any::{install_default_drivers, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

/// Which database a URL names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of(url: &str) -> Result<Backend, String> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Backend::Postgres)
        } else {
            Err(format!(
                "DATABASE_URL non reconnue (sqlite:// ou postgres:// attendu) : {url}"
            ))
        }
    }
}

/// The pools of one database: reads, and writes (one connection on SQLite).
#[derive(Clone, Debug)]
pub struct Pools {
    pub backend: Backend,
    pub read: AnyPool,
    pub write: AnyPool,
}

/// `mmap_size`: pages read through a mapping of the file (up to 1 GiB) shared by the connections, instead of a
/// read system call into each connection's own cache (a search at 100,000 cases spent most of its time there).
const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
    PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA mmap_size = 1073741824;";

fn sqlite_url_with_create(url: &str) -> String {
    if url.contains("mode=") || url.contains(":memory:") {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    }
}

/// Creates the parent folder of a SQLite file when it does not exist yet.
fn ensure_sqlite_folder(url: &str) -> Result<(), String> {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:")
        .split('?')
        .next()
        .unwrap_or_default();
    if let Some(parent) = std::path::Path::new(path).parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent).map_err(|e| format!("création du dossier {}: {e}", parent.display()))?;
        }
    }
    Ok(())
}

/// Set when a database call failed: the SQLite writer is then replaced before its next use. A COMMIT that
/// fails (`database or disk is full`) is rolled back by SQLite itself while sqlx still counts the transaction
/// as open: its next `begin` would become a SAVEPOINT inside a transaction that is never committed, and every
/// later write would be acknowledged and lost. A fresh connection has no such state.
static SQLITE_WRITER_SUSPECT: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Marks the SQLite writer for replacement (called on every database error; cheap when nothing failed).
pub fn suspect_sqlite_writer() {
    SQLITE_WRITER_SUSPECT.store(true, std::sync::atomic::Ordering::SeqCst);
}

/// Connects and runs the migrations of the database's kind.
pub async fn connect(url: &str) -> Result<Pools, String> {
    install_default_drivers();
    let backend = Backend::of(url)?;
    let pools = match backend {
        Backend::Sqlite => {
            ensure_sqlite_folder(url)?;
            let url = sqlite_url_with_create(url);
            let options = || {
                AnyPoolOptions::new()
                    // No ping before each use: a SQLite connection is a file opened in this process, and the
                    // ping is one more round trip to the connection's thread at every query (filing spent a
                    // third of its server time waking those threads).
                    .test_before_acquire(false)
                    .acquire_timeout(Duration::from_secs(30))
                    .after_connect(|conn, _meta| {
                        Box::pin(async move {
                            conn.execute(SQLITE_PRAGMAS).await?;
                            Ok(())
                        })
                    })
            };
            let write = options()
                .max_connections(1)
                .before_acquire(|_conn, _meta| {
                    Box::pin(async move {
                        // `false` closes this connection and opens a fresh one.
                        Ok(!SQLITE_WRITER_SUSPECT.swap(false, std::sync::atomic::Ordering::SeqCst))
                    })
                })
                .connect(&url)
                .await
                .map_err(|e| e.to_string())?;
            let read = options()
                .max_connections(8)
                .connect(&url)
                .await
                .map_err(|e| e.to_string())?;
            Pools { backend, read, write }
        }
        Backend::Postgres => {
            let pool = AnyPoolOptions::new()
                .max_connections(16)
                // No ping before each use of a pooled connection: through the Any driver it cost /programme
                // 35 ms of its 47 (bench-programme). A connection the server lost fails its query and leaves the
                // pool; the next request opens a fresh one.
                .test_before_acquire(false)
                .acquire_timeout(Duration::from_secs(3))
                .connect(url)
                .await
                .map_err(|e| e.to_string())?;
            Pools {
                backend,
                read: pool.clone(),
                write: pool,
            }
        }
    };
    migrate(&pools).await?;
    Ok(pools)
}

/// The migrations compiled into this binary for a kind of database.
fn migrator(backend: Backend) -> sqlx::migrate::Migrator {
    match backend {
        Backend::Sqlite => sqlx::migrate!("migrations/sqlite"),
        Backend::Postgres => sqlx::migrate!("migrations/postgres"),
    }
}

/// The versions of the migrations this binary applies (`/pret` checks they all are).
pub fn expected_migrations(backend: Backend) -> Vec<i64> {
    migrator(backend).iter().map(|migration| migration.version).collect()
}

async fn migrate(pools: &Pools) -> Result<(), String> {
    migrator(pools.backend)
        .run(&pools.write)
        .await
        .map_err(|e| format!("migrations : {e}"))
}

#[cfg(test)]
mod tests {
    use sha2::{Digest, Sha256};

    /// The SHA-256 of every released migration. A released migration never changes (sqlx refuses to start on
    /// a database where an applied migration's checksum differs): a change of schema is a new file, added here
    /// when it is released.
    const RELEASED: &[(&str, &str)] = &include!("../migrations/checksums.in");

    #[test]
    fn released_migrations_never_change() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        let mut found = Vec::new();
        for kind in ["sqlite", "postgres"] {
            let mut names: Vec<String> = std::fs::read_dir(root.join(kind))
                .expect("migrations folder")
                .map(|entry| entry.expect("entry").file_name().to_string_lossy().into_owned())
                .filter(|name| name.ends_with(".sql"))
                .collect();
            names.sort();
            for name in names {
                let bytes = std::fs::read(root.join(kind).join(&name)).expect("migration file");
                let digest = hex_of(&Sha256::digest(&bytes));
                found.push((format!("{kind}/{name}"), digest));
            }
        }
        for (path, digest) in RELEASED {
            let current = found.iter().find(|(p, _)| p == path);
            assert!(current.is_some(), "la migration publiée {path} a disparu");
            assert_eq!(
                current.map(|(_, d)| d.as_str()),
                Some(*digest),
                "la migration publiée {path} a changé : ajoutez une nouvelle migration au lieu de la modifier"
            );
        }
        for (path, digest) in &found {
            assert!(
                RELEASED.iter().any(|(p, _)| p == path),
                "nouvelle migration {path} : ajoutez (\"{path}\", \"{digest}\") à server/migrations/checksums.in"
            );
        }
        assert_eq!(found.len(), RELEASED.len());
        assert!(
            found.len() >= 26,
            "both kinds of database have their migrations: {}",
            found.len()
        );
    }

    fn hex_of(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }
}
