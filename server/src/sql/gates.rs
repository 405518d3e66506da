//! The SQL of the gates: what `domain::gates::check` reads of a locked case, once, into its `CaseRecord`,
//! inside the transaction of the write it guards (a move, the qualification, a publication).

use app::domain::cadrage::ConditionCheck;
use app::domain::gates::CaseRecord;
use app::domain::qualification::Criterion;
use app::store::StoreError;
use sqlx::Row;

use super::cadrage::document_from;
use super::periods::period_from;
use super::{fail, Locked, SqlStore};

type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

impl SqlStore {
    /// The gates' facts of the locked `case`: its grid, the relève periods, the cadrage in force with its
    /// validations, phase 4 conditions, checks and deliverables, and its AI Act review.
    pub(crate) async fn gate_record_in(&self, tx: &mut Tx<'_>, case: &Locked) -> Result<CaseRecord, StoreError> {
        let scored: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM case_scores WHERE case_id = $1 AND score IS NOT NULL")
                .bind(case.id)
                .fetch_one(&mut **tx)
                .await
                .map_err(fail("gate scored"))?;
        let periods = sqlx::query("SELECT id, name, starts_at, ends_at FROM periods ORDER BY starts_at")
            .fetch_all(&mut **tx)
            .await
            .map_err(fail("gate periods"))?
            .iter()
            .map(period_from)
            .collect::<Result<Vec<_>, StoreError>>()?;
        let checks = sqlx::query("SELECT condition_text, evidence FROM condition_checks WHERE case_id = $1")
            .bind(case.id)
            .fetch_all(&mut **tx)
            .await
            .map_err(fail("gate checks"))?
            .iter()
            .map(|row| {
                Ok(ConditionCheck {
                    condition: row.try_get("condition_text").map_err(fail("check condition"))?,
                    evidence: row.try_get("evidence").map_err(fail("check evidence"))?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let (cadrage_version, phase4_conditions, deliverables) = match self.current_cadrage(tx, case.id).await? {
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
            grid_complete: scored >= Criterion::ALL.len() as i64,
            decision: case.decision,
            periods,
            cadrage_version,
            validations: self.validations_in(tx, case.id).await?,
            phase4_conditions,
            checks,
            deliverables,
            ai_act: case.ai_act.clone(),
        })
    }
}
