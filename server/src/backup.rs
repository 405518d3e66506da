//! `server sauvegarder FICHIER` and `server restaurer FICHIER [--ecraser]`: one archive (tar) holding a
//! consistent copy of the database, taken while the service runs (SQLite's `VACUUM INTO`, PostgreSQL's
//! `pg_dump` on an exported snapshot), the documents (folder or bucket), and a manifest with the row count and SHA-256 of
//! every table; a restore refuses a database that holds anything unless told to overwrite it, and checks every
//! table against the manifest before the service may start on it.

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, Connection};

use crate::db::Backend;
use crate::sql::backup::{self as sql, TableDigest};
use crate::storage::Storage;

/// The version of the archive's layout.
const FORMAT: u32 = 1;
const MANIFEST: &str = "sauvegarde.json";
const SQLITE_ENTRY: &str = "base.sqlite";
const POSTGRES_ENTRY: &str = "base.pgdump";
const DOCUMENTS_ENTRY: &str = "pieces";

/// What the archive says of itself.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    /// `sqlite` or `postgres`.
    pub base: String,
    /// Seconds since 1970.
    pub cree_le: i64,
    pub version_logiciel: String,
    pub tables: Vec<TableDigest>,
    pub pieces: u64,
}

/// What a backup or a restore did, printed by the command.
#[derive(Clone, Debug)]
pub struct Report {
    pub manifest: Manifest,
    pub seconds: f64,
    pub bytes: u64,
}

fn backend_name(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    }
}

fn sqlite_path(url: &str) -> PathBuf {
    PathBuf::from(
        url.trim_start_matches("sqlite://")
            .trim_start_matches("sqlite:")
            .split('?')
            .next()
            .unwrap_or_default(),
    )
}

async fn open(url: &str) -> Result<AnyConnection, String> {
    sqlx::any::install_default_drivers();
    AnyConnection::connect(url)
        .await
        .map_err(|e| format!("connexion à la base : {e}"))
}

