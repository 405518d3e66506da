//! The SQL of the conception (stage 4): the checks of the conditions of validation and the log. Every write
//! is one transaction on the locked case that bumps its version, appends an event to its history and tells
//! the boards.

use app::domain::access::VisibleCase;
use app::domain::cadrage::ConditionCheck;
use app::domain::history::EventKind;
use app::store::conception::{ConceptionStore, LogEntry, RecordedCheck};
use app::store::{StoreError, WriteOutcome};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{fail, SqlStore};

impl SqlStore {
    /// The checks and the log (by day, then as entered) of a case, for `CaseStore::project`.
    pub(crate) async fn conception_of(&self, case_id: i64) -> Result<(Vec<RecordedCheck>, Vec<LogEntry>), StoreError> {
        let pool = self.read();
        let checks = sqlx::query(
            "SELECT condition_text, evidence, checked_by, checked_at FROM condition_checks WHERE case_id = $1 \
             ORDER BY checked_at",
        )
        .bind(case_id)
        .fetch_all(pool)
        .await
        .map_err(fail("follow_up checks"))?
        .iter()
        .map(recorded_check_from)
        .collect::<Result<Vec<_>, StoreError>>()?;
        let log = sqlx::query(
            "SELECT day, kind, body, author, created_at FROM phase4_log WHERE case_id = $1 ORDER BY day, id",
        )
        .bind(case_id)
        .fetch_all(pool)
        .await
        .map_err(fail("follow_up log"))?
        .iter()
        .map(log_entry_from)
        .collect::<Result<Vec<_>, StoreError>>()?;
        Ok((checks, log))
    }
}

/// The check of a phase 4 condition from its row.
fn recorded_check_from(row: &AnyRow) -> Result<RecordedCheck, StoreError> {
    Ok(RecordedCheck {
        check: ConditionCheck {
            condition: row.try_get("condition_text").map_err(fail("check condition"))?,
            evidence: row.try_get("evidence").map_err(fail("check evidence"))?,
        },
        checked_by: row.try_get("checked_by").map_err(fail("check by"))?,
        at: row.try_get("checked_at").map_err(fail("check at"))?,
    })
}

/// An entry of the phase 4 log from its row.
fn log_entry_from(row: &AnyRow) -> Result<LogEntry, StoreError> {
    Ok(LogEntry {
        day: row.try_get("day").map_err(fail("log day"))?,
        kind: row.try_get("kind").map_err(fail("log kind"))?,
        body: row.try_get("body").map_err(fail("log body"))?,
        author: row.try_get("author").map_err(fail("log author"))?,
        created_at: row.try_get("created_at").map_err(fail("log created"))?,
    })
}

#[async_trait::async_trait]
impl ConceptionStore for SqlStore {
    async fn check_condition(
        &self,
        case: &VisibleCase,
        check: &ConditionCheck,
        actor: &str,
        now: i64,
    ) -> Result<WriteOutcome, StoreError> {
        let reference = case.as_str();
        let mut tx = self.pools.write.begin().await.map_err(fail("check begin"))?;
        let Some(case) = self.lock_case(&mut tx, reference).await? else {
            return Ok(WriteOutcome::NotFound);
        };
        sqlx::query(
            "INSERT INTO condition_checks (case_id, condition_text, evidence, checked_by, checked_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (case_id, condition_text) DO UPDATE SET \
             evidence = excluded.evidence, checked_by = excluded.checked_by, checked_at = excluded.checked_at",
        )
        .bind(case.id)
        .bind(&check.condition)
        .bind(&check.evidence)
        .bind(actor)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(fail("check upsert"))?;
        let detail = format!("Condition vérifiée : {} — preuve : {}", check.condition, check.evidence);
        let version = self
            .finish_case_write(tx, &case, reference, actor, EventKind::ConditionChecked, &detail, now)
            .await?;
        Ok(WriteOutcome::Done { version })
    }

    async fn add_log_entry(&self, case: &VisibleCase, entry: &LogEntry) -> Result<WriteOutcome, StoreError> {
        let reference = case.as_str();
        let mut tx = self.pools.write.begin().await.map_err(fail("log begin"))?;
        let Some(case) = self.lock_case(&mut tx, reference).await? else {
            return Ok(WriteOutcome::NotFound);
        };
        sqlx::query(
            "INSERT INTO phase4_log (case_id, day, kind, body, author, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(case.id)
        .bind(&entry.day)
        .bind(&entry.kind)
        .bind(&entry.body)
        .bind(&entry.author)
        .bind(entry.created_at)
        .execute(&mut *tx)
        .await
        .map_err(fail("log insert"))?;
        let kind = app::domain::referentiel::label_of(app::domain::cadrage::LOG_KINDS, &entry.kind);
        let detail = format!("Journal de la phase 4 : {kind} du {}.", entry.day);
        let version = self
            .finish_case_write(
                tx,
                &case,
                reference,
                &entry.author,
                EventKind::LogEntry,
                &detail,
                entry.created_at,
            )
            .await?;
        Ok(WriteOutcome::Done { version })
    }
}
