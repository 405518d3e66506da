//! Where documents live and the antivirus that clears them: files under random names in their own folder
//! (outside the site's root) or bucket (`crate::storage`), infected ones moved to `quarantaine/`, and the worker
//! that sends each waiting file to the ClamAV daemon (`IAF_CLAMAV`) and records its verdict.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use app::domain::documents::{read_scan_answer, ScanStatus, ScanVerdict};
use app::domain::email::{CollectiviteNotice, Notice};
use app::server::context::now;
use app::store::DocumentStore;
use tokio::sync::Notify;

use crate::sql::SqlStore;
use crate::storage::{Bucket, Storage, QUARANTINE};

/// The documents' storage and the antivirus, shared by the handlers and the worker.
#[derive(Debug)]
pub struct DocumentFiles {
    /// The local folder: the documents themselves, or with a bucket the uploads being received.
    pub dir: PathBuf,
    /// Where the received documents are kept: this folder (default) or a bucket.
    pub storage: Storage,
    /// The ClamAV daemon's socket; None: files are kept "non analysé".
    pub clamav: Option<PathBuf>,
    /// Wakes the worker when files arrive.
    pub arrived: Notify,
    /// The site's address, for the links of the emails the worker causes.
    pub origin: String,
    /// `IAF_RESERVE_DISQUE_MO` in bytes: the free space of the documents' filesystem uploads must leave.
    pub reserve_bytes: u64,
    /// `IAF_QUOTA_BROUILLONS_MO` in bytes: what all unfiled drafts' documents may hold together.
    pub drafts_quota_bytes: i64,
}

impl DocumentFiles {
    /// Creates the folders (documents and quarantine) when missing.
    pub fn open(dir: &str, clamav: &str, origin: &str) -> Result<DocumentFiles, String> {
        let dir = PathBuf::from(dir);
        std::fs::create_dir_all(dir.join("quarantaine"))
            .map_err(|e| format!("dossier des pièces {} : {e}", dir.display()))?;
        Ok(DocumentFiles {
            storage: Storage::Folder(dir.clone()),
            dir,
            clamav: (!clamav.is_empty()).then(|| PathBuf::from(clamav)),
            arrived: Notify::new(),
            origin: origin.trim_end_matches('/').to_string(),
            reserve_bytes: crate::config::disk_reserve_bytes(),
            drafts_quota_bytes: crate::config::drafts_quota_bytes(),
        })
    }

    /// The documents of the configuration: the folder `IAF_PIECES_DIR`, the documents kept in the bucket of
    /// `IAF_S3_BUCKET` when one is named.
    pub fn from_config(config: &crate::config::Config, origin: &str) -> Result<DocumentFiles, String> {
        let files = DocumentFiles::open(&config.documents_dir, &config.clamav_socket, origin)?;
        match crate::storage::BucketSettings::from_env() {
            Some(settings) => {
                let files = files.in_bucket(Bucket::open(&settings)?);
                tracing::info!(stockage = %files.storage.label(), "pièces conservées dans un stockage S3");
                Ok(files)
            }
            None => Ok(files),
        }
    }

    /// The same, keeping the received documents in `bucket` (the folder then only receives uploads).
    pub fn in_bucket(mut self, bucket: Bucket) -> DocumentFiles {
        self.storage = Storage::Bucket(bucket);
        self
    }

    /// Whether `incoming` bytes can be received and still leave the reserve free on the local folder's
    /// filesystem (where every upload is written first). When the free space cannot be read, uploads are not
    /// blocked.
    pub fn has_room_for(&self, incoming: u64) -> bool {
        match rustix::fs::statvfs(&self.dir) {
            Ok(stats) => {
                let free = stats.f_bavail.saturating_mul(stats.f_frsize);
                free.saturating_sub(incoming) >= self.reserve_bytes && free >= incoming
            }
            Err(_) => true,
        }
    }

    /// A folder of its own under the system's temporary folder, without antivirus (tests and benchmarks).
    pub fn scratch() -> Result<DocumentFiles, String> {
        let dir = std::env::temp_dir().join(format!("iaf-pieces-{}-{}", std::process::id(), new_stored_name()));
        DocumentFiles::open(&dir.to_string_lossy(), "", "")
    }

    /// The status a new file starts with.
    pub fn initial_status(&self) -> ScanStatus {
        if self.clamav.is_some() {
            ScanStatus::Pending
        } else {
            ScanStatus::NotScanned
        }
    }

