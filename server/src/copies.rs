//! This process's copies of the open data: each document (`/catalogue.json`, `.csv`, the Bibliothèque CSV,
//! DCAT, Atom, sitemap) written to a file once per catalogue generation and compressed once (gzip), in a
//! folder of the process's own removed when it stops. `http::copies` serves them.

use std::collections::HashMap;
use std::path::PathBuf;

use app::store::StoreError;
use axum::http::{header, HeaderMap};
use tokio::io::AsyncWriteExt;

/// The documents served from copies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Document {
    Json,
    Csv,
    Bibliotheque,
    Dcat,
    Atom,
    Sitemap,
}

impl Document {
    /// The copy's file name (and the start of its `ETag`).
    pub fn stem(self) -> &'static str {
        match self {
            Document::Json => "catalogue-json",
            Document::Csv => "catalogue-csv",
            Document::Bibliotheque => "bibliotheque-csv",
            Document::Dcat => "dcat",
            Document::Atom => "atom",
            Document::Sitemap => "sitemap",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Document::Json => "application/json; charset=utf-8",
            Document::Csv | Document::Bibliotheque => "text/csv; charset=utf-8",
            Document::Dcat => "application/ld+json; charset=utf-8",
            Document::Atom => "application/atom+xml; charset=utf-8",
            Document::Sitemap => "application/xml; charset=utf-8",
        }
    }

    /// The name a download is saved under, for the CSV files.
    pub fn attachment(self) -> Option<&'static str> {
        match self {
            Document::Csv => Some("catalogue-ia-factory.csv"),
            Document::Bibliotheque => Some("bibliotheque-ia-territoriale.csv"),
            _ => None,
        }
    }
}

/// Why a copy could not be written.
#[derive(Debug)]
pub enum BuildError {
    Store(StoreError),
    Io(std::io::Error),
}

impl From<StoreError> for BuildError {
    fn from(error: StoreError) -> Self {
        BuildError::Store(error)
    }
}

impl From<std::io::Error> for BuildError {
    fn from(error: std::io::Error) -> Self {
        BuildError::Io(error)
    }
}

/// Where a document is written while it is built: a buffered file.
pub struct Sink {
    out: tokio::io::BufWriter<tokio::fs::File>,
}

impl Sink {
    pub async fn put(&mut self, text: &str) -> Result<(), BuildError> {
        self.out.write_all(text.as_bytes()).await?;
        Ok(())
    }
}

/// A written copy: the generation it was built at and its files (plain, gzip).
#[derive(Clone, Debug)]
pub struct Copy {
    generation: i64,
    plain: PathBuf,
}

impl Copy {
    pub fn encoded(&self, encoding: Encoding) -> PathBuf {
        match encoding {
            Encoding::Identity => self.plain.clone(),
            Encoding::Gzip => self.plain.with_extension("gz"),
        }
    }
}

/// How a copy is sent, from the reader's `Accept-Encoding`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Identity,
    Gzip,
}

impl Encoding {
    pub fn chosen(headers: &HeaderMap) -> Encoding {
        let accepted = headers
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let offers = |name: &str| {
            accepted.split(',').any(|part| {
                let mut pieces = part.trim().split(';');
                pieces
                    .next()
                    .is_some_and(|coding| coding.trim().eq_ignore_ascii_case(name))
                    && !pieces.any(|p| p.trim().replace(' ', "") == "q=0")
            })
        };
        // Brotli is not offered: async-compression's encoder failed on a 10 MB copy ("brotli error"), and
        // every reader that accepts br accepts gzip.
        if offers("gzip") {
            Encoding::Gzip
        } else {
            Encoding::Identity
        }
    }

    pub fn header(self) -> Option<&'static str> {
        match self {
            Encoding::Identity => None,
            Encoding::Gzip => Some("gzip"),
        }
    }
}

/// This process's copies, by document and origin (the address links are written with), in a folder of its own
/// removed when the server stops.
#[derive(Debug)]
pub struct Copies {
    dir: PathBuf,
    copies: std::sync::Mutex<HashMap<(Document, String), Copy>>,
    /// One copy is written at a time; a reader arriving meanwhile waits for it rather than writing it again.
    building: tokio::sync::Mutex<()>,
}

