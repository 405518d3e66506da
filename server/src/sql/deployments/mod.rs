//! The SQL of the deployments: who runs which published case, its status, and the pioneer's own deployment
//! created when its case is published; the reports are in `reports.rs`.

mod reminders;
mod reports;

use app::domain::access::{DeploymentScope, VisibleDeployment};
use app::domain::deployments::{CheckedChange, Kind, Month, Status};
use app::domain::email::Email;
use app::model::deployments::{Deployment, Latest, PublishedChoice, UsageReport};
use app::store::deployments::{
    Declared, DeploymentStore, NewDeployment, ProgrammeUsage, ReminderDue, ReportWritten, UsageWrite,
};
use app::store::{StoreError, WriteOutcome};
use sqlx::Row;

use super::{fail, SqlStore};
use crate::db::Backend;

/// The columns of a `Deployment`, from `deployments d` joined to its case `c`, its publication `p` and its
/// latest report `lr`.
pub(crate) const DEPLOYMENT_COLUMNS: &str = "d.id, d.kind, COALESCE(p.title, c.title) AS case_title, \
     COALESCE(p.slug, '') AS case_slug, d.collectivite_name, d.region, d.status, d.status_day, d.in_service_month, \
     d.stopped_month, d.stop_reason, d.listed, d.vibe_agreed, d.recorded_by, d.version, d.created_at, \
     lr.month AS latest_month, lr.regular AS latest_regular, d.collectivite_key, c.reference AS case_reference, \
     o.reference AS own_reference";

/// The joins `DEPLOYMENT_COLUMNS` reads.
pub(crate) const DEPLOYMENT_JOINS: &str = "deployments d JOIN cases c ON c.id = d.case_id \
     LEFT JOIN cases o ON o.id = d.own_case_id LEFT JOIN publications p ON p.case_id = d.case_id \
     LEFT JOIN usage_reports lr ON lr.deployment_id = d.id \
     AND lr.month = (SELECT MAX(x.month) FROM usage_reports x WHERE x.deployment_id = d.id)";

fn unknown(what: &str, code: &str) -> StoreError {
    StoreError(format!("unknown {what} {code}"))
}

pub(crate) fn deployment_from(row: &sqlx::any::AnyRow) -> Result<Deployment, StoreError> {
    let kind: String = row.try_get("kind").map_err(fail("deployment kind"))?;
    let status: String = row.try_get("status").map_err(fail("deployment status"))?;
    let month = |name: &'static str| -> Result<Option<Month>, StoreError> {
        Ok(row
            .try_get::<Option<i64>, _>(name)
            .map_err(fail("deployment month"))?
            .map(Month))
    };
    let latest = match (month("latest_month")?, row.try_get::<Option<i64>, _>("latest_regular")) {
        (Some(month), Ok(Some(regular))) => Some(Latest { month, regular }),
        _ => None,
    };
    Ok(Deployment {
        id: row.try_get("id").map_err(fail("deployment id"))?,
        kind: Kind::from_code(&kind).ok_or_else(|| unknown("deployment kind", &kind))?,
        case_title: row.try_get("case_title").map_err(fail("deployment case"))?,
        case_slug: row.try_get("case_slug").map_err(fail("deployment slug"))?,
        collectivite_name: row.try_get("collectivite_name").map_err(fail("deployment name"))?,
        region: row.try_get("region").map_err(fail("deployment region"))?,
        status: Status::from_code(&status).ok_or_else(|| unknown("deployment status", &status))?,
        status_day: row.try_get("status_day").map_err(fail("deployment day"))?,
        in_service: month("in_service_month")?,
        stopped: month("stopped_month")?,
        stop_reason: row.try_get("stop_reason").map_err(fail("deployment reason"))?,
        listed: row.try_get::<i64, _>("listed").map_err(fail("deployment listed"))? != 0,
        vibe_agreed: row.try_get("vibe_agreed").map_err(fail("deployment vibe"))?,
        recorded_by: row.try_get("recorded_by").map_err(fail("deployment recorded"))?,
        version: row.try_get("version").map_err(fail("deployment version"))?,
        created_at: row.try_get("created_at").map_err(fail("deployment created"))?,
        latest,
    })
}

