//! The SQL of accounts: the team's members, their server-side sessions, one-time links (invitation,
//! forgotten password), the sign-in counts and the authentication log.

use app::domain::accounts::{AuthEvent, TokenPurpose};
use app::domain::auth::Role;
use app::domain::email::Email;
use app::domain::retention::session_idle_cutoff;
use app::store::accounts::{
    Account, AccountLine, AccountStore, AuthEntry, Invitation, InviteOutcome, NewSession, SessionLine, SessionUse,
};
use app::store::StoreError;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::auth::log_in;
use super::outbox::queue_in;
use super::{fail, SqlStore};

type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

async fn insert_token(
    tx: &mut Tx<'_>,
    token_hash: &str,
    account_id: i64,
    purpose: TokenPurpose,
    now: i64,
    expires_at: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO account_tokens (token_hash, account_id, purpose, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash)
    .bind(account_id)
    .bind(purpose.code())
    .bind(now)
    .bind(expires_at)
    .execute(&mut **tx)
    .await
    .map_err(fail("insert token"))?;
    Ok(())
}

/// A member who accepted their invitation: by choosing a password, or by signing in with ProConnect.
pub(crate) const ACTIVE_MEMBER: &str =
    "(a.password_hash <> '' OR EXISTS (SELECT 1 FROM account_identities i WHERE i.account_id = a.id))";

pub(crate) const ACCOUNT_COLUMNS: &str = "a.id, a.email, a.name, a.role, a.password_hash, a.disabled";

