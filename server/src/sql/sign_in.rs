//! The SQL of the password sign-in policy: the roles passwords are off for, and the break-glass administrator.

use app::domain::auth::Role;
use app::domain::email::Email;
use app::store::accounts::AuthEntry;
use app::store::sign_in::{BreakGlass, PasswordPolicy, RoleOff, SignInStore};
use app::store::StoreError;
use sqlx::Row;

use super::auth::log_in;
use super::{fail, SqlStore};

#[async_trait::async_trait]
impl SignInStore for SqlStore {
    async fn password_policy(&self) -> Result<PasswordPolicy, StoreError> {
        let rows = sqlx::query("SELECT role, since, decided_by FROM password_sign_in_off ORDER BY role")
            .fetch_all(self.read())
            .await
            .map_err(fail("password policy"))?;
        let off = rows
            .iter()
            .map(|row| {
                let role: String = row.try_get("role").map_err(fail("policy role"))?;
                Ok(RoleOff {
                    role: Role::from_code(&role).ok_or_else(|| StoreError(format!("unknown role {role}")))?,
                    since: row.try_get("since").map_err(fail("policy since"))?,
                    decided_by: row.try_get("decided_by").map_err(fail("policy by"))?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let break_glass = sqlx::query(
            "SELECT id, name, email FROM accounts WHERE break_glass = 1 AND role = 'admin' AND disabled = 0",
        )
        .fetch_optional(self.read())
        .await
        .map_err(fail("break glass"))?
        .map(|row| {
            Ok::<_, StoreError>(BreakGlass {
                account_id: row.try_get("id").map_err(fail("break glass id"))?,
                name: row.try_get("name").map_err(fail("break glass name"))?,
                email: row.try_get("email").map_err(fail("break glass email"))?,
            })
        })
        .transpose()?;
        Ok(PasswordPolicy { off, break_glass })
    }

    async fn set_password_sign_in(&self, role: Role, off: bool, entry: &AuthEntry) -> Result<(), StoreError> {
        let mut tx = self.write().begin().await.map_err(fail("policy begin"))?;
        sqlx::query("DELETE FROM password_sign_in_off WHERE role = $1")
            .bind(role.code())
            .execute(&mut *tx)
            .await
            .map_err(fail("policy clear"))?;
        if off {
            sqlx::query("INSERT INTO password_sign_in_off (role, since, decided_by) VALUES ($1, $2, $3)")
                .bind(role.code())
                .bind(entry.at)
                .bind(&entry.actor)
                .execute(&mut *tx)
                .await
                .map_err(fail("policy off"))?;
        }
        log_in(&mut tx, entry).await?;
        tx.commit().await.map_err(fail("policy commit"))
    }

    async fn name_break_glass(&self, account_id: i64, entry: &AuthEntry) -> Result<bool, StoreError> {
        let mut tx = self.write().begin().await.map_err(fail("break glass begin"))?;
        let named = sqlx::query(
            "UPDATE accounts SET break_glass = 1 WHERE id = $1 AND role = 'admin' AND disabled = 0 \
             AND password_hash <> ''",
        )
        .bind(account_id)
        .execute(&mut *tx)
        .await
        .map_err(fail("break glass name"))?;
        if named.rows_affected() != 1 {
            return Ok(false);
        }
        sqlx::query("UPDATE accounts SET break_glass = 0 WHERE id <> $1 AND break_glass = 1")
            .bind(account_id)
            .execute(&mut *tx)
            .await
            .map_err(fail("break glass others"))?;
        log_in(&mut tx, entry).await?;
        tx.commit().await.map_err(fail("break glass commit"))?;
        Ok(true)
    }

    async fn tell_proconnect_only(&self, message: &Email, entry: &AuthEntry) -> Result<(), StoreError> {
        let mut tx = self.write().begin().await.map_err(fail("proconnect only begin"))?;
        super::outbox::queue_in(&mut tx, message, entry.at).await?;
        log_in(&mut tx, entry).await?;
        tx.commit().await.map_err(fail("proconnect only commit"))
    }
}