/// Creates the pioneer's deployment of a case at its publication, in service, listed, with the Vibe seats of
/// its latest cadrage; nothing when it exists.
pub(crate) async fn create_pioneer_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    case_id: i64,
    now: i64,
) -> Result<(), StoreError> {
    let cadrage: Option<String> =
        sqlx::query_scalar("SELECT document FROM cadrage_versions WHERE case_id = $1 ORDER BY number DESC LIMIT 1")
            .bind(case_id)
            .fetch_optional(&mut **tx)
            .await
            .map_err(fail("pioneer cadrage"))?;
    let vibe_agreed = cadrage
        .and_then(|text| serde_json::from_str::<app::domain::cadrage::CadrageDocument>(&text).ok())
        .and_then(|document| app::domain::deployments::vibe_agreed(&document));
    sqlx::query(
        "INSERT INTO deployments (case_id, own_case_id, kind, collectivite_key, collectivite_name, region, status, \
         contact_email, listed, vibe_agreed, created_at, updated_at) \
         SELECT c.id, c.id, 'pionnier', c.collectivite_key, c.collectivite_name, c.region, 'en-service', \
         c.contact_email, 1, $2, $3, $3 FROM cases c WHERE c.id = $1 \
         ON CONFLICT (case_id, collectivite_key) DO NOTHING",
    )
    .bind(case_id)
    .bind(vibe_agreed)
    .bind(now)
    .execute(&mut **tx)
    .await
    .map_err(fail("pioneer deployment"))?;
    Ok(())
}

impl SqlStore {
    fn for_update(&self) -> &'static str {
        if self.pools.backend == Backend::Postgres {
            " FOR UPDATE"
        } else {
            ""
        }
    }

    async fn deployments_where(&self, condition: &str, bind: &str) -> Result<Vec<Deployment>, StoreError> {
        sqlx::query(&format!(
            "SELECT {DEPLOYMENT_COLUMNS} FROM {DEPLOYMENT_JOINS} WHERE {condition} ORDER BY d.created_at DESC, d.id DESC"
        ))
        .bind(bind)
        .fetch_all(self.read())
        .await
        .map_err(fail("deployments"))?
        .iter()
        .map(deployment_from)
        .collect()
    }
}

#[async_trait::async_trait]
impl DeploymentStore for SqlStore {
    async fn deployment_scope(&self, id: i64) -> Result<Option<DeploymentScope>, StoreError> {
        let row = sqlx::query(
            "SELECT d.collectivite_key, d.region, c.reference, o.reference AS own FROM deployments d \
             JOIN cases c ON c.id = d.case_id LEFT JOIN cases o ON o.id = d.own_case_id WHERE d.id = $1",
        )
        .bind(id)
        .fetch_optional(self.read())
        .await
        .map_err(fail("deployment scope"))?;
        row.map(|row| {
            Ok(DeploymentScope {
                collectivite: row.try_get("collectivite_key").map_err(fail("scope collectivite"))?,
                region: row.try_get("region").map_err(fail("scope region"))?,
                case_reference: row.try_get("reference").map_err(fail("scope reference"))?,
                own_reference: row.try_get("own").map_err(fail("scope own"))?,
            })
        })
        .transpose()
    }

    async fn all_deployments(&self) -> Result<Vec<(DeploymentScope, Deployment)>, StoreError> {
        sqlx::query(&format!(
            "SELECT {DEPLOYMENT_COLUMNS} FROM {DEPLOYMENT_JOINS} ORDER BY d.created_at DESC, d.id DESC"
        ))
        .fetch_all(self.read())
        .await
        .map_err(fail("all deployments"))?
        .iter()
        .map(|row| {
            let scope = DeploymentScope {
                collectivite: row.try_get("collectivite_key").map_err(fail("all collectivite"))?,
                region: row.try_get("region").map_err(fail("all region"))?,
                case_reference: row.try_get("case_reference").map_err(fail("all reference"))?,
                own_reference: row.try_get("own_reference").map_err(fail("all own"))?,
            };
            Ok((scope, deployment_from(row)?))
        })
        .collect()
    }

