//! The SQL of the monthly usage reports: one per deployment and month (the unique key decides between
//! concurrent posts), a correction keeping the figures it replaces, and everything the programme counts.

use app::domain::deployments::report::{may_correct, Figure, Measure, Report};
use app::domain::deployments::usage::{Counted, CountedDeployment, ReportPoint};
use app::domain::deployments::{Kind, Month, Status};
use app::model::deployments::UsageReport;
use app::store::deployments::{ProgrammeUsage, ReportWritten, UsageWrite};
use app::store::StoreError;
use sqlx::Row;

use super::super::{fail, SqlStore};

const REPORT_COLUMNS: &str = "month, regular, regular_measure, occasional, occasional_measure, usagers, \
     usagers_measure, hours, hours_measure, vibe_seats, vibe_users";

fn measure(row: &sqlx::any::AnyRow, column: &'static str) -> Result<Option<Measure>, StoreError> {
    let code: Option<String> = row.try_get(column).map_err(fail("report measure"))?;
    code.map(|code| Measure::from_code(&code).ok_or_else(|| StoreError(format!("unknown measure {code}"))))
        .transpose()
}

fn figure(row: &sqlx::any::AnyRow, value: &'static str, how: &'static str) -> Result<Option<Figure>, StoreError> {
    let value: Option<i64> = row.try_get(value).map_err(fail("report figure"))?;
    Ok(match (value, measure(row, how)?) {
        (Some(value), Some(measure)) => Some(Figure { value, measure }),
        _ => None,
    })
}

fn required(row: &sqlx::any::AnyRow, value: &'static str, how: &'static str) -> Result<Figure, StoreError> {
    figure(row, value, how)?.ok_or_else(|| StoreError(format!("report without {value}")))
}

/// The figures of a report row, as a `Report` (the staff is not kept with it: 0).
fn report_from(row: &sqlx::any::AnyRow) -> Result<Report, StoreError> {
    let seats: Option<i64> = row.try_get("vibe_seats").map_err(fail("report seats"))?;
    let users: Option<i64> = row.try_get("vibe_users").map_err(fail("report users"))?;
    Ok(Report {
        month: Month(row.try_get("month").map_err(fail("report month"))?),
        regular: required(row, "regular", "regular_measure")?,
        occasional: required(row, "occasional", "occasional_measure")?,
        usagers: required(row, "usagers", "usagers_measure")?,
        hours: figure(row, "hours", "hours_measure")?,
        staff: 0,
        vibe: seats.zip(users),
    })
}

pub(super) async fn usage_reports(store: &SqlStore, deployment: i64) -> Result<Vec<UsageReport>, StoreError> {
    sqlx::query(&format!(
        "SELECT {REPORT_COLUMNS}, author, created_at, updated_at, version, \
         (SELECT COUNT(*) FROM usage_report_revisions v WHERE v.report_id = r.id) AS corrections \
         FROM usage_reports r WHERE deployment_id = $1 ORDER BY month DESC"
    ))
    .bind(deployment)
    .fetch_all(store.read())
    .await
    .map_err(fail("usage reports"))?
    .iter()
    .map(|row| {
        let report = report_from(row)?;
        Ok(UsageReport {
            month: report.month,
            regular: report.regular,
            occasional: report.occasional,
            usagers: report.usagers,
            hours: report.hours,
            vibe: report.vibe,
            author: row.try_get("author").map_err(fail("report author"))?,
            created_at: row.try_get("created_at").map_err(fail("report created"))?,
            updated_at: row.try_get("updated_at").map_err(fail("report updated"))?,
            version: row.try_get("version").map_err(fail("report version"))?,
            corrections: row.try_get("corrections").map_err(fail("report corrections"))?,
        })
    })
    .collect()
}

