//! The SQL behind `app::store`, written once for SQLite and PostgreSQL (numbered `$n` parameters, types both
//! accept), one file per area as `app::store` declares them. Writes go through the write pool, a single
//! connection on SQLite.

use app::domain::ai_act::review::AiActReview;
use app::domain::ai_act::RiskLevel;
use app::domain::history::EventKind;
use app::domain::intake::IntakeAnswers;
use app::domain::qualification::Decision;
use app::domain::stage::Stage;
use app::store::StoreError;
use serde::{Deserialize, Serialize};
use sqlx::{AnyPool, Row};
use tokio::sync::broadcast;

use crate::db::{Backend, Pools};

pub mod accounts;
pub mod agents;
pub mod auth;
pub mod backup;
pub mod cadrage;
pub mod case;
pub mod catalogue;
pub mod conception;
pub mod deployments;
pub mod diffusion;
pub mod documents;
pub mod gates;
pub mod health;
pub mod indicators;
pub mod intake;
pub mod library;
pub mod limits;
pub mod links;
pub mod messages;
pub mod notices;
pub mod outbox;
pub mod periods;
pub mod privacy;
pub mod proconnect;
pub mod search_cache;
pub mod sign_in;
pub mod similar;

use search_cache::SearchCache;

/// The store of a connected database, and the channel that tells open boards what changed.
#[derive(Clone, Debug)]
pub struct SqlStore {
    pub pools: Pools,
    changes: broadcast::Sender<BoardChange>,
    /// The régions of the published cases (the catalogue's filter), kept for a short while.
    pub(crate) regions: std::sync::Arc<std::sync::Mutex<Option<CachedRegions>>>,
    /// Recent results of catalogue searches (see `SearchCache`).
    pub searches: std::sync::Arc<SearchCache>,
    /// The programme's usage figures with the `usage_generation` they were read at
    /// (`deployments::reports::programme_usage`).
    pub(crate) usage: std::sync::Arc<std::sync::Mutex<Option<CachedUsage>>>,
    /// The similar-cases index of this process (`similar::sync_similarity` brings it up to date).
    pub(crate) similarity: similar::SharedSimilarity,
}

/// The `usage_generation` and the deployments and reports read then.
pub(crate) type CachedUsage = (i64, std::sync::Arc<app::store::deployments::ProgrammeUsage>);

/// The régions of the published cases and when they were read.
pub(crate) type CachedRegions = (std::time::Instant, Vec<String>);

/// A change of a case, sent to every open board (and, on PostgreSQL, to the other server processes).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardChange {
    /// The case, or `*` when boards should reload everything (after a lost connection).
    pub reference: String,
    pub stage: String,
    pub version: i64,
    pub actor: String,
}

/// The PostgreSQL channel of board changes.
pub const CHANNEL: &str = "iaf_tableau";

/// A board change as the JSON the channel carries.
pub(crate) fn change_payload(change: &BoardChange) -> Result<String, StoreError> {
    serde_json::to_string(change).map_err(|e| StoreError(format!("change to JSON: {e}")))
}

/// Turns a database error into a store error naming what was being done (for the server's log).
pub(crate) fn fail(context: &'static str) -> impl Fn(sqlx::Error) -> StoreError {
    move |error| {
        if matches!(error, sqlx::Error::Database(_) | sqlx::Error::Io(_)) {
            crate::db::suspect_sqlite_writer();
        }
        StoreError(format!("{context}: {error}"))
    }
}

/// A `LIKE … ESCAPE '\'` pattern matching any text that contains `text` as it is: its `\`, `%` and `_` are
/// escaped, so they match only themselves (the same on SQLite and PostgreSQL).
pub(crate) fn like_containing(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '\\' | '%' | '_') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

pub(crate) fn to_json(answers: &IntakeAnswers) -> Result<String, StoreError> {
    serde_json::to_string(answers).map_err(|e| StoreError(format!("answers to JSON: {e}")))
}

pub(crate) fn from_json(text: &str) -> Result<IntakeAnswers, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError(format!("answers from JSON: {e}")))
}

/// A stage code read from the database; an unknown one is an error, never a default.
pub(crate) fn stage_of(code: &str) -> Result<Stage, StoreError> {
    Stage::from_code(code).ok_or_else(|| StoreError(format!("unknown stage {code}")))
}

