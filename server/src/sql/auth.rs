//! The SQL of the authentication log: each line written in the transaction of the change it records (sign-ins,
//! links, roles, régions, cases given to a prestataire), and the log read back for administrators.

use app::domain::accounts::AuthEvent;
use app::store::accounts::AuthEntry;
use app::store::StoreError;
use sqlx::Row;

use super::{fail, SqlStore};

type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

/// Writes a line of the log in the transaction of the change it records.
pub(crate) async fn log_in(tx: &mut Tx<'_>, entry: &AuthEntry) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO auth_events (kind, email, actor, address, created_at, detail) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(entry.kind.code())
    .bind(&entry.email)
    .bind(&entry.actor)
    .bind(&entry.address)
    .bind(entry.at)
    .bind(&entry.detail)
    .execute(&mut **tx)
    .await
    .map_err(fail("auth log"))?;
    Ok(())
}

/// The email of an account, in the transaction.
async fn email_of(tx: &mut Tx<'_>, account_id: i64) -> Result<String, StoreError> {
    sqlx::query_scalar("SELECT email FROM accounts WHERE id = $1")
        .bind(account_id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(fail("auth account"))
        .map(Option::unwrap_or_default)
}

/// Logs a case taken from its former prestataire (`before`) and given to the new one (`after`); nothing when
/// the prestataire stays the same. `by`: who did it, from where, when.
pub(crate) async fn log_assignment(
    tx: &mut Tx<'_>,
    reference: &str,
    before: Option<i64>,
    after: Option<i64>,
    by: &AuthEntry,
) -> Result<(), StoreError> {
    if before == after {
        return Ok(());
    }
    for (account_id, what) in [(before, "retiré"), (after, "confié")] {
        let Some(account_id) = account_id else {
            continue;
        };
        let entry = AuthEntry {
            kind: AuthEvent::CaseAssigned,
            email: email_of(tx, account_id).await?,
            detail: format!("{reference} {what}"),
            ..by.clone()
        };
        log_in(tx, &entry).await?;
    }
    Ok(())
}

impl SqlStore {
    /// The most recent lines of the log, newest first.
    pub(crate) async fn read_log(&self, limit: i64) -> Result<Vec<AuthEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT kind, email, actor, address, created_at, detail FROM auth_events ORDER BY id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(self.read())
        .await
        .map_err(fail("auth_log"))?;
        rows.iter()
            .map(|row| {
                let kind: String = row.try_get("kind").map_err(fail("auth kind"))?;
                Ok(AuthEntry {
                    kind: AuthEvent::from_code(&kind)
                        .ok_or_else(|| StoreError(format!("unknown auth event {kind}")))?,
                    email: row.try_get("email").map_err(fail("auth email"))?,
                    actor: row.try_get("actor").map_err(fail("auth actor"))?,
                    address: row.try_get("address").map_err(fail("auth address"))?,
                    at: row.try_get("created_at").map_err(fail("auth at"))?,
                    detail: row.try_get("detail").map_err(fail("auth detail"))?,
                })
            })
            .collect()
    }
}