    async fn collectivite_deployments(&self, collectivite_key: &str) -> Result<Vec<Deployment>, StoreError> {
        self.deployments_where("d.collectivite_key = $1", collectivite_key)
            .await
    }

    async fn deployment(&self, deployment: &VisibleDeployment) -> Result<Option<Deployment>, StoreError> {
        sqlx::query(&format!(
            "SELECT {DEPLOYMENT_COLUMNS} FROM {DEPLOYMENT_JOINS} WHERE d.id = $1"
        ))
        .bind(deployment.id())
        .fetch_optional(self.read())
        .await
        .map_err(fail("deployment"))?
        .as_ref()
        .map(deployment_from)
        .transpose()
    }

    async fn usage_reports(&self, deployment: &VisibleDeployment) -> Result<Vec<UsageReport>, StoreError> {
        reports::usage_reports(self, deployment.id()).await
    }

    async fn collectivite_staff(&self, collectivite_key: &str) -> Result<Option<i64>, StoreError> {
        sqlx::query_scalar("SELECT staff FROM collectivite_staff WHERE collectivite_key = $1")
            .bind(collectivite_key)
            .fetch_optional(self.read())
            .await
            .map_err(fail("collectivite staff"))
    }

    async fn published_choices(&self) -> Result<Vec<PublishedChoice>, StoreError> {
        sqlx::query(
            "SELECT slug, title, collectivite_name FROM publications WHERE withdrawn_at IS NULL ORDER BY title, id",
        )
        .fetch_all(self.read())
        .await
        .map_err(fail("published choices"))?
        .iter()
        .map(|row| {
            Ok(PublishedChoice {
                slug: row.try_get("slug").map_err(fail("choice slug"))?,
                title: row.try_get("title").map_err(fail("choice title"))?,
                collectivite_name: row.try_get("collectivite_name").map_err(fail("choice name"))?,
            })
        })
        .collect()
    }

