//! The impact estimate of step 3: hours of agents' time saved per year, computed the same way in the browser
//! (live, while typing) and on the server (stored with the case, shown on the board).

/// The inputs of the estimate, already validated.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Volumes {
    /// How many times the process runs in a month.
    pub occurrences_per_month: i64,
    /// Minutes an agent spends on one occurrence today.
    pub minutes_per_occurrence: i64,
    /// Share of that time the solution is expected to save, in percent (0–100).
    pub share_saved_percent: i64,
}

/// Hours saved per year, rounded to the nearest hour: occurrences × 12 × minutes × share / 60.
pub fn hours_saved_per_year(volumes: Volumes) -> i64 {
    // minutes × percent / (60 × 100), rounded half up; values beyond any real case saturate.
    let hours = i128::from(volumes.occurrences_per_month)
        .checked_mul(12)
        .and_then(|v| v.checked_mul(i128::from(volumes.minutes_per_occurrence)))
        .and_then(|v| v.checked_mul(i128::from(volumes.share_saved_percent)))
        .map(|minutes_percent| (minutes_percent + 3_000) / 6_000);
    hours.and_then(|h| i64::try_from(h).ok()).unwrap_or(i64::MAX)
}

/// Full-time equivalents the hours represent (1,607 hours a year, the French public-service reference).
pub fn full_time_equivalents(hours_per_year: i64) -> f64 {
    hours_per_year as f64 / 1_607.0
}

/// The estimate in a French sentence.
pub fn describe(hours_per_year: i64) -> String {
    let fte = full_time_equivalents(hours_per_year);
    let fte_text = format!("{fte:.1}").replace('.', ",");
    format!(
        "Environ {} heures de travail économisées par an, soit {fte_text} équivalent temps plein.",
        super::text::group_thousands(hours_per_year)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn computes_hours_per_year() {
        // 200 dossiers a month × 45 min × 50 % = 4,500 min a month = 75 h a month = 900 h a year.
        let volumes = Volumes {
            occurrences_per_month: 200,
            minutes_per_occurrence: 45,
            share_saved_percent: 50,
        };
        assert_eq!(hours_saved_per_year(volumes), 900);
    }

    #[test]
    fn rounds_to_the_nearest_hour() {
        // 1 × 12 × 5 min × 50 % = 30 min → rounds up to 1 h; 1 × 12 × 4 × 50 % = 24 min → 0 h.
        let half = Volumes {
            occurrences_per_month: 1,
            minutes_per_occurrence: 5,
            share_saved_percent: 50,
        };
        assert_eq!(hours_saved_per_year(half), 1);
        let less = Volumes {
            occurrences_per_month: 1,
            minutes_per_occurrence: 4,
            share_saved_percent: 50,
        };
        assert_eq!(hours_saved_per_year(less), 0);
    }

    #[test]
    fn zero_share_saves_nothing_and_big_values_do_not_overflow() {
        let none = Volumes {
            occurrences_per_month: 1_000,
            minutes_per_occurrence: 60,
            share_saved_percent: 0,
        };
        assert_eq!(hours_saved_per_year(none), 0);
        let huge = Volumes {
            occurrences_per_month: i64::MAX,
            minutes_per_occurrence: i64::MAX,
            share_saved_percent: 100,
        };
        assert_eq!(hours_saved_per_year(huge), i64::MAX);
    }

    #[test]
    fn describes_in_french() {
        assert_eq!(
            describe(1_607),
            "Environ 1\u{202f}607 heures de travail économisées par an, soit 1,0 équivalent temps plein."
        );
    }
}
