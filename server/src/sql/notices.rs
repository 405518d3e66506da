//! The SQL of the agents' email notices: their choice, the notices held in the outbox for a daily digest, and
//! the digest queued in their place (the holding itself is decided where a notice is queued, `sql/outbox.rs`).

use app::domain::email::{DigestItem, Email};
use app::domain::notices::NoticeChoice;
use app::store::notices::{HeldNotice, NoticeStore};
use app::store::StoreError;
use sqlx::Row;

use super::outbox::{queue_about, Wait};
use super::{fail, SqlStore};

#[async_trait::async_trait]
impl NoticeStore for SqlStore {
    async fn notice_choice(&self, agent_id: i64) -> Result<NoticeChoice, StoreError> {
        let code: Option<String> = sqlx::query_scalar("SELECT notices FROM agents WHERE id = $1")
            .bind(agent_id)
            .fetch_optional(self.read())
            .await
            .map_err(fail("notice choice"))?;
        match code {
            None => Ok(NoticeChoice::default()),
            Some(code) => NoticeChoice::from_code(&code).ok_or_else(|| StoreError(format!("unknown notices {code}"))),
        }
    }

    async fn set_notice_choice(&self, agent_id: i64, choice: NoticeChoice, now: i64) -> Result<u64, StoreError> {
        let mut tx = self.write().begin().await.map_err(fail("notices begin"))?;
        sqlx::query("UPDATE agents SET notices = $1 WHERE id = $2")
            .bind(choice.code())
            .bind(agent_id)
            .execute(&mut *tx)
            .await
            .map_err(fail("notices update"))?;
        let released = if choice == NoticeChoice::Each {
            // The notices held for this agent about the collectivité's cases go out now, each on its own.
            sqlx::query(
                "UPDATE outbox SET held = 0, next_attempt_at = $1 WHERE held = 1 AND digest_id IS NULL \
                 AND LOWER(recipient) = (SELECT LOWER(a.email) FROM agents a WHERE a.id = $2) \
                 AND case_id IN (SELECT c.id FROM cases c JOIN agents a ON a.collectivite_key = c.collectivite_key \
                 WHERE a.id = $2)",
            )
            .bind(now)
            .bind(agent_id)
            .execute(&mut *tx)
            .await
            .map_err(fail("notices release"))?
            .rows_affected()
        } else {
            0
        };
        tx.commit().await.map_err(fail("notices commit"))?;
        Ok(released)
    }

    async fn held_notices(&self, cutoff: i64) -> Result<Vec<HeldNotice>, StoreError> {
        let rows = sqlx::query(
            "SELECT o.id, o.recipient, o.subject, o.created_at, c.reference, c.title FROM outbox o \
             JOIN cases c ON c.id = o.case_id WHERE o.held = 1 AND o.digest_id IS NULL AND o.created_at < $1 \
             ORDER BY LOWER(o.recipient), o.id",
        )
        .bind(cutoff)
        .fetch_all(self.read())
        .await
        .map_err(fail("held notices"))?;
        rows.iter()
            .map(|row| {
                Ok(HeldNotice {
                    id: row.try_get("id").map_err(fail("held id"))?,
                    recipient: row.try_get("recipient").map_err(fail("held recipient"))?,
                    item: DigestItem {
                        reference: row.try_get("reference").map_err(fail("held reference"))?,
                        title: row.try_get("title").map_err(fail("held title"))?,
                        subject: row.try_get("subject").map_err(fail("held subject"))?,
                        at: row.try_get("created_at").map_err(fail("held at"))?,
                    },
                })
            })
            .collect()
    }

    async fn queue_digest(&self, ids: &[i64], digest: &Email, now: i64) -> Result<bool, StoreError> {
        let mut tx = self.write().begin().await.map_err(fail("digest begin"))?;
        let digest_id = queue_about(&mut tx, digest, None, Wait::Never, now).await?;
        for id in ids {
            // Carried by the digest: never sent on its own, and its private links (never delivered) wiped.
            let carried = sqlx::query(
                "UPDATE outbox SET digest_id = $1, sealed_links = NULL WHERE id = $2 AND held = 1 \
                 AND digest_id IS NULL",
            )
            .bind(digest_id)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(fail("digest carry"))?;
            if carried.rows_affected() != 1 {
                tx.rollback().await.map_err(fail("digest rollback"))?;
                return Ok(false);
            }
        }
        tx.commit().await.map_err(fail("digest commit"))?;
        Ok(true)
    }
}
