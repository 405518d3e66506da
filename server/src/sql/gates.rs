//! The SQL of the gates: what `domain::gates::check` reads of a locked case, once, into its `CaseRecord`,
//! inside the transaction of the write it guards (a move, the qualification, a publication), and the move they let
//! through, written while the case is locked.

use app::domain::cadrage::{ConditionCheck, Party, RecordedValidation};
use app::domain::gates::CaseRecord;
use app::domain::history::{EventDetail, EventKind};
use app::domain::periods::Period;
use app::domain::qualification::{Criterion, Destination};
use app::domain::stage::Stage;
use app::store::case::MoveRequest;
use app::store::StoreError;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::cadrage::document_from;
use super::{fail, BoardChange, Locked, SqlStore};

type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

/// Every fact of the gates in one statement, one row per fact, told apart by `kind`, so that a write holds its
/// case's lock for one round trip to the database instead of five: `s` the scored criteria, `p` each relève
/// period, `k` each phase 4 check, `c` the cadrage in force, `v` each validation of a cadrage version.
const GATE_FACTS: &str = "\
    SELECT 's' AS kind, COUNT(*) AS n, CAST(NULL AS BIGINT) AS m, CAST(NULL AS BIGINT) AS o, \
           CAST(NULL AS TEXT) AS a, CAST(NULL AS TEXT) AS b \
      FROM case_scores WHERE case_id = $1 AND score IS NOT NULL \
    UNION ALL SELECT 'p', id, starts_at, ends_at, name, CAST(NULL AS TEXT) FROM periods \
    UNION ALL SELECT 'k', CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), condition_text, evidence \
      FROM condition_checks WHERE case_id = $1 \
    UNION ALL SELECT 'c', number, CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), document, CAST(NULL AS TEXT) \
      FROM cadrage_versions WHERE case_id = $1 \
       AND number = (SELECT MAX(number) FROM cadrage_versions WHERE case_id = $1) \
    UNION ALL SELECT 'v', version, CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), party, CAST(NULL AS TEXT) \
      FROM cadrage_validations WHERE case_id = $1";

/// The facts as read, before the cadrage document is parsed.
#[derive(Default)]
struct Facts {
    scored: i64,
    periods: Vec<Period>,
    checks: Vec<ConditionCheck>,
    cadrage: Option<(i64, String)>,
    validations: Vec<RecordedValidation>,
}

impl Facts {
    fn add(&mut self, row: &AnyRow) -> Result<(), StoreError> {
        let kind: String = row.try_get("kind").map_err(fail("gate kind"))?;
        let number = || row.try_get::<i64, _>("n").map_err(fail("gate number"));
        let text = || row.try_get::<String, _>("a").map_err(fail("gate text"));
        match kind.as_str() {
            "s" => self.scored = number()?,
            "p" => self.periods.push(Period {
                id: number()?,
                name: text()?,
                starts_at: row.try_get("m").map_err(fail("gate period start"))?,
                ends_at: row.try_get("o").map_err(fail("gate period end"))?,
            }),
            "k" => self.checks.push(ConditionCheck {
                condition: text()?,
                evidence: row.try_get("b").map_err(fail("gate check evidence"))?,
            }),
            "c" => self.cadrage = Some((number()?, text()?)),
            "v" => {
                let party = text()?;
                self.validations.push(RecordedValidation {
                    version: number()?,
                    party: Party::from_code(&party).ok_or_else(|| StoreError(format!("unknown party {party}")))?,
                });
            }
            other => return Err(StoreError(format!("unknown gate fact {other}"))),
        }
        Ok(())
    }
}

