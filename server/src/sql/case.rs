//! The SQL of the team's work on cases: the pipeline, a case with its history and stages 3 to 5 read
//! at once, moves through the gates and the qualification grid, each write one transaction on the locked case.

use app::domain::access::VisibleCase;
use app::domain::ai_act::review::AiActReview;
use app::domain::auth::Role;
use app::domain::avis::Opinion;
use app::domain::gates::{self, GateRequest};
use app::domain::history::{EventDetail, EventKind};
use app::domain::qualification::{Criterion, Decision, Destination, GridLine};
use app::domain::stage::Stage;
use app::store::case::{
    Assessment, AssessmentUpdate, AvisLine, AvisRequest, CaseDetail, CaseEvent, CaseStore, CaseSummary, Comment,
    MoveRequest, Project, TrailEntry,
};
use app::store::{StoreError, WriteOutcome};
use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use super::{decision_from, fail, from_json, stage_of, BoardChange, SqlStore};

const SUMMARY_COLUMNS: &str = "id, reference, title, collectivite_name, region, domain, stage, agents, \
    hours_saved_per_year, portage_missing, stage_entered_at, version, collectivite_kind, briques, created_at, decision, \
    ai_act_level, ai_act_confirmed, ai_act_override, \
    (SELECT COUNT(*) FROM avis v WHERE v.case_id = cases.id) AS avis_requested, \
    (SELECT COUNT(*) FROM avis v WHERE v.case_id = cases.id AND v.given_at IS NOT NULL) AS avis_given, \
    (SELECT COUNT(*) FROM case_scores s WHERE s.case_id = cases.id AND s.score IS NOT NULL) AS scored";

fn summary_from(row: &AnyRow) -> Result<CaseSummary, StoreError> {
    let stage: String = row.try_get("stage").map_err(fail("summary stage"))?;
    Ok(CaseSummary {
        reference: row.try_get("reference").map_err(fail("summary reference"))?,
        title: row.try_get("title").map_err(fail("summary title"))?,
        collectivite_name: row.try_get("collectivite_name").map_err(fail("summary name"))?,
        region: row.try_get("region").map_err(fail("summary region"))?,
        domain: row.try_get("domain").map_err(fail("summary domain"))?,
        stage: stage_of(&stage)?,
        agents: row.try_get("agents").map_err(fail("summary agents"))?,
        hours_saved_per_year: row.try_get("hours_saved_per_year").map_err(fail("summary hours"))?,
        portage_missing: row.try_get("portage_missing").map_err(fail("summary portage"))?,
        stage_entered_at: row.try_get("stage_entered_at").map_err(fail("summary entered"))?,
        version: row.try_get("version").map_err(fail("summary version"))?,
        collectivite_kind: row.try_get("collectivite_kind").map_err(fail("summary kind"))?,
        briques: row.try_get("briques").map_err(fail("summary briques"))?,
        filed_at: row.try_get("created_at").map_err(fail("summary filed"))?,
        decision: decision_from(row.try_get("decision").map_err(fail("summary decision"))?),
        avis_requested: row.try_get("avis_requested").map_err(fail("summary avis requested"))?,
        avis_given: row.try_get("avis_given").map_err(fail("summary avis given"))?,
        ai_act: super::ai_act_from(row)?,
        grid_complete: row.try_get::<i64, _>("scored").map_err(fail("summary scored"))? >= Criterion::ALL.len() as i64,
    })
}

fn optional_stage(code: Option<String>) -> Result<Option<Stage>, StoreError> {
    code.as_deref().map(stage_of).transpose()
}

pub(crate) fn event_from(event: &AnyRow) -> Result<CaseEvent, StoreError> {
    let kind: String = event.try_get("kind").map_err(fail("event kind"))?;
    let kind = EventKind::from_code(&kind).ok_or_else(|| StoreError(format!("unknown event kind {kind}")))?;
    let detail: String = event.try_get("detail").map_err(fail("event detail"))?;
    let to_stage = optional_stage(event.try_get("to_stage").map_err(fail("event to"))?)?;
    Ok(CaseEvent {
        actor: event.try_get("actor").map_err(fail("event actor"))?,
        kind,
        from_stage: optional_stage(event.try_get("from_stage").map_err(fail("event from"))?)?,
        to_stage,
        detail: EventDetail::read(kind, to_stage, &detail),
        created_at: event.try_get("created_at").map_err(fail("event at"))?,
    })
}

