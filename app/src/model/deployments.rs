//! The deployments and their usage reports as they travel to the pages: a collectivité's space, a deployment's
//! page, the catalogue and the programme.

use serde::{Deserialize, Serialize};

use crate::domain::deployments::report::Figure;
use crate::domain::deployments::usage::CaseSummary;
use crate::domain::deployments::{Kind, Month, Status};

/// The latest report of a deployment, in short.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Latest {
    pub month: Month,
    pub regular: i64,
}

/// One collectivité running one published case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deployment {
    pub id: i64,
    pub kind: Kind,
    pub case_title: String,
    pub case_slug: String,
    pub collectivite_name: String,
    pub region: String,
    pub status: Status,
    /// The day of the latest change of status (a day number), if one was declared.
    pub status_day: Option<i64>,
    pub in_service: Option<Month>,
    pub stopped: Option<Month>,
    pub stop_reason: String,
    pub listed: bool,
    /// The Vibe seats agreed in the pioneer's cadrage (§5).
    pub vibe_agreed: Option<i64>,
    /// The team member who recorded it on the collectivité's behalf; empty when the collectivité did.
    pub recorded_by: String,
    pub version: i64,
    pub latest: Option<Latest>,
    pub created_at: i64,
}

impl Deployment {
    /// The month it counts from: its latest report's, else the month it went into service (or was recorded).
    pub fn reported_or_started(&self) -> Month {
        self.latest
            .map(|latest| latest.month)
            .or(self.in_service)
            .unwrap_or_else(|| Month::of_instant(self.created_at))
    }
}

/// The team's list of deployments, and what recording one on a collectivité's behalf offers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamDeployments {
    pub list: Vec<TeamDeployment>,
    pub may_record: bool,
    pub choices: Vec<PublishedChoice>,
    /// Today (`AAAA-MM-JJ`).
    pub today: String,
}

/// A deployment in the team's list, and whether its reports stopped (over two months without one).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamDeployment {
    pub deployment: Deployment,
    pub silent: bool,
}

/// A monthly report as shown in a deployment's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageReport {
    pub month: Month,
    pub regular: Figure,
    pub occasional: Figure,
    pub usagers: Figure,
    pub hours: Option<Figure>,
    pub vibe: Option<(i64, i64)>,
    pub author: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub version: i64,
    /// How many times it was corrected (each replaced version kept).
    pub corrections: i64,
}

/// A published case a collectivité may declare it deploys.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedChoice {
    pub slug: String,
    pub title: String,
    pub collectivite_name: String,
}

/// A deployment's page: the deployment, its reports, the collectivité's staff and what may be done now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeploymentView {
    pub deployment: Deployment,
    pub reports: Vec<UsageReport>,
    pub staff: Option<i64>,
    /// The current month (Paris), the latest one a report may be for.
    pub this_month: Month,
    /// Today (`AAAA-MM-JJ`), what the date fields offer.
    pub today: String,
    /// The months whose report may still be corrected.
    pub correctable: Vec<Month>,
    /// Who receives the monthly reminder: the contact, and whether the agent reading asked for it too.
    pub contact: String,
    pub follows_reminders: bool,
    /// Whether the latest report is over two months old (or none was sent while in service).
    pub stale: bool,
}

/// The deployments of a collectivité in its space, with the published cases it may declare.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpaceDeployments {
    pub deployments: Vec<Deployment>,
    pub choices: Vec<PublishedChoice>,
    /// Today (`AAAA-MM-JJ`), what the date field offers.
    pub today: String,
}

/// How a published case is used, for its catalogue page: the summary and the deployments listed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseUsage {
    pub summary: CaseSummary,
    /// The deployments that agreed to be listed.
    pub listed: Vec<Deployment>,
}
