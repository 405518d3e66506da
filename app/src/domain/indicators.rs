//! The programme's indicators over time, from the event log: how long cases stay in each stage (median and
//! 90th percentile, per relève period), cases filed per month and in all, qualified versus reoriented per
//! period, and when each of the programme's targets would be reached at the current pace.

use super::dates::{civil_from_days, iso_date};
use super::periods::{period_for_case, Period};
use super::stage::Stage;

const DAY: i64 = 86_400;

/// A case's timeline: when it was filed and each move (when, from, to), oldest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timeline {
    pub filed_at: i64,
    pub stage: Stage,
    pub moves: Vec<(i64, Stage, Stage)>,
}

/// Days spent in each stage, for the stays that ended (a case moved back and forth adds its stays up).
pub fn days_per_stage(timeline: &Timeline) -> Vec<(Stage, f64)> {
    let mut totals: Vec<(Stage, f64)> = Vec::new();
    let mut entered = timeline.filed_at;
    // Each move names the stage it left: the stay in it lasted from the previous move (or the filing).
    for &(at, from, _) in &timeline.moves {
        let days = (at - entered).max(0) as f64 / DAY as f64;
        match totals.iter_mut().find(|(stage, _)| *stage == from) {
            Some((_, total)) => *total += days,
            None => totals.push((from, days)),
        }
        entered = at;
    }
    totals
}

/// The value below which `p` (0 to 1) of the sorted values fall (nearest rank).
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted.get(rank.min(sorted.len()) - 1).copied()
}

/// How long cases stayed in a stage, for the cases of one period (or all).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LeadTime {
    pub stage: Stage,
    pub cases: usize,
    pub median_days: f64,
    pub p90_days: f64,
}

/// The lead times of the pipeline's stages over `timelines`, stages without an ended stay left out.
pub fn lead_times(timelines: &[&Timeline]) -> Vec<LeadTime> {
    Stage::PIPELINE
        .into_iter()
        .filter_map(|stage| {
            let mut days: Vec<f64> = timelines
                .iter()
                .filter_map(|t| days_per_stage(t).into_iter().find(|(s, _)| *s == stage).map(|(_, d)| d))
                .collect();
            days.sort_by(f64::total_cmp);
            Some(LeadTime {
                stage,
                cases: days.len(),
                median_days: percentile(&days, 0.5)?,
                p90_days: percentile(&days, 0.9)?,
            })
        })
        .collect()
}

/// The lead times per relève period (the period that examines each case), then for all cases.
pub fn lead_times_by_period(timelines: &[Timeline], periods: &[Period]) -> Vec<(String, Vec<LeadTime>)> {
    let mut out = Vec::new();
    let mut sorted: Vec<&Period> = periods.iter().collect();
    sorted.sort_by_key(|p| p.starts_at);
    for period in sorted {
        let of_period: Vec<&Timeline> = timelines
            .iter()
            .filter(|t| period_for_case(t.filed_at, periods).map(|p| p.id) == Some(period.id))
            .collect();
        let times = lead_times(&of_period);
        if !times.is_empty() {
            out.push((period.name.clone(), times));
        }
    }
    let all: Vec<&Timeline> = timelines.iter().collect();
    out.push(("Tous les cas".to_string(), lead_times(&all)));
    out
}

/// `AAAA-MM` of an instant (UTC).
fn month_of(unix_seconds: i64) -> String {
    let (year, month, _) = civil_from_days(unix_seconds.div_euclid(DAY));
    format!("{year:04}-{month:02}")
}

/// Cases filed per month (every month from the first to the last, empty ones included) and in all.
pub fn filed_per_month(filed_at: &[i64]) -> Vec<(String, i64, i64)> {
    let (Some(first), Some(last)) = (filed_at.iter().min(), filed_at.iter().max()) else {
        return Vec::new();
    };
    let mut months = Vec::new();
    let (mut year, mut month, _) = civil_from_days(first.div_euclid(DAY));
    let last_month = month_of(*last);
    let mut total = 0;
    loop {
        let label = format!("{year:04}-{month:02}");
        let count = filed_at.iter().filter(|at| month_of(**at) == label).count() as i64;
        total += count;
        months.push((label.clone(), count, total));
        if label == last_month {
            break;
        }
        (year, month) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    }
    months
}

