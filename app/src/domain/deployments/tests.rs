//! Tests of the deployments' rules: months, statuses, the checks of a report, the count month by month and
//! the pace.

use super::report::*;
use super::*;

// 2026-12-06 00:00 UTC.
const DEC_6: i64 = 1_796_515_200;

fn month(text: &str) -> Month {
    Month::parse(text).expect("a month")
}

#[test]
fn months_parse_print_and_count_in_paris() {
    let march = month("2027-03");
    assert_eq!((march.year(), march.number()), (2027, 3));
    assert_eq!(march.iso(), "2027-03");
    assert_eq!(march.label(), "mars 2027");
    assert_eq!(month("2027-01").plus(-1).label(), "décembre 2026");
    assert_eq!(march.since(month("2026-12")), 3);
    for wrong in ["2027-13", "2027-00", "27-03", "2027-3", "mars", "2027-03-01", "1999-12"] {
        assert_eq!(Month::parse(wrong), None, "{wrong}");
    }
    assert_eq!(Month::of_instant(DEC_6).iso(), "2026-12");
    // 31 December 23:30 UTC is already January in Paris.
    assert_eq!(
        Month::of_instant(DEC_6 + 25 * 86_400 + 23 * 3_600 + 1_800).iso(),
        "2027-01"
    );
    assert_eq!(TARGET_MONTH.label(), "décembre 2030");
}

#[test]
fn codes_round_trip() {
    for status in Status::ALL {
        assert_eq!(Status::from_code(status.code()), Some(status));
    }
    for measure in Measure::ALL {
        assert_eq!(Measure::from_code(measure.code()), Some(measure));
    }
    for kind in [Kind::Pioneer, Kind::Replication] {
        assert_eq!(Kind::from_code(kind.code()), Some(kind));
    }
    assert_eq!(Status::from_code("en service"), None);
}

fn change(to: Status, day: &str, reason: &str) -> StatusChange {
    StatusChange {
        to,
        day: day.into(),
        reason: reason.into(),
    }
}

#[test]
fn a_deployment_moves_forward_stops_with_a_reason_and_may_start_again() {
    let today = crate::domain::dates::day_number("2026-12-06").expect("day");
    let ok = check_status_change(Status::Deploying, &change(Status::InService, "2026-12-01", ""), today);
    assert_eq!(ok.map(|c| c.to), Ok(Status::InService));
    let again = check_status_change(Status::InService, &change(Status::InService, "2026-12-01", ""), today);
    assert!(again.unwrap_err().contains("déjà « En service »"));
    let back = check_status_change(Status::InService, &change(Status::Project, "2026-12-01", ""), today);
    assert!(back.unwrap_err().starts_with("« Statut » :"));
    let future = check_status_change(Status::Deploying, &change(Status::InService, "2026-12-07", ""), today);
    assert!(future.unwrap_err().starts_with("« Date » :"));
    let not_a_day = check_status_change(Status::Deploying, &change(Status::InService, "2026-02-30", ""), today);
    assert!(not_a_day.unwrap_err().starts_with("« Date » :"));
    let silent = check_status_change(Status::InService, &change(Status::Stopped, "2026-12-01", "  "), today);
    assert!(silent.unwrap_err().starts_with("« Motif de l'arrêt » :"));
    let stopped = check_status_change(
        Status::InService,
        &change(
            Status::Stopped,
            "2026-12-01",
            " Outil remplacé par celui de la métropole. ",
        ),
        today,
    )
    .expect("stopped");
    assert_eq!(stopped.reason, "Outil remplacé par celui de la métropole.");
    let restart = check_status_change(Status::Stopped, &change(Status::Deploying, "2026-12-02", "x"), today);
    assert_eq!(
        restart.map(|c| c.reason),
        Ok(String::new()),
        "a restart keeps no reason"
    );
}

fn facts() -> ReportFacts {
    ReportFacts {
        status: Status::InService,
        in_service: Some(month("2026-09")),
        staff: Some(1_200),
        vibe_agreed: None,
    }
}

fn form() -> ReportForm {
    ReportForm {
        month: "2026-11".into(),
        regular: "240".into(),
        regular_measure: Some(Measure::ToolStatistics),
        occasional: "60".into(),
        occasional_measure: Some(Measure::ToolStatistics),
        usagers: "3 500".into(),
        usagers_measure: Some(Measure::Estimate),
        ..ReportForm::default()
    }
}

fn fields(result: Result<Report, Vec<ReportError>>) -> Vec<&'static str> {
    result.err().unwrap_or_default().iter().map(|e| e.field).collect()
}

