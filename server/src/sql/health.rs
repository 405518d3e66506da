//! The queries behind `/pret` and the metrics: is the database answering, which migrations it has applied,
//! how many emails wait in the outbox and since when.

use sqlx::Row;

use super::{fail, SqlStore};
use app::store::StoreError;

/// The outbox as the health check and the metrics see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutboxBacklog {
    /// Messages not delivered yet.
    pub waiting: i64,
    /// The oldest time one of them was due (seconds since 1970), if any.
    pub oldest_due_at: Option<i64>,
}

impl SqlStore {
    /// A round trip to the database.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1")
            .fetch_one(&self.pools.read)
            .await
            .map(|_| ())
            .map_err(fail("ping"))
    }

    /// The versions of the migrations the database has applied successfully.
    pub async fn applied_migrations(&self) -> Result<Vec<i64>, StoreError> {
        let rows = sqlx::query("SELECT version FROM _sqlx_migrations WHERE success = TRUE ORDER BY version")
            .fetch_all(&self.pools.read)
            .await
            .map_err(fail("applied migrations"))?;
        rows.iter()
            .map(|row| row.try_get::<i64, _>("version").map_err(fail("migration version")))
            .collect()
    }

    /// The undelivered messages of the outbox (not the notices held for a daily digest: they wait by choice).
    pub async fn outbox_backlog(&self) -> Result<OutboxBacklog, StoreError> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS waiting, MIN(next_attempt_at) AS oldest FROM outbox WHERE sent_at IS NULL AND held = 0",
        )
        .fetch_one(&self.pools.read)
        .await
        .map_err(fail("outbox backlog"))?;
        Ok(OutboxBacklog {
            waiting: row.try_get("waiting").map_err(fail("outbox waiting"))?,
            oldest_due_at: row.try_get("oldest").map_err(fail("outbox oldest"))?,
        })
    }
}