/// Per period: the cases it examines that were qualified (left qualification for the cadrage) and reoriented.
pub fn outcomes_by_period(timelines: &[Timeline], periods: &[Period]) -> Vec<(String, i64, i64)> {
    let mut sorted: Vec<&Period> = periods.iter().collect();
    sorted.sort_by_key(|p| p.starts_at);
    sorted
        .into_iter()
        .map(|period| {
            let of_period = timelines
                .iter()
                .filter(|t| period_for_case(t.filed_at, periods).map(|p| p.id) == Some(period.id));
            let (mut qualified, mut reoriented) = (0, 0);
            for timeline in of_period {
                let moved = |to: Stage| {
                    timeline
                        .moves
                        .iter()
                        .any(|(_, from, t)| *from == Stage::Qualification && *t == to)
                };
                if moved(Stage::Cadrage) {
                    qualified += 1;
                }
                if timeline.stage == Stage::Reoriente {
                    reoriented += 1;
                }
            }
            (period.name.clone(), qualified, reoriented)
        })
        .collect()
}

/// When `target` would be reached at the pace from `since` to `now` (`current` done so far): none when already
/// reached (then `reached`), or when nothing was done yet.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Projection {
    Reached,
    On(String),
    Unknown,
}

pub fn projection(current: i64, target: i64, since: i64, now: i64) -> Projection {
    if current >= target {
        return Projection::Reached;
    }
    let elapsed = now - since;
    if current <= 0 || elapsed <= 0 {
        return Projection::Unknown;
    }
    let remaining = (target - current) as i128 * elapsed as i128 / current as i128;
    Projection::On(iso_date(now + remaining.min(i64::MAX as i128 / 2) as i64))
}

/// A target of the programme, where it stands and when it would be reached at the current pace.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Target {
    pub code: String,
    pub label: String,
    pub current: i64,
    pub target: i64,
    pub projection: Projection,
}

/// Everything `/programme` shows over time.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Evolution {
    pub lead_times: Vec<(String, Vec<LeadTime>)>,
    pub per_month: Vec<(String, i64, i64)>,
    pub outcomes: Vec<(String, i64, i64)>,
    pub targets: Vec<Target>,
    /// The deployments' usage month by month, from their reports (`deployments::usage::series`).
    pub usage: Vec<super::deployments::usage::UsagePoint>,
}

/// The programme's targets (15 cases carried, 15 collectivités, 100,000 agents by 2030 — counted from the
/// deployments' latest reports, `usage`) and the indicators.
pub fn evolution(
    timelines: &[Timeline],
    periods: &[Period],
    pioneers: i64,
    usage: &[super::deployments::usage::UsagePoint],
    now: i64,
) -> Evolution {
    let agents_using = usage.last().map_or(0, |point| point.regular);
    let since = timelines.iter().map(|t| t.filed_at).min().unwrap_or(now);
    let carried = timelines
        .iter()
        .filter(|t| matches!(t.stage, Stage::Cadrage | Stage::Conception | Stage::Diffusion))
        .count() as i64;
    let target = |code: &str, label: &str, current: i64, goal: i64| Target {
        code: code.into(),
        label: label.into(),
        current,
        target: goal,
        projection: projection(current, goal, since, now),
    };
    Evolution {
        lead_times: lead_times_by_period(timelines, periods),
        per_month: filed_per_month(&timelines.iter().map(|t| t.filed_at).collect::<Vec<_>>()),
        outcomes: outcomes_by_period(timelines, periods),
        targets: vec![
            target("cas", "Cas d'usage accompagnés (cadrage à diffusion)", carried, 15),
            target("collectivites", "Collectivités pionnières accompagnées", pioneers, 15),
            target(
                "agents",
                "Agents utilisateurs réguliers (derniers relevés d'usage des déploiements)",
                agents_using,
                super::deployments::TARGET_AGENTS,
            ),
        ],
        usage: usage.to_vec(),
    }
}

/// The value of one indicator line: a count, a number of days, or words (a projected date, « atteint »).
#[derive(Clone, Debug, PartialEq)]
pub enum IndicatorValue {
    Count(i64),
    Days(f64),
    Text(String),
}

impl IndicatorValue {
    /// As the CSV writes it (days to one decimal).
    pub fn text(&self) -> String {
        match self {
            IndicatorValue::Count(count) => count.to_string(),
            IndicatorValue::Days(days) => format!("{days:.1}"),
            IndicatorValue::Text(text) => text.clone(),
        }
    }
}