impl Default for Copies {
    fn default() -> Self {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let number = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Copies {
            dir: std::env::temp_dir().join(format!("iaf-donnees-ouvertes-{}-{number}", std::process::id())),
            copies: Default::default(),
            building: Default::default(),
        }
    }
}

impl Drop for Copies {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Copies {
    /// At most this many copies are kept (the origin comes from the `Host` header when `IAF_PUBLIC_URL` is unset).
    const CAPACITY: usize = 48;

    fn current(&self, document: Document, origin: &str, generation: i64) -> Option<Copy> {
        let copies = self.copies.lock().ok()?;
        copies
            .get(&(document, origin.to_string()))
            .filter(|copy| copy.generation == generation)
            .cloned()
    }

    /// Keeps `copy` and removes the files of the one it replaces (a reader still streaming them keeps its file).
    fn keep(&self, document: Document, origin: &str, copy: Copy) {
        let Ok(mut copies) = self.copies.lock() else {
            return;
        };
        if copies.len() >= Self::CAPACITY && !copies.contains_key(&(document, origin.to_string())) {
            for (_, old) in copies.drain() {
                remove_files(&old);
            }
        }
        if let Some(old) = copies.insert((document, origin.to_string()), copy) {
            remove_files(&old);
        }
    }

    /// The copy of `document` at `generation`, written by `write` now if this process has none.
    pub async fn copy_of<'a, W>(
        &self,
        document: Document,
        origin: &str,
        generation: i64,
        write: W,
    ) -> Result<Copy, BuildError>
    where
        W: FnOnce(Sink) -> futures::future::BoxFuture<'a, Result<Sink, BuildError>>,
    {
        if let Some(copy) = self.current(document, origin, generation) {
            return Ok(copy);
        }
        let _one_at_a_time = self.building.lock().await;
        if let Some(copy) = self.current(document, origin, generation) {
            return Ok(copy);
        }
        tokio::fs::create_dir_all(&self.dir).await?;
        let plain = self
            .dir
            .join(format!("{}-{:016x}-{generation}", document.stem(), origin_hash(origin)));
        let sink = Sink {
            out: tokio::io::BufWriter::new(tokio::fs::File::create(&plain).await?),
        };
        let mut sink = write(sink).await?;
        sink.out.flush().await?;
        let copy = Copy { generation, plain };
        compress(&copy).await?;
        self.keep(document, origin, copy.clone());
        Ok(copy)
    }
}

fn remove_files(copy: &Copy) {
    for encoding in [Encoding::Identity, Encoding::Gzip] {
        let _ = std::fs::remove_file(copy.encoded(encoding));
    }
}

/// A short stable number for an origin (FNV-1a), so that copies for two addresses never share a file or `ETag`.
pub fn origin_hash(origin: &str) -> u64 {
    origin.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Writes the gzip file beside the plain copy, streaming.
async fn compress(copy: &Copy) -> Result<(), BuildError> {
    use async_compression::tokio::write::GzipEncoder;
    use async_compression::Level;
    let mut plain = tokio::fs::File::open(&copy.plain).await?;
    let mut gzip = GzipEncoder::with_quality(
        tokio::fs::File::create(copy.encoded(Encoding::Gzip)).await?,
        Level::Default,
    );
    tokio::io::copy(&mut plain, &mut gzip).await?;
    gzip.shutdown().await?;
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use axum::http::HeaderValue;

    /// Headers holding one `name: value` (the serving tests use it too).
    pub(crate) fn with(name: header::HeaderName, value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(name, HeaderValue::from_str(value).expect("header"));
        headers
    }

    #[test]
    fn the_encoding_follows_what_the_reader_accepts() {
        assert_eq!(
            Encoding::chosen(&with(header::ACCEPT_ENCODING, "gzip, deflate, br")),
            Encoding::Gzip
        );
        assert_eq!(
            Encoding::chosen(&with(header::ACCEPT_ENCODING, "br")),
            Encoding::Identity
        );
        assert_eq!(
            Encoding::chosen(&with(header::ACCEPT_ENCODING, "br, gzip;q=0")),
            Encoding::Identity
        );
        assert_eq!(Encoding::chosen(&HeaderMap::new()), Encoding::Identity);
    }
}
