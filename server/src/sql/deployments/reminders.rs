//! The SQL of the monthly reminders: the deployments in service whose report for the past month is missing,
//! their recipients (the contact and the colleagues who asked), and the reminder queued once per deployment and
//! month (the key of `deployment_reminders` decides between server processes).

use app::domain::deployments::Month;
use app::domain::email::Email;
use app::store::deployments::ReminderDue;
use app::store::StoreError;
use sqlx::Row;

use super::super::outbox::{queue_about, Wait};
use super::super::{fail, SqlStore};

pub(super) async fn due(store: &SqlStore, month: Month) -> Result<Vec<ReminderDue>, StoreError> {
    let rows = sqlx::query(
        "SELECT d.id, COALESCE(p.title, c.title) AS title, d.collectivite_name, d.contact_email \
         FROM deployments d JOIN cases c ON c.id = d.case_id LEFT JOIN publications p ON p.case_id = d.case_id \
         WHERE d.status = 'en-service' AND (d.in_service_month IS NULL OR d.in_service_month <= $1) \
         AND NOT EXISTS (SELECT 1 FROM usage_reports r WHERE r.deployment_id = d.id AND r.month = $1) \
         AND NOT EXISTS (SELECT 1 FROM deployment_reminders m WHERE m.deployment_id = d.id AND m.month = $1) \
         ORDER BY d.id",
    )
    .bind(month.0)
    .fetch_all(store.read())
    .await
    .map_err(fail("reminders due"))?;
    let mut due = Vec::new();
    for row in rows {
        let id: i64 = row.try_get("id").map_err(fail("reminder id"))?;
        let contact: String = row.try_get("contact_email").map_err(fail("reminder contact"))?;
        let followers: Vec<String> = sqlx::query_scalar(
            "SELECT a.email FROM deployment_followers f JOIN agents a ON a.id = f.agent_id \
             WHERE f.deployment_id = $1 ORDER BY a.id",
        )
        .bind(id)
        .fetch_all(store.read())
        .await
        .map_err(fail("reminder followers"))?;
        let mut recipients: Vec<String> = Vec::new();
        for email in std::iter::once(contact).chain(followers) {
            let email = email.trim().to_string();
            if !email.is_empty() && !recipients.iter().any(|r| r.eq_ignore_ascii_case(&email)) {
                recipients.push(email);
            }
        }
        due.push(ReminderDue {
            id,
            case_title: row.try_get("title").map_err(fail("reminder title"))?,
            collectivite_name: row.try_get("collectivite_name").map_err(fail("reminder name"))?,
            recipients,
        });
    }
    Ok(due)
}

pub(super) async fn queue(
    store: &SqlStore,
    deployment: i64,
    month: Month,
    emails: &[Email],
    now: i64,
) -> Result<bool, StoreError> {
    let mut tx = store.write().begin().await.map_err(fail("reminder begin"))?;
    let claimed = sqlx::query(
        "INSERT INTO deployment_reminders (deployment_id, month, queued_at) VALUES ($1, $2, $3) \
         ON CONFLICT (deployment_id, month) DO NOTHING",
    )
    .bind(deployment)
    .bind(month.0)
    .bind(now)
    .execute(&mut *tx)
    .await
    .map_err(fail("reminder claim"))?;
    if claimed.rows_affected() != 1 {
        tx.rollback().await.map_err(fail("reminder rollback"))?;
        return Ok(false);
    }
    for email in emails {
        queue_about(&mut tx, email, None, Wait::Never, now).await?;
    }
    tx.commit().await.map_err(fail("reminder commit"))?;
    Ok(true)
}

pub(super) async fn follows(store: &SqlStore, deployment: i64, agent_id: i64) -> Result<bool, StoreError> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT agent_id FROM deployment_followers WHERE deployment_id = $1 AND agent_id = $2")
            .bind(deployment)
            .bind(agent_id)
            .fetch_optional(store.read())
            .await
            .map_err(fail("reminder follows"))?;
    Ok(found.is_some())
}

pub(super) async fn set_follows(
    store: &SqlStore,
    deployment: i64,
    agent_id: i64,
    follows: bool,
) -> Result<(), StoreError> {
    let sql = if follows {
        "INSERT INTO deployment_followers (deployment_id, agent_id) VALUES ($1, $2) \
         ON CONFLICT (deployment_id, agent_id) DO NOTHING"
    } else {
        "DELETE FROM deployment_followers WHERE deployment_id = $1 AND agent_id = $2"
    };
    sqlx::query(sql)
        .bind(deployment)
        .bind(agent_id)
        .execute(store.write())
        .await
        .map_err(fail("reminder follow"))?;
    Ok(())
}
