//! The SQL of accounts and their server-side sessions.

use app::domain::auth::Role;
use app::store::accounts::{Account, AccountStore};
use app::store::StoreError;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{fail, SqlStore};

const ACCOUNT_COLUMNS: &str = "a.id, a.email, a.name, a.role, a.password_hash, a.disabled";

fn account_from(row: &AnyRow) -> Result<Account, StoreError> {
    let role: String = row.try_get("role").map_err(fail("account role"))?;
    let disabled: i64 = row.try_get("disabled").map_err(fail("account disabled"))?;
    Ok(Account {
        id: row.try_get("id").map_err(fail("account id"))?,
        email: row.try_get("email").map_err(fail("account email"))?,
        name: row.try_get("name").map_err(fail("account name"))?,
        role: Role::from_code(&role).ok_or_else(|| StoreError(format!("unknown role {role}")))?,
        password_hash: row.try_get("password_hash").map_err(fail("account hash"))?,
        disabled: disabled != 0,
    })
}

#[async_trait::async_trait]
impl AccountStore for SqlStore {
    async fn account_by_email(&self, email: &str) -> Result<Option<Account>, StoreError> {
        let row = sqlx::query(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE a.email = $1"))
            .bind(email)
            .fetch_optional(self.read())
            .await
            .map_err(fail("account_by_email"))?;
        row.as_ref().map(account_from).transpose()
    }

    async fn create_account(
        &self,
        email: &str,
        name: &str,
        role: Role,
        password_hash: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let result = sqlx::query(
            "INSERT INTO accounts (email, name, role, password_hash, disabled, created_at) \
             VALUES ($1, $2, $3, $4, 0, $5) ON CONFLICT (email) DO NOTHING",
        )
        .bind(email)
        .bind(name)
        .bind(role.code())
        .bind(password_hash)
        .bind(now)
        .execute(self.write())
        .await
        .map_err(fail("create_account"))?;
        Ok(result.rows_affected() == 1)
    }

    async fn set_account_disabled(&self, account_id: i64, disabled: bool) -> Result<(), StoreError> {
        let mut tx = self.write().begin().await.map_err(fail("disable begin"))?;
        sqlx::query("UPDATE accounts SET disabled = $1 WHERE id = $2")
            .bind(i64::from(disabled))
            .bind(account_id)
            .execute(&mut *tx)
            .await
            .map_err(fail("disable account"))?;
        if disabled {
            sqlx::query("DELETE FROM sessions WHERE account_id = $1")
                .bind(account_id)
                .execute(&mut *tx)
                .await
                .map_err(fail("disable sessions"))?;
        }
        tx.commit().await.map_err(fail("disable commit"))
    }

    async fn create_session(
        &self,
        token_hash: &str,
        account_id: i64,
        now: i64,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO sessions (token_hash, account_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(token_hash)
            .bind(account_id)
            .bind(now)
            .bind(expires_at)
            .execute(self.write())
            .await
            .map_err(fail("create_session"))?;
        Ok(())
    }

    async fn session_account(&self, token_hash: &str, now: i64) -> Result<Option<Account>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM sessions s JOIN accounts a ON a.id = s.account_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND a.disabled = 0"
        ))
        .bind(token_hash)
        .bind(now)
        .fetch_optional(self.read())
        .await
        .map_err(fail("session_account"))?;
        row.as_ref().map(account_from).transpose()
    }

    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(self.write())
            .await
            .map_err(fail("delete_session"))?;
        Ok(())
    }
}
