//! The SQL of the cadrage (stage 3): the versions of the tripartite document and the parties' validations.
//! Every write is one transaction on the locked case that bumps its version, appends an event to its history
//! and tells the boards.

use app::domain::access::VisibleCase;
use app::domain::cadrage::{CadrageDocument, Identification, Party, RecordedValidation};
use app::domain::history::EventKind;
use app::store::cadrage::{CadrageSave, CadrageStore, CadrageVersion, PartyValidation, ValidationInForce};
use app::store::{StoreError, WriteOutcome};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{fail, SqlStore};

type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

pub(crate) fn document_from(text: &str) -> Result<CadrageDocument, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError(format!("cadrage from JSON: {e}")))
}

impl SqlStore {
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

    /// The versions (oldest first) and every validation of a case, for `CaseStore::project`.
    pub(crate) async fn cadrage_of(
        &self,
        case: &VisibleCase,
        case_id: i64,
    ) -> Result<(Vec<CadrageVersion>, Vec<PartyValidation>), StoreError> {
        let pool = self.read();
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
            "SELECT v.version, v.party, v.signatory, v.recorded_by, v.created_at, v.method, v.acr, v.idp_id, \
             d.public_id AS pdf_id, d.file_name AS pdf_name FROM cadrage_validations v \
             LEFT JOIN documents d ON d.id = v.document_id WHERE v.case_id = $1 ORDER BY v.created_at, v.version",
        )
        .bind(case_id)
        .fetch_all(pool)
        .await
        .map_err(fail("follow_up validations"))?
        .iter()
        .map(|row| validation_from(case, row))
        .collect::<Result<Vec<_>, StoreError>>()?;
        Ok((versions, validations))
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

/// How a validation's signatory was identified, and its party, from its row (`method`, `acr`, `idp_id`, `party`).
fn identification_from(row: &AnyRow) -> Result<(Party, Identification), StoreError> {
    let party: String = row.try_get("party").map_err(fail("validation party"))?;
    let method: String = row.try_get("method").map_err(fail("validation method"))?;
    let acr: String = row.try_get("acr").map_err(fail("validation acr"))?;
    let idp_id: String = row.try_get("idp_id").map_err(fail("validation idp"))?;
    let pdf_id: Option<String> = row.try_get("pdf_id").map_err(fail("validation pdf"))?;
    let pdf_name: Option<String> = row.try_get("pdf_name").map_err(fail("validation pdf name"))?;
    let identification = Identification::from_stored(&method, &acr, &idp_id, pdf_id.zip(pdf_name))
        .ok_or_else(|| StoreError(format!("unknown validation method {method}")))?;
    let party = Party::from_code(&party).ok_or_else(|| StoreError(format!("unknown party {party}")))?;
    Ok((party, identification))
}

/// A party's validation of `case` from its row.
fn validation_from(case: &VisibleCase, row: &AnyRow) -> Result<PartyValidation, StoreError> {
    let (party, identification) = identification_from(row)?;
    Ok(PartyValidation {
        case: case.clone(),
        version: row.try_get("version").map_err(fail("validation version"))?,
        party,
        signatory: row.try_get("signatory").map_err(fail("validation signatory"))?,
        recorded_by: row.try_get("recorded_by").map_err(fail("validation recorded_by"))?,
        identification,
        at: row.try_get("created_at").map_err(fail("validation at"))?,
    })
}

#[async_trait::async_trait]
impl CadrageStore for SqlStore {
    async fn validations_in_force(&self) -> Result<Vec<ValidationInForce>, StoreError> {
        let rows = sqlx::query(
            "SELECT c.reference, v.party, v.signatory, v.recorded_by, v.method, v.acr, v.idp_id, \
             d.public_id AS pdf_id, d.file_name AS pdf_name \
             FROM cadrage_validations v JOIN cases c ON c.id = v.case_id \
             LEFT JOIN documents d ON d.id = v.document_id WHERE c.stage = 'cadrage' \
             AND v.version = (SELECT MAX(n.number) FROM cadrage_versions n WHERE n.case_id = v.case_id)",
        )
        .fetch_all(self.read())
        .await
        .map_err(fail("validations in force"))?;
        rows.iter()
            .map(|row| {
                let (party, identification) = identification_from(row)?;
                Ok(ValidationInForce {
                    reference: row.try_get("reference").map_err(fail("in force reference"))?,
                    party,
                    signatory: row.try_get("signatory").map_err(fail("in force signatory"))?,
                    recorded_by: row.try_get("recorded_by").map_err(fail("in force recorded_by"))?,
                    identification,
                })
            })
            .collect()
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
        let (acr, idp_id) = match &validation.identification {
            Identification::ProConnect { acr, idp_id } => (acr.as_str(), idp_id.as_str()),
            _ => ("", ""),
        };
        // A paper signature keeps its signed PDF, a document of this case.
        let document_id: Option<i64> = match &validation.identification {
            Identification::Paper { document, .. } => Some(
                sqlx::query_scalar(
                    "SELECT id FROM documents WHERE public_id = $1 \
                     AND (case_id = $2 OR draft_id = (SELECT draft_id FROM cases WHERE id = $2))",
                )
                .bind(document)
                .bind(case.id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(fail("validate document"))?
                .ok_or_else(|| StoreError("the signed PDF is not a document of the case".into()))?,
            ),
            _ => None,
        };
        sqlx::query(
            "INSERT INTO cadrage_validations (case_id, version, party, signatory, recorded_by, created_at, method, \
             acr, idp_id, document_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(case.id)
        .bind(validation.version)
        .bind(validation.party.code())
        .bind(&validation.signatory)
        .bind(&validation.recorded_by)
        .bind(validation.at)
        .bind(validation.identification.code())
        .bind(acr)
        .bind(idp_id)
        .bind(document_id)
        .execute(&mut *tx)
        .await
        .map_err(fail("validate insert"))?;
        let detail = format!(
            "{} valide la version {} du document de cadrage (signataire : {}, {}).",
            validation.party.label(),
            validation.version,
            validation.signatory,
            validation.identification.describe(&validation.recorded_by)
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
}