    /// Where an upload is written while it is received (its name is random and checked, never taken from a
    /// request), before `Storage::keep` moves it.
    pub fn receiving_path(&self, stored_name: &str) -> Option<PathBuf> {
        is_stored_name(stored_name).then(|| self.dir.join(format!("{stored_name}.part")))
    }
}

/// A stored name: 32 lower-case hexadecimal characters.
pub fn is_stored_name(name: &str) -> bool {
    name.len() == 32 && name.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A new random name (128 bits).
pub fn new_stored_name() -> String {
    use rand::RngCore;
    let mut bytes = [0_u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Scans one stored file with clamd (sent as it is read, from the folder or the bucket).
async fn scan(socket: &Path, storage: &Storage, stored_name: &str) -> ScanVerdict {
    let bytes = match storage.read(stored_name).await {
        Ok(bytes) => bytes,
        Err(error) => return ScanVerdict::Unreadable(error.to_string()),
    };
    let connection = clamav_client::tokio::Socket { socket_path: socket };
    match clamav_client::tokio::scan_stream(bytes, connection, None).await {
        Ok(answer) => read_scan_answer(&String::from_utf8_lossy(&answer)),
        Err(error) => ScanVerdict::Unreadable(error.to_string()),
    }
}

/// Scans every waiting file once; how many got a verdict.
pub async fn scan_pending(store: &SqlStore, files: &DocumentFiles) -> usize {
    let Some(socket) = files.clamav.as_deref() else {
        return 0;
    };
    // A daemon that does not answer is not the files' fault: no attempt is counted against them.
    let ping = clamav_client::tokio::ping(clamav_client::tokio::Socket { socket_path: socket }).await;
    if !matches!(&ping, Ok(answer) if answer.starts_with(b"PONG")) {
        tracing::warn!("antivirus : le démon ne répond pas ({ping:?}), nouvel essai plus tard");
        return 0;
    }
    let pending = match store.pending_scans(50).await {
        Ok(pending) => pending,
        Err(error) => {
            tracing::warn!("antivirus : lecture des fichiers en attente impossible : {error}");
            return 0;
        }
    };
    let mut done = 0;
    for document in pending {
        if !is_stored_name(&document.stored_name) {
            continue;
        }
        let file_name = document.file_name.clone();
        let (status, detail, notice) = match scan(socket, &files.storage, &document.stored_name).await {
            ScanVerdict::Clean => (ScanStatus::Clean, String::new(), Notice::Infected { file_name }),
            ScanVerdict::Infected(signature) => (ScanStatus::Infected, signature, Notice::Infected { file_name }),
            ScanVerdict::LimitsExceeded(signature) => (
                ScanStatus::Infected,
                format!("trop volumineux pour être analysé en entier ({signature})"),
                Notice::Unscannable { file_name },
            ),
            ScanVerdict::Unreadable(reason) => {
                tracing::warn!("antivirus : échec sur {} : {reason}", document.public_id);
                match store
                    .record_scan_failure(&document.public_id, &reason, &files.origin, now())
                    .await
                {
                    Ok(true) => {
                        tracing::error!("antivirus : {} mis de côté, l'équipe est prévenue", document.public_id)
                    }
                    Ok(false) => {}
                    Err(error) => tracing::warn!("antivirus : échec non enregistré : {error}"),
                }
                continue;
            }
        };
        // Sent only with a blocked file's verdict (`record_scan` ignores it for a clean one).
        let notice = CollectiviteNotice {
            notice,
            origin: files.origin.clone(),
        };
        // The verdict first: an infected file is never served once it is recorded, even if the move fails.
        if let Err(error) = store
            .record_scan(&document.public_id, status, &detail, Some(&notice), now())
            .await
        {
            tracing::warn!("antivirus : verdict non enregistré : {error}");
            continue;
        }
        done += 1;
        if status == ScanStatus::Infected {
            let quarantine = format!("{QUARANTINE}/{}", document.stored_name);
            if let Err(error) = files.storage.rename(&document.stored_name, &quarantine).await {
                tracing::error!(
                    "antivirus : mise en quarantaine de {} impossible : {error}",
                    document.public_id
                );
            }
        }
    }
    done
}

/// The worker: scans waiting files when some arrive, and every 30 seconds (a daemon that was down).
pub fn spawn_scanner(store: Arc<SqlStore>, files: Arc<DocumentFiles>) {
    if files.clamav.is_none() {
        return;
    }
    tokio::spawn(async move {
        loop {
            scan_pending(&store, &files).await;
            tokio::select! {
                _ = files.arrived.notified() => {}
                _ = tokio::time::sleep(Duration::from_secs(30)) => {}
            }
        }
    });
}