pub(crate) fn decision_from(code: Option<String>) -> Option<Decision> {
    code.as_deref().and_then(Decision::from_code)
}

/// The part of a case a versioned write reads first, inside its transaction.
pub(crate) struct Locked {
    pub(crate) id: i64,
    pub(crate) stage: Stage,
    pub(crate) version: i64,
    pub(crate) filed_at: i64,
    pub(crate) decision: Option<Decision>,
    pub(crate) updated_by: String,
    pub(crate) updated_at: i64,
    pub(crate) ai_act: AiActReview,
}

/// The AI Act columns of a case (`ai_act_level`, `ai_act_confirmed`, `ai_act_override`).
pub(crate) fn ai_act_from(row: &sqlx::any::AnyRow) -> Result<AiActReview, StoreError> {
    let level: String = row.try_get("ai_act_level").map_err(fail("ai_act level"))?;
    let confirmed: Option<String> = row.try_get("ai_act_confirmed").map_err(fail("ai_act confirmed"))?;
    Ok(AiActReview {
        pre_assessed: Some(
            RiskLevel::from_code(&level).ok_or_else(|| StoreError(format!("unknown AI Act level {level}")))?,
        ),
        confirmed: confirmed
            .as_deref()
            .map(|code| RiskLevel::from_code(code).ok_or_else(|| StoreError(format!("unknown AI Act level {code}"))))
            .transpose()?,
        override_reason: row.try_get("ai_act_override").map_err(fail("ai_act override"))?,
    })
}

impl SqlStore {
    pub fn new(pools: Pools) -> SqlStore {
        let (changes, _) = broadcast::channel(256);
        SqlStore {
            pools,
            changes,
            regions: Default::default(),
            searches: Default::default(),
            usage: Default::default(),
            similarity: Default::default(),
        }
    }

    /// The changes of cases, as they are committed (on PostgreSQL, by any server process once `listen` runs).
    pub fn subscribe(&self) -> broadcast::Receiver<BoardChange> {
        self.changes.subscribe()
    }

    /// On PostgreSQL, forwards the notifications of every server process on the database to this process's
    /// boards, reconnecting when the connection drops. On SQLite there is one process and nothing to do.
    pub async fn listen(&self, database_url: &str) -> Result<(), String> {
        if self.pools.backend != Backend::Postgres {
            return Ok(());
        }
        let mut listener = sqlx::postgres::PgListener::connect(database_url)
            .await
            .map_err(|e| format!("écoute PostgreSQL : {e}"))?;
        listener
            .listen(CHANNEL)
            .await
            .map_err(|e| format!("écoute PostgreSQL : {e}"))?;
        let changes = self.changes.clone();
        tokio::spawn(async move {
            loop {
                match listener.try_recv().await {
                    Ok(Some(notification)) => {
                        if let Ok(change) = serde_json::from_str::<BoardChange>(notification.payload()) {
                            let _ = changes.send(change);
                        }
                    }
                    // The connection was lost and is re-established at the next call: notifications may have
                    // been missed, so boards reload.
                    Ok(None) => {
                        let _ = changes.send(BoardChange {
                            reference: "*".into(),
                            stage: String::new(),
                            version: 0,
                            actor: String::new(),
                        });
                    }
                    Err(error) => {
                        tracing::warn!("écoute PostgreSQL interrompue : {error}");
                        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                    }
                }
            }
        });
        Ok(())
    }

    /// Queues the change in the transaction on PostgreSQL (sent at commit to every process).
    pub(crate) async fn notify_in(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        change: &BoardChange,
    ) -> Result<(), StoreError> {
        if self.pools.backend == Backend::Postgres {
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(CHANNEL)
                .bind(change_payload(change)?)
                .execute(&mut **tx)
                .await
                .map_err(fail("notify"))?;
        }
        Ok(())
    }

    /// After commit, on SQLite, tells this process's boards (PostgreSQL does it through the listener).
    pub(crate) fn announce(&self, change: BoardChange) {
        if self.pools.backend == Backend::Sqlite {
            let _ = self.changes.send(change);
        }
    }

