//! The SQL of the intake: drafts behind their token hash, and filing one as a case in one transaction.

use app::domain::dates::paris_year;
use app::domain::email::CollectiviteNotice;
use app::domain::history::EventKind;
use app::domain::intake::IntakeAnswers;
use app::domain::reference::CaseReference;
use app::domain::stage::Stage;
use app::store::intake::{Draft, FiledCase, IntakeStore, NewCase};
use app::store::StoreError;
use sqlx::{AnyPool, Row};

use super::links::drafts_of_link;
use super::{fail, from_json, stage_of, to_json, BoardChange, SqlStore};

impl SqlStore {
    async fn filed_case_with(&self, pool: &AnyPool, token_hash: &str) -> Result<Option<FiledCase>, StoreError> {
        let row = sqlx::query(
            "SELECT c.reference, c.title, c.collectivite_name, c.stage, c.created_at, c.updated_at \
             FROM cases c JOIN follow_up_links l ON l.draft_id = c.draft_id \
             WHERE l.token_hash = $1 AND l.ended_at IS NULL",
        )
        .bind(token_hash)
        .fetch_optional(pool)
        .await
        .map_err(fail("filed_case"))?;
        row.map(|row| {
            let stage: String = row.try_get("stage").map_err(fail("filed_case stage"))?;
            Ok(FiledCase {
                reference: row.try_get("reference").map_err(fail("filed_case reference"))?,
                title: row.try_get("title").map_err(fail("filed_case title"))?,
                collectivite_name: row.try_get("collectivite_name").map_err(fail("filed_case name"))?,
                stage: stage_of(&stage)?,
                filed_at: row.try_get("created_at").map_err(fail("filed_case created_at"))?,
                updated_at: row.try_get("updated_at").map_err(fail("filed_case updated_at"))?,
            })
        })
        .transpose()
    }

    /// Files a case in one transaction; used by the intake and by the demo seed (which passes no draft).
    pub async fn insert_case(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        draft_id: Option<i64>,
        answers: &IntakeAnswers,
        case: &NewCase,
        now: i64,
    ) -> Result<(i64, String), StoreError> {
        let year = paris_year(now);
        let number: i64 = sqlx::query_scalar(
            "INSERT INTO reference_counters (year, last_number) VALUES ($1, 1) \
             ON CONFLICT (year) DO UPDATE SET last_number = reference_counters.last_number + 1 \
             RETURNING last_number",
        )
        .bind(year)
        .fetch_one(&mut **tx)
        .await
        .map_err(fail("reference counter"))?;
        let reference = CaseReference::new(year, number).to_string();
        let case_id: i64 = sqlx::query_scalar(
            "INSERT INTO cases (reference, draft_id, stage, version, title, domain, collectivite_key, \
             collectivite_name, collectivite_kind, region, agents, hours_saved_per_year, portage_missing, answers, \
             published, created_at, updated_at, stage_entered_at, briques, updated_by, contact_email) \
             VALUES ($1, $2, 'remontee', 1, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 0, $13, $13, $13, $14, $15, $16) \
             RETURNING id",
        )
        .bind(&reference)
        .bind(draft_id)
        .bind(&case.title)
        .bind(&case.domain)
        .bind(&case.collectivite_key)
        .bind(&case.collectivite_name)
        .bind(&case.collectivite_kind)
        .bind(&case.region)
        .bind(case.agents)
        .bind(case.hours_saved_per_year)
        .bind(&case.portage_missing)
        .bind(to_json(answers)?)
        .bind(now)
        .bind(&case.briques)
        .bind(format!("collectivité : {}", case.collectivite_name))
        .bind(&case.contact_email)
        .fetch_one(&mut **tx)
        .await
        .map_err(fail("insert case"))?;
        sqlx::query(
            "INSERT INTO case_events (case_id, actor, kind, from_stage, to_stage, detail, created_at) \
             VALUES ($1, $2, $3, NULL, $4, '', $5)",
        )
        .bind(case_id)
        .bind(format!("collectivité : {}", case.collectivite_name))
        .bind(EventKind::Filed.code())
        .bind(Stage::Remontee.code())
        .bind(now)
        .execute(&mut **tx)
        .await
        .map_err(fail("insert event"))?;
        self.index_case_in(tx, case_id, answers).await?;
        Ok((case_id, reference))
    }
}