    async fn declare_deployment(&self, new: &NewDeployment) -> Result<Declared, StoreError> {
        let mut tx = self.write().begin().await.map_err(fail("declare begin"))?;
        let case_id: Option<i64> =
            sqlx::query_scalar("SELECT case_id FROM publications WHERE slug = $1 AND withdrawn_at IS NULL")
                .bind(&new.slug)
                .fetch_optional(&mut *tx)
                .await
                .map_err(fail("declare case"))?;
        let Some(case_id) = case_id else {
            return Ok(Declared::UnknownCase);
        };
        // The collectivité's own case that replicates it, when it filed one.
        let own: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM cases WHERE collectivite_key = $1 AND replicates = $2 ORDER BY id DESC LIMIT 1",
        )
        .bind(&new.collectivite_key)
        .bind(&new.slug)
        .fetch_optional(&mut *tx)
        .await
        .map_err(fail("declare own case"))?;
        let month = Month::of_day(new.day).0;
        let inserted: Option<i64> = sqlx::query_scalar(
            "INSERT INTO deployments (case_id, own_case_id, kind, collectivite_key, collectivite_name, region, status, \
             status_day, in_service_month, contact_email, listed, recorded_by, created_at, updated_at, updated_by) \
             VALUES ($1, $2, 'replication', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13) \
             ON CONFLICT (case_id, collectivite_key) DO NOTHING RETURNING id",
        )
        .bind(case_id)
        .bind(own)
        .bind(&new.collectivite_key)
        .bind(&new.collectivite_name)
        .bind(&new.region)
        .bind(new.status.code())
        .bind(new.day)
        .bind((new.status == Status::InService).then_some(month))
        .bind(&new.contact_email)
        .bind(i64::from(new.listed))
        .bind(&new.recorded_by)
        .bind(new.now)
        .bind(if new.recorded_by.is_empty() { &new.contact_email } else { &new.recorded_by })
        .fetch_optional(&mut *tx)
        .await
        .map_err(fail("declare insert"))?;
        let outcome = match inserted {
            Some(id) => Declared::Created(id),
            None => {
                let id: i64 =
                    sqlx::query_scalar("SELECT id FROM deployments WHERE case_id = $1 AND collectivite_key = $2")
                        .bind(case_id)
                        .bind(&new.collectivite_key)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(fail("declare existing"))?;
                Declared::Exists(id)
            }
        };
        tx.commit().await.map_err(fail("declare commit"))?;
        Ok(outcome)
    }

    async fn change_deployment_status(
        &self,
        deployment: &VisibleDeployment,
        based_on: i64,
        change: &CheckedChange,
        actor: &str,
        now: i64,
    ) -> Result<WriteOutcome, StoreError> {
        let month = Month::of_day(change.day).0;
        let mut tx = self.write().begin().await.map_err(fail("status begin"))?;
        let row = sqlx::query(&format!(
            "SELECT version, updated_by, updated_at FROM deployments WHERE id = $1{}",
            self.for_update()
        ))
        .bind(deployment.id())
        .fetch_optional(&mut *tx)
        .await
        .map_err(fail("status lock"))?;
        let Some(row) = row else {
            return Ok(WriteOutcome::NotFound);
        };
        let version: i64 = row.try_get("version").map_err(fail("status version"))?;
        if version != based_on {
            return Ok(WriteOutcome::Conflict {
                by: row.try_get("updated_by").map_err(fail("status by"))?,
                at: row.try_get("updated_at").map_err(fail("status at"))?,
            });
        }
        // Going into service sets the month it counts from; a stop, the last month it counts in.
        sqlx::query(
            "UPDATE deployments SET status = $2, status_day = $3, stop_reason = $4, \
             in_service_month = CASE WHEN $2 = 'en-service' THEN $5 ELSE in_service_month END, \
             stopped_month = CASE WHEN $2 = 'arrete' THEN $5 ELSE NULL END, \
             version = version + 1, updated_at = $6, updated_by = $7 WHERE id = $1",
        )
        .bind(deployment.id())
        .bind(change.to.code())
        .bind(change.day)
        .bind(&change.reason)
        .bind(month)
        .bind(now)
        .bind(actor)
        .execute(&mut *tx)
        .await
        .map_err(fail("status update"))?;
        tx.commit().await.map_err(fail("status commit"))?;
        Ok(WriteOutcome::Done { version: version + 1 })
    }

    async fn write_usage_report(
        &self,
        deployment: &VisibleDeployment,
        write: &UsageWrite,
    ) -> Result<ReportWritten, StoreError> {
        reports::write(self, deployment.id(), write).await
    }

    async fn reminders_due(&self, month: Month) -> Result<Vec<ReminderDue>, StoreError> {
        reminders::due(self, month).await
    }

    async fn queue_reminder(
        &self,
        deployment: i64,
        month: Month,
        emails: &[Email],
        now: i64,
    ) -> Result<bool, StoreError> {
        reminders::queue(self, deployment, month, emails, now).await
    }

    async fn deployment_contact(&self, deployment: &VisibleDeployment) -> Result<String, StoreError> {
        let contact: Option<String> = sqlx::query_scalar("SELECT contact_email FROM deployments WHERE id = $1")
            .bind(deployment.id())
            .fetch_optional(self.read())
            .await
            .map_err(fail("deployment contact"))?;
        Ok(contact.unwrap_or_default())
    }

    async fn follows_reminders(&self, deployment: &VisibleDeployment, agent_id: i64) -> Result<bool, StoreError> {
        reminders::follows(self, deployment.id(), agent_id).await
    }

    async fn set_follows_reminders(
        &self,
        deployment: &VisibleDeployment,
        agent_id: i64,
        follows: bool,
    ) -> Result<(), StoreError> {
        reminders::set_follows(self, deployment.id(), agent_id, follows).await
    }

    async fn programme_usage(&self) -> Result<ProgrammeUsage, StoreError> {
        reports::programme_usage(self).await
    }

    async fn case_deployments(&self, slug: &str) -> Result<Vec<Deployment>, StoreError> {
        self.deployments_where("p.slug = $1", slug).await
    }
}
