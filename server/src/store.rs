//! The SQL behind `app::store::Store`, written once for SQLite and PostgreSQL (numbered `$n` parameters, types
//! both accept). Writes go through the write pool, a single connection on SQLite.

use app::domain::auth::Role;
use app::domain::dates::paris_year;
use app::domain::gates::{Decision, Destination};
use app::domain::intake::IntakeAnswers;
use app::domain::qualification::Period;
use app::domain::qualification::{Criterion, GridLine};
use app::domain::stage::Stage;
use app::store::{
    Account, Assessment, AssessmentUpdate, CaseDetail, CaseEvent, CaseSummary, Comment, Draft, FiledCase, Gate,
    GateInputs, MoveRequest, NewCase, Store, StoreError, TrailEntry, WriteOutcome,
};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};
use tokio::sync::broadcast;

use crate::db::{Backend, Pools};

/// The store of a connected database, and the channel that tells open boards what changed.
#[derive(Clone, Debug)]
pub struct SqlStore {
    pub pools: Pools,
    changes: broadcast::Sender<BoardChange>,
    /// The régions of the published cases (the catalogue's filter), kept for a short while.
    pub(crate) regions: std::sync::Arc<std::sync::Mutex<Option<CachedRegions>>>,
    /// Recent results of catalogue searches (see `crate::catalogue::SearchCache`).
    pub searches: std::sync::Arc<crate::catalogue::SearchCache>,
}

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

/// Turns a database error into a store error naming what was being done (for the server's log).
pub(crate) fn fail(context: &'static str) -> impl Fn(sqlx::Error) -> StoreError {
    move |error| StoreError(format!("{context}: {error}"))
}

fn to_json(answers: &IntakeAnswers) -> Result<String, StoreError> {
    serde_json::to_string(answers).map_err(|e| StoreError(format!("answers to JSON: {e}")))
}

fn from_json(text: &str) -> Result<IntakeAnswers, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError(format!("answers from JSON: {e}")))
}

const SUMMARY_COLUMNS: &str = "id, reference, title, collectivite_name, region, domain, stage, agents, \
    hours_saved_per_year, portage_missing, stage_entered_at, version, collectivite_kind, briques, created_at, decision";

fn decision_from(code: Option<String>) -> Option<Decision> {
    code.as_deref().and_then(Decision::from_code)
}

fn summary_from(row: &AnyRow) -> Result<CaseSummary, StoreError> {
    let stage: String = row.try_get("stage").map_err(fail("summary stage"))?;
    Ok(CaseSummary {
        reference: row.try_get("reference").map_err(fail("summary reference"))?,
        title: row.try_get("title").map_err(fail("summary title"))?,
        collectivite_name: row.try_get("collectivite_name").map_err(fail("summary name"))?,
        region: row.try_get("region").map_err(fail("summary region"))?,
        domain: row.try_get("domain").map_err(fail("summary domain"))?,
        stage: Stage::from_code(&stage).ok_or_else(|| StoreError(format!("unknown stage {stage}")))?,
        agents: row.try_get("agents").map_err(fail("summary agents"))?,
        hours_saved_per_year: row.try_get("hours_saved_per_year").map_err(fail("summary hours"))?,
        portage_missing: row.try_get("portage_missing").map_err(fail("summary portage"))?,
        stage_entered_at: row.try_get("stage_entered_at").map_err(fail("summary entered"))?,
        version: row.try_get("version").map_err(fail("summary version"))?,
        collectivite_kind: row.try_get("collectivite_kind").map_err(fail("summary kind"))?,
        briques: row.try_get("briques").map_err(fail("summary briques"))?,
        filed_at: row.try_get("created_at").map_err(fail("summary filed"))?,
        decision: decision_from(row.try_get("decision").map_err(fail("summary decision"))?),
    })
}

fn event_from(event: &AnyRow) -> Result<CaseEvent, StoreError> {
    Ok(CaseEvent {
        actor: event.try_get("actor").map_err(fail("event actor"))?,
        kind: event.try_get("kind").map_err(fail("event kind"))?,
        from_stage: event.try_get("from_stage").map_err(fail("event from"))?,
        to_stage: event.try_get("to_stage").map_err(fail("event to"))?,
        detail: event.try_get("detail").map_err(fail("event detail"))?,
        created_at: event.try_get("created_at").map_err(fail("event at"))?,
    })
}

