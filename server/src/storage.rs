//! Where the documents' bytes live: the local folder (`IAF_PIECES_DIR`, the default) or an S3-compatible bucket
//! (`IAF_S3_BUCKET`, through `object_store`), behind the few operations the uploads, downloads, antivirus, purge
//! and backup need. Names are relative: a stored name, or `quarantaine/` and a stored name.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use futures::stream::{BoxStream, StreamExt, TryStreamExt};
use object_store::aws::AmazonS3Builder;
use object_store::path::Path as Key;
use object_store::{ObjectStore, PutPayload, RetryConfig, WriteMultipart};
use tokio::io::AsyncReadExt;

/// The folder (or key prefix) of the files the antivirus blocked.
pub const QUARANTINE: &str = "quarantaine";

/// Files up to this size go to a bucket in one request; larger ones in parts of this size.
const PART_BYTES: usize = 5 * 1024 * 1024;

/// A file's bytes as they are read.
pub type ByteStream = BoxStream<'static, io::Result<Bytes>>;

/// How to reach a bucket (`IAF_S3_*`; the keys may also come from `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`).
#[derive(Clone, Debug, Default)]
pub struct BucketSettings {
    pub bucket: String,
    /// `IAF_S3_ENDPOINT`, e.g. `https://s3.fr-par.scw.cloud`; empty: AWS. `http://` is accepted (a local server).
    pub endpoint: String,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    /// `IAF_S3_PREFIXE`: the keys' first segment, `pieces` by default.
    pub prefix: String,
}

impl BucketSettings {
    /// The settings of `IAF_S3_BUCKET` and its companions; None when no bucket is named.
    pub fn from_env() -> Option<BucketSettings> {
        let var = |name: &str| std::env::var(name).unwrap_or_default().trim().to_string();
        let bucket = var("IAF_S3_BUCKET");
        (!bucket.is_empty()).then(|| BucketSettings {
            bucket,
            endpoint: var("IAF_S3_ENDPOINT"),
            region: var("IAF_S3_REGION"),
            access_key_id: var("IAF_S3_ACCESS_KEY_ID"),
            secret_access_key: var("IAF_S3_SECRET_ACCESS_KEY"),
            prefix: var("IAF_S3_PREFIXE"),
        })
    }
}

/// An S3-compatible bucket: its client and the prefix of the keys.
pub struct Bucket {
    store: Arc<dyn ObjectStore>,
    prefix: String,
    label: String,
}

impl Bucket {
    /// A client of the bucket (nothing is sent until the first operation).
    pub fn open(settings: &BucketSettings) -> Result<Bucket, String> {
        let mut builder = AmazonS3Builder::from_env()
            .with_bucket_name(&settings.bucket)
            // A store that does not answer fails the request in seconds rather than holding it for minutes.
            .with_retry(RetryConfig {
                max_retries: 3,
                retry_timeout: Duration::from_secs(15),
                ..RetryConfig::default()
            });
        if !settings.endpoint.is_empty() {
            builder = builder
                .with_endpoint(&settings.endpoint)
                .with_allow_http(settings.endpoint.starts_with("http://"));
        }
        if !settings.region.is_empty() {
            builder = builder.with_region(&settings.region);
        }
        if !settings.access_key_id.is_empty() {
            builder = builder
                .with_access_key_id(&settings.access_key_id)
                .with_secret_access_key(&settings.secret_access_key);
        }
        let store = builder
            .build()
            .map_err(|e| format!("stockage S3 « {} » : {e}", settings.bucket))?;
        let prefix = Some(settings.prefix.trim_matches('/'))
            .filter(|p| !p.is_empty())
            .unwrap_or("pieces")
            .to_string();
        Ok(Bucket {
            store: Arc::new(store),
            label: format!("s3://{}/{prefix}", settings.bucket),
            prefix,
        })
    }

    fn key(&self, name: &str) -> Key {
        Key::from(format!("{}/{name}", self.prefix))
    }

    /// Sends the file at `source` under `name`: in one request, or in parts when it is large.
    async fn upload(&self, source: &Path, name: &str) -> io::Result<()> {
        let key = self.key(name);
        let mut file = tokio::fs::File::open(source).await?;
        if file.metadata().await?.len() <= PART_BYTES as u64 {
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).await?;
            self.store.put(&key, PutPayload::from(bytes)).await.map_err(to_io)?;
            return Ok(());
        }
        let mut upload =
            WriteMultipart::new_with_chunk_size(self.store.put_multipart(&key).await.map_err(to_io)?, PART_BYTES);
        let mut buffer = vec![0_u8; 1024 * 1024];
        loop {
            let read = match file.read(&mut buffer).await {
                Ok(read) => read,
                Err(error) => {
                    let _ = upload.abort().await;
                    return Err(error);
                }
            };
            if read == 0 {
                break;
            }
            upload.wait_for_capacity(2).await.map_err(to_io)?;
            upload.write(&buffer[..read]);
        }
        upload.finish().await.map_err(to_io)?;
        Ok(())
    }
}

/// An object store's error as an I/O one (a missing object is `NotFound`).
fn to_io(error: object_store::Error) -> io::Error {
    match error {
        object_store::Error::NotFound { .. } => io::Error::new(io::ErrorKind::NotFound, error.to_string()),
        other => io::Error::other(other.to_string()),
    }
}

/// A stored file: its relative name and how long ago it was last written.
#[derive(Clone, Debug)]
pub struct Stored {
    pub name: String,
    pub age: Duration,
}

/// The documents' storage: a folder or a bucket.
pub enum Storage {
    Folder(PathBuf),
    Bucket(Bucket),
}

