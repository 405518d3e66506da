//! The server's background work: the daily purge of abandoned drafts and of idle drafts' documents (and of the
//! files no document points to), and every 15 minutes the purge of the
//! sign-in counts of ended windows (which keeps them bounded) and of expired or idle sessions.

use app::domain::retention::PURGE_INTERVAL_SECONDS;
use app::domain::sign_in::FAILURE_WINDOW_SECONDS;
use app::server::context::now;
use app::store::{AccountStore, DocumentStore};

use crate::scan::DocumentFiles;
use crate::sql::SqlStore;

/// Files of the documents' folder older than this and known to no row are removed (an upload cut off by a
/// crash, a document withdrawn, a purged draft's).
pub const ORPHAN_FILE_SECONDS: u64 = 3_600;

/// Removes the files no document points to, older than `ORPHAN_FILE_SECONDS`, from the storage (and, with a
/// bucket, the uploads left half-received in the local folder); how many.
pub async fn sweep_documents(store: &SqlStore, files: &DocumentFiles) -> Result<usize, String> {
    let known: std::collections::HashSet<String> = store.stored_names().await.map_err(|e| e.0)?.into_iter().collect();
    let receiving = crate::storage::Storage::Folder(files.dir.clone());
    let mut places = vec![&files.storage];
    if files.storage.is_bucket() {
        places.push(&receiving);
    }
    let mut removed = 0;
    for storage in places {
        let stored = storage
            .list()
            .await
            .map_err(|e| format!("liste des pièces ({}) : {e}", storage.label()))?;
        for file in stored {
            let base = file.name.rsplit('/').next().unwrap_or(&file.name);
            let stem = base.strip_suffix(".part").unwrap_or(base);
            if file.age.as_secs() > ORPHAN_FILE_SECONDS
                && !known.contains(stem)
                && storage.remove(&file.name).await.is_ok()
            {
                removed += 1;
            }
        }
    }
    Ok(removed)
}

/// Runs the purges now and then at their intervals, for as long as the server runs.
pub fn spawn_purge(store: std::sync::Arc<SqlStore>, files: std::sync::Arc<DocumentFiles>) {
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
            match drafts.purge_idle_draft_documents(now()).await {
                Ok(0) => {}
                Ok(count) => tracing::info!(count, "pièces de brouillons inactifs depuis 30 jours supprimées"),
                Err(error) => tracing::error!(cause = %error.0, "purge des pièces des brouillons inactifs"),
            }
            match drafts.end_unused_links(now()).await {
                Ok(0) => {}
                Ok(count) => tracing::info!(count, "liens de suivi inutilisés depuis 12 mois clos"),
                Err(error) => tracing::error!(cause = %error.0, "fin des liens inutilisés"),
            }
            match app::store::LimitStore::forget_requests(drafts.as_ref(), now() - 3_600).await {
                Ok(_) => {}
                Err(error) => tracing::error!(cause = %error.0, "oubli des comptes de requêtes"),
            }
            match sweep_documents(&drafts, &files).await {
                Ok(0) => {}
                Ok(count) => tracing::info!(count, "fichiers sans document supprimés"),
                Err(error) => tracing::error!(cause = %error, "nettoyage des pièces"),
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
            let started = now() - app::domain::proconnect::REQUEST_SECONDS;
            if let Err(error) = app::store::ProConnectStore::purge_proconnect(store.as_ref(), started).await {
                tracing::error!(cause = %error.0, "purge des connexions ProConnect inachevées");
            }
            if let Err(error) = app::store::AgentStore::purge_agent_sessions(store.as_ref(), now()).await {
                tracing::error!(cause = %error.0, "purge des sessions des agents");
            }
        }
    });
}
