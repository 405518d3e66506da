//! The SQL of the diffusion (stage 5): the kit with its revision and the withdrawal from the catalogue. Every
//! write is one transaction on the locked case that bumps its version, appends an event to its history and
//! tells the boards.

use app::domain::access::VisibleCase;
use app::domain::diffusion::DiffusionKit;
use app::domain::history::EventKind;
use app::store::diffusion::{DiffusionStore, PublicationState, StoredKit};
use app::store::{StoreError, WriteOutcome};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{fail, SqlStore};

impl SqlStore {
    /// The kit and the publication of a case, for `CaseStore::project`.
    pub(crate) async fn diffusion_of(
        &self,
        case_id: i64,
    ) -> Result<(Option<StoredKit>, Option<PublicationState>), StoreError> {
        let pool = self.read();
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
        Ok((kit, publication))
    }
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
impl DiffusionStore for SqlStore {
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