#[test]
fn a_report_in_order_keeps_its_figures_and_measures() {
    let now = month("2026-12");
    let report = check_report(&form(), &facts(), now).expect("valid");
    assert_eq!(report.month, month("2026-11"));
    assert_eq!(
        (report.regular.value, report.usagers.value, report.staff),
        (240, 3_500, 1_200)
    );
    assert_eq!(report.usagers.measure, Measure::Estimate);
    assert_eq!(report.hours, None);
    // The boundaries: zero, and every agent regular.
    let all = ReportForm {
        regular: "1200".into(),
        occasional: "0".into(),
        usagers: "0".into(),
        ..form()
    };
    assert!(check_report(&all, &facts(), now).is_ok());
    let current_month = ReportForm {
        month: "2026-12".into(),
        ..form()
    };
    assert!(check_report(&current_month, &facts(), now).is_ok());
}

#[test]
fn bad_figures_are_refused_naming_their_field() {
    let now = month("2026-12");
    let negative = ReportForm {
        regular: "-3".into(),
        ..form()
    };
    let refused = check_report(&negative, &facts(), now).unwrap_err();
    assert_eq!(refused[0].field, "agents_reguliers");
    assert!(
        refused[0].message.starts_with("« Agents réguliers » :"),
        "{}",
        refused[0].message
    );
    let over_staff = ReportForm {
        regular: "1201".into(),
        occasional: "0".into(),
        ..form()
    };
    assert_eq!(fields(check_report(&over_staff, &facts(), now)), ["agents_reguliers"]);
    let huge = ReportFacts {
        staff: Some(150_000),
        ..facts()
    };
    let over_target = ReportForm {
        regular: "100001".into(),
        occasional: "0".into(),
        ..form()
    };
    assert_eq!(fields(check_report(&over_target, &huge, now)), ["agents_reguliers"]);
    let counted_twice = ReportForm {
        regular: "1000".into(),
        occasional: "300".into(),
        ..form()
    };
    assert_eq!(
        fields(check_report(&counted_twice, &facts(), now)),
        ["agents_occasionnels"]
    );
    let words = ReportForm {
        usagers: "beaucoup".into(),
        ..form()
    };
    assert_eq!(fields(check_report(&words, &facts(), now)), ["usagers"]);
    let no_measure = ReportForm {
        regular_measure: None,
        ..form()
    };
    assert_eq!(fields(check_report(&no_measure, &facts(), now)), ["agents_reguliers"]);
    let empty = ReportForm {
        occasional: " ".into(),
        ..form()
    };
    assert_eq!(fields(check_report(&empty, &facts(), now)), ["agents_occasionnels"]);
    let absurd_hours = ReportForm {
        hours: "50000".into(),
        hours_measure: Some(Measure::Survey),
        ..form()
    };
    assert_eq!(fields(check_report(&absurd_hours, &facts(), now)), ["heures"]);
    let hours = ReportForm {
        hours: "1200".into(),
        hours_measure: Some(Measure::Survey),
        ..form()
    };
    assert_eq!(
        check_report(&hours, &facts(), now).expect("ok").hours.map(|h| h.value),
        Some(1_200)
    );
}

#[test]
fn the_month_is_past_and_in_service_and_the_staff_is_asked_once() {
    let now = month("2026-12");
    let future = ReportForm {
        month: "2027-01".into(),
        ..form()
    };
    let refused = check_report(&future, &facts(), now).unwrap_err();
    assert_eq!(refused[0].message, "« Mois » : janvier 2027 n'est pas encore commencé.");
    let before = ReportForm {
        month: "2026-08".into(),
        ..form()
    };
    assert_eq!(fields(check_report(&before, &facts(), now)), ["mois"]);
    let no_staff = ReportFacts { staff: None, ..facts() };
    assert_eq!(fields(check_report(&form(), &no_staff, now)), ["effectif"]);
    let typed = ReportForm {
        staff: "400".into(),
        ..form()
    };
    assert_eq!(check_report(&typed, &no_staff, now).map(|r| r.staff), Ok(400));
    let not_in_service = ReportFacts {
        status: Status::Deploying,
        ..facts()
    };
    assert_eq!(fields(check_report(&form(), &not_in_service, now)), ["statut"]);
    assert!(already_reported(month("2026-11")).contains("novembre 2026"));
}

#[test]
fn vibe_seats_are_asked_of_a_pioneer_with_vibe_and_users_fit_in_seats() {
    let now = month("2026-12");
    let with_vibe = ReportFacts {
        vibe_agreed: Some(50),
        ..facts()
    };
    let seats = ReportForm {
        vibe_seats: "40".into(),
        vibe_users: "32".into(),
        ..form()
    };
    assert_eq!(
        check_report(&seats, &with_vibe, now).map(|r| r.vibe),
        Ok(Some((40, 32)))
    );
    assert_eq!(
        check_report(&seats, &facts(), now).map(|r| r.vibe),
        Ok(None),
        "no Vibe, not asked"
    );
    let too_many = ReportForm {
        vibe_users: "41".into(),
        ..seats.clone()
    };
    assert_eq!(fields(check_report(&too_many, &with_vibe, now)), ["utilisateurs_vibe"]);
    let half = ReportForm {
        vibe_users: String::new(),
        ..seats
    };
    assert_eq!(fields(check_report(&half, &with_vibe, now)), ["sieges_vibe"]);
}

