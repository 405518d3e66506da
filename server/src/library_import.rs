//! The Bibliothèque d'IA territoriales brought into the catalogue: its file read from a path or fetched by URL
//! (a conditional GET: `If-None-Match` / `If-Modified-Since` from the last import, so an unchanged file is not
//! read again), recorded by the store in one transaction, and the daily refresh when `IAF_BIBLIOTHEQUE_URL` is
//! set (nothing is fetched otherwise).

use std::sync::Arc;
use std::time::Duration;

use app::domain::collectivites::Directory;
use app::domain::library::report::ImportReport;
use app::domain::library::{read_file, DEFAULT_LICENCE, SOURCE_PAGE};
use app::store::library::LibraryImport;
use app::store::LibraryStore;

use crate::sql::SqlStore;

/// How often the source is asked for a newer file.
pub const REFRESH_INTERVAL: Duration = Duration::from_secs(24 * 3_600);
/// The longest a fetch may take.
const FETCH_TIMEOUT: Duration = Duration::from_secs(60);
/// The largest file accepted (the Bibliothèque's is tens of kilobytes).
const MAX_BYTES: usize = 20 * 1024 * 1024;

/// A file as fetched.
pub enum Fetched {
    /// The source says the file has not changed since the last import.
    NotModified,
    File {
        text: String,
        etag: String,
        last_modified: String,
    },
}

/// The text of a file, refused when it is not UTF-8 or too large.
fn text_of(bytes: Vec<u8>, origin: &str) -> Result<String, String> {
    if bytes.len() > MAX_BYTES {
        return Err(format!(
            "{origin} : fichier de plus de {} Mio, refusé.",
            MAX_BYTES / 1024 / 1024
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{origin} : le fichier n'est pas en UTF-8 (octet invalide à la position {}).",
            e.utf8_error().valid_up_to()
        )
    })
}

/// Reads `origin`: a path, or an `http(s)://` URL asked conditionally with what the last import of the same
/// URL was answered.
pub async fn fetch(origin: &str, previous: Option<(&str, &str)>) -> Result<Fetched, String> {
    if !(origin.starts_with("https://") || origin.starts_with("http://")) {
        let bytes = tokio::fs::read(origin)
            .await
            .map_err(|e| format!("lecture de {origin} : {e}"))?;
        return Ok(Fetched::File {
            text: text_of(bytes, origin)?,
            etag: String::new(),
            last_modified: String::new(),
        });
    }
    let client = reqwest::Client::builder()
        .timeout(FETCH_TIMEOUT)
        .user_agent(concat!("IA-Factory/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| format!("client HTTP : {e}"))?;
    let mut request = client.get(origin);
    if let Some((etag, last_modified)) = previous {
        if !etag.is_empty() {
            request = request.header(reqwest::header::IF_NONE_MATCH, etag);
        }
        if !last_modified.is_empty() {
            request = request.header(reqwest::header::IF_MODIFIED_SINCE, last_modified);
        }
    }
    let response = request
        .send()
        .await
        .map_err(|e| format!("téléchargement de {origin} : {e}"))?;
    if response.status() == reqwest::StatusCode::NOT_MODIFIED {
        return Ok(Fetched::NotModified);
    }
    if !response.status().is_success() {
        return Err(format!("téléchargement de {origin} : réponse {}", response.status()));
    }
    let header = |name: reqwest::header::HeaderName| {
        response
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let (etag, last_modified) = (header(reqwest::header::ETAG), header(reqwest::header::LAST_MODIFIED));
    let bytes = response
        .bytes()
        .await
        .map_err(|e| format!("téléchargement de {origin} : {e}"))?;
    Ok(Fetched::File {
        text: text_of(bytes.to_vec(), origin)?,
        etag,
        last_modified,
    })
}

/// Imports `origin` into the catalogue; `None` when the source answered that nothing changed.
pub async fn import(
    store: &SqlStore,
    directory: &Directory,
    origin: &str,
    now: i64,
) -> Result<Option<ImportReport>, String> {
    let last = store.last_library_import().await.map_err(|e| e.0)?;
    let previous = last
        .as_ref()
        .filter(|last| last.origin == origin)
        .map(|last| (last.etag.as_str(), last.last_modified.as_str()));
    let (text, etag, last_modified) = match fetch(origin, previous).await? {
        Fetched::NotModified => return Ok(None),
        Fetched::File {
            text,
            etag,
            last_modified,
        } => (text, etag, last_modified),
    };
    let read = read_file(&text, directory).map_err(|e| format!("{origin} : {e}"))?;
    let licence = std::env::var("IAF_BIBLIOTHEQUE_LICENCE")
        .ok()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .unwrap_or_else(|| DEFAULT_LICENCE.to_string());
    // A file is recorded by its name only: where it lay on the server is nobody's business on the team's page.
    let recorded = if origin.starts_with("https://") || origin.starts_with("http://") {
        origin.to_string()
    } else {
        std::path::Path::new(origin)
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let import = LibraryImport {
        origin: recorded,
        read,
        licence,
        source_url: SOURCE_PAGE.to_string(),
        etag,
        last_modified,
        now,
    };
    store.import_library(&import).await.map(Some).map_err(|e| e.0)
}

/// Refreshes the catalogue from `url` now and then every `REFRESH_INTERVAL`; a failure is logged and tried
/// again at the next turn.
pub fn spawn_refresh(store: Arc<SqlStore>, directory: Arc<Directory>, url: String) {
    tokio::spawn(async move {
        let stop = crate::shutdown::signal();
        loop {
            match import(&store, &directory, &url, app::server::context::now()).await {
                Ok(Some(report)) => tracing::info!(source = %url, "Bibliothèque importée : {}", report.summary()),
                Ok(None) => tracing::info!(source = %url, "Bibliothèque inchangée depuis le dernier import"),
                Err(error) => tracing::error!(source = %url, "import de la Bibliothèque : {error}"),
            }
            tokio::select! {
                _ = tokio::time::sleep(REFRESH_INTERVAL) => {}
                _ = stop.cancelled() => return,
            }
        }
    });
}
