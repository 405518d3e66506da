//! The SQL of backups: the list of tables, a digest of each (row count and SHA-256 of its rows in a fixed
//! order), whether a database holds anything, SQLite's `VACUUM INTO`, and PostgreSQL's exported snapshot so
//! that the digests and `pg_dump` read the very same state.

use futures::TryStreamExt;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Row};

use crate::db::Backend;

/// What a table held at the moment of a backup.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableDigest {
    pub table: String,
    pub rows: i64,
    pub sha256: String,
}

fn failed(what: &'static str) -> impl Fn(sqlx::Error) -> String {
    move |error| format!("{what} : {error}")
}

fn quoted(identifier: &str) -> String {
    format!("\"{}\"", identifier.replace('"', "\"\""))
}

/// The tables of the database (SQLite's virtual tables left out: their shadow tables hold their content).
pub async fn tables(conn: &mut AnyConnection, backend: Backend) -> Result<Vec<String>, String> {
    let sql = match backend {
        Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name"
        }
        Backend::Postgres => {
            "SELECT tablename::text AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        }
    };
    let rows = sqlx::query(sql)
        .fetch_all(&mut *conn)
        .await
        .map_err(failed("liste des tables"))?;
    rows.iter()
        .map(|row| row.try_get::<String, _>("name").map_err(failed("nom de table")))
        .collect()
}

async fn columns(conn: &mut AnyConnection, backend: Backend, table: &str) -> Result<Vec<String>, String> {
    let sql = match backend {
        Backend::Sqlite => "SELECT name FROM pragma_table_info($1) ORDER BY cid",
        Backend::Postgres => {
            "SELECT column_name::text AS name FROM information_schema.columns WHERE table_schema = 'public' \
             AND table_name = $1 ORDER BY ordinal_position"
        }
    };
    let rows = sqlx::query(sql)
        .bind(table)
        .fetch_all(&mut *conn)
        .await
        .map_err(failed("colonnes"))?;
    rows.iter()
        .map(|row| row.try_get::<String, _>("name").map_err(failed("nom de colonne")))
        .collect()
}

/// The row count and SHA-256 of one table: every value as text (SQLite's `quote`, PostgreSQL's `::text`), the
/// rows sorted on those texts, so that the same content gives the same digest whatever its physical order.
pub async fn digest(conn: &mut AnyConnection, backend: Backend, table: &str) -> Result<TableDigest, String> {
    let names = columns(conn, backend, table).await?;
    let values: Vec<String> = names
        .iter()
        .map(|name| match backend {
            Backend::Sqlite => format!("quote({})", quoted(name)),
            Backend::Postgres => format!("{}::text", quoted(name)),
        })
        .collect();
    let order: Vec<String> = (1..=values.len()).map(|i| i.to_string()).collect();
    let sql = format!(
        "SELECT {} FROM {} ORDER BY {}",
        values.join(", "),
        quoted(table),
        order.join(", ")
    );
    let mut hasher = Sha256::new();
    let mut rows = 0i64;
    let mut stream = sqlx::query(&sql).fetch(&mut *conn);
    while let Some(row) = stream.try_next().await.map_err(failed("lecture d'une table"))? {
        for index in 0..names.len() {
            match row.try_get::<Option<String>, _>(index).map_err(failed("valeur"))? {
                Some(text) => {
                    hasher.update(b"v");
                    hasher.update((text.len() as u64).to_le_bytes());
                    hasher.update(text.as_bytes());
                }
                None => hasher.update(b"n"),
            }
        }
        hasher.update(b"\n");
        rows += 1;
    }
    let sha256 = hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
    Ok(TableDigest {
        table: table.to_string(),
        rows,
        sha256,
    })
}

/// The digest of every table, in name order.
pub async fn digests(conn: &mut AnyConnection, backend: Backend) -> Result<Vec<TableDigest>, String> {
    let mut all = Vec::new();
    for table in tables(conn, backend).await? {
        all.push(digest(conn, backend, &table).await?);
    }
    Ok(all)
}

/// The tables that hold at least one row (left out: the migrations' own table; `usage_generation`,
/// `catalogue_generation` and `similarity_changes`, whose one row the migrations write; `request_windows`, the
/// request limits' counts of the minute).
pub async fn non_empty_tables(conn: &mut AnyConnection, backend: Backend) -> Result<Vec<String>, String> {
    let mut found = Vec::new();
    for table in tables(conn, backend).await? {
        if [
            "_sqlx_migrations",
            "usage_generation",
            "catalogue_generation",
            "similarity_changes",
            "request_windows",
        ]
        .contains(&table.as_str())
        {
            continue;
        }
        let sql = format!("SELECT 1 AS one FROM {} LIMIT 1", quoted(&table));
        if sqlx::query(&sql)
            .fetch_optional(&mut *conn)
            .await
            .map_err(failed("contenu d'une table"))?
            .is_some()
        {
            found.push(table);
        }
    }
    Ok(found)
}

/// Writes a consistent copy of a SQLite database to `path` while it keeps serving (`VACUUM INTO`).
pub async fn sqlite_vacuum_into(conn: &mut AnyConnection, path: &str) -> Result<(), String> {
    sqlx::query("VACUUM INTO $1")
        .bind(path)
        .execute(&mut *conn)
        .await
        .map(|_| ())
        .map_err(failed("copie de la base (VACUUM INTO)"))
}

/// Opens a read-only snapshot on PostgreSQL and exports it: `pg_dump --snapshot` then reads the same state as
/// the digests taken on this connection until `end_snapshot`.
pub async fn begin_exported_snapshot(conn: &mut AnyConnection) -> Result<String, String> {
    sqlx::query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .execute(&mut *conn)
        .await
        .map_err(failed("instantané"))?;
    let row = sqlx::query("SELECT pg_export_snapshot() AS snapshot")
        .fetch_one(&mut *conn)
        .await
        .map_err(failed("instantané exporté"))?;
    row.try_get("snapshot").map_err(failed("instantané exporté"))
}

pub async fn end_snapshot(conn: &mut AnyConnection) -> Result<(), String> {
    sqlx::query("COMMIT")
        .execute(&mut *conn)
        .await
        .map(|_| ())
        .map_err(failed("fin de l'instantané"))
}
