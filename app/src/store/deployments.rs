//! What the deployments of the programme's cases ask of persistence: declaring one, moving its status, its
//! monthly usage reports with their corrections, and the figures the programme and the catalogue count.

use super::outcome::StoreError;
use crate::domain::access::{DeploymentScope, VisibleDeployment};
use crate::domain::deployments::report::Report;
use crate::domain::deployments::usage::{CountedDeployment, ReportPoint};
use crate::domain::deployments::{CheckedChange, Month, Status};
use crate::model::deployments::{Deployment, PublishedChoice, UsageReport};

/// A deployment as declared: the published case it runs (by its catalogue slug) and who runs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewDeployment {
    pub slug: String,
    pub collectivite_key: String,
    pub collectivite_name: String,
    pub region: String,
    pub contact_email: String,
    pub status: Status,
    /// The day of that status (a day number).
    pub day: i64,
    pub listed: bool,
    /// The team member who recorded it on the collectivité's behalf; empty when the collectivité did.
    pub recorded_by: String,
    pub now: i64,
}

/// How declaring a deployment ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Declared {
    /// The new deployment's id.
    Created(i64),
    /// The collectivité already runs this case: its deployment's id.
    Exists(i64),
    /// No published case has this slug.
    UnknownCase,
}

/// A report to write: new for its month, or correcting the report of its month at `correcting` (its version).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsageWrite {
    pub report: Report,
    /// The staff typed with the report, recorded for the collectivité.
    pub staff_typed: Option<i64>,
    pub correcting: Option<i64>,
    pub author: String,
    pub now: i64,
}

/// How writing a report ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReportWritten {
    Saved,
    /// A report exists for this month (another post came first): nothing written.
    AlreadyReported(Month),
    /// The report corrected changed since it was read, or is no longer correctable: nothing written.
    Stale,
    NotFound,
}

/// Everything the programme's count reads: the deployments (when they stopped) and every report.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProgrammeUsage {
    pub deployments: Vec<CountedDeployment>,
    pub reports: Vec<ReportPoint>,
}

/// A deployment whose monthly reminder is due: what the email names and who receives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReminderDue {
    pub id: i64,
    pub case_title: String,
    pub collectivite_name: String,
    /// Its contact, then the colleagues who asked for the reminder.
    pub recipients: Vec<String>,
}

#[async_trait::async_trait]
pub trait DeploymentStore: Send + Sync {
    /// Who a deployment belongs to, for `VisibleDeployment::grant`; none when there is no such deployment.
    async fn deployment_scope(&self, id: i64) -> Result<Option<DeploymentScope>, StoreError>;
    /// Every deployment with who it belongs to (for `VisibleDeployment::grant`), the most recent first.
    async fn all_deployments(&self) -> Result<Vec<(DeploymentScope, Deployment)>, StoreError>;
    /// The deployments of a collectivité, the most recent first.
    async fn collectivite_deployments(&self, collectivite_key: &str) -> Result<Vec<Deployment>, StoreError>;
    async fn deployment(&self, deployment: &VisibleDeployment) -> Result<Option<Deployment>, StoreError>;
    /// Its reports, the latest month first, each with its corrections counted.
    async fn usage_reports(&self, deployment: &VisibleDeployment) -> Result<Vec<UsageReport>, StoreError>;
    /// The staff the collectivité declared.
    async fn collectivite_staff(&self, collectivite_key: &str) -> Result<Option<i64>, StoreError>;
    /// The published cases a collectivité may declare it deploys, by title.
    async fn published_choices(&self) -> Result<Vec<PublishedChoice>, StoreError>;
    async fn declare_deployment(&self, deployment: &NewDeployment) -> Result<Declared, StoreError>;
    /// Moves the status if the deployment is still at `based_on`: its new version, or why not.
    async fn change_deployment_status(
        &self,
        deployment: &VisibleDeployment,
        based_on: i64,
        change: &CheckedChange,
        actor: &str,
        now: i64,
    ) -> Result<super::WriteOutcome, StoreError>;
    /// Writes a report in one transaction (with the staff typed, and the replaced figures kept when correcting).
    async fn write_usage_report(
        &self,
        deployment: &VisibleDeployment,
        write: &UsageWrite,
    ) -> Result<ReportWritten, StoreError>;
    /// The deployments in service (since `month` or before) without a report for `month` nor a reminder queued
    /// for it yet.
    async fn reminders_due(&self, month: Month) -> Result<Vec<ReminderDue>, StoreError>;
    /// Queues the reminder of `deployment` for `month` (one email per recipient) in one transaction, once: false
    /// (nothing written) when it was queued already.
    async fn queue_reminder(
        &self,
        deployment: i64,
        month: Month,
        emails: &[crate::domain::email::Email],
        now: i64,
    ) -> Result<bool, StoreError>;
    /// The deployment's contact, who receives its monthly reminder.
    async fn deployment_contact(&self, deployment: &VisibleDeployment) -> Result<String, StoreError>;
    /// Whether the agent asked for the deployment's monthly reminder.
    async fn follows_reminders(&self, deployment: &VisibleDeployment, agent_id: i64) -> Result<bool, StoreError>;
    /// Records whether the agent asks for the deployment's monthly reminder.
    async fn set_follows_reminders(
        &self,
        deployment: &VisibleDeployment,
        agent_id: i64,
        follows: bool,
    ) -> Result<(), StoreError>;
    /// Every deployment and report, for the programme's count.
    async fn programme_usage(&self) -> Result<ProgrammeUsage, StoreError>;
    /// The deployments of a published case, with their latest report.
    async fn case_deployments(&self, slug: &str) -> Result<Vec<Deployment>, StoreError>;
}