impl std::fmt::Debug for Storage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label())
    }
}

impl Storage {
    /// The storage the configuration names: the bucket of `IAF_S3_BUCKET`, or else the folder `IAF_PIECES_DIR`.
    pub fn from_config(config: &crate::config::Config) -> Result<Storage, String> {
        match BucketSettings::from_env() {
            Some(settings) => Bucket::open(&settings).map(Storage::Bucket),
            None => Ok(Storage::Folder(PathBuf::from(&config.documents_dir))),
        }
    }

    /// Where the files are, for the logs and the commands' reports.
    pub fn label(&self) -> String {
        match self {
            Storage::Folder(dir) => dir.display().to_string(),
            Storage::Bucket(bucket) => bucket.label.clone(),
        }
    }

    /// Whether this is a bucket (uploads are then staged in the local folder before they are sent).
    pub fn is_bucket(&self) -> bool {
        matches!(self, Storage::Bucket(_))
    }

    /// Moves a complete file from the local `staged` path to `name` (a bucket receives it, then the local file
    /// is removed).
    pub async fn keep(&self, staged: &Path, name: &str) -> io::Result<()> {
        match self {
            Storage::Folder(dir) => tokio::fs::rename(staged, dir.join(name)).await,
            Storage::Bucket(bucket) => {
                let sent = bucket.upload(staged, name).await;
                let _ = tokio::fs::remove_file(staged).await;
                sent
            }
        }
    }

    /// Copies the local file `source` to `name`, leaving the source in place (restoring a backup).
    pub async fn copy_in(&self, source: &Path, name: &str) -> io::Result<()> {
        match self {
            Storage::Folder(dir) => {
                let target = dir.join(name);
                if let Some(parent) = target.parent() {
                    tokio::fs::create_dir_all(parent).await?;
                }
                tokio::fs::copy(source, target).await.map(|_| ())
            }
            Storage::Bucket(bucket) => bucket.upload(source, name).await,
        }
    }

    /// The bytes of `name`, as they are read.
    pub async fn read(&self, name: &str) -> io::Result<ByteStream> {
        match self {
            Storage::Folder(dir) => {
                let file = tokio::fs::File::open(dir.join(name)).await?;
                Ok(tokio_util::io::ReaderStream::new(file).boxed())
            }
            Storage::Bucket(bucket) => {
                let got = bucket.store.get(&bucket.key(name)).await.map_err(to_io)?;
                Ok(got.into_stream().map_err(to_io).boxed())
            }
        }
    }

    /// Writes the bytes of `name` into the local file `target` (backing up a bucket).
    pub async fn copy_out(&self, name: &str, target: &Path) -> io::Result<()> {
        let mut bytes = self.read(name).await?;
        let mut file = tokio::fs::File::create(target).await?;
        while let Some(chunk) = bytes.next().await {
            tokio::io::AsyncWriteExt::write_all(&mut file, &chunk?).await?;
        }
        tokio::io::AsyncWriteExt::flush(&mut file).await
    }

    /// Removes `name`; one already gone is not an error.
    pub async fn remove(&self, name: &str) -> io::Result<()> {
        let removed = match self {
            Storage::Folder(dir) => tokio::fs::remove_file(dir.join(name)).await,
            Storage::Bucket(bucket) => bucket.store.delete(&bucket.key(name)).await.map_err(to_io),
        };
        match removed {
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(()),
            other => other,
        }
    }

    /// Renames `from` to `to` (a bucket copies, then deletes).
    pub async fn rename(&self, from: &str, to: &str) -> io::Result<()> {
        match self {
            Storage::Folder(dir) => tokio::fs::rename(dir.join(from), dir.join(to)).await,
            Storage::Bucket(bucket) => bucket
                .store
                .rename(&bucket.key(from), &bucket.key(to))
                .await
                .map_err(to_io),
        }
    }

    /// Every stored file, the quarantined ones too (`quarantaine/…`).
    pub async fn list(&self) -> io::Result<Vec<Stored>> {
        match self {
            Storage::Folder(dir) => {
                let mut found = Vec::new();
                for (folder, prefix) in [(dir.clone(), ""), (dir.join(QUARANTINE), "quarantaine/")] {
                    let mut entries = match tokio::fs::read_dir(&folder).await {
                        Ok(entries) => entries,
                        Err(error) if error.kind() == io::ErrorKind::NotFound => continue,
                        Err(error) => return Err(error),
                    };
                    while let Some(entry) = entries.next_entry().await? {
                        let metadata = entry.metadata().await?;
                        if metadata.is_file() {
                            let age = metadata.modified()?.elapsed().unwrap_or_default();
                            let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
                            found.push(Stored { name, age });
                        }
                    }
                }
                Ok(found)
            }
            Storage::Bucket(bucket) => {
                let prefix = Key::from(bucket.prefix.as_str());
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_secs() as i64)
                    .unwrap_or_default();
                let mut listed = bucket.store.list(Some(&prefix));
                let mut found = Vec::new();
                while let Some(object) = listed.next().await {
                    let object = object.map_err(to_io)?;
                    let Some(name) = object.location.prefix_match(&prefix).map(|parts| {
                        parts
                            .map(|part| part.as_ref().to_string())
                            .collect::<Vec<_>>()
                            .join("/")
                    }) else {
                        continue;
                    };
                    let age = Duration::from_secs(now.saturating_sub(object.last_modified.timestamp()).max(0) as u64);
                    found.push(Stored { name, age });
                }
                Ok(found)
            }
        }
    }
}