impl SqlStore {
    /// The gates' facts of the locked `case`: its grid, the relève periods, the cadrage in force with its
    /// validations, phase 4 conditions, checks and deliverables, and its AI Act review.
    pub(crate) async fn gate_record_in(&self, tx: &mut Tx<'_>, case: &Locked) -> Result<CaseRecord, StoreError> {
        let mut facts = Facts::default();
        for row in sqlx::query(GATE_FACTS)
            .bind(case.id)
            .fetch_all(&mut **tx)
            .await
            .map_err(fail("gate facts"))?
        {
            facts.add(&row)?;
        }
        facts.periods.sort_by_key(|period| period.starts_at);
        let (cadrage_version, phase4_conditions, deliverables) = match facts.cadrage {
            Some((number, text)) => {
                let document = document_from(&text)?;
                let deliverables = ["livrables_cadrage", "livrables_conception", "livrables_diffusion"]
                    .into_iter()
                    .flat_map(|key| document.lines(key))
                    .collect();
                (Some(number), document.lines("conditions_diffusion"), deliverables)
            }
            None => (None, Vec::new(), Vec::new()),
        };
        Ok(CaseRecord {
            stage: case.stage,
            filed_at: case.filed_at,
            grid_complete: facts.scored >= Criterion::ALL.len() as i64,
            decision: case.decision,
            periods: facts.periods,
            cadrage_version,
            validations: facts.validations,
            phase4_conditions,
            checks: facts.checks,
            deliverables,
            ai_act: case.ai_act.clone(),
        })
    }
}

impl SqlStore {
    /// A move written on the locked case: its new stage and version, its event and the boards' notification. On
    /// PostgreSQL one statement, so the case stays locked for one round trip instead of three while other movers
    /// wait on it; on SQLite (one writer, boards told in process after commit) two. False when the version moved.
    pub(crate) async fn write_move(
        &self,
        tx: &mut Tx<'_>,
        case: &Locked,
        request: &MoveRequest,
        change: &BoardChange,
    ) -> Result<bool, StoreError> {
        let destination = (request.to == Stage::Reoriente)
            .then(|| request.destination.map(Destination::code))
            .flatten();
        let detail = EventDetail::of_move(
            request.destination.filter(|_| request.to == Stage::Reoriente),
            &request.reason,
        )
        .stored();
        let postgres = self.pools.backend == crate::db::Backend::Postgres;
        let sql = if postgres {
            "WITH moved AS (UPDATE cases SET stage = $1, version = version + 1, updated_at = $2, updated_by = $3, \
             stage_entered_at = $2, destination = $4, last_mover_id = COALESCE($7, last_mover_id) \
             WHERE id = $5 AND version = $6 RETURNING id), \
             event AS (INSERT INTO case_events (case_id, actor, kind, from_stage, to_stage, detail, created_at) \
             SELECT id, $3, $8, $9, $1, $10, $2 FROM moved RETURNING case_id) \
             SELECT pg_notify($11, $12) FROM event"
        } else {
            "UPDATE cases SET stage = $1, version = version + 1, updated_at = $2, updated_by = $3, \
             stage_entered_at = $2, destination = $4, last_mover_id = COALESCE($7, last_mover_id) \
             WHERE id = $5 AND version = $6"
        };
        let query = sqlx::query(sql)
            .bind(request.to.code())
            .bind(request.now)
            .bind(&request.actor)
            .bind(destination)
            .bind(case.id)
            .bind(case.version)
            .bind(request.mover_id);
        let query = if postgres {
            query
                .bind(EventKind::Moved.code())
                .bind(case.stage.code())
                .bind(detail.clone())
                .bind(super::CHANNEL)
                .bind(super::change_payload(change)?)
        } else {
            query
        };
        let written = query.execute(&mut **tx).await.map_err(fail("move update"))?;
        if written.rows_affected() != 1 {
            return Ok(false);
        }
        if !postgres {
            sqlx::query(
                "INSERT INTO case_events (case_id, actor, kind, from_stage, to_stage, detail, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(case.id)
            .bind(&request.actor)
            .bind(EventKind::Moved.code())
            .bind(case.stage.code())
            .bind(request.to.code())
            .bind(detail)
            .bind(request.now)
            .execute(&mut **tx)
            .await
            .map_err(fail("move event"))?;
        }
        Ok(true)
    }
}
