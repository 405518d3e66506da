//! The programme's count of agents, month by month, from the deployments' reports: in a month, each deployment
//! counts its latest report of that month or of the two before — never an older one, which is stale and counted
//! apart — and stops counting after the month it stopped. Then the pace: what the target needs each month until
//! December 2030, and what the last months show.

use serde::{Deserialize, Serialize};

use super::report::STALE_AFTER_MONTHS;
use super::{Kind, Month, Status, TARGET_AGENTS, TARGET_MONTH};

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
    let mut points: Vec<UsagePoint> = (0..=to.since(from))
        .map(|offset| UsagePoint {
            month: from.plus(offset),
            ..UsagePoint::default()
        })
        .collect();
    let stopped: std::collections::HashMap<i64, Option<Month>> =
        deployments.iter().map(|d| (d.deployment, d.stopped)).collect();
    let mut sorted: Vec<&ReportPoint> = reports.iter().collect();
    sorted.sort_unstable_by_key(|report| (report.deployment, report.month));
    // Each deployment's reports in month order, swept once along the months.
    for list in sorted.chunk_by(|a, b| a.deployment == b.deployment) {
        let last = stopped.get(&list[0].deployment).copied().flatten();
        let (mut next, mut latest) = (0, None);
        for point in &mut points {
            // The latest report of this month or before.
            while let Some(report) = list.get(next).filter(|report| report.month <= point.month) {
                latest = Some(*report);
                next += 1;
            }
            if last.is_some_and(|last| point.month > last) {
                continue;
            }
            let Some(latest) = latest else {
                continue;
            };
            if point.month.since(latest.month) > STALE_AFTER_MONTHS {
                point.stale += 1;
                continue;
            }
            point.counted += 1;
            point.regular += latest.regular;
            point.occasional += latest.occasional;
            point.usagers += latest.usagers;
            point.hours += latest.hours.unwrap_or(0);
        }
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

/// A deployment as the programme's page counts it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CountedDeployment {
    pub counted: Counted,
    pub kind: Kind,
    pub status: Status,
    pub collectivite_key: String,
    pub case_title: String,
    pub case_slug: String,
}

/// The deployments of one case, for the programme's table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseCount {
    pub title: String,
    pub slug: String,
    pub deployments: i64,
    pub collectivites: i64,
    pub in_service: i64,
}

/// The passage à l'échelle on `/programme`: the count month by month from the reports, the pace, the stale
/// deployments counted apart, and the deployments per case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scale {
    pub series: Vec<UsagePoint>,
    pub pace: Pace,
    pub deployments: i64,
    pub collectivites: i64,
    pub by_case: Vec<CaseCount>,
}

/// The programme's count month by month, from the first month reported to the month of the instant `now`.
pub fn programme_series(deployments: &[CountedDeployment], reports: &[ReportPoint], now: i64) -> Vec<UsagePoint> {
    let now = Month::of_instant(now);
    let from = reports.iter().map(|r| r.month).min().unwrap_or(now).min(now);
    let counted: Vec<Counted> = deployments.iter().map(|d| d.counted).collect();
    series(&counted, reports, from, now)
}

/// The programme's scale in the month `now`: the series from the first month reported (or `now`) to `now`.
pub fn scale(deployments: &[CountedDeployment], reports: &[ReportPoint], now: Month) -> Scale {
    let from = reports.iter().map(|r| r.month).min().unwrap_or(now).min(now);
    let counted: Vec<Counted> = deployments.iter().map(|d| d.counted).collect();
    let series = series(&counted, reports, from, now);
    let pace = pace(&series);
    let mut by_case: Vec<CaseCount> = Vec::new();
    let mut keys_by_case: std::collections::HashMap<&str, std::collections::HashSet<&str>> =
        std::collections::HashMap::new();
    for deployment in deployments {
        let keys = keys_by_case.entry(deployment.case_slug.as_str()).or_default();
        keys.insert(deployment.collectivite_key.as_str());
        let collectivites = keys.len() as i64;
        let in_service = i64::from(deployment.status == Status::InService);
        match by_case.iter_mut().find(|c| c.slug == deployment.case_slug) {
            Some(case) => {
                case.deployments += 1;
                case.collectivites = collectivites;
                case.in_service += in_service;
            }
            None => by_case.push(CaseCount {
                title: deployment.case_title.clone(),
                slug: deployment.case_slug.clone(),
                deployments: 1,
                collectivites,
                in_service,
            }),
        }
    }
    by_case.sort_by(|a, b| b.deployments.cmp(&a.deployments).then_with(|| a.title.cmp(&b.title)));
    let collectivites = deployments
        .iter()
        .map(|d| d.collectivite_key.as_str())
        .collect::<std::collections::HashSet<_>>()
        .len() as i64;
    Scale {
        series,
        pace,
        deployments: deployments.len() as i64,
        collectivites,
        by_case,
    }
}

/// How a published case is used, for its catalogue page: where it is in service, and the regular agents of
/// the reports that still count in the month `now`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSummary {
    pub in_service: i64,
    pub regular: i64,
    /// The latest month those reports are for.
    pub month: Option<Month>,
}

/// The summary of a case's deployments, each given as its status and its latest report (month, regular agents).
pub fn case_summary(deployments: &[(Status, Option<(Month, i64)>)], now: Month) -> CaseSummary {
    let mut summary = CaseSummary::default();
    for (status, latest) in deployments {
        if *status != Status::InService {
            continue;
        }
        summary.in_service += 1;
        if let Some((month, regular)) = latest.filter(|(month, _)| now.since(*month) <= STALE_AFTER_MONTHS) {
            summary.regular += regular;
            summary.month = summary.month.max(Some(month));
        }
    }
    summary
}
