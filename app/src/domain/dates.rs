//! French wording of instants for people in metropolitan France: Europe/Paris time (with its summer time rule)
//! and month names, without a time-zone database.

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// The French name of the month `month` (1 for « janvier »).
pub fn french_month(month: u32) -> &'static str {
    MONTHS[(month.clamp(1, 12) - 1) as usize]
}

/// Days since 1970-01-01 → (year, month 1–12, day 1–31), proleptic Gregorian (Howard Hinnant's algorithm).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// `2026-11-28` (UTC), for open data.
pub fn iso_date(unix_seconds: i64) -> String {
    let (year, month, day) = civil_from_days(unix_seconds.div_euclid(86_400));
    format!("{year:04}-{month:02}-{day:02}")
}

/// `2026-11-28T16:05:09Z`, for feeds and sitemaps.
pub fn iso_datetime(unix_seconds: i64) -> String {
    let seconds = unix_seconds.rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        iso_date(unix_seconds),
        seconds / 3_600,
        seconds % 3_600 / 60,
        seconds % 60
    )
}

/// (year, month, day) → days since 1970-01-01.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let month = i64::from(month);
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The day of the last Sunday of `month` in `year`.
fn last_sunday(year: i64, month: u32) -> u32 {
    let last_day = if month == 3 || month == 10 { 31 } else { 30 };
    let days = days_from_civil(year, month, last_day);
    // 1970-01-01 was a Thursday: weekday 0 = Sunday.
    let weekday = (days + 4).rem_euclid(7) as u32;
    last_day - weekday
}

/// Offset of Paris from UTC, in seconds, at the UTC instant `unix_seconds` (CET, or CEST from the last Sunday
/// of March 01:00 UTC to the last Sunday of October 01:00 UTC).
pub fn paris_offset_seconds(unix_seconds: i64) -> i64 {
    let (year, _, _) = civil_from_days(unix_seconds.div_euclid(86_400));
    let summer_start = days_from_civil(year, 3, last_sunday(year, 3)) * 86_400 + 3_600;
    let summer_end = days_from_civil(year, 10, last_sunday(year, 10)) * 86_400 + 3_600;
    if unix_seconds >= summer_start && unix_seconds < summer_end {
        7_200
    } else {
        3_600
    }
}

/// The calendar year in Paris at `unix_seconds`.
pub fn paris_year(unix_seconds: i64) -> i64 {
    let local = unix_seconds + paris_offset_seconds(unix_seconds);
    civil_from_days(local.div_euclid(86_400)).0
}

/// "28 novembre 2026 à 14 h 03" in Paris time.
pub fn format_paris(unix_seconds: i64) -> String {
    let local = unix_seconds + paris_offset_seconds(unix_seconds);
    let (year, month, day) = civil_from_days(local.div_euclid(86_400));
    let seconds_of_day = local.rem_euclid(86_400);
    let month_name = MONTHS[(month - 1) as usize];
    let day_text = if day == 1 { "1er".to_string() } else { day.to_string() };
    format!(
        "{day_text} {month_name} {year} à {} h {:02}",
        seconds_of_day / 3_600,
        (seconds_of_day % 3_600) / 60
    )
}

/// "28 novembre 2026" in Paris time.
pub fn format_paris_date(unix_seconds: i64) -> String {
    let full = format_paris(unix_seconds);
    full.split(" à ").next().unwrap_or_default().to_string()
}

/// Reads a date typed as `AAAA-MM-JJ` (what `<input type="date">` sends); none when it is not a real date.
pub fn parse_iso_date(text: &str) -> Option<(i64, u32, u32)> {
    let mut parts = text.trim().splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    if !(2000..=2100).contains(&year) || !(1..=12).contains(&month) || day == 0 {
        return None;
    }
    // A real day of that month: the round trip through day numbers keeps it.
    (civil_from_days(days_from_civil(year, month, day)) == (year, month, day)).then_some((year, month, day))
}

/// A day typed as `AAAA-MM-JJ` as a day number since 1970-01-01; none when it is not a real date.
pub fn day_number(text: &str) -> Option<i64> {
    parse_iso_date(text).map(|(year, month, day)| days_from_civil(year, month, day))
}

/// A day number as `AAAA-MM-JJ`.
pub fn iso_of_day(day: i64) -> String {
    iso_date(day * 86_400)
}

/// A day number as "31 janvier 2026".
pub fn french_of_day(day: i64) -> String {
    let (year, month, day_of_month) = civil_from_days(day);
    format!("{day_of_month} {} {year}", MONTHS[month as usize - 1])
}

/// The instant of midnight in Paris starting that day.
pub fn paris_midnight(year: i64, month: u32, day: u32) -> i64 {
    let utc_midnight = days_from_civil(year, month, day) * 86_400;
    utc_midnight - paris_offset_seconds(utc_midnight)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_are_utc() {
        assert_eq!(iso_date(0), "1970-01-01");
        assert_eq!(iso_datetime(1_795_737_600 + 3_661), "2026-11-27T01:01:01Z");
    }

    #[test]
    fn civil_round_trip() {
        for days in [-1_000_000, -1, 0, 1, 19_000, 20_785, 2_000_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(days_from_civil(2026, 11, 28), 20_785);
    }

    #[test]
    fn winter_and_summer_time() {
        // 2026-11-28 13:00 UTC → 14 h 00 in Paris (CET).
        let winter = days_from_civil(2026, 11, 28) * 86_400 + 13 * 3_600;
        assert_eq!(format_paris(winter), "28 novembre 2026 à 14 h 00");
        // 2026-07-01 13:05 UTC → 15 h 05 (CEST).
        let summer = days_from_civil(2026, 7, 1) * 86_400 + 13 * 3_600 + 300;
        assert_eq!(format_paris(summer), "1er juillet 2026 à 15 h 05");
    }

    #[test]
    fn summer_time_switches_on_the_last_sundays() {
        // 2026: 29 March and 25 October.
        assert_eq!(last_sunday(2026, 3), 29);
        assert_eq!(last_sunday(2026, 10), 25);
        let switch = days_from_civil(2026, 3, 29) * 86_400 + 3_600;
        assert_eq!(paris_offset_seconds(switch - 1), 3_600);
        assert_eq!(paris_offset_seconds(switch), 7_200);
    }

    #[test]
    fn iso_dates_are_checked_and_start_at_paris_midnight() {
        assert_eq!(parse_iso_date("2026-12-01"), Some((2026, 12, 1)));
        assert_eq!(parse_iso_date("2026-02-30"), None);
        assert_eq!(parse_iso_date("1er décembre"), None);
        assert_eq!(parse_iso_date("2026-13-01"), None);
        let midnight = paris_midnight(2026, 12, 1);
        assert_eq!(format_paris(midnight), "1er décembre 2026 à 0 h 00");
        assert_eq!(format_paris(paris_midnight(2026, 7, 14)), "14 juillet 2026 à 0 h 00");
    }

    #[test]
    fn new_year_in_paris_comes_before_utc() {
        let utc_2330 = days_from_civil(2026, 12, 31) * 86_400 + 23 * 3_600 + 1_800;
        assert_eq!(paris_year(utc_2330), 2027);
        assert_eq!(format_paris_date(utc_2330), "1er janvier 2027");
    }
}