/// A temporary folder beside `near`, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn beside(near: &Path) -> Result<Scratch, String> {
        let parent = near
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let dir = parent.join(format!(".iaf-sauvegarde-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| format!("dossier temporaire {} : {e}", dir.display()))?;
        Ok(Scratch(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn run(command: &mut std::process::Command, what: &str) -> Result<(), String> {
    let output = command
        .output()
        .map_err(|e| format!("{what} introuvable ou impossible à lancer : {e} (paquet Debian postgresql-client)"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} a échoué : {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}

/// The files below `dir`, as paths relative to it (none when it does not exist).
fn files_below(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    let mut pending = vec![PathBuf::new()];
    while let Some(relative) = pending.pop() {
        let entries = match std::fs::read_dir(dir.join(&relative)) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(format!("dossier des pièces : {e}")),
        };
        for entry in entries {
            let entry = entry.map_err(|e| format!("dossier des pièces : {e}"))?;
            let name = relative.join(entry.file_name());
            let kind = entry.file_type().map_err(|e| format!("dossier des pièces : {e}"))?;
            if kind.is_dir() {
                pending.push(name);
            } else if kind.is_file() {
                files.push(name);
            }
        }
    }
    Ok(files)
}

/// Adds every file under `dir` to the archive below `pieces/`; a file removed meanwhile (the purge) is skipped.
fn add_documents<W: std::io::Write>(archive: &mut tar::Builder<W>, dir: &Path) -> Result<u64, String> {
    let mut count = 0;
    for name in files_below(dir)? {
        match archive.append_path_with_name(dir.join(&name), Path::new(DOCUMENTS_ENTRY).join(&name)) {
            Ok(()) => count += 1,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(format!("pièce {} : {e}", name.display())),
        }
    }
    Ok(count)
}

/// The folder of the documents to archive: the documents' own folder, or a copy of the bucket's files written
/// into `scratch` (a file removed meanwhile, by the purge, is skipped).
async fn documents_to_archive(documents: &Storage, scratch: &Path) -> Result<PathBuf, String> {
    if let Storage::Folder(dir) = documents {
        return Ok(dir.clone());
    }
    let copy = scratch.join(DOCUMENTS_ENTRY);
    let failed = |e: std::io::Error| format!("pièces ({}) : {e}", documents.label());
    for file in documents.list().await.map_err(failed)? {
        let target = copy.join(&file.name);
        if let Some(parent) = target.parent() {
            tokio::fs::create_dir_all(parent).await.map_err(failed)?;
        }
        match documents.copy_out(&file.name, &target).await {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let _ = tokio::fs::remove_file(&target).await;
            }
            Err(e) => return Err(format!("pièce {} : {e}", file.name)),
        }
    }
    Ok(copy)
}

/// Backs up the database of `database_url` and the documents (folder or bucket) into `target`, while the service
/// runs.
pub async fn back_up(database_url: &str, documents: &Storage, target: &Path, now: i64) -> Result<Report, String> {
    let started = Instant::now();
    let backend = Backend::of(database_url)?;
    let scratch = Scratch::beside(target)?;
    let (entry, tables) = match backend {
        Backend::Sqlite => {
            let copy = scratch.0.join(SQLITE_ENTRY);
            let mut live = open(database_url).await?;
            sql::sqlite_vacuum_into(&mut live, &copy.to_string_lossy()).await?;
            drop(live);
            // The digests are those of the copy itself: what the archive holds.
            let mut conn = open(&format!("sqlite://{}?mode=ro", copy.display())).await?;
            let tables = sql::digests(&mut conn, backend).await?;
            let _ = conn.close().await;
            (copy, tables)
        }
        Backend::Postgres => {
            let dump = scratch.0.join(POSTGRES_ENTRY);
            let mut conn = open(database_url).await?;
            let snapshot = sql::begin_exported_snapshot(&mut conn).await?;
            let tables = sql::digests(&mut conn, backend).await?;
            let dump_path = dump.clone();
            let url = database_url.to_string();
            tokio::task::spawn_blocking(move || {
                run(
                    std::process::Command::new("pg_dump")
                        .arg("--format=custom")
                        .arg("--no-owner")
                        .arg("--no-privileges")
                        .arg(format!("--snapshot={snapshot}"))
                        .arg("--file")
                        .arg(&dump_path)
                        .arg("--dbname")
                        .arg(&url),
                    "pg_dump",
                )
            })
            .await
            .map_err(|e| format!("pg_dump : {e}"))??;
            sql::end_snapshot(&mut conn).await?;
            let _ = conn.close().await;
            (dump, tables)
        }
    };
    let mut manifest = Manifest {
        format: FORMAT,
        base: backend_name(backend).into(),
        cree_le: now,
        version_logiciel: env!("CARGO_PKG_VERSION").into(),
        tables,
        pieces: 0,
    };
    let partial = scratch.0.join("archive.tar");
    let documents = documents_to_archive(documents, &scratch.0).await?;
    let entry_name = if backend == Backend::Sqlite {
        SQLITE_ENTRY
    } else {
        POSTGRES_ENTRY
    };
    let manifest_for_archive = manifest.clone();
    let pieces = tokio::task::spawn_blocking(move || -> Result<u64, String> {
        let file = std::fs::File::create(&partial).map_err(|e| format!("archive : {e}"))?;
        let mut archive = tar::Builder::new(std::io::BufWriter::new(file));
        archive
            .append_path_with_name(&entry, entry_name)
            .map_err(|e| format!("archive : {e}"))?;
        let pieces = add_documents(&mut archive, &documents)?;
        let mut manifest = manifest_for_archive;
        manifest.pieces = pieces;
        let json = serde_json::to_vec_pretty(&manifest).map_err(|e| format!("manifeste : {e}"))?;
        let mut header = tar::Header::new_gnu();
        header.set_size(json.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        archive
            .append_data(&mut header, MANIFEST, json.as_slice())
            .map_err(|e| format!("archive : {e}"))?;
        let writer = archive.into_inner().map_err(|e| format!("archive : {e}"))?;
        let file = writer.into_inner().map_err(|e| format!("archive : {e}"))?;
        file.sync_all().map_err(|e| format!("archive : {e}"))?;
        Ok(pieces)
    })
    .await
    .map_err(|e| format!("archive : {e}"))??;
    manifest.pieces = pieces;
    // The archive appears under its name only once complete.
    std::fs::rename(scratch.0.join("archive.tar"), target)
        .map_err(|e| format!("écriture de {} : {e}", target.display()))?;
    let bytes = std::fs::metadata(target).map(|m| m.len()).unwrap_or_default();
    Ok(Report {
        manifest,
        seconds: started.elapsed().as_secs_f64(),
        bytes,
    })
}

/// Unpacks the archive into `into`; returns its manifest.
fn unpack(archive: &Path, into: &Path) -> Result<Manifest, String> {
    let file = std::fs::File::open(archive).map_err(|e| format!("lecture de {} : {e}", archive.display()))?;
    tar::Archive::new(std::io::BufReader::new(file))
        .unpack(into)
        .map_err(|e| format!("{} n'est pas une sauvegarde lisible : {e}", archive.display()))?;
    let text = std::fs::read(into.join(MANIFEST)).map_err(|_| {
        format!(
            "{} n'est pas une sauvegarde d'IA Factory (manifeste absent)",
            archive.display()
        )
    })?;
    let manifest: Manifest = serde_json::from_slice(&text).map_err(|e| format!("manifeste illisible : {e}"))?;
    if manifest.format != FORMAT {
        return Err(format!(
            "format de sauvegarde {} inconnu de cette version",
            manifest.format
        ));
    }
    Ok(manifest)
}

/// Compares every table of the restored database with the manifest; the first difference is the error.
fn compare(expected: &[TableDigest], found: &[TableDigest]) -> Result<(), String> {
    for table in expected {
        match found.iter().find(|t| t.table == table.table) {
            None => return Err(format!("table {} absente après restauration", table.table)),
            Some(t) if t.rows != table.rows => {
                return Err(format!(
                    "table {} : {} lignes restaurées, {} sauvegardées",
                    table.table, t.rows, table.rows
                ))
            }
            Some(t) if t.sha256 != table.sha256 => {
                return Err(format!("table {} : contenu différent de la sauvegarde", table.table))
            }
            Some(_) => {}
        }
    }
    if let Some(extra) = found.iter().find(|t| !expected.iter().any(|e| e.table == t.table)) {
        return Err(format!("table {} en trop après restauration", extra.table));
    }
    Ok(())
}

fn refuse_non_empty(tables: &[String]) -> Result<(), String> {
    if tables.is_empty() {
        return Ok(());
    }
    Err(format!(
        "La base de destination n'est pas vide (tables {}) : la restauration l'écraserait. Relancez avec --ecraser \
         pour la remplacer, ou indiquez une base vide dans DATABASE_URL.",
        tables.join(", ")
    ))
}

/// Copies the archive's documents into the documents' folder or bucket; how many.
async fn copy_documents(from: &Path, to: &Storage) -> Result<u64, String> {
    let folder = from.to_path_buf();
    let files = tokio::task::spawn_blocking(move || files_below(&folder))
        .await
        .map_err(|e| format!("pièces : {e}"))??;
    for name in &files {
        to.copy_in(&from.join(name), &name.to_string_lossy())
            .await
            .map_err(|e| format!("pièce {} ({}) : {e}", name.display(), to.label()))?;
    }
    Ok(files.len() as u64)
}

/// Restores `archive` into the database of `database_url` (to be stopped meanwhile) and the documents' folder or
/// bucket; refuses a database that holds anything unless `overwrite`.
pub async fn restore(
    database_url: &str,
    documents: &Storage,
    archive: &Path,
    overwrite: bool,
) -> Result<Report, String> {
    let started = Instant::now();
    let backend = Backend::of(database_url)?;
    let scratch = Scratch::beside(archive)?;
    let unpacked = scratch.0.clone();
    let archive_path = archive.to_path_buf();
    let manifest = tokio::task::spawn_blocking(move || unpack(&archive_path, &unpacked))
        .await
        .map_err(|e| format!("lecture de la sauvegarde : {e}"))??;
    if manifest.base != backend_name(backend) {
        return Err(format!(
            "Cette sauvegarde est celle d'une base {}, DATABASE_URL désigne une base {}.",
            manifest.base,
            backend_name(backend)
        ));
    }
    match backend {
        Backend::Sqlite => {
            let path = sqlite_path(database_url);
            if path.exists() {
                let mut conn = open(&format!("sqlite://{}?mode=ro", path.display())).await?;
                let filled = sql::non_empty_tables(&mut conn, backend).await?;
                let _ = conn.close().await;
                if !overwrite {
                    refuse_non_empty(&filled)?;
                }
            }
            let copy = scratch.0.join(SQLITE_ENTRY);
            let mut conn = open(&format!("sqlite://{}?mode=ro", copy.display())).await?;
            let found = sql::digests(&mut conn, backend).await?;
            let _ = conn.close().await;
            compare(&manifest.tables, &found)?;
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(|e| format!("dossier de la base : {e}"))?;
            }
            for suffix in ["-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
            std::fs::copy(&copy, &path).map_err(|e| format!("écriture de {} : {e}", path.display()))?;
            let mut conn = open(&format!("sqlite://{}?mode=ro", path.display())).await?;
            let restored = sql::digests(&mut conn, backend).await?;
            let _ = conn.close().await;
            compare(&manifest.tables, &restored)?;
        }
        Backend::Postgres => {
            let mut conn = open(database_url).await?;
            let filled = sql::non_empty_tables(&mut conn, backend).await?;
            let existing = sql::tables(&mut conn, backend).await?;
            if !overwrite {
                refuse_non_empty(&filled)?;
            }
            let dump = scratch.0.join(POSTGRES_ENTRY);
            let url = database_url.to_string();
            let clean = !existing.is_empty();
            tokio::task::spawn_blocking(move || {
                let mut command = std::process::Command::new("pg_restore");
                command.arg("--no-owner").arg("--no-privileges").arg("--exit-on-error");
                if clean {
                    command.arg("--clean").arg("--if-exists");
                }
                run(command.arg("--dbname").arg(&url).arg(&dump), "pg_restore")
            })
            .await
            .map_err(|e| format!("pg_restore : {e}"))??;
            let restored = sql::digests(&mut conn, backend).await?;
            let _ = conn.close().await;
            compare(&manifest.tables, &restored)?;
        }
    }
    let pieces = copy_documents(&scratch.0.join(DOCUMENTS_ENTRY), documents).await?;
    if pieces != manifest.pieces {
        return Err(format!("{pieces} pièces restaurées, {} sauvegardées", manifest.pieces));
    }
    let bytes = std::fs::metadata(archive).map(|m| m.len()).unwrap_or_default();
    Ok(Report {
        manifest,
        seconds: started.elapsed().as_secs_f64(),
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(name: &str, rows: i64, sha: &str) -> TableDigest {
        TableDigest {
            table: name.into(),
            rows,
            sha256: sha.into(),
        }
    }

    #[test]
    fn a_restore_that_differs_from_the_manifest_is_refused() {
        let saved = vec![table("cases", 3, "aa"), table("events", 5, "bb")];
        assert!(compare(&saved, &saved).is_ok());
        let fewer = vec![table("cases", 2, "aa"), table("events", 5, "bb")];
        assert_eq!(
            compare(&saved, &fewer),
            Err("table cases : 2 lignes restaurées, 3 sauvegardées".into())
        );
        let changed = vec![table("cases", 3, "ab"), table("events", 5, "bb")];
        assert!(compare(&saved, &changed).is_err_and(|e| e.contains("contenu différent")));
        assert!(compare(&saved, &saved[..1]).is_err_and(|e| e.contains("absente")));
    }

    #[test]
    fn a_database_holding_rows_is_named_in_the_refusal() {
        assert!(refuse_non_empty(&[]).is_ok());
        let refusal = refuse_non_empty(&["cases".into(), "accounts".into()]).unwrap_err();
        assert!(
            refusal.contains("cases, accounts") && refusal.contains("--ecraser"),
            "{refusal}"
        );
    }
}
