//! The SQL of the programme's indicators over time: each case's filing, stage and moves, read from the event
//! log in two queries (cases, then every move in order).

use app::domain::indicators::Timeline;
use app::store::indicators::IndicatorStore;
use app::store::StoreError;
use sqlx::Row;

use super::{fail, stage_of, SqlStore};

#[async_trait::async_trait]
impl IndicatorStore for SqlStore {
    async fn timelines(&self) -> Result<Vec<Timeline>, StoreError> {
        let cases = sqlx::query("SELECT id, created_at, stage FROM cases ORDER BY id")
            .fetch_all(self.read())
            .await
            .map_err(fail("timelines cases"))?;
        let moves = sqlx::query(
            "SELECT case_id, created_at, from_stage, to_stage FROM case_events \
             WHERE kind = 'deplace' AND from_stage IS NOT NULL AND to_stage IS NOT NULL ORDER BY case_id, id",
        )
        .fetch_all(self.read())
        .await
        .map_err(fail("timelines moves"))?;
        let mut timelines = Vec::with_capacity(cases.len());
        let mut ids = Vec::with_capacity(cases.len());
        for row in &cases {
            let stage: String = row.try_get("stage").map_err(fail("timeline stage"))?;
            ids.push(row.try_get::<i64, _>("id").map_err(fail("timeline id"))?);
            timelines.push(Timeline {
                filed_at: row.try_get("created_at").map_err(fail("timeline filed"))?,
                stage: stage_of(&stage)?,
                moves: Vec::new(),
            });
        }
        for row in &moves {
            let case_id: i64 = row.try_get("case_id").map_err(fail("move case"))?;
            let from: String = row.try_get("from_stage").map_err(fail("move from"))?;
            let to: String = row.try_get("to_stage").map_err(fail("move to"))?;
            if let Ok(index) = ids.binary_search(&case_id) {
                timelines[index].moves.push((
                    row.try_get("created_at").map_err(fail("move at"))?,
                    stage_of(&from)?,
                    stage_of(&to)?,
                ));
            }
        }
        Ok(timelines)
    }
}