impl SqlStore {
    async fn grid_lines(&self, executor: &AnyPool, case_id: i64) -> Result<Vec<GridLine>, StoreError> {
        let rows = sqlx::query("SELECT criterion, score, comment FROM case_scores WHERE case_id = $1")
            .bind(case_id)
            .fetch_all(executor)
            .await
            .map_err(fail("grid lines"))?;
        rows.iter()
            .map(|row| {
                let code: String = row.try_get("criterion").map_err(fail("grid criterion"))?;
                let score: Option<i64> = row.try_get("score").map_err(fail("grid score"))?;
                Ok(GridLine {
                    criterion: Criterion::from_code(&code)
                        .ok_or_else(|| StoreError(format!("unknown criterion {code}")))?,
                    score: score.map(|s| s as i32),
                    comment: row.try_get("comment").map_err(fail("grid comment"))?,
                })
            })
            .collect()
    }
}

#[async_trait::async_trait]
impl CaseStore for SqlStore {
    async fn case_summaries(&self) -> Result<Vec<CaseSummary>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM cases ORDER BY stage_entered_at DESC, id DESC"
        ))
        .fetch_all(self.read())
        .await
        .map_err(fail("case_summaries"))?;
        let mut cases = rows.iter().map(summary_from).collect::<Result<Vec<_>, StoreError>>()?;
        cases.sort_by_key(|case| case.stage.number().unwrap_or(6));
        Ok(cases)
    }

    async fn case_detail(&self, case: &VisibleCase) -> Result<Option<CaseDetail>, StoreError> {
        let reference = case.as_str();
        let Some(row) = sqlx::query(&format!(
            "SELECT {SUMMARY_COLUMNS}, collectivite_key, answers, interview_notes, destination, \
             updated_by, updated_at, replicates FROM cases WHERE reference = $1"
        ))
        .bind(reference)
        .fetch_optional(self.read())
        .await
        .map_err(fail("case_detail"))?
        else {
            return Ok(None);
        };
        let case_id: i64 = row.try_get("id").map_err(fail("detail id"))?;
        let answers: String = row.try_get("answers").map_err(fail("detail answers"))?;
        let events = sqlx::query(
            "SELECT actor, kind, from_stage, to_stage, detail, created_at FROM case_events WHERE case_id = $1 ORDER BY id",
        )
        .bind(case_id)
        .fetch_all(self.read())
        .await
        .map_err(fail("case events"))?
        .iter()
        .map(event_from)
        .collect::<Result<Vec<_>, StoreError>>()?;
        let comments = sqlx::query("SELECT author, body, created_at FROM case_comments WHERE case_id = $1 ORDER BY id")
            .bind(case_id)
            .fetch_all(self.read())
            .await
            .map_err(fail("case comments"))?
            .iter()
            .map(|row| {
                Ok(Comment {
                    author: row.try_get("author").map_err(fail("comment author"))?,
                    body: row.try_get("body").map_err(fail("comment body"))?,
                    created_at: row.try_get("created_at").map_err(fail("comment at"))?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let destination: Option<String> = row.try_get("destination").map_err(fail("detail destination"))?;
        let summary = summary_from(&row)?;
        Ok(Some(CaseDetail {
            assessment: Assessment {
                lines: self.grid_lines(self.read(), case_id).await?,
                interview_notes: row.try_get("interview_notes").map_err(fail("detail notes"))?,
                decision: summary.decision,
                destination: destination.as_deref().and_then(Destination::from_code),
            },
            summary,
            collectivite_key: row.try_get("collectivite_key").map_err(fail("detail key"))?,
            answers: from_json(&answers)?,
            replicates: row.try_get("replicates").map_err(fail("detail replicates"))?,
            filed_at: row.try_get("created_at").map_err(fail("detail filed"))?,
            events,
            comments,
            updated_by: row.try_get("updated_by").map_err(fail("detail updated_by"))?,
            updated_at: row.try_get("updated_at").map_err(fail("detail updated_at"))?,
        }))
    }

    async fn project(&self, case: &VisibleCase) -> Result<Option<Project>, StoreError> {
        let Some(case_id) = sqlx::query_scalar::<_, i64>("SELECT id FROM cases WHERE reference = $1")
            .bind(case.as_str())
            .fetch_optional(self.read())
            .await
            .map_err(fail("follow_up case"))?
        else {
            return Ok(None);
        };
        let ((versions, validations), (checks, log), (kit, publication)) = tokio::try_join!(
            self.cadrage_of(case, case_id),
            self.conception_of(case_id),
            self.diffusion_of(case_id)
        )?;
        Ok(Some(Project {
            versions,
            validations,
            checks,
            log,
            kit,
            publication,
        }))
    }

    async fn move_case(&self, request: &MoveRequest) -> Result<WriteOutcome, StoreError> {
        if let Some((by, at)) = self
            .stale_write(request.case.as_str(), request.expected_version)
            .await?
        {
            return Ok(WriteOutcome::Conflict { by, at });
        }
        let mut tx = self.write().begin().await.map_err(fail("move begin"))?;
        let Some(case) = self.lock_case(&mut tx, request.case.as_str()).await? else {
            return Ok(WriteOutcome::NotFound);
        };
        if case.version != request.expected_version {
            return Ok(WriteOutcome::Conflict {
                by: case.updated_by,
                at: case.updated_at,
            });
        }
        let record = self.gate_record_in(&mut tx, &case).await?;
        let asked = GateRequest::Move {
            to: request.to,
            reason: &request.reason,
            destination: request.destination,
        };
        if let Err(refusal) = gates::check(&asked, &record, request.now) {
            return Ok(WriteOutcome::Refused(refusal));
        }
        let change = BoardChange {
            reference: request.case.to_string(),
            stage: request.to.code().into(),
            version: case.version + 1,
            actor: request.actor.clone(),
        };
        if !self.write_move(&mut tx, &case, request, &change).await? {
            return Ok(WriteOutcome::Conflict {
                by: case.updated_by,
                at: case.updated_at,
            });
        }
        if let Some(notice) = &request.notice {
            super::links::queue_notice_in(&mut tx, case.id, notice, request.now).await?;
        }
        tx.commit().await.map_err(fail("move commit"))?;
        self.announce(change);
        Ok(WriteOutcome::Done {
            version: case.version + 1,
        })
    }

    async fn save_assessment(&self, update: &AssessmentUpdate) -> Result<WriteOutcome, StoreError> {
        let mut tx = self.write().begin().await.map_err(fail("assessment begin"))?;
        let Some(case) = self.lock_case(&mut tx, update.case.as_str()).await? else {
            return Ok(WriteOutcome::NotFound);
        };
        if case.version != update.expected_version {
            return Ok(WriteOutcome::Conflict {
                by: case.updated_by,
                at: case.updated_at,
            });
        }
        // The pre-assessment is the one recorded at filing: the gate reads it here, with the team's choice.
        let record = self.gate_record_in(&mut tx, &case).await?;
        let asked = GateRequest::Qualify {
            decision: update.decision,
            confirmed: update.ai_act_confirmed,
            override_reason: &update.ai_act_override,
        };
        if let Err(refusal) = gates::check(&asked, &record, update.now) {
            return Ok(WriteOutcome::Refused(refusal));
        }
        let review = AiActReview {
            confirmed: update.ai_act_confirmed,
            override_reason: update.ai_act_override.clone(),
            ..case.ai_act.clone()
        };
        for line in &update.lines {
            sqlx::query(
                "INSERT INTO case_scores (case_id, criterion, score, comment) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (case_id, criterion) DO UPDATE SET score = excluded.score, comment = excluded.comment",
            )
            .bind(case.id)
            .bind(line.criterion.code())
            .bind(line.score.map(i64::from))
            .bind(&line.comment)
            .execute(&mut *tx)
            .await
            .map_err(fail("assessment score"))?;
        }
        sqlx::query(
            "UPDATE cases SET decision = $1, interview_notes = $2, version = version + 1, updated_at = $3, \
             updated_by = $4, ai_act_confirmed = $6, ai_act_override = $7 WHERE id = $5",
        )
        .bind(update.decision.map(Decision::code))
        .bind(&update.interview_notes)
        .bind(update.now)
        .bind(&update.actor)
        .bind(case.id)
        .bind(update.ai_act_confirmed.map(|level| level.code()))
        .bind(&update.ai_act_override)
        .execute(&mut *tx)
        .await
        .map_err(fail("assessment case"))?;
        // The collectivité hears of a decision once, when it changes.
        if let Some(notice) = update.notice.as_ref().filter(|_| update.decision != case.decision) {
            super::links::queue_notice_in(&mut tx, case.id, notice, update.now).await?;
        }
        let scored = update.lines.iter().filter(|line| line.score.is_some()).count();
        let detail = format!(
            "{scored} critère{} noté{} sur {} ; décision : {} ; {}.",
            if scored > 1 { "s" } else { "" },
            if scored > 1 { "s" } else { "" },
            Criterion::ALL.len(),
            update.decision.map(Decision::label).unwrap_or("non prise"),
            review.history_line()
        );
        sqlx::query(
            "INSERT INTO case_events (case_id, actor, kind, from_stage, to_stage, detail, created_at) \
             VALUES ($1, $2, $3, NULL, NULL, $4, $5)",
        )
        .bind(case.id)
        .bind(&update.actor)
        .bind(EventKind::Qualification.code())
        .bind(detail)
        .bind(update.now)
        .execute(&mut *tx)
        .await
        .map_err(fail("assessment event"))?;
        let change = BoardChange {
            reference: update.case.to_string(),
            stage: case.stage.code().into(),
            version: case.version + 1,
            actor: update.actor.clone(),
        };
        self.notify_in(&mut tx, &change).await?;
        tx.commit().await.map_err(fail("assessment commit"))?;
        self.announce(change);
        Ok(WriteOutcome::Done {
            version: case.version + 1,
        })
    }

    async fn add_comment(&self, case: &VisibleCase, author: &str, body: &str, now: i64) -> Result<bool, StoreError> {
        let reference = case.as_str();
        let inserted = sqlx::query(
            "INSERT INTO case_comments (case_id, author, body, created_at) \
             SELECT id, $1, $2, $3 FROM cases WHERE reference = $4",
        )
        .bind(author)
        .bind(body)
        .bind(now)
        .bind(reference)
        .execute(self.write())
        .await
        .map_err(fail("add_comment"))?;
        Ok(inserted.rows_affected() == 1)
    }

    async fn decision_trail(&self) -> Result<Vec<TrailEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT c.reference, e.actor, e.kind, e.from_stage, e.to_stage, e.detail, e.created_at \
             FROM case_events e JOIN cases c ON c.id = e.case_id ORDER BY e.id",
        )
        .fetch_all(self.read())
        .await
        .map_err(fail("decision_trail"))?;
        rows.iter()
            .map(|row| {
                Ok(TrailEntry {
                    reference: row.try_get("reference").map_err(fail("trail reference"))?,
                    event: event_from(row)?,
                })
            })
            .collect()
    }

    async fn assigned_references(&self, account_id: i64) -> Result<Vec<String>, StoreError> {
        sqlx::query_scalar(
            "SELECT c.reference FROM case_assignments a JOIN cases c ON c.id = a.case_id WHERE a.account_id = $1",
        )
        .bind(account_id)
        .fetch_all(self.read())
        .await
        .map_err(fail("assigned_references"))
    }

    async fn assign_prestataire(
        &self,
        case: &VisibleCase,
        account_id: Option<i64>,
        log: &app::store::accounts::AuthEntry,
    ) -> Result<bool, StoreError> {
        let reference = case.as_str();
        let now = log.at;
        let mut tx = self.write().begin().await.map_err(fail("assign begin"))?;
        let case_id: Option<i64> = sqlx::query_scalar("SELECT id FROM cases WHERE reference = $1")
            .bind(reference)
            .fetch_optional(&mut *tx)
            .await
            .map_err(fail("assign case"))?;
        let Some(case_id) = case_id else {
            return Ok(false);
        };
        let before: Option<i64> = sqlx::query_scalar("SELECT account_id FROM case_assignments WHERE case_id = $1")
            .bind(case_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(fail("assign before"))?;
        super::auth::log_assignment(&mut tx, reference, before, account_id, log).await?;
        sqlx::query("DELETE FROM case_assignments WHERE case_id = $1")
            .bind(case_id)
            .execute(&mut *tx)
            .await
            .map_err(fail("assign clear"))?;
        if let Some(account_id) = account_id {
            sqlx::query("INSERT INTO case_assignments (case_id, account_id, assigned_at) VALUES ($1, $2, $3)")
                .bind(case_id)
                .bind(account_id)
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(fail("assign insert"))?;
        }
        tx.commit().await.map_err(fail("assign commit"))?;
        Ok(true)
    }

    async fn case_assignee(&self, case: &VisibleCase) -> Result<Option<(i64, String)>, StoreError> {
        let reference = case.as_str();
        let row = sqlx::query(
            "SELECT a.id, a.name FROM case_assignments s JOIN cases c ON c.id = s.case_id \
             JOIN accounts a ON a.id = s.account_id WHERE c.reference = $1",
        )
        .bind(reference)
        .fetch_optional(self.read())
        .await
        .map_err(fail("case_assignee"))?;
        row.map(|row| {
            Ok((
                row.try_get("id").map_err(fail("assignee id"))?,
                row.try_get("name").map_err(fail("assignee name"))?,
            ))
        })
        .transpose()
    }

    async fn case_region(&self, reference: &str) -> Result<Option<String>, StoreError> {
        sqlx::query_scalar("SELECT region FROM cases WHERE reference = $1")
            .bind(reference)
            .fetch_optional(self.read())
            .await
            .map_err(fail("case_region"))
    }

    async fn request_avis(&self, request: &AvisRequest) -> Result<bool, StoreError> {
        let mut tx = self.write().begin().await.map_err(fail("avis begin"))?;
        let case_id: Option<i64> = sqlx::query_scalar("SELECT id FROM cases WHERE reference = $1")
            .bind(request.case.as_str())
            .fetch_optional(&mut *tx)
            .await
            .map_err(fail("avis case"))?;
        let Some(case_id) = case_id else {
            return Ok(false);
        };
        sqlx::query("INSERT INTO avis (case_id, account_id, requested_by, requested_at) VALUES ($1, $2, $3, $4)")
            .bind(case_id)
            .bind(request.account_id)
            .bind(&request.requested_by)
            .bind(request.now)
            .execute(&mut *tx)
            .await
            .map_err(fail("avis insert"))?;
        super::outbox::queue_in(&mut tx, &request.message, request.now).await?;
        tx.commit().await.map_err(fail("avis commit"))?;
        Ok(true)
    }

    async fn give_avis(
        &self,
        case: &VisibleCase,
        account_id: i64,
        opinion: Opinion,
        body: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let reference = case.as_str();
        let given = sqlx::query(
            "UPDATE avis SET opinion = $1, body = $2, given_at = $3 WHERE id = (SELECT v.id FROM avis v \
             JOIN cases c ON c.id = v.case_id WHERE c.reference = $4 AND v.account_id = $5 AND v.given_at IS NULL \
             ORDER BY v.id LIMIT 1)",
        )
        .bind(opinion.code())
        .bind(body)
        .bind(now)
        .bind(reference)
        .bind(account_id)
        .execute(self.write())
        .await
        .map_err(fail("give_avis"))?;
        Ok(given.rows_affected() == 1)
    }

    async fn avis_asked_of(&self, account_id: i64) -> Result<Vec<(String, i64)>, StoreError> {
        let rows = sqlx::query(
            "SELECT c.reference, v.requested_at FROM avis v JOIN cases c ON c.id = v.case_id \
             WHERE v.account_id = $1 AND v.given_at IS NULL ORDER BY v.requested_at",
        )
        .bind(account_id)
        .fetch_all(self.read())
        .await
        .map_err(fail("avis_asked_of"))?;
        rows.iter()
            .map(|row| {
                Ok((
                    row.try_get("reference").map_err(fail("asked reference"))?,
                    row.try_get("requested_at").map_err(fail("asked at"))?,
                ))
            })
            .collect()
    }

    async fn case_avis(&self, case: &VisibleCase) -> Result<Vec<AvisLine>, StoreError> {
        let reference = case.as_str();
        let rows = sqlx::query(
            "SELECT v.account_id, a.name, a.role, v.requested_by, v.requested_at, v.opinion, v.body, v.given_at \
             FROM avis v JOIN cases c ON c.id = v.case_id JOIN accounts a ON a.id = v.account_id \
             WHERE c.reference = $1 ORDER BY v.id",
        )
        .bind(reference)
        .fetch_all(self.read())
        .await
        .map_err(fail("case_avis"))?;
        rows.iter()
            .map(|row| {
                let role: String = row.try_get("role").map_err(fail("avis role"))?;
                let opinion: Option<String> = row.try_get("opinion").map_err(fail("avis opinion"))?;
                let given_at: Option<i64> = row.try_get("given_at").map_err(fail("avis given"))?;
                let given = match (opinion, given_at) {
                    (Some(code), Some(at)) => Some((
                        Opinion::from_code(&code).ok_or_else(|| StoreError(format!("unknown opinion {code}")))?,
                        row.try_get("body").map_err(fail("avis body"))?,
                        at,
                    )),
                    _ => None,
                };
                Ok(AvisLine {
                    account_id: row.try_get("account_id").map_err(fail("avis account"))?,
                    name: row.try_get("name").map_err(fail("avis name"))?,
                    role: Role::from_code(&role).ok_or_else(|| StoreError(format!("unknown role {role}")))?,
                    requested_by: row.try_get("requested_by").map_err(fail("avis requested by"))?,
                    requested_at: row.try_get("requested_at").map_err(fail("avis requested at"))?,
                    given,
                })
            })
            .collect()
    }
}