/// One line of the indicators: its name, its period or month, its stage (or none), its value.
#[derive(Clone, Debug, PartialEq)]
pub struct IndicatorLine {
    pub name: String,
    pub period: String,
    pub stage: String,
    pub value: IndicatorValue,
}

/// The columns of the indicators' table.
pub const INDICATOR_COLUMNS: [&str; 4] = ["indicateur", "periode_ou_mois", "etape", "valeur"];

/// The indicators, one line per figure (lead times, filings, outcomes, usage, targets).
pub fn indicator_lines(evolution: &Evolution) -> Vec<IndicatorLine> {
    use IndicatorValue::{Count, Days, Text};
    let mut lines = Vec::new();
    let mut push = |name: &str, period: &str, stage: &str, value: IndicatorValue| {
        lines.push(IndicatorLine {
            name: name.into(),
            period: period.into(),
            stage: stage.into(),
            value,
        })
    };
    for (period, times) in &evolution.lead_times {
        for time in times {
            push("delai_median_jours", period, time.stage.code(), Days(time.median_days));
            push("delai_p90_jours", period, time.stage.code(), Days(time.p90_days));
        }
    }
    for (month, count, total) in &evolution.per_month {
        push("cas_deposes", month, "", Count(*count));
        push("cas_deposes_cumul", month, "", Count(*total));
    }
    for (period, qualified, reoriented) in &evolution.outcomes {
        push("cas_qualifies", period, "", Count(*qualified));
        push("cas_reorientes", period, "", Count(*reoriented));
    }
    for point in &evolution.usage {
        for (name, value) in [
            ("agents_reguliers", point.regular),
            ("agents_occasionnels", point.occasional),
            ("usagers_touches", point.usagers),
            ("heures_economisees", point.hours),
            ("deploiements_comptes", point.counted),
            ("deploiements_sans_releve_recent", point.stale),
        ] {
            push(name, &point.month.iso(), "", Count(value));
        }
    }
    for target in &evolution.targets {
        let name = format!("objectif_{}", target.code);
        push(&name, "actuel", "", Count(target.current));
        push(&name, "cible", "", Count(target.target));
        let at = match &target.projection {
            Projection::Reached => "atteint".to_string(),
            Projection::On(day) => day.clone(),
            Projection::Unknown => String::new(),
        };
        push(&name, "date_projetee", "", Text(at));
    }
    lines
}

/// The indicators as CSV lines (`indicateur`, `periode_ou_mois`, `etape`, `valeur`), header first.
pub fn csv_lines(evolution: &Evolution) -> Vec<[String; 4]> {
    let mut lines = vec![INDICATOR_COLUMNS.map(String::from)];
    lines.extend(
        indicator_lines(evolution)
            .into_iter()
            .map(|line| [line.name, line.period, line.stage, line.value.text()]),
    );
    lines
}

/// The outline of the régions (Natural Earth, public domain; see `regions_map.SOURCE.md`): INSEE code, name as
/// in the directory, SVG path in the viewBox [`MAP_VIEWBOX`].
const REGIONS_MAP: &str = include_str!("regions_map.txt");
pub const MAP_VIEWBOX: &str = "0 0 600 600";

/// The régions of the map: (INSEE code, name, SVG path).
pub fn regions_map() -> Vec<(&'static str, &'static str, &'static str)> {
    REGIONS_MAP
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .filter_map(|line| {
            let mut parts = line.splitn(3, '\t');
            Some((parts.next()?, parts.next()?, parts.next()?))
        })
        .collect()
}

