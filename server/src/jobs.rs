//! The server's background work: the daily purge of abandoned drafts.

use app::domain::retention::PURGE_INTERVAL_SECONDS;
use app::server::context::now;

use crate::sql::SqlStore;

/// Runs the purge now and then every day, for as long as the server runs.
pub fn spawn_purge(store: std::sync::Arc<SqlStore>) {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(std::time::Duration::from_secs(PURGE_INTERVAL_SECONDS));
        loop {
            interval.tick().await;
            match store.purge_abandoned_drafts(now()).await {
                Ok(0) => {}
                Ok(count) => tracing::info!(count, "brouillons abandonnés supprimés"),
                Err(error) => tracing::error!(cause = %error.0, "purge des brouillons"),
            }
        }
    });
}