pub(crate) fn account_from(row: &AnyRow) -> Result<Account, StoreError> {
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

/// Ends every live reset link of an account (a new one, a password chosen or changed).
async fn end_reset_links(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    account_id: i64,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE account_tokens SET used_at = $1 WHERE account_id = $2 AND purpose = $3 AND used_at IS NULL")
        .bind(now)
        .bind(account_id)
        .bind(TokenPurpose::Reset.code())
        .execute(&mut **tx)
        .await
        .map_err(fail("end reset links"))?;
    Ok(())
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

    async fn create_session(&self, session: &NewSession) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, account_id, created_at, expires_at, last_seen_at, address, user_agent) \
             VALUES ($1, $2, $3, $4, $3, $5, $6)",
        )
        .bind(&session.token_hash)
        .bind(session.account_id)
        .bind(session.now)
        .bind(session.expires_at)
        .bind(&session.address)
        .bind(session.user_agent.chars().take(300).collect::<String>())
        .execute(self.write())
        .await
        .map_err(fail("create_session"))?;
        Ok(())
    }

    async fn session_account(
        &self,
        token_hash: &str,
        now: i64,
        used: SessionUse,
    ) -> Result<Option<Account>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS}, COALESCE(s.last_seen_at, s.created_at) AS seen FROM sessions s \
             JOIN accounts a ON a.id = s.account_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND COALESCE(s.last_seen_at, s.created_at) > $3 \
             AND a.disabled = 0"
        ))
        .bind(token_hash)
        .bind(now)
        .bind(session_idle_cutoff(now))
        .fetch_optional(self.read())
        .await
        .map_err(fail("session_account"))?;
        let Some(row) = row else {
            return Ok(None);
        };
        // The activity is written at most once a minute, and only for a person's request.
        let seen: i64 = row.try_get("seen").map_err(fail("session seen"))?;
        if used == SessionUse::Request && now - seen >= 60 {
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(token_hash)
                .execute(self.write())
                .await
                .map_err(fail("session activity"))?;
        }
        account_from(&row).map(Some)
    }

    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(self.write())
            .await
            .map_err(fail("delete_session"))?;
        Ok(())
    }

    async fn count_attempt(&self, key: &str, now: i64, window: i64) -> Result<i64, StoreError> {
        sqlx::query_scalar(
            "INSERT INTO sign_in_attempts (key, failures, window_start) VALUES ($1, 1, $2) \
             ON CONFLICT (key) DO UPDATE SET \
             failures = CASE WHEN sign_in_attempts.window_start <= $3 THEN 1 ELSE sign_in_attempts.failures + 1 END, \
             window_start = CASE WHEN sign_in_attempts.window_start <= $3 THEN $2 ELSE sign_in_attempts.window_start END \
             RETURNING failures",
        )
        .bind(key)
        .bind(now)
        .bind(now - window)
        .fetch_one(self.write())
        .await
        .map_err(fail("count_attempt"))
    }

    async fn forget_attempt(&self, key: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE sign_in_attempts SET failures = failures - 1 WHERE key = $1 AND failures > 0")
            .bind(key)
            .execute(self.write())
            .await
            .map_err(fail("forget_attempt"))?;
        Ok(())
    }

    async fn clear_attempts(&self, key: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sign_in_attempts WHERE key = $1")
            .bind(key)
            .execute(self.write())
            .await
            .map_err(fail("clear_attempts"))?;
        Ok(())
    }

    async fn purge_attempts(&self, before: i64) -> Result<u64, StoreError> {
        let deleted = sqlx::query("DELETE FROM sign_in_attempts WHERE window_start < $1")
            .bind(before)
            .execute(self.write())
            .await
            .map_err(fail("purge_attempts"))?;
        Ok(deleted.rows_affected())
    }

    async fn accounts(&self) -> Result<Vec<AccountLine>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS}, a.last_sign_in_at, CASE WHEN {ACTIVE_MEMBER} THEN 1 ELSE 0 END AS active \
             FROM accounts a ORDER BY a.name, a.email"
        ))
        .fetch_all(self.read())
        .await
        .map_err(fail("accounts"))?;
        rows.iter()
            .map(|row| {
                Ok(AccountLine {
                    account: account_from(row)?,
                    last_sign_in_at: row.try_get("last_sign_in_at").map_err(fail("account last sign-in"))?,
                    accepted: row.try_get::<i64, _>("active").map_err(fail("account active"))? == 1,
                })
            })
            .collect()
    }

    async fn account_by_id(&self, id: i64) -> Result<Option<Account>, StoreError> {
        let row = sqlx::query(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE a.id = $1"))
            .bind(id)
            .fetch_optional(self.read())
            .await
            .map_err(fail("account_by_id"))?;
        row.as_ref().map(account_from).transpose()
    }

    async fn invite(&self, invitation: &Invitation) -> Result<InviteOutcome, StoreError> {
        let mut tx = self.write().begin().await.map_err(fail("invite begin"))?;
        let existing = sqlx::query(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE a.email = $1"))
            .bind(&invitation.email)
            .fetch_optional(&mut *tx)
            .await
            .map_err(fail("invite existing"))?;
        let account_id = match existing.as_ref().map(account_from).transpose()? {
            Some(account) if !account.password_hash.is_empty() => return Ok(InviteOutcome::AlreadyMember),
            Some(account) => {
                sqlx::query("UPDATE accounts SET name = $1, role = $2 WHERE id = $3")
                    .bind(&invitation.name)
                    .bind(invitation.role.code())
                    .bind(account.id)
                    .execute(&mut *tx)
                    .await
                    .map_err(fail("invite renew"))?;
                account.id
            }
            None => sqlx::query_scalar(
                "INSERT INTO accounts (email, name, role, password_hash, disabled, created_at) \
                 VALUES ($1, $2, $3, '', 0, $4) RETURNING id",
            )
            .bind(&invitation.email)
            .bind(&invitation.name)
            .bind(invitation.role.code())
            .bind(invitation.now)
            .fetch_one(&mut *tx)
            .await
            .map_err(fail("invite account"))?,
        };
        // A new link ends the previous ones.
        sqlx::query(
            "UPDATE account_tokens SET used_at = $1 WHERE account_id = $2 AND purpose = $3 AND used_at IS NULL",
        )
        .bind(invitation.now)
        .bind(account_id)
        .bind(TokenPurpose::Invitation.code())
        .execute(&mut *tx)
        .await
        .map_err(fail("invite old links"))?;
        insert_token(
            &mut tx,
            &invitation.token_hash,
            account_id,
            TokenPurpose::Invitation,
            invitation.now,
            invitation.expires_at,
        )
        .await?;
        queue_in(&mut tx, &invitation.message, invitation.now).await?;
        log_in(
            &mut tx,
            &AuthEntry {
                kind: AuthEvent::Invited,
                email: invitation.email.clone(),
                actor: invitation.actor.clone(),
                address: invitation.address.clone(),
                at: invitation.now,
                detail: String::new(),
            },
        )
        .await?;
        tx.commit().await.map_err(fail("invite commit"))?;
        Ok(InviteOutcome::Sent)
    }

    async fn request_reset(
        &self,
        account_id: i64,
        token_hash: &str,
        expires_at: i64,
        message: &Email,
        address: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().begin().await.map_err(fail("reset begin"))?;
        // One live reset link per account: a new one ends the others.
        end_reset_links(&mut tx, account_id, now).await?;
        insert_token(&mut tx, token_hash, account_id, TokenPurpose::Reset, now, expires_at).await?;
        queue_in(&mut tx, message, now).await?;
        log_in(
            &mut tx,
            &AuthEntry {
                kind: AuthEvent::ResetRequested,
                email: message.to.clone(),
                actor: message.to.clone(),
                address: address.to_string(),
                at: now,
                detail: String::new(),
            },
        )
        .await?;
        tx.commit().await.map_err(fail("reset commit"))
    }

    async fn token_account(
        &self,
        token_hash: &str,
        purpose: TokenPurpose,
        now: i64,
    ) -> Result<Option<Account>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM account_tokens t JOIN accounts a ON a.id = t.account_id \
             WHERE t.token_hash = $1 AND t.purpose = $2 AND t.used_at IS NULL AND t.expires_at > $3 AND a.disabled = 0"
        ))
        .bind(token_hash)
        .bind(purpose.code())
        .bind(now)
        .fetch_optional(self.read())
        .await
        .map_err(fail("token_account"))?;
        row.as_ref().map(account_from).transpose()
    }

    async fn redeem_token(
        &self,
        token_hash: &str,
        purpose: TokenPurpose,
        password_hash: &str,
        address: &str,
        now: i64,
    ) -> Result<Option<Account>, StoreError> {
        let mut tx = self.write().begin().await.map_err(fail("redeem begin"))?;
        // Using the link first: of two concurrent uses, only one changes a row.
        let account_id: Option<i64> = sqlx::query_scalar(
            "UPDATE account_tokens SET used_at = $1 WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL \
             AND expires_at > $1 RETURNING account_id",
        )
        .bind(now)
        .bind(token_hash)
        .bind(purpose.code())
        .fetch_optional(&mut *tx)
        .await
        .map_err(fail("redeem token"))?;
        let Some(account_id) = account_id else {
            return Ok(None);
        };
        let row = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE a.id = $1 AND a.disabled = 0"
        ))
        .bind(account_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(fail("redeem account"))?;
        let Some(mut account) = row.as_ref().map(account_from).transpose()? else {
            return Ok(None);
        };
        sqlx::query("UPDATE accounts SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(account_id)
            .execute(&mut *tx)
            .await
            .map_err(fail("redeem password"))?;
        sqlx::query("DELETE FROM sessions WHERE account_id = $1")
            .bind(account_id)
            .execute(&mut *tx)
            .await
            .map_err(fail("redeem sessions"))?;
        end_reset_links(&mut tx, account_id, now).await?;
        log_in(
            &mut tx,
            &AuthEntry {
                kind: match purpose {
                    TokenPurpose::Invitation => AuthEvent::PasswordSet,
                    TokenPurpose::Reset => AuthEvent::PasswordReset,
                },
                email: account.email.clone(),
                actor: account.email.clone(),
                address: address.to_string(),
                at: now,
                detail: String::new(),
            },
        )
        .await?;
        tx.commit().await.map_err(fail("redeem commit"))?;
        account.password_hash = password_hash.to_string();
        Ok(Some(account))
    }

    async fn change_password(
        &self,
        account_id: i64,
        password_hash: &str,
        kept_session: &str,
        address: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().begin().await.map_err(fail("change begin"))?;
        let email: String = sqlx::query_scalar("UPDATE accounts SET password_hash = $1 WHERE id = $2 RETURNING email")
            .bind(password_hash)
            .bind(account_id)
            .fetch_one(&mut *tx)
            .await
            .map_err(fail("change password"))?;
        sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND token_hash <> $2")
            .bind(account_id)
            .bind(kept_session)
            .execute(&mut *tx)
            .await
            .map_err(fail("change sessions"))?;
        end_reset_links(&mut tx, account_id, now).await?;
        log_in(
            &mut tx,
            &AuthEntry {
                kind: AuthEvent::PasswordChanged,
                email: email.clone(),
                actor: email,
                address: address.to_string(),
                at: now,
                detail: String::new(),
            },
        )
        .await?;
        tx.commit().await.map_err(fail("change commit"))
    }

    async fn set_role(&self, account_id: i64, role: Role, log: &AuthEntry) -> Result<bool, StoreError> {
        let mut tx = self.write().begin().await.map_err(fail("role begin"))?;
        let changed = sqlx::query("UPDATE accounts SET role = $1 WHERE id = $2")
            .bind(role.code())
            .bind(account_id)
            .execute(&mut *tx)
            .await
            .map_err(fail("set_role"))?;
        if changed.rows_affected() != 1 {
            return Ok(false);
        }
        log_in(&mut tx, log).await?;
        tx.commit().await.map_err(fail("role commit"))?;
        Ok(true)
    }

    async fn record_sign_in(&self, account_id: i64, now: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE accounts SET last_sign_in_at = $1 WHERE id = $2")
            .bind(now)
            .bind(account_id)
            .execute(self.write())
            .await
            .map_err(fail("record_sign_in"))?;
        Ok(())
    }

    async fn log_auth_event(&self, entry: &AuthEntry) -> Result<(), StoreError> {
        let mut tx = self.write().begin().await.map_err(fail("log begin"))?;
        log_in(&mut tx, entry).await?;
        tx.commit().await.map_err(fail("log commit"))
    }

    async fn auth_log(&self, limit: i64) -> Result<Vec<AuthEntry>, StoreError> {
        self.read_log(limit).await
    }

    async fn account_sessions(&self, account_id: i64, now: i64) -> Result<Vec<SessionLine>, StoreError> {
        let rows = sqlx::query(
            "SELECT token_hash, created_at, COALESCE(last_seen_at, created_at) AS seen, address, user_agent \
             FROM sessions WHERE account_id = $1 AND expires_at > $2 AND COALESCE(last_seen_at, created_at) > $3 \
             ORDER BY seen DESC",
        )
        .bind(account_id)
        .bind(now)
        .bind(session_idle_cutoff(now))
        .fetch_all(self.read())
        .await
        .map_err(fail("account_sessions"))?;
        rows.iter()
            .map(|row| {
                Ok(SessionLine {
                    token_hash: row.try_get("token_hash").map_err(fail("session hash"))?,
                    created_at: row.try_get("created_at").map_err(fail("session created"))?,
                    last_seen_at: row.try_get("seen").map_err(fail("session seen"))?,
                    address: row.try_get("address").map_err(fail("session address"))?,
                    user_agent: row.try_get("user_agent").map_err(fail("session agent"))?,
                })
            })
            .collect()
    }

    async fn end_sessions(&self, account_id: i64) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE account_id = $1")
            .bind(account_id)
            .execute(self.write())
            .await
            .map_err(fail("end_sessions"))?;
        Ok(())
    }

    async fn purge_sessions(&self, now: i64) -> Result<u64, StoreError> {
        let deleted =
            sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR COALESCE(last_seen_at, created_at) <= $2")
                .bind(now)
                .bind(session_idle_cutoff(now))
                .execute(self.write())
                .await
                .map_err(fail("purge_sessions"))?;
        Ok(deleted.rows_affected())
    }

    async fn account_regions(&self, account_id: i64) -> Result<Vec<String>, StoreError> {
        sqlx::query_scalar("SELECT region FROM account_regions WHERE account_id = $1 ORDER BY region")
            .bind(account_id)
            .fetch_all(self.read())
            .await
            .map_err(fail("account_regions"))
    }

    async fn set_account_regions(
        &self,
        account_id: i64,
        regions: &[String],
        log: &AuthEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().begin().await.map_err(fail("regions begin"))?;
        sqlx::query("DELETE FROM account_regions WHERE account_id = $1")
            .bind(account_id)
            .execute(&mut *tx)
            .await
            .map_err(fail("regions clear"))?;
        for region in regions {
            sqlx::query("INSERT INTO account_regions (account_id, region) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(account_id)
                .bind(region)
                .execute(&mut *tx)
                .await
                .map_err(fail("regions insert"))?;
        }
        log_in(&mut tx, log).await?;
        tx.commit().await.map_err(fail("regions commit"))
    }
}