#[test]
fn corrections_last_sixty_days_and_reports_count_two_months_after() {
    assert!(may_correct(DEC_6, DEC_6 + 60 * 86_400));
    assert!(!may_correct(DEC_6, DEC_6 + 60 * 86_400 + 1));
    assert!(is_current(month("2026-10"), month("2026-12")));
    assert!(!is_current(month("2026-09"), month("2026-12")));
}

fn reported(deployment: i64, at: &str, regular: i64) -> usage::ReportPoint {
    usage::ReportPoint {
        deployment,
        month: month(at),
        regular,
        occasional: 1,
        usagers: 10,
        hours: Some(5),
    }
}

#[test]
fn a_report_counts_two_months_after_its_own_then_is_stale_and_a_stop_ends_it() {
    use usage::{series, Counted};
    let deployments = [
        Counted {
            deployment: 1,
            stopped: None,
        },
        Counted {
            deployment: 2,
            stopped: Some(month("2026-10")),
        },
    ];
    let reports = [
        reported(1, "2026-08", 100),
        reported(2, "2026-09", 40),
        reported(1, "2026-06", 60),
    ];
    let points = series(&deployments, &reports, month("2026-06"), month("2026-12"));
    let regular: Vec<i64> = points.iter().map(|p| p.regular).collect();
    // June and July: June's 60; August: 100; September and October: 100 + 40; November: August's report is
    // three months old (stale) and deployment 2 stopped in October.
    assert_eq!(regular, [60, 60, 100, 140, 140, 0, 0]);
    let stale: Vec<i64> = points.iter().map(|p| p.stale).collect();
    assert_eq!(stale, [0, 0, 0, 0, 0, 1, 1], "never carried forward, counted apart");
    assert_eq!(points[3].counted, 2);
    assert_eq!((points[3].usagers, points[3].hours, points[3].occasional), (20, 10, 2));
}

#[test]
fn the_pace_needed_and_observed() {
    use usage::{pace, Projection, UsagePoint};
    assert_eq!(pace(&[]).projection, Projection::Unknown);
    let point = |at: &str, regular: i64| UsagePoint {
        month: month(at),
        regular,
        ..UsagePoint::default()
    };
    let one = pace(&[point("2026-12", 1_000)]);
    assert_eq!(one.observed_per_month, None);
    // 99,000 missing over the 48 months from December 2026 to December 2030.
    assert_eq!(one.needed_per_month, 2_063);
    let growing = pace(&[
        point("2026-10", 1_000),
        point("2026-11", 1_500),
        point("2026-12", 2_000),
    ]);
    assert_eq!(growing.observed_per_month, Some(500));
    assert_eq!(growing.projection, Projection::At(month("2026-12").plus(196)));
    let reached = pace(&[point("2026-11", 90_000), point("2026-12", 100_000)]);
    assert_eq!(reached.projection, Projection::Reached);
    assert_eq!(reached.needed_per_month, 0);
    let flat = pace(&[point("2026-11", 10), point("2026-12", 10)]);
    assert_eq!(flat.projection, Projection::Unknown);
}

#[test]
fn a_declaration_is_not_a_stop_and_its_day_is_past() {
    let today = DEC_6 / 86_400;
    assert_eq!(check_declaration(Status::InService, "2026-12-06", today), Ok(today));
    assert!(check_declaration(Status::Stopped, "2026-12-01", today)
        .unwrap_err()
        .starts_with("« Où en est-il ? »"));
    assert!(check_declaration(Status::Project, "2026-12-07", today)
        .unwrap_err()
        .contains("futur"));
    assert!(check_declaration(Status::Project, "06/12/2026", today)
        .unwrap_err()
        .starts_with("« Depuis le »"));
}

#[test]
fn a_refused_form_comes_back_as_typed() {
    let typed = ReportForm {
        regular: "-5".into(),
        hours: "12 000".into(),
        ..form()
    };
    let pairs = typed.pairs();
    let back = ReportForm::from_pairs(|name| {
        pairs
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
            .filter(|v| !v.is_empty())
    });
    assert_eq!(back, typed);
    let regular = Figure {
        value: 12,
        measure: Measure::Survey,
    };
    let again = ReportForm::of_report(month("2026-11"), [regular; 3], None, Some((40, 12)));
    assert_eq!((again.month.as_str(), again.regular.as_str()), ("2026-11", "12"));
    assert_eq!((again.vibe_seats.as_str(), again.hours.as_str()), ("40", ""));
}

