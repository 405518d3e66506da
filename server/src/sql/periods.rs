//! The SQL of the relève periods: the periods and when each case was filed.

use app::domain::periods::Period;
use app::store::{PeriodStore, StoreError};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{fail, SqlStore};

pub(crate) fn period_from(row: &AnyRow) -> Result<Period, StoreError> {
    Ok(Period {
        id: row.try_get("id").map_err(fail("period id"))?,
        name: row.try_get("name").map_err(fail("period name"))?,
        starts_at: row.try_get("starts_at").map_err(fail("period start"))?,
        ends_at: row.try_get("ends_at").map_err(fail("period end"))?,
    })
}

#[async_trait::async_trait]
impl PeriodStore for SqlStore {
    async fn case_filing_times(&self) -> Result<Vec<i64>, StoreError> {
        sqlx::query_scalar("SELECT created_at FROM cases")
            .fetch_all(self.read())
            .await
            .map_err(fail("case_filing_times"))
    }

    async fn periods(&self) -> Result<Vec<Period>, StoreError> {
        let rows = sqlx::query("SELECT id, name, starts_at, ends_at FROM periods ORDER BY starts_at")
            .fetch_all(self.read())
            .await
            .map_err(fail("periods"))?;
        rows.iter().map(period_from).collect()
    }

    async fn create_period(&self, name: &str, starts_at: i64, ends_at: i64, now: i64) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO periods (name, starts_at, ends_at, created_at) VALUES ($1, $2, $3, $4)")
            .bind(name)
            .bind(starts_at)
            .bind(ends_at)
            .bind(now)
            .execute(self.write())
            .await
            .map_err(fail("create_period"))?;
        Ok(())
    }
}