    /// Reads and locks the case a versioned write is about.
    pub(crate) async fn lock_case(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        reference: &str,
    ) -> Result<Option<Locked>, StoreError> {
        let lock = if self.pools.backend == Backend::Postgres {
            " FOR UPDATE"
        } else {
            ""
        };
        let row = sqlx::query(&format!(
            "SELECT id, stage, version, created_at, decision, updated_by, updated_at, ai_act_level, ai_act_confirmed, \
             ai_act_override FROM cases WHERE reference = $1{lock}"
        ))
        .bind(reference)
        .fetch_optional(&mut **tx)
        .await
        .map_err(fail("lock case"))?;
        let Some(row) = row else {
            return Ok(None);
        };
        let stage: String = row.try_get("stage").map_err(fail("lock stage"))?;
        Ok(Some(Locked {
            id: row.try_get("id").map_err(fail("lock id"))?,
            stage: stage_of(&stage)?,
            version: row.try_get("version").map_err(fail("lock version"))?,
            filed_at: row.try_get("created_at").map_err(fail("lock filed"))?,
            decision: decision_from(row.try_get("decision").map_err(fail("lock decision"))?),
            updated_by: row.try_get("updated_by").map_err(fail("lock updated_by"))?,
            updated_at: row.try_get("updated_at").map_err(fail("lock updated_at"))?,
            ai_act: ai_act_from(&row)?,
        }))
    }

    /// A write sent from an older version of the case, told apart before the writer is taken: who changed the
    /// case and when, or None when the case is at `expected` (or unknown: the locked read then says so). Most
    /// concurrent moves are such (70 % in the moves drill); each held SQLite's single writer, or waited for
    /// PostgreSQL's row lock, only to be refused. The locked read still decides.
    pub(crate) async fn stale_write(
        &self,
        reference: &str,
        expected: i64,
    ) -> Result<Option<(String, i64)>, StoreError> {
        let row = sqlx::query("SELECT version, updated_by, updated_at FROM cases WHERE reference = $1")
            .bind(reference)
            .fetch_optional(&self.pools.read)
            .await
            .map_err(fail("stale write"))?;
        let Some(row) = row else {
            return Ok(None);
        };
        let version: i64 = row.try_get("version").map_err(fail("stale version"))?;
        if version == expected {
            return Ok(None);
        }
        Ok(Some((
            row.try_get("updated_by").map_err(fail("stale updated_by"))?,
            row.try_get("updated_at").map_err(fail("stale updated_at"))?,
        )))
    }

    /// Ends a write on a locked case: new version, who and when, the event, the boards told, commit.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn finish_case_write(
        &self,
        mut tx: sqlx::Transaction<'_, sqlx::Any>,
        case: &Locked,
        reference: &str,
        actor: &str,
        kind: EventKind,
        detail: &str,
        now: i64,
    ) -> Result<i64, StoreError> {
        sqlx::query("UPDATE cases SET version = version + 1, updated_at = $1, updated_by = $2 WHERE id = $3")
            .bind(now)
            .bind(actor)
            .bind(case.id)
            .execute(&mut *tx)
            .await
            .map_err(fail("case write version"))?;
        sqlx::query(
            "INSERT INTO case_events (case_id, actor, kind, from_stage, to_stage, detail, created_at) \
             VALUES ($1, $2, $3, NULL, NULL, $4, $5)",
        )
        .bind(case.id)
        .bind(actor)
        .bind(kind.code())
        .bind(detail)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(fail("case write event"))?;
        let change = BoardChange {
            reference: reference.to_string(),
            stage: case.stage.code().into(),
            version: case.version + 1,
            actor: actor.to_string(),
        };
        self.notify_in(&mut tx, &change).await?;
        tx.commit().await.map_err(fail("case write commit"))?;
        self.announce(change);
        Ok(case.version + 1)
    }

    pub(crate) fn read(&self) -> &AnyPool {
        &self.pools.read
    }

    pub(crate) fn write(&self) -> &AnyPool {
        &self.pools.write
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn like_patterns_escape_the_wildcards_and_the_escape() {
        assert_eq!(super::like_containing("jean_dupont@x.fr"), "%jean\\_dupont@x.fr%");
        assert_eq!(super::like_containing("100%\\a"), "%100\\%\\\\a%");
        assert_eq!(super::like_containing("simple"), "%simple%");
    }
}
