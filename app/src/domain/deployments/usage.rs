//! The programme's count of agents, month by month, from the deployments' reports: in a month, each deployment
//! counts its latest report of that month or of the two before — never an older one, which is stale and counted
//! apart — and stops counting after the month it stopped. Then the pace: what the target needs each month until
//! December 2030, and what the last months show.

use serde::{Deserialize, Serialize};

use super::report::STALE_AFTER_MONTHS;
use super::{Month, TARGET_AGENTS, TARGET_MONTH};

/// One report, as the count reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReportPoint {
    pub deployment: i64,
    pub month: Month,
    pub regular: i64,
    pub occasional: i64,
    pub usagers: i64,
    pub hours: Option<i64>,
}

/// A deployment as the count reads it: whether and when it stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counted {
    pub deployment: i64,
    /// The last month it counts in, when it stopped.
    pub stopped: Option<Month>,
}

/// The programme's figures for one month.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsagePoint {
    pub month: Month,
    pub regular: i64,
    pub occasional: i64,
    pub usagers: i64,
    pub hours: i64,
    /// Deployments whose report counts this month.
    pub counted: i64,
    /// Deployments that reported before, but not in this month or the two before: not counted.
    pub stale: i64,
}

/// The figures of each month from `from` to `to`, both included. `reports` may come in any order.
pub fn series(deployments: &[Counted], reports: &[ReportPoint], from: Month, to: Month) -> Vec<UsagePoint> {
    let mut by_deployment: std::collections::HashMap<i64, Vec<&ReportPoint>> = std::collections::HashMap::new();
    for report in reports {
        by_deployment.entry(report.deployment).or_default().push(report);
    }
    for list in by_deployment.values_mut() {
        list.sort_by_key(|report| report.month);
    }
    let stopped: std::collections::HashMap<i64, Option<Month>> =
        deployments.iter().map(|d| (d.deployment, d.stopped)).collect();
    let mut points = Vec::new();
    let mut month = from;
    while month <= to {
        let mut point = UsagePoint {
            month,
            ..UsagePoint::default()
        };
        for (id, list) in &by_deployment {
            if stopped.get(id).copied().flatten().is_some_and(|last| month > last) {
                continue;
            }
            // The latest report of this month or before.
            let Some(latest) = list.iter().rev().find(|report| report.month <= month) else {
                continue;
            };
            if month.since(latest.month) > STALE_AFTER_MONTHS {
                point.stale += 1;
                continue;
            }
            point.counted += 1;
            point.regular += latest.regular;
            point.occasional += latest.occasional;
            point.usagers += latest.usagers;
            point.hours += latest.hours.unwrap_or(0);
        }
        points.push(point);
        month = month.plus(1);
    }
    points
}

/// When the target may be reached at the pace observed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Projection {
    Reached,
    /// The month it would be reached.
    At(Month),
    /// No growth observed yet.
    Unknown,
}

/// The pace the target needs and the pace observed, in regular agents a month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pace {
    pub current: i64,
    pub needed_per_month: i64,
    /// Over the last six months (or as many as there are); none before two months of figures.
    pub observed_per_month: Option<i64>,
    pub projection: Projection,
}

/// How many months back the observed pace looks.
pub const PACE_MONTHS: usize = 6;

/// The pace at the last month of `series`.
pub fn pace(series: &[UsagePoint]) -> Pace {
    let Some(last) = series.last() else {
        return Pace {
            current: 0,
            needed_per_month: TARGET_AGENTS,
            observed_per_month: None,
            projection: Projection::Unknown,
        };
    };
    let current = last.regular;
    let months_left = TARGET_MONTH.since(last.month).max(1);
    let missing = (TARGET_AGENTS - current).max(0);
    let needed_per_month = (missing + months_left - 1) / months_left;
    let span = PACE_MONTHS.min(series.len() - 1);
    let observed_per_month = (span > 0).then(|| (current - series[series.len() - 1 - span].regular) / span as i64);
    let projection = if current >= TARGET_AGENTS {
        Projection::Reached
    } else {
        match observed_per_month {
            Some(pace) if pace > 0 => Projection::At(last.month.plus((missing + pace - 1) / pace)),
            _ => Projection::Unknown,
        }
    };
    Pace {
        current,
        needed_per_month,
        observed_per_month,
        projection,
    }
}
