//! The SQL of stages 3 to 5 (the project the IA Factory carries): cadrage versions and the parties' validations, phase 4
//! condition checks and log, the diffusion kit and the withdrawal from the catalogue. Every write is one
//! transaction on the locked case that bumps its version, appends an event to its history and tells the boards.

use app::domain::access::VisibleCase;
use app::domain::cadrage::{CadrageDocument, ConditionCheck, Party, RecordedValidation};
use app::domain::diffusion::DiffusionKit;
use app::domain::history::EventKind;
use app::store::project::{
    CadrageSave, CadrageVersion, LogEntry, PartyValidation, Project, ProjectStore, PublicationState, RecordedCheck,
    StoredKit,
};
use app::store::{StoreError, WriteOutcome};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{fail, BoardChange, Locked, SqlStore};

type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

pub(crate) fn document_from(text: &str) -> Result<CadrageDocument, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError(format!("cadrage from JSON: {e}")))
}

impl SqlStore {
    /// Ends a write on a locked case: new version, who and when, the event, the boards told, commit.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn finish_case_write(
        &self,
        mut tx: Tx<'_>,
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

    pub(crate) async fn current_cadrage(
        &self,
        tx: &mut Tx<'_>,
        case_id: i64,
    ) -> Result<Option<(i64, String)>, StoreError> {
        let row = sqlx::query(
            "SELECT number, document FROM cadrage_versions WHERE case_id = $1 ORDER BY number DESC LIMIT 1",
        )
        .bind(case_id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(fail("current cadrage"))?;
        row.map(|row| {
            Ok((
                row.try_get("number").map_err(fail("cadrage number"))?,
                row.try_get("document").map_err(fail("cadrage document"))?,
            ))
        })
        .transpose()
    }

    pub(crate) async fn validations_in(
        &self,
        tx: &mut Tx<'_>,
        case_id: i64,
    ) -> Result<Vec<RecordedValidation>, StoreError> {
        sqlx::query("SELECT version, party FROM cadrage_validations WHERE case_id = $1")
            .bind(case_id)
            .fetch_all(&mut **tx)
            .await
            .map_err(fail("validations"))?
            .iter()
            .map(|row| {
                let party: String = row.try_get("party").map_err(fail("validation party"))?;
                Ok(RecordedValidation {
                    version: row.try_get("version").map_err(fail("validation version"))?,
                    party: Party::from_code(&party).ok_or_else(|| StoreError(format!("unknown party {party}")))?,
                })
            })
            .collect()
    }
}

/// A version of the cadrage document from its row.
fn version_from(row: &AnyRow) -> Result<CadrageVersion, StoreError> {
    let text: String = row.try_get("document").map_err(fail("version document"))?;
    Ok(CadrageVersion {
        number: row.try_get("number").map_err(fail("version number"))?,
        document: document_from(&text)?,
        author: row.try_get("author").map_err(fail("version author"))?,
        created_at: row.try_get("created_at").map_err(fail("version created"))?,
    })
}

/// A party's validation of `case` from its row.
fn validation_from(case: &VisibleCase, row: &AnyRow) -> Result<PartyValidation, StoreError> {
    let party: String = row.try_get("party").map_err(fail("validation party"))?;
    Ok(PartyValidation {
        case: case.clone(),
        version: row.try_get("version").map_err(fail("validation version"))?,
        party: Party::from_code(&party).ok_or_else(|| StoreError(format!("unknown party {party}")))?,
        signatory: row.try_get("signatory").map_err(fail("validation signatory"))?,
        recorded_by: row.try_get("recorded_by").map_err(fail("validation recorded_by"))?,
        at: row.try_get("created_at").map_err(fail("validation at"))?,
    })
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

/// The stored diffusion kit from its row.
fn kit_from(row: &AnyRow) -> Result<StoredKit, StoreError> {
    let text: String = row.try_get("kit").map_err(fail("kit text"))?;
    Ok(StoredKit {
        kit: serde_json::from_str(&text).map_err(|e| StoreError(format!("kit from JSON: {e}")))?,
        revision: row.try_get("revision").map_err(fail("kit revision"))?,
        updated_by: row.try_get("updated_by").map_err(fail("kit by"))?,
        updated_at: row.try_get("updated_at").map_err(fail("kit at"))?,
    })
}

/// Whether and where the case is published, from its row.
fn publication_state_from(row: &AnyRow) -> Result<PublicationState, StoreError> {
    Ok(PublicationState {
        slug: row.try_get("slug").map_err(fail("publication slug"))?,
        published_at: row.try_get("published_at").map_err(fail("publication at"))?,
        withdrawn_at: row.try_get("withdrawn_at").map_err(fail("publication withdrawn"))?,
    })
}

#[async_trait::async_trait]
impl ProjectStore for SqlStore {
    async fn project(&self, case: &VisibleCase) -> Result<Option<Project>, StoreError> {
        let reference = case.as_str();
        let pool = &self.pools.read;
        let Some(case_id) = sqlx::query_scalar::<_, i64>("SELECT id FROM cases WHERE reference = $1")
            .bind(reference)
            .fetch_optional(pool)
            .await
            .map_err(fail("follow_up case"))?
        else {
            return Ok(None);
        };
        let versions = sqlx::query(
            "SELECT number, document, author, created_at FROM cadrage_versions WHERE case_id = $1 ORDER BY number",
        )
        .bind(case_id)
        .fetch_all(pool)
        .await
        .map_err(fail("follow_up versions"))?
        .iter()
        .map(version_from)
        .collect::<Result<Vec<_>, StoreError>>()?;
        let validations = sqlx::query(
            "SELECT version, party, signatory, recorded_by, created_at FROM cadrage_validations \
             WHERE case_id = $1 ORDER BY created_at, version",
        )
        .bind(case_id)
        .fetch_all(pool)
        .await
        .map_err(fail("follow_up validations"))?
        .iter()
        .map(|row| validation_from(case, row))
        .collect::<Result<Vec<_>, StoreError>>()?;
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
        let kit = sqlx::query("SELECT kit, revision, updated_by, updated_at FROM diffusion_kits WHERE case_id = $1")
            .bind(case_id)
            .fetch_optional(pool)
            .await
            .map_err(fail("follow_up kit"))?
            .as_ref()
            .map(kit_from)
            .transpose()?;
        let publication = sqlx::query("SELECT slug, published_at, withdrawn_at FROM publications WHERE case_id = $1")
            .bind(case_id)
            .fetch_optional(pool)
            .await
            .map_err(fail("follow_up publication"))?
            .as_ref()
            .map(publication_state_from)
            .transpose()?;
        Ok(Some(Project {
            versions,
            validations,
            checks,
            log,
            kit,
            publication,
        }))
    }

    async fn save_cadrage(&self, save: &CadrageSave) -> Result<WriteOutcome, StoreError> {
        let mut tx = self.pools.write.begin().await.map_err(fail("cadrage begin"))?;
        let Some(case) = self.lock_case(&mut tx, save.case.as_str()).await? else {
            return Ok(WriteOutcome::NotFound);
        };
        let current = self.current_cadrage(&mut tx, case.id).await?;
        let in_force = current.as_ref().map_or(0, |(number, _)| *number);
        if in_force != save.based_on {
            let author: Option<(String, i64)> =
                sqlx::query("SELECT author, created_at FROM cadrage_versions WHERE case_id = $1 AND number = $2")
                    .bind(case.id)
                    .bind(in_force)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(fail("cadrage author"))?
                    .map(|row| {
                        Ok::<_, StoreError>((
                            row.try_get("author").map_err(fail("cadrage author"))?,
                            row.try_get("created_at").map_err(fail("cadrage created"))?,
                        ))
                    })
                    .transpose()?;
            let (by, at) = author.unwrap_or((case.updated_by.clone(), case.updated_at));
            return Ok(WriteOutcome::Conflict { by, at });
        }
        let number = in_force + 1;
        let text = serde_json::to_string(&save.document).map_err(|e| StoreError(format!("cadrage to JSON: {e}")))?;
        sqlx::query(
            "INSERT INTO cadrage_versions (case_id, number, document, author, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(case.id)
        .bind(number)
        .bind(text)
        .bind(&save.actor)
        .bind(save.now)
        .execute(&mut *tx)
        .await
        .map_err(fail("cadrage insert"))?;
        if let Some(notice) = &save.notice {
            super::links::queue_notice_in(&mut tx, case.id, notice, save.now).await?;
        }
        let cleared = self
            .validations_in(&mut tx, case.id)
            .await?
            .iter()
            .filter(|validation| validation.version == in_force)
            .count();
        let detail = if cleared > 0 {
            format!(
                "Version {number} du document de cadrage ; les {cleared} validation{} de la version {in_force} ne valent plus.",
                if cleared > 1 { "s" } else { "" }
            )
        } else {
            format!("Version {number} du document de cadrage.")
        };
        self.finish_case_write(
            tx,
            &case,
            save.case.as_str(),
            &save.actor,
            EventKind::Cadrage,
            &detail,
            save.now,
        )
        .await?;
        Ok(WriteOutcome::Done { version: number })
    }

    async fn validate_cadrage(&self, validation: &PartyValidation) -> Result<WriteOutcome, StoreError> {
        let mut tx = self.pools.write.begin().await.map_err(fail("validate begin"))?;
        let Some(case) = self.lock_case(&mut tx, validation.case.as_str()).await? else {
            return Ok(WriteOutcome::NotFound);
        };
        let record = self.gate_record_in(&mut tx, &case).await?;
        let asked = app::domain::gates::GateRequest::ValidateCadrage {
            version: validation.version,
            party: validation.party,
        };
        if let Err(refusal) = app::domain::gates::check(&asked, &record, validation.at) {
            return Ok(WriteOutcome::Refused(refusal));
        }
        sqlx::query(
            "INSERT INTO cadrage_validations (case_id, version, party, signatory, recorded_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(case.id)
        .bind(validation.version)
        .bind(validation.party.code())
        .bind(&validation.signatory)
        .bind(&validation.recorded_by)
        .bind(validation.at)
        .execute(&mut *tx)
        .await
        .map_err(fail("validate insert"))?;
        let detail = format!(
            "{} valide la version {} du document de cadrage (signataire : {}).",
            validation.party.label(),
            validation.version,
            validation.signatory
        );
        let version = self
            .finish_case_write(
                tx,
                &case,
                validation.case.as_str(),
                &validation.recorded_by,
                EventKind::CadrageValidation,
                &detail,
                validation.at,
            )
            .await?;
        Ok(WriteOutcome::Done { version })
    }

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

    async fn save_kit(
        &self,
        case: &VisibleCase,
        based_on: i64,
        kit: &DiffusionKit,
        actor: &str,
        now: i64,
    ) -> Result<WriteOutcome, StoreError> {
        let reference = case.as_str();
        let mut tx = self.pools.write.begin().await.map_err(fail("kit begin"))?;
        let Some(case) = self.lock_case(&mut tx, reference).await? else {
            return Ok(WriteOutcome::NotFound);
        };
        let stored = sqlx::query("SELECT revision, updated_by, updated_at FROM diffusion_kits WHERE case_id = $1")
            .bind(case.id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(fail("kit read"))?;
        let revision: i64 = match &stored {
            Some(row) => row.try_get("revision").map_err(fail("kit revision"))?,
            None => 0,
        };
        if revision != based_on {
            let (by, at) = match &stored {
                Some(row) => (
                    row.try_get("updated_by").map_err(fail("kit by"))?,
                    row.try_get("updated_at").map_err(fail("kit at"))?,
                ),
                None => (case.updated_by.clone(), case.updated_at),
            };
            return Ok(WriteOutcome::Conflict { by, at });
        }
        let text = serde_json::to_string(kit).map_err(|e| StoreError(format!("kit to JSON: {e}")))?;
        sqlx::query(
            "INSERT INTO diffusion_kits (case_id, kit, revision, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (case_id) DO UPDATE SET kit = excluded.kit, revision = excluded.revision, \
             updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        )
        .bind(case.id)
        .bind(text)
        .bind(revision + 1)
        .bind(actor)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(fail("kit upsert"))?;
        self.finish_case_write(
            tx,
            &case,
            reference,
            actor,
            EventKind::Kit,
            "Kit de diffusion enregistré.",
            now,
        )
        .await?;
        Ok(WriteOutcome::Done { version: revision + 1 })
    }

    async fn withdraw(&self, case: &VisibleCase, actor: &str, now: i64) -> Result<WriteOutcome, StoreError> {
        let reference = case.as_str();
        let mut tx = self.pools.write.begin().await.map_err(fail("withdraw begin"))?;
        let Some(case) = self.lock_case(&mut tx, reference).await? else {
            return Ok(WriteOutcome::NotFound);
        };
        let withdrawn =
            sqlx::query("UPDATE publications SET withdrawn_at = $1 WHERE case_id = $2 AND withdrawn_at IS NULL")
                .bind(now)
                .bind(case.id)
                .execute(&mut *tx)
                .await
                .map_err(fail("withdraw update"))?;
        if withdrawn.rows_affected() != 1 {
            return Ok(WriteOutcome::Refused(app::domain::gates::Refusal {
                message: "Ce cas n'est pas publié au catalogue.".into(),
                remedy: app::domain::gates::Remedy::None,
            }));
        }
        sqlx::query("UPDATE cases SET published = 0 WHERE id = $1")
            .bind(case.id)
            .execute(&mut *tx)
            .await
            .map_err(fail("withdraw flag"))?;
        let version = self
            .finish_case_write(
                tx,
                &case,
                reference,
                actor,
                EventKind::Withdrawn,
                "Retiré du catalogue public.",
                now,
            )
            .await?;
        self.searches.clear();
        if let Ok(mut regions) = self.regions.lock() {
            *regions = None;
        }
        Ok(WriteOutcome::Done { version })
    }
}
