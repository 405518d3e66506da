//! The server's background work: the daily purge of abandoned drafts, and every 15 minutes the purge of the
//! sign-in counts of ended windows (which keeps them bounded) and of expired or idle sessions.

use app::domain::retention::PURGE_INTERVAL_SECONDS;
use app::domain::sign_in::FAILURE_WINDOW_SECONDS;
use app::server::context::now;
use app::store::AccountStore;

use crate::sql::SqlStore;

/// Runs the purges now and then at their intervals, for as long as the server runs.
pub fn spawn_purge(store: std::sync::Arc<SqlStore>) {
    let drafts = store.clone();
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(std::time::Duration::from_secs(PURGE_INTERVAL_SECONDS));
        loop {
            interval.tick().await;
            match drafts.purge_abandoned_drafts(now()).await {
                Ok(0) => {}
                Ok(count) => tracing::info!(count, "brouillons abandonnés supprimés"),
                Err(error) => tracing::error!(cause = %error.0, "purge des brouillons"),
            }
        }
    });
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(std::time::Duration::from_secs(FAILURE_WINDOW_SECONDS as u64));
        loop {
            interval.tick().await;
            if let Err(error) = store.purge_attempts(now() - FAILURE_WINDOW_SECONDS).await {
                tracing::error!(cause = %error.0, "purge des tentatives de connexion");
            }
            if let Err(error) = store.purge_sessions(now()).await {
                tracing::error!(cause = %error.0, "purge des sessions");
            }
        }
    });
}
