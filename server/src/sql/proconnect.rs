//! The SQL of ProConnect sign-in: the sign-ins started (taken once), the (issuer, subject) a team account is
//! linked to, and the sessions it opens with their ID token.

use app::domain::accounts::AuthEvent;
use app::domain::proconnect::Space;
use app::store::accounts::{AuthEntry, NewSession};
use app::store::proconnect::{LinkedIdentity, MemberMatch, ProConnectStore, StartedSignIn};
use app::store::StoreError;
use sqlx::Row;

use super::accounts::{account_from, ACCOUNT_COLUMNS};
use super::{fail, SqlStore};

#[async_trait::async_trait]
impl ProConnectStore for SqlStore {
    async fn start_proconnect(&self, state_hash: &str, started: &StartedSignIn) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO proconnect_requests (state_hash, nonce, return_to, created_at, space) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(state_hash)
        .bind(&started.nonce)
        .bind(&started.return_to)
        .bind(started.created_at)
        .bind(started.space.code())
        .execute(self.write())
        .await
        .map_err(fail("start proconnect"))?;
        Ok(())
    }

    async fn take_proconnect(&self, state_hash: &str) -> Result<Option<StartedSignIn>, StoreError> {
        // Deleted as it is read: a `state` replayed finds nothing.
        let row = sqlx::query(
            "DELETE FROM proconnect_requests WHERE state_hash = $1 RETURNING nonce, return_to, created_at, space",
        )
        .bind(state_hash)
        .fetch_optional(self.write())
        .await
        .map_err(fail("take proconnect"))?;
        row.map(|row| {
            Ok(StartedSignIn {
                nonce: row.try_get("nonce").map_err(fail("proconnect nonce"))?,
                return_to: row.try_get("return_to").map_err(fail("proconnect return"))?,
                created_at: row.try_get("created_at").map_err(fail("proconnect created"))?,
                space: {
                    let code: String = row.try_get("space").map_err(fail("proconnect space"))?;
                    Space::from_code(&code).ok_or_else(|| StoreError(format!("unknown space {code}")))?
                },
            })
        })
        .transpose()
    }

    async fn proconnect_member(&self, identity: &LinkedIdentity) -> Result<MemberMatch, StoreError> {
        let mut tx = self.write().begin().await.map_err(fail("proconnect member begin"))?;
        let linked = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM account_identities i JOIN accounts a ON a.id = i.account_id \
             WHERE i.issuer = $1 AND i.subject = $2"
        ))
        .bind(&identity.issuer)
        .bind(&identity.subject)
        .fetch_optional(&mut *tx)
        .await
        .map_err(fail("proconnect linked"))?;
        let account = match linked {
            Some(row) => account_from(&row)?,
            None => {
                // The first time: the account open for that email, if no identity of this issuer holds it yet.
                let invited = sqlx::query(&format!(
                    "SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE a.email = $1 AND NOT EXISTS \
                     (SELECT 1 FROM account_identities i WHERE i.account_id = a.id AND i.issuer = $2)"
                ))
                .bind(&identity.email)
                .bind(&identity.issuer)
                .fetch_optional(&mut *tx)
                .await
                .map_err(fail("proconnect invited"))?;
                let Some(row) = invited else {
                    return Ok(MemberMatch::Unknown);
                };
                let account = account_from(&row)?;
                if account.disabled {
                    return Ok(MemberMatch::Disabled);
                }
                sqlx::query(
                    "INSERT INTO account_identities (issuer, subject, account_id, linked_at) VALUES ($1, $2, $3, $4)",
                )
                .bind(&identity.issuer)
                .bind(&identity.subject)
                .bind(account.id)
                .bind(identity.now)
                .execute(&mut *tx)
                .await
                .map_err(fail("proconnect link"))?;
                let entry = AuthEntry {
                    kind: AuthEvent::ProConnectLinked,
                    email: account.email.clone(),
                    actor: account.email.clone(),
                    address: identity.address.clone(),
                    at: identity.now,
                    detail: identity.issuer.clone(),
                };
                super::auth::log_in(&mut tx, &entry).await?;
                account
            }
        };
        tx.commit().await.map_err(fail("proconnect member commit"))?;
        Ok(if account.disabled {
            MemberMatch::Disabled
        } else {
            MemberMatch::Member(account)
        })
    }

    async fn create_proconnect_session(
        &self,
        session: &NewSession,
        id_token: &str,
        acr: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, account_id, created_at, expires_at, last_seen_at, address, user_agent, \
             id_token, acr) VALUES ($1, $2, $3, $4, $3, $5, $6, $7, $8)",
        )
        .bind(&session.token_hash)
        .bind(session.account_id)
        .bind(session.now)
        .bind(session.expires_at)
        .bind(&session.address)
        .bind(session.user_agent.chars().take(300).collect::<String>())
        .bind(id_token)
        .bind(acr)
        .execute(self.write())
        .await
        .map_err(fail("create proconnect session"))?;
        Ok(())
    }

    async fn end_session_for_logout(&self, token_hash: &str) -> Result<Option<String>, StoreError> {
        let id_token: Option<Option<String>> =
            sqlx::query_scalar("DELETE FROM sessions WHERE token_hash = $1 RETURNING id_token")
                .bind(token_hash)
                .fetch_optional(self.write())
                .await
                .map_err(fail("end session"))?;
        Ok(id_token.flatten().filter(|token| !token.is_empty()))
    }

    async fn purge_proconnect(&self, before: i64) -> Result<u64, StoreError> {
        let deleted = sqlx::query("DELETE FROM proconnect_requests WHERE created_at < $1")
            .bind(before)
            .execute(self.write())
            .await
            .map_err(fail("purge proconnect"))?;
        Ok(deleted.rows_affected())
    }
}
