//! The relève periods (§3 step 1): when each runs, which period examines a case, and the checks of a new one.

/// A dated relève period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Period {
    pub id: i64,
    pub name: String,
    /// Unix seconds, inclusive.
    pub starts_at: i64,
    /// Unix seconds, exclusive.
    pub ends_at: i64,
}

/// An analysis lasts up to 3 months (§3): beyond this a new period gets a warning.
pub const MAX_PERIOD_SECONDS: i64 = 92 * 86_400;

/// When a case will be examined, in French: the relève period (name, first day, last day), or that its dates
/// are not fixed yet. Shown on the receipt, the follow-up page and in the deposit email.
pub fn review_sentence(period: Option<(&str, i64, i64)>) -> String {
    use super::dates::format_paris_date;
    match period {
        Some((name, first, last)) => format!(
            "Il sera examiné lors de la période de relève « {name} », du {} au {}.",
            format_paris_date(first),
            format_paris_date(last)
        ),
        None => {
            "Il sera examiné lors de la prochaine période de relève, dont les dates ne sont pas encore fixées.".into()
        }
    }
}

/// The period a case filed at `filed_at` is examined in: the first one that starts after it was filed (a case
/// filed during a period waits for the next one).
pub fn period_for_case(filed_at: i64, periods: &[Period]) -> Option<&Period> {
    periods
        .iter()
        .filter(|period| period.starts_at > filed_at)
        .min_by_key(|period| period.starts_at)
}

/// The period running at `now`, if any.
pub fn open_period(now: i64, periods: &[Period]) -> Option<&Period> {
    periods
        .iter()
        .find(|period| period.starts_at <= now && now < period.ends_at)
}

/// Why a new period cannot be created.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeriodError(pub String);

/// The instants of a period given by its first and last days as `AAAA-MM-JJ` (what `<input type="date">` sends):
/// from Paris midnight of the first day to Paris midnight after the last day, so the last day is included.
pub fn period_bounds(first_day: &str, last_day: &str) -> Result<(i64, i64), PeriodError> {
    use super::dates::{civil_from_days, days_from_civil, paris_midnight, parse_iso_date};
    let (y1, m1, d1) = parse_iso_date(first_day)
        .ok_or_else(|| PeriodError("« Premier jour » : choisissez une date valide.".into()))?;
    let (y2, m2, d2) =
        parse_iso_date(last_day).ok_or_else(|| PeriodError("« Dernier jour » : choisissez une date valide.".into()))?;
    let (ny, nm, nd) = civil_from_days(days_from_civil(y2, m2, d2) + 1);
    Ok((paris_midnight(y1, m1, d1), paris_midnight(ny, nm, nd)))
}

/// Checks a new period against the existing ones: a name, an end after the start, no overlap (so at most one is
/// open at a time). Returns the warnings to show (longer than 3 months).
pub fn check_new_period(
    name: &str,
    starts_at: i64,
    ends_at: i64,
    existing: &[Period],
) -> Result<Vec<String>, PeriodError> {
    let length = name.trim().chars().count();
    if !(3..=100).contains(&length) {
        return Err(PeriodError(
            "Le nom de la période doit compter de 3 à 100 caractères.".into(),
        ));
    }
    if ends_at <= starts_at {
        return Err(PeriodError(
            "La fin de la période doit être postérieure à son début.".into(),
        ));
    }
    if let Some(other) = existing.iter().find(|p| starts_at < p.ends_at && p.starts_at < ends_at) {
        return Err(PeriodError(format!(
            "Cette période chevauche la période « {} » : une seule période de relève peut être ouverte à la fois.",
            other.name
        )));
    }
    let mut warnings = Vec::new();
    if ends_at - starts_at > MAX_PERIOD_SECONDS {
        warnings.push(
            "Cette période dépasse 3 mois, la durée maximale d'analyse prévue par le cadre d'intervention.".into(),
        );
    }
    Ok(warnings)
}

/// Where a period stands at a given instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum PeriodStatus {
    #[serde(rename = "a-venir")]
    Upcoming,
    #[serde(rename = "ouverte")]
    Open,
    #[serde(rename = "terminee")]
    Over,
}

impl PeriodStatus {
    /// The status of `period` at `now`.
    pub fn of(period: &Period, now: i64) -> PeriodStatus {
        if now < period.starts_at {
            PeriodStatus::Upcoming
        } else if now < period.ends_at {
            PeriodStatus::Open
        } else {
            PeriodStatus::Over
        }
    }

    /// The status as the team reads it.
    pub fn label(self) -> &'static str {
        match self {
            PeriodStatus::Upcoming => "à venir",
            PeriodStatus::Open => "ouverte",
            PeriodStatus::Over => "terminée",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_is_upcoming_then_open_then_over() {
        let period = Period {
            id: 1,
            name: "Relève".into(),
            starts_at: 100,
            ends_at: 200,
        };
        assert_eq!(PeriodStatus::of(&period, 99), PeriodStatus::Upcoming);
        assert_eq!(PeriodStatus::of(&period, 100), PeriodStatus::Open);
        assert_eq!(PeriodStatus::of(&period, 199), PeriodStatus::Open);
        assert_eq!(PeriodStatus::of(&period, 200), PeriodStatus::Over);
        assert_eq!(PeriodStatus::Open.label(), "ouverte");
    }
}
