//! The SQL of the request limits shared by the server processes of one database: one row per kind of request and
//! address, counted in one statement (no two processes can both read the same count).

use app::store::limits::{Bucket, LimitStore};
use app::store::StoreError;

use super::{fail, SqlStore};

#[async_trait::async_trait]
impl LimitStore for SqlStore {
    async fn count_request(&self, bucket: Bucket, address: &str, window: i64) -> Result<i64, StoreError> {
        sqlx::query_scalar(
            "INSERT INTO request_windows (bucket, address, window_start, seen) VALUES ($1, $2, $3, 1) \
             ON CONFLICT (bucket, address) DO UPDATE SET \
             seen = CASE WHEN request_windows.window_start = excluded.window_start \
             THEN request_windows.seen + 1 ELSE 1 END, window_start = excluded.window_start \
             RETURNING seen",
        )
        .bind(bucket.code())
        .bind(address)
        .bind(window)
        .fetch_one(&self.pools.write)
        .await
        .map_err(fail("count request"))
    }

    async fn forget_requests(&self, before: i64) -> Result<u64, StoreError> {
        sqlx::query("DELETE FROM request_windows WHERE window_start < $1")
            .bind(before)
            .execute(&self.pools.write)
            .await
            .map(|done| done.rows_affected())
            .map_err(fail("forget requests"))
    }
}