#[test]
fn vibe_seats_come_from_the_cadrage() {
    let mut cadrage = crate::domain::cadrage::CadrageDocument::default();
    assert_eq!(vibe_agreed(&cadrage), None);
    cadrage.set("sieges_vibe", " 40 ");
    assert_eq!(vibe_agreed(&cadrage), Some(40));
    cadrage.set("sieges_vibe", "0");
    assert_eq!(vibe_agreed(&cadrage), None);
}

fn counted(id: i64, collectivite: &str, slug: &str, status: Status) -> usage::CountedDeployment {
    usage::CountedDeployment {
        counted: usage::Counted {
            deployment: id,
            stopped: None,
        },
        kind: Kind::Replication,
        status,
        collectivite_key: collectivite.into(),
        case_title: slug.to_uppercase(),
        case_slug: slug.into(),
    }
}

#[test]
fn the_scale_counts_deployments_collectivites_and_cases() {
    let deployments = [
        counted(1, "commune:1", "tri", Status::InService),
        counted(2, "commune:2", "tri", Status::Project),
        counted(3, "commune:1", "assistant", Status::InService),
    ];
    let reports = [reported(1, "2026-10", 50), reported(3, "2026-12", 20)];
    let scale = usage::scale(&deployments, &reports, month("2026-12"));
    assert_eq!(scale.series.len(), 3, "from the first month reported");
    assert_eq!(scale.series[2].regular, 70);
    assert_eq!((scale.deployments, scale.collectivites), (3, 2));
    let tri = &scale.by_case[0];
    assert_eq!(
        (tri.slug.as_str(), tri.deployments, tri.collectivites, tri.in_service),
        ("tri", 2, 2, 1)
    );
    let empty = usage::scale(&[], &[], month("2026-12"));
    assert_eq!(empty.series.len(), 1);
    assert_eq!(empty.series[0].regular, 0);
}

#[test]
fn a_case_summary_counts_in_service_and_current_reports_only() {
    let now = month("2026-12");
    let summary = usage::case_summary(
        &[
            (Status::InService, Some((month("2026-11"), 30))),
            (Status::InService, Some((month("2026-08"), 500))),
            (Status::Stopped, Some((month("2026-12"), 900))),
            (Status::Deploying, None),
        ],
        now,
    );
    assert_eq!(summary.in_service, 2);
    assert_eq!(summary.regular, 30, "the stale report is not carried forward");
    assert_eq!(summary.month, Some(month("2026-11")));
}

#[test]
fn the_team_names_one_collectivite_and_its_contact() {
    use crate::domain::collectivites::{Collectivite, Kind as CollectiviteKind};
    let commune = |code: &str, name: &str| Collectivite {
        kind: CollectiviteKind::Commune,
        code: code.into(),
        siren: String::new(),
        name: name.into(),
        postal_codes: Vec::new(),
        population: None,
        departement_code: String::new(),
        departement_name: String::new(),
        region_code: String::new(),
        region_name: "Bretagne".into(),
    };
    let (rennes, saint_malo) = (commune("35238", "Rennes"), commune("35288", "Saint-Malo"));
    let picked = check_on_behalf("rennes", &[&rennes], " Referent@Rennes.fr ").expect("one");
    assert_eq!(
        (picked.0.key(), picked.1.as_str()),
        ("commune:35238".to_string(), "referent@rennes.fr")
    );
    assert_eq!(
        check_on_behalf("Saint-Malo", &[&rennes, &saint_malo], "a@b.fr")
            .expect("exact")
            .0
            .code,
        "35288"
    );
    let several = check_on_behalf("35", &[&rennes, &saint_malo], "a@b.fr").unwrap_err();
    assert!(
        several.starts_with("« Collectivité » : plusieurs") && several.contains("commune:35238"),
        "{several}"
    );
    assert!(check_on_behalf("Nulle-part", &[], "a@b.fr")
        .unwrap_err()
        .contains("aucune"));
    assert!(check_on_behalf("Rennes", &[&rennes], "pas-une-adresse")
        .unwrap_err()
        .starts_with("« Contact de la collectivité »"));
}

#[test]
fn a_deployment_in_service_is_silent_after_two_months_without_a_report() {
    let now = month("2026-12");
    assert!(!is_silent(Status::InService, month("2026-10"), now));
    assert!(is_silent(Status::InService, month("2026-09"), now));
    assert!(
        !is_silent(Status::Stopped, month("2026-01"), now),
        "a stopped one reports nothing"
    );
    assert!(!is_silent(Status::Deploying, month("2026-01"), now));
    assert_eq!(Month::of_day(DEC_6 / 86_400).iso(), "2026-12");
}
