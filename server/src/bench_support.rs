//! What the benchmark binaries share (included with `#[path]`, not part of the server library): percentiles,
//! a timed request through the router, and a fresh SQLite file plus a fresh PostgreSQL database for one run,
//! removed afterwards.

use std::time::Duration;

/// The `p` percentile (0–1) of sorted durations, in milliseconds; 0 when there is none.
pub fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let index = ((sorted.len().max(1) as f64 - 1.0) * p).round() as usize;
    sorted.get(index).map(|d| d.as_secs_f64() * 1000.0).unwrap_or(0.0)
}

/// GETs `uri` through the router, accepting `accept`: the status, the whole body, and the server time to its
/// last byte.
#[allow(dead_code)] // Not every benchmark goes through the router (bench-tableau calls the store).
pub async fn timed_get(
    app: &axum::Router,
    uri: &str,
    accept: &str,
) -> Result<(axum::http::StatusCode, axum::body::Bytes, Duration), String> {
    use tower::ServiceExt;
    let request = axum::http::Request::builder()
        .uri(uri)
        .header(axum::http::header::ACCEPT, accept)
        .body(axum::body::Body::empty())
        .map_err(|e| e.to_string())?;
    let started = std::time::Instant::now();
    let response = app.clone().oneshot(request).await.map_err(|e| e.to_string())?;
    let status = response.status();
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .map_err(|e| e.to_string())?
        .to_bytes();
    Ok((status, bytes, started.elapsed()))
}

/// A new SQLite file and a new PostgreSQL database (`TEST_POSTGRES_URL`) for one benchmark.
pub struct ScratchDatabases {
    pub sqlite_url: String,
    pub postgres_url: String,
    folder: std::path::PathBuf,
    name: String,
    admin: sqlx::AnyPool,
}

impl ScratchDatabases {
    pub async fn create(prefix: &str) -> Result<ScratchDatabases, String> {
        sqlx::any::install_default_drivers();
        let folder = std::env::temp_dir().join(format!("{prefix}-{}", std::process::id()));
        std::fs::create_dir_all(&folder).map_err(|e| e.to_string())?;
        let base = std::env::var("TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
        let name = format!("{}_{}", prefix.replace('-', "_"), std::process::id());
        let admin = sqlx::AnyPool::connect(&format!("{base}/postgres"))
            .await
            .map_err(|e| format!("PostgreSQL : {e}"))?;
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&admin)
            .await
            .map_err(|e| e.to_string())?;
        Ok(ScratchDatabases {
            sqlite_url: format!("sqlite://{}/bench.db", folder.display()),
            postgres_url: format!("{base}/{name}"),
            folder,
            name,
            admin,
        })
    }

    pub async fn remove(self) {
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name))
            .execute(&self.admin)
            .await;
        let _ = std::fs::remove_dir_all(&self.folder);
    }
}