/// The shade of a région on the map, 0 (no case) to 4 (the most cases).
pub fn shade(count: i64, most: i64) -> u8 {
    if count <= 0 || most <= 0 {
        return 0;
    }
    (1 + (count * 3) / most).min(4) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_767_225_600; // 2026-01-01

    fn timeline(moves: &[(i64, Stage, Stage)], stage: Stage) -> Timeline {
        Timeline {
            filed_at: T0,
            stage,
            moves: moves.iter().map(|&(d, from, to)| (T0 + d * DAY, from, to)).collect(),
        }
    }

    #[test]
    fn a_case_moved_back_and_forth_adds_up_its_stays() {
        use Stage::*;
        let t = timeline(
            &[
                (10, Remontee, Qualification),
                (15, Qualification, Remontee),
                (16, Remontee, Qualification),
                (19, Qualification, Cadrage),
            ],
            Cadrage,
        );
        assert_eq!(
            days_per_stage(&t),
            vec![(Remontee, 11.0), (Qualification, 8.0)],
            "the cadrage stay has not ended"
        );
    }

    #[test]
    fn medians_and_90th_percentiles_per_stage_and_period() {
        use Stage::*;
        let timelines: Vec<Timeline> = (1..=10)
            .map(|n| timeline(&[(n, Remontee, Qualification)], Qualification))
            .collect();
        let refs: Vec<&Timeline> = timelines.iter().collect();
        let times = lead_times(&refs);
        assert_eq!(times.len(), 1);
        assert_eq!((times[0].stage, times[0].cases), (Remontee, 10));
        assert_eq!((times[0].median_days, times[0].p90_days), (5.0, 9.0));
        let periods = [Period {
            id: 1,
            name: "Printemps".into(),
            starts_at: T0 + 1,
            ends_at: T0 + 90 * DAY,
        }];
        let by_period = lead_times_by_period(&timelines, &periods);
        assert_eq!(by_period[0].0, "Printemps");
        assert_eq!(by_period.last().map(|(name, _)| name.as_str()), Some("Tous les cas"));
        assert_eq!(percentile(&[], 0.5), None);
    }

    #[test]
    fn filings_are_counted_per_month_with_empty_months_and_the_running_total() {
        let months = filed_per_month(&[T0, T0 + 3 * DAY, T0 + 70 * DAY]);
        assert_eq!(
            months,
            vec![
                ("2026-01".into(), 2, 2),
                ("2026-02".into(), 0, 2),
                ("2026-03".into(), 1, 3)
            ]
        );
        assert!(filed_per_month(&[]).is_empty());
    }

    #[test]
    fn qualified_and_reoriented_cases_are_counted_per_period() {
        use Stage::*;
        let periods = [Period {
            id: 1,
            name: "Printemps".into(),
            starts_at: T0 + 1,
            ends_at: T0 + 90 * DAY,
        }];
        let qualified = timeline(&[(1, Remontee, Qualification), (5, Qualification, Cadrage)], Cadrage);
        let reoriented = timeline(
            &[(1, Remontee, Qualification), (5, Qualification, Reoriente)],
            Reoriente,
        );
        assert_eq!(
            outcomes_by_period(&[qualified, reoriented], &periods),
            vec![("Printemps".into(), 1, 1)]
        );
    }

    #[test]
    fn the_evolution_counts_carried_cases_and_writes_its_csv() {
        use Stage::*;
        let timelines = vec![
            timeline(&[(1, Remontee, Qualification), (5, Qualification, Cadrage)], Cadrage),
            timeline(&[], Remontee),
        ];
        let evolution = evolution(&timelines, &[], 1, &[], T0 + 100 * DAY);
        assert_eq!(evolution.targets[0].current, 1);
        assert_eq!(
            evolution.targets[2].projection,
            Projection::Unknown,
            "no agent measured yet"
        );
        let lines = csv_lines(&evolution);
        assert_eq!(lines[0][0], "indicateur");
        assert!(lines
            .iter()
            .any(|l| l[0] == "delai_median_jours" && l[2] == "qualification" && l[3] == "4.0"));
        assert!(lines
            .iter()
            .any(|l| l[0] == "cas_deposes_cumul" && l[1] == "2026-01" && l[3] == "2"));
    }

    #[test]
    fn the_map_holds_the_eighteen_regions_of_the_directory() {
        let map = regions_map();
        assert_eq!(map.len(), 18);
        assert!(map
            .iter()
            .any(|(code, name, path)| *code == "53" && *name == "Bretagne" && path.starts_with('M')));
        assert_eq!((shade(0, 5), shade(1, 5), shade(5, 5)), (0, 1, 4));
    }

    #[test]
    fn targets_are_projected_at_the_current_pace() {
        // 5 of 15 in 100 days: 200 days more.
        assert_eq!(
            projection(5, 15, T0, T0 + 100 * DAY),
            Projection::On(iso_date(T0 + 300 * DAY))
        );
        assert_eq!(projection(15, 15, T0, T0 + DAY), Projection::Reached);
        assert_eq!(projection(0, 15, T0, T0 + DAY), Projection::Unknown);
    }
}