/// The figures a correction replaces, kept as JSON in the report's history.
fn revision_json(row: &sqlx::any::AnyRow) -> Result<String, StoreError> {
    let report = report_from(row)?;
    let author: String = row.try_get("author").map_err(fail("revision author"))?;
    serde_json::to_string(&serde_json::json!({
        "regular": report.regular, "occasional": report.occasional, "usagers": report.usagers,
        "hours": report.hours, "vibe": report.vibe, "author": author,
    }))
    .map_err(|error| StoreError(error.to_string()))
}

pub(super) async fn write(store: &SqlStore, deployment: i64, write: &UsageWrite) -> Result<ReportWritten, StoreError> {
    let report = &write.report;
    let mut tx = store.write().begin().await.map_err(fail("report begin"))?;
    if let Some(staff) = write.staff_typed {
        sqlx::query(
            "INSERT INTO collectivite_staff (collectivite_key, staff, updated_at, updated_by) \
             SELECT collectivite_key, $2, $3, $4 FROM deployments WHERE id = $1 \
             ON CONFLICT (collectivite_key) DO UPDATE SET staff = $2, updated_at = $3, updated_by = $4",
        )
        .bind(deployment)
        .bind(staff)
        .bind(write.now)
        .bind(&write.author)
        .execute(&mut *tx)
        .await
        .map_err(fail("report staff"))?;
    }
    let hours = report.hours.map(|h| (h.value, h.measure.code()));
    let vibe = report.vibe;
    let sql = match write.correcting {
        None => format!(
            "INSERT INTO usage_reports (deployment_id, {REPORT_COLUMNS}, author, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) \
             ON CONFLICT (deployment_id, month) DO NOTHING"
        ),
        Some(_) => {
            let Some(previous) = sqlx::query(&format!(
                "SELECT id, {REPORT_COLUMNS}, author, created_at, version FROM usage_reports \
                 WHERE deployment_id = $1 AND month = $2{}",
                store.for_update()
            ))
            .bind(deployment)
            .bind(report.month.0)
            .fetch_optional(&mut *tx)
            .await
            .map_err(fail("report previous"))?
            else {
                return Ok(ReportWritten::Stale);
            };
            let version: i64 = previous.try_get("version").map_err(fail("report version"))?;
            let created_at: i64 = previous.try_get("created_at").map_err(fail("report created"))?;
            if Some(version) != write.correcting || !may_correct(created_at, write.now) {
                return Ok(ReportWritten::Stale);
            }
            let id: i64 = previous.try_get("id").map_err(fail("report id"))?;
            sqlx::query(
                "INSERT INTO usage_report_revisions (report_id, figures, author, replaced_at, replaced_by) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(revision_json(&previous)?)
            .bind(previous.try_get::<String, _>("author").map_err(fail("report author"))?)
            .bind(write.now)
            .bind(&write.author)
            .execute(&mut *tx)
            .await
            .map_err(fail("report revision"))?;
            "UPDATE usage_reports SET regular = $3, regular_measure = $4, occasional = $5, \
             occasional_measure = $6, usagers = $7, usagers_measure = $8, hours = $9, hours_measure = $10, \
             vibe_seats = $11, vibe_users = $12, author = $13, updated_at = $14, version = version + 1 \
             WHERE deployment_id = $1 AND month = $2"
                .to_string()
        }
    };
    let written = sqlx::query(&sql)
        .bind(deployment)
        .bind(report.month.0)
        .bind(report.regular.value)
        .bind(report.regular.measure.code())
        .bind(report.occasional.value)
        .bind(report.occasional.measure.code())
        .bind(report.usagers.value)
        .bind(report.usagers.measure.code())
        .bind(hours.map(|h| h.0))
        .bind(hours.map(|h| h.1))
        .bind(vibe.map(|v| v.0))
        .bind(vibe.map(|v| v.1))
        .bind(&write.author)
        .bind(write.now)
        .execute(&mut *tx)
        .await
        .map_err(fail("report write"))?;
    if written.rows_affected() != 1 {
        tx.rollback().await.map_err(fail("report rollback"))?;
        return Ok(ReportWritten::AlreadyReported(report.month));
    }
    tx.commit().await.map_err(fail("report commit"))?;
    Ok(ReportWritten::Saved)
}

/// The deployments and every report's figures, read again only when what they come from changed: the database
/// raises `usage_generation` at every change of the reports, the deployments or the publications (migration
/// 0026, whichever process or command wrote), so that a process keeps them while the number stays. Reading
/// 36,000 reports costs far more than this one row (see `bench-programme`).
pub(super) async fn programme_usage(store: &SqlStore) -> Result<ProgrammeUsage, StoreError> {
    let generation: i64 = sqlx::query_scalar("SELECT generation FROM usage_generation WHERE id = 1")
        .fetch_one(store.read())
        .await
        .map_err(fail("usage generation"))?;
    let cached = store.usage.lock().ok().and_then(|cached| {
        cached
            .as_ref()
            .filter(|(at, _)| *at == generation)
            .map(|(_, usage)| usage.clone())
    });
    if let Some(usage) = cached {
        return Ok(usage.as_ref().clone());
    }
    let usage = std::sync::Arc::new(read_programme_usage(store).await?);
    if let Ok(mut cached) = store.usage.lock() {
        *cached = Some((generation, usage.clone()));
    }
    Ok(usage.as_ref().clone())
}

/// The deployments and every report's figures, from the database.
async fn read_programme_usage(store: &SqlStore) -> Result<ProgrammeUsage, StoreError> {
    let deployments = sqlx::query(
        "SELECT d.id, d.kind, d.status, d.stopped_month, d.collectivite_key, COALESCE(p.title, c.title) AS title, \
         COALESCE(p.slug, '') AS slug FROM deployments d JOIN cases c ON c.id = d.case_id \
         LEFT JOIN publications p ON p.case_id = d.case_id ORDER BY d.id",
    )
    .fetch_all(store.read())
    .await
    .map_err(fail("programme deployments"))?
    .iter()
    .map(|row| {
        let kind: String = row.try_get("kind").map_err(fail("counted kind"))?;
        let status: String = row.try_get("status").map_err(fail("counted status"))?;
        let status = Status::from_code(&status).ok_or_else(|| StoreError(format!("unknown status {status}")))?;
        Ok(CountedDeployment {
            counted: Counted {
                deployment: row.try_get("id").map_err(fail("counted id"))?,
                stopped: row
                    .try_get::<Option<i64>, _>("stopped_month")
                    .map_err(fail("counted stopped"))?
                    .map(Month)
                    .filter(|_| status == Status::Stopped),
            },
            kind: Kind::from_code(&kind).ok_or_else(|| StoreError(format!("unknown kind {kind}")))?,
            status,
            collectivite_key: row.try_get("collectivite_key").map_err(fail("counted collectivite"))?,
            case_title: row.try_get("title").map_err(fail("counted title"))?,
            case_slug: row.try_get("slug").map_err(fail("counted slug"))?,
        })
    })
    .collect::<Result<Vec<_>, StoreError>>()?;
    let reports: Vec<ReportPoint> =
        sqlx::query("SELECT deployment_id, month, regular, occasional, usagers, hours FROM usage_reports")
            .fetch_all(store.read())
            .await
            .map_err(fail("programme reports"))?
            .iter()
            .map(|row| {
                Ok(ReportPoint {
                    deployment: row.try_get("deployment_id").map_err(fail("point deployment"))?,
                    month: Month(row.try_get("month").map_err(fail("point month"))?),
                    regular: row.try_get("regular").map_err(fail("point regular"))?,
                    occasional: row.try_get("occasional").map_err(fail("point occasional"))?,
                    usagers: row.try_get("usagers").map_err(fail("point usagers"))?,
                    hours: row.try_get("hours").map_err(fail("point hours"))?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
    Ok(ProgrammeUsage { deployments, reports })
}