#[async_trait::async_trait]
impl IntakeStore for SqlStore {
    async fn create_draft(&self, token_hash: &str, now: i64) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO drafts (token_hash, answers, created_at, updated_at) VALUES ($1, $2, $3, $3)")
            .bind(token_hash)
            .bind(to_json(&IntakeAnswers::default())?)
            .bind(now)
            .execute(self.write())
            .await
            .map_err(fail("create_draft"))?;
        Ok(())
    }

    async fn load_draft(&self, token_hash: &str) -> Result<Option<Draft>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT d.answers, d.created_at, d.updated_at, d.replicates, d.version, d.step_versions, c.reference \
             FROM drafts d LEFT JOIN cases c ON c.draft_id = d.id WHERE d.id IN {}",
            drafts_of_link(1)
        ))
        .bind(token_hash)
        .fetch_optional(self.read())
        .await
        .map_err(fail("load_draft"))?;
        row.map(|row| {
            let answers: String = row.try_get("answers").map_err(fail("load_draft answers"))?;
            Ok(Draft {
                answers: from_json(&answers)?,
                created_at: row.try_get("created_at").map_err(fail("load_draft created_at"))?,
                updated_at: row.try_get("updated_at").map_err(fail("load_draft updated_at"))?,
                case_reference: row.try_get("reference").map_err(fail("load_draft reference"))?,
                replicates: row.try_get("replicates").map_err(fail("load_draft replicates"))?,
                version: row.try_get("version").map_err(fail("load_draft version"))?,
                step_versions: serde_json::from_str(
                    &row.try_get::<String, _>("step_versions")
                        .map_err(fail("load_draft steps"))?,
                )
                .map_err(|e| StoreError(format!("step versions: {e}")))?,
            })
        })
        .transpose()
    }

    async fn save_draft(&self, token_hash: &str, answers: &IntakeAnswers, now: i64) -> Result<bool, StoreError> {
        let result = sqlx::query(&format!(
            "UPDATE drafts SET answers = $1, updated_at = $2, version = version + 1 \
             WHERE id IN {} AND submitted_at IS NULL",
            drafts_of_link(3)
        ))
        .bind(to_json(answers)?)
        .bind(now)
        .bind(token_hash)
        .execute(self.write())
        .await
        .map_err(fail("save_draft"))?;
        Ok(result.rows_affected() > 0)
    }

    async fn save_draft_step(
        &self,
        token_hash: &str,
        answers: &IntakeAnswers,
        step: i32,
        tab: &str,
        read: &Draft,
        now: i64,
    ) -> Result<Option<i64>, StoreError> {
        let version = read.version + 1;
        let mut steps = read.step_versions.clone();
        steps.insert(step, (version, tab.to_string()));
        let steps = serde_json::to_string(&steps).map_err(|e| StoreError(format!("step versions: {e}")))?;
        // One statement, no transaction around it: the writer is held for one round trip (filing's rate is set
        // by that hold), and the version condition stands for the read of the step versions.
        let updated = sqlx::query(&format!(
            "UPDATE drafts SET answers = $1, updated_at = $2, version = $3, step_versions = $4 \
             WHERE id IN {} AND submitted_at IS NULL AND version = $6",
            drafts_of_link(5)
        ))
        .bind(to_json(answers)?)
        .bind(now)
        .bind(version)
        .bind(steps)
        .bind(token_hash)
        .bind(read.version)
        .execute(self.write())
        .await
        .map_err(fail("save step"))?;
        Ok((updated.rows_affected() == 1).then_some(version))
    }

    async fn submit_draft(
        &self,
        token_hash: &str,
        answers: &IntakeAnswers,
        case: &NewCase,
        notice: Option<&CollectiviteNotice>,
        now: i64,
    ) -> Result<Option<FiledCase>, StoreError> {
        let mut tx = self.write().begin().await.map_err(fail("submit begin"))?;
        let claimed: Option<i64> = sqlx::query_scalar(&format!(
            "UPDATE drafts SET submitted_at = $1, answers = $2, updated_at = $1 \
             WHERE id IN {} AND submitted_at IS NULL RETURNING id",
            drafts_of_link(3)
        ))
        .bind(now)
        .bind(to_json(answers)?)
        .bind(token_hash)
        .fetch_optional(&mut *tx)
        .await
        .map_err(fail("submit claim"))?;
        let Some(draft_id) = claimed else {
            tx.commit().await.map_err(fail("submit commit"))?;
            // Already filed (a second click, a replayed form): the first case is the answer.
            return self.filed_case_with(self.write(), token_hash).await;
        };
        let (case_id, reference) = self.insert_case(&mut tx, Some(draft_id), answers, case, now).await?;
        // From its draft: the case it replicates, and its place in the collectivité's space that shared it.
        sqlx::query(
            "UPDATE cases SET replicates = (SELECT replicates FROM drafts WHERE id = $2), \
             attached_at = CASE WHEN collectivite_key = (SELECT collectivite_key FROM drafts WHERE id = $2) \
             THEN $1 ELSE attached_at END, \
             attached_by = CASE WHEN collectivite_key = (SELECT collectivite_key FROM drafts WHERE id = $2) \
             THEN (SELECT started_by FROM drafts WHERE id = $2) ELSE attached_by END \
             WHERE id = $3",
        )
        .bind(now)
        .bind(draft_id)
        .bind(case_id)
        .execute(&mut *tx)
        .await
        .map_err(fail("submit replicates"))?;
        // The draft's own link becomes the case's first follow-up link (the links of the agents who continued
        // a shared draft already are); its documents now belong to the case.
        sqlx::query(
            "INSERT INTO follow_up_links (token_hash, draft_id, created_at) \
             SELECT token_hash, id, $2 FROM drafts WHERE id = $1",
        )
        .bind(draft_id)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(fail("submit link"))?;
        sqlx::query("UPDATE documents SET case_id = $1 WHERE draft_id = $2")
            .bind(case_id)
            .bind(draft_id)
            .execute(&mut *tx)
            .await
            .map_err(fail("submit documents"))?;
        if let Some(notice) = notice {
            super::links::queue_notice_in(&mut tx, case_id, notice, now).await?;
        }
        let change = BoardChange {
            reference: reference.clone(),
            stage: Stage::Remontee.code().into(),
            version: 1,
            actor: format!("collectivité : {}", case.collectivite_name),
        };
        self.notify_in(&mut tx, &change).await?;
        tx.commit().await.map_err(fail("submit commit"))?;
        self.announce(change);
        // The case just written, as `filed_case` would read it.
        Ok(Some(FiledCase {
            reference,
            title: case.title.clone(),
            collectivite_name: case.collectivite_name.clone(),
            stage: Stage::Remontee,
            filed_at: now,
            updated_at: now,
        }))
    }

    async fn filed_case(&self, token_hash: &str) -> Result<Option<FiledCase>, StoreError> {
        self.filed_case_with(self.read(), token_hash).await
    }

    async fn filed_answers(&self, token_hash: &str) -> Result<Option<IntakeAnswers>, StoreError> {
        let answers: Option<String> = sqlx::query_scalar(
            "SELECT c.answers FROM cases c JOIN follow_up_links l ON l.draft_id = c.draft_id \
             WHERE l.token_hash = $1 AND l.ended_at IS NULL",
        )
        .bind(token_hash)
        .fetch_optional(self.read())
        .await
        .map_err(fail("filed answers"))?;
        answers.as_deref().map(from_json).transpose()
    }
}