fn period_from(row: &AnyRow) -> Result<Period, StoreError> {
    Ok(Period {
        id: row.try_get("id").map_err(fail("period id"))?,
        name: row.try_get("name").map_err(fail("period name"))?,
        starts_at: row.try_get("starts_at").map_err(fail("period start"))?,
        ends_at: row.try_get("ends_at").map_err(fail("period end"))?,
    })
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
}

const ACCOUNT_COLUMNS: &str = "a.id, a.email, a.name, a.role, a.password_hash, a.disabled";

fn account_from(row: &AnyRow) -> Result<Account, StoreError> {
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

/// `IAF-2026-00042`.
pub fn format_reference(year: i64, number: i64) -> String {
    format!("IAF-{year}-{number:05}")
}

impl SqlStore {
    pub fn new(pools: Pools) -> SqlStore {
        let (changes, _) = broadcast::channel(256);
        SqlStore {
            pools,
            changes,
            regions: Default::default(),
            searches: Default::default(),
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
            let payload = serde_json::to_string(change).map_err(|e| StoreError(format!("change to JSON: {e}")))?;
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(CHANNEL)
                .bind(payload)
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
            "SELECT id, stage, version, created_at, decision, updated_by, updated_at FROM cases WHERE reference = $1{lock}"
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
            stage: Stage::from_code(&stage).ok_or_else(|| StoreError(format!("unknown stage {stage}")))?,
            version: row.try_get("version").map_err(fail("lock version"))?,
            filed_at: row.try_get("created_at").map_err(fail("lock filed"))?,
            decision: decision_from(row.try_get("decision").map_err(fail("lock decision"))?),
            updated_by: row.try_get("updated_by").map_err(fail("lock updated_by"))?,
            updated_at: row.try_get("updated_at").map_err(fail("lock updated_at"))?,
        }))
    }

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

    fn read(&self) -> &AnyPool {
        &self.pools.read
    }

    fn write(&self) -> &AnyPool {
        &self.pools.write
    }

    async fn filed_case_with(&self, pool: &AnyPool, token_hash: &str) -> Result<Option<FiledCase>, StoreError> {
        let row = sqlx::query(
            "SELECT c.reference, c.title, c.collectivite_name, c.stage, c.created_at, c.updated_at \
             FROM cases c JOIN drafts d ON c.draft_id = d.id WHERE d.token_hash = $1",
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
                stage: Stage::from_code(&stage).ok_or_else(|| StoreError(format!("unknown stage {stage}")))?,
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
        let reference = format_reference(year, number);
        let case_id: i64 = sqlx::query_scalar(
            "INSERT INTO cases (reference, draft_id, stage, version, title, domain, collectivite_key, \
             collectivite_name, collectivite_kind, region, agents, hours_saved_per_year, portage_missing, answers, \
             published, created_at, updated_at, stage_entered_at, briques, updated_by) \
             VALUES ($1, $2, 'remontee', 1, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 0, $13, $13, $13, $14, $15) \
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
        .fetch_one(&mut **tx)
        .await
        .map_err(fail("insert case"))?;
        sqlx::query(
            "INSERT INTO case_events (case_id, actor, kind, from_stage, to_stage, detail, created_at) \
             VALUES ($1, $2, 'depose', NULL, 'remontee', '', $3)",
        )
        .bind(case_id)
        .bind(format!("collectivité : {}", case.collectivite_name))
        .bind(now)
        .execute(&mut **tx)
        .await
        .map_err(fail("insert event"))?;
        Ok((case_id, reference))
    }
}

#[async_trait::async_trait]
impl Store for SqlStore {
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
        let row = sqlx::query(
            "SELECT d.answers, d.created_at, d.updated_at, d.replicates, c.reference FROM drafts d \
             LEFT JOIN cases c ON c.draft_id = d.id WHERE d.token_hash = $1",
        )
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
            })
        })
        .transpose()
    }

    async fn save_draft(&self, token_hash: &str, answers: &IntakeAnswers, now: i64) -> Result<bool, StoreError> {
        let result = sqlx::query(
            "UPDATE drafts SET answers = $1, updated_at = $2 WHERE token_hash = $3 AND submitted_at IS NULL",
        )
        .bind(to_json(answers)?)
        .bind(now)
        .bind(token_hash)
        .execute(self.write())
        .await
        .map_err(fail("save_draft"))?;
        Ok(result.rows_affected() > 0)
    }

    async fn submit_draft(
        &self,
        token_hash: &str,
        answers: &IntakeAnswers,
        case: &NewCase,
        now: i64,
    ) -> Result<Option<FiledCase>, StoreError> {
        let mut tx = self.write().begin().await.map_err(fail("submit begin"))?;
        let claimed = sqlx::query(
            "UPDATE drafts SET submitted_at = $1, answers = $2, updated_at = $1 \
             WHERE token_hash = $3 AND submitted_at IS NULL",
        )
        .bind(now)
        .bind(to_json(answers)?)
        .bind(token_hash)
        .execute(&mut *tx)
        .await
        .map_err(fail("submit claim"))?;
        if claimed.rows_affected() == 1 {
            let draft_id: i64 = sqlx::query_scalar("SELECT id FROM drafts WHERE token_hash = $1")
                .bind(token_hash)
                .fetch_one(&mut *tx)
                .await
                .map_err(fail("submit draft id"))?;
            let (case_id, reference) = self.insert_case(&mut tx, Some(draft_id), answers, case, now).await?;
            sqlx::query("UPDATE cases SET replicates = (SELECT replicates FROM drafts WHERE id = $1) WHERE id = $2")
                .bind(draft_id)
                .bind(case_id)
                .execute(&mut *tx)
                .await
                .map_err(fail("submit replicates"))?;
            let change = BoardChange {
                reference,
                stage: Stage::Remontee.code().into(),
                version: 1,
                actor: format!("collectivité : {}", case.collectivite_name),
            };
            self.notify_in(&mut tx, &change).await?;
            tx.commit().await.map_err(fail("submit commit"))?;
            self.announce(change);
        } else {
            tx.commit().await.map_err(fail("submit commit"))?;
        }
        // Already filed (a second click, a replayed form): the first case is the answer.
        self.filed_case_with(self.write(), token_hash).await
    }

    async fn filed_case(&self, token_hash: &str) -> Result<Option<FiledCase>, StoreError> {
        self.filed_case_with(self.read(), token_hash).await
    }

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

    async fn create_session(
        &self,
        token_hash: &str,
        account_id: i64,
        now: i64,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO sessions (token_hash, account_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(token_hash)
            .bind(account_id)
            .bind(now)
            .bind(expires_at)
            .execute(self.write())
            .await
            .map_err(fail("create_session"))?;
        Ok(())
    }

    async fn session_account(&self, token_hash: &str, now: i64) -> Result<Option<Account>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM sessions s JOIN accounts a ON a.id = s.account_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND a.disabled = 0"
        ))
        .bind(token_hash)
        .bind(now)
        .fetch_optional(self.read())
        .await
        .map_err(fail("session_account"))?;
        row.as_ref().map(account_from).transpose()
    }

    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(self.write())
            .await
            .map_err(fail("delete_session"))?;
        Ok(())
    }

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

    async fn case_detail(&self, reference: &str) -> Result<Option<CaseDetail>, StoreError> {
        let Some(row) = sqlx::query(&format!(
            "SELECT {SUMMARY_COLUMNS}, collectivite_key, answers, interview_notes, destination, \
             updated_by, updated_at FROM cases WHERE reference = $1"
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
            filed_at: row.try_get("created_at").map_err(fail("detail filed"))?,
            events,
            comments,
            updated_by: row.try_get("updated_by").map_err(fail("detail updated_by"))?,
            updated_at: row.try_get("updated_at").map_err(fail("detail updated_at"))?,
        }))
    }

    async fn case_filing_times(&self) -> Result<Vec<i64>, StoreError> {
        sqlx::query_scalar("SELECT created_at FROM cases")
            .fetch_all(self.read())
            .await
            .map_err(fail("case_filing_times"))
    }

    async fn periods(&self) -> Result<Vec<Period>, StoreError> {
        let rows = sqlx::query("SELECT id, name, starts_at, ends_at FROM periods ORDER BY starts_at")
            .fetch_all(self.read())
            .await
            .map_err(fail("periods"))?;
        rows.iter().map(period_from).collect()
    }

    async fn create_period(&self, name: &str, starts_at: i64, ends_at: i64, now: i64) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO periods (name, starts_at, ends_at, created_at) VALUES ($1, $2, $3, $4)")
            .bind(name)
            .bind(starts_at)
            .bind(ends_at)
            .bind(now)
            .execute(self.write())
            .await
            .map_err(fail("create_period"))?;
        Ok(())
    }

    async fn move_case(&self, request: &MoveRequest, gate: Gate<'_>) -> Result<WriteOutcome, StoreError> {
        let mut tx = self.write().begin().await.map_err(fail("move begin"))?;
        let Some(case) = self.lock_case(&mut tx, &request.reference).await? else {
            return Ok(WriteOutcome::NotFound);
        };
        if case.version != request.expected_version {
            return Ok(WriteOutcome::Conflict {
                by: case.updated_by,
                at: case.updated_at,
            });
        }
        let scored: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM case_scores WHERE case_id = $1 AND score IS NOT NULL")
                .bind(case.id)
                .fetch_one(&mut *tx)
                .await
                .map_err(fail("move scored"))?;
        let periods = sqlx::query("SELECT id, name, starts_at, ends_at FROM periods ORDER BY starts_at")
            .fetch_all(&mut *tx)
            .await
            .map_err(fail("move periods"))?
            .iter()
            .map(period_from)
            .collect::<Result<Vec<_>, StoreError>>()?;
        let cadrage = self.cadrage_gate(&mut tx, case.id).await?;
        let inputs = GateInputs {
            stage: case.stage,
            filed_at: case.filed_at,
            grid_complete: scored >= Criterion::ALL.len() as i64,
            decision: case.decision,
            periods,
            cadrage_version: cadrage.current_version,
            validations: cadrage.validations,
            phase4_conditions: cadrage.phase4_conditions,
            checks: cadrage.checks,
        };
        if let Err(refusal) = gate(&inputs) {
            return Ok(WriteOutcome::Refused(refusal));
        }
        let destination = if request.to == Stage::Reoriente {
            request.destination.map(Destination::code)
        } else {
            None
        };
        let updated = sqlx::query(
            "UPDATE cases SET stage = $1, version = version + 1, updated_at = $2, updated_by = $3, \
             stage_entered_at = $2, destination = $4 WHERE id = $5 AND version = $6",
        )
        .bind(request.to.code())
        .bind(request.now)
        .bind(&request.actor)
        .bind(destination)
        .bind(case.id)
        .bind(case.version)
        .execute(&mut *tx)
        .await
        .map_err(fail("move update"))?;
        if updated.rows_affected() != 1 {
            return Ok(WriteOutcome::Conflict {
                by: case.updated_by,
                at: case.updated_at,
            });
        }
        let detail = match request.destination.filter(|_| request.to == Stage::Reoriente) {
            Some(destination) => format!("Vers : {}. {}", destination.label(), request.reason.trim()),
            None => request.reason.trim().to_string(),
        };
        sqlx::query(
            "INSERT INTO case_events (case_id, actor, kind, from_stage, to_stage, detail, created_at) \
             VALUES ($1, $2, 'deplace', $3, $4, $5, $6)",
        )
        .bind(case.id)
        .bind(&request.actor)
        .bind(case.stage.code())
        .bind(request.to.code())
        .bind(detail)
        .bind(request.now)
        .execute(&mut *tx)
        .await
        .map_err(fail("move event"))?;
        let change = BoardChange {
            reference: request.reference.clone(),
            stage: request.to.code().into(),
            version: case.version + 1,
            actor: request.actor.clone(),
        };
        self.notify_in(&mut tx, &change).await?;
        tx.commit().await.map_err(fail("move commit"))?;
        self.announce(change);
        Ok(WriteOutcome::Done {
            version: case.version + 1,
        })
    }

    async fn save_assessment(&self, update: &AssessmentUpdate) -> Result<WriteOutcome, StoreError> {
        let mut tx = self.write().begin().await.map_err(fail("assessment begin"))?;
        let Some(case) = self.lock_case(&mut tx, &update.reference).await? else {
            return Ok(WriteOutcome::NotFound);
        };
        if case.version != update.expected_version {
            return Ok(WriteOutcome::Conflict {
                by: case.updated_by,
                at: case.updated_at,
            });
        }
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
             updated_by = $4 WHERE id = $5",
        )
        .bind(update.decision.map(Decision::code))
        .bind(&update.interview_notes)
        .bind(update.now)
        .bind(&update.actor)
        .bind(case.id)
        .execute(&mut *tx)
        .await
        .map_err(fail("assessment case"))?;
        let scored = update.lines.iter().filter(|line| line.score.is_some()).count();
        let detail = format!(
            "{scored} critère{} noté{} sur {} ; décision : {}.",
            if scored > 1 { "s" } else { "" },
            if scored > 1 { "s" } else { "" },
            Criterion::ALL.len(),
            update.decision.map(Decision::label).unwrap_or("non prise")
        );
        sqlx::query(
            "INSERT INTO case_events (case_id, actor, kind, from_stage, to_stage, detail, created_at) \
             VALUES ($1, $2, 'qualification', NULL, NULL, $3, $4)",
        )
        .bind(case.id)
        .bind(&update.actor)
        .bind(detail)
        .bind(update.now)
        .execute(&mut *tx)
        .await
        .map_err(fail("assessment event"))?;
        let change = BoardChange {
            reference: update.reference.clone(),
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

    async fn add_comment(&self, reference: &str, author: &str, body: &str, now: i64) -> Result<bool, StoreError> {
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

    async fn search_publications(
        &self,
        query: &app::domain::catalogue::CatalogueQuery,
    ) -> Result<app::catalogue::SearchResults, StoreError> {
        self.search_publications_sql(query).await
    }

    async fn publication(&self, slug: &str) -> Result<Option<app::catalogue::PublicCaseDetail>, StoreError> {
        self.publication_sql(slug).await
    }

    async fn publications(&self) -> Result<Vec<app::catalogue::PublicCaseDetail>, StoreError> {
        self.publications_sql().await
    }

    async fn publish(&self, publication: &app::store::NewPublication) -> Result<(), StoreError> {
        self.publish_sql(publication).await
    }

    async fn create_replication_draft(
        &self,
        token_hash: &str,
        answers: &IntakeAnswers,
        slug: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        self.create_replication_draft_sql(token_hash, answers, slug, now).await
    }

    async fn programme_figures(&self) -> Result<app::catalogue::ProgrammeFigures, StoreError> {
        self.programme_figures_sql().await
    }

    async fn follow_up(&self, reference: &str) -> Result<Option<app::store::FollowUp>, StoreError> {
        self.follow_up_sql(reference).await
    }

    async fn save_cadrage(&self, save: &app::store::CadrageSave) -> Result<WriteOutcome, StoreError> {
        self.save_cadrage_sql(save).await
    }

    async fn validate_cadrage(
        &self,
        validation: &app::store::PartyValidation,
        check: app::store::ValidationCheck<'_>,
    ) -> Result<WriteOutcome, StoreError> {
        self.validate_cadrage_sql(validation, check).await
    }

    async fn check_condition(
        &self,
        reference: &str,
        check: &app::domain::cadrage::ConditionCheck,
        actor: &str,
        now: i64,
    ) -> Result<WriteOutcome, StoreError> {
        self.check_condition_sql(reference, check, actor, now).await
    }

    async fn add_log_entry(&self, reference: &str, entry: &app::store::LogEntry) -> Result<WriteOutcome, StoreError> {
        self.add_log_entry_sql(reference, entry).await
    }

    async fn save_kit(
        &self,
        reference: &str,
        based_on: i64,
        kit: &app::domain::diffusion::DiffusionKit,
        actor: &str,
        now: i64,
    ) -> Result<WriteOutcome, StoreError> {
        self.save_kit_sql(reference, based_on, kit, actor, now).await
    }

    async fn withdraw(&self, reference: &str, actor: &str, now: i64) -> Result<WriteOutcome, StoreError> {
        self.withdraw_sql(reference, actor, now).await
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
}

#[cfg(test)]
mod tests {
    #[test]
    fn references_are_zero_padded() {
        assert_eq!(super::format_reference(2026, 42), "IAF-2026-00042");
        assert_eq!(super::format_reference(2027, 123_456), "IAF-2027-123456");
    }
}
