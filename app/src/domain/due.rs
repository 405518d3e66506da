//! What the programme team must act on ("À traiter"): from each case's facts, what is due, since when and where
//! it is done — cases of the open relève period not scored, decisions taken on cases still in qualification,
//! cadrage versions waiting for a party, phase-4 conditions unchecked, avis asked of the reader, unread
//! messages, periods ending soon with cases unexamined, and cases in a stage longer than it should last.

use super::cadrage::{add_months, Party};
use super::dates::{day_number, format_paris_date};
use super::periods::{open_period, period_for_case, Period};
use super::qualification::Decision;
use super::stage::Stage;
use crate::routes::Section;

/// A period ending within this many days is announced.
pub const PERIOD_WARNING_DAYS: i64 = 14;
const DAY: i64 = 86_400;

/// The cadrage of a case as "À traiter" reads it: the version in force and who has not validated it yet, and
/// the project's start and duration (the cadrage document's `debut` and `duree_mois`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CadrageFacts {
    pub version: i64,
    pub version_at: i64,
    pub missing: Vec<Party>,
    pub start_day: String,
    pub months: Option<i64>,
}

/// One case, as the store gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseFacts {
    pub reference: String,
    pub title: String,
    pub stage: Stage,
    pub filed_at: i64,
    pub stage_entered_at: i64,
    pub grid_complete: bool,
    pub decision: Option<Decision>,
    pub cadrage: Option<CadrageFacts>,
    /// Phase-4 conditions of the version in force not checked yet (conception).
    pub unchecked_conditions: usize,
    pub unread: i64,
    /// When an avis was asked of the reader and not given yet.
    pub avis_asked_at: Option<i64>,
}

/// The kinds of things due, in the order the page lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum DueKind {
    AvisAsked,
    Unread,
    Unscored,
    Decided,
    CadrageWaiting,
    Phase4,
    Late,
    PeriodEnding,
    SilentDeployment,
}

impl DueKind {
    pub const ALL: [DueKind; 9] = [
        DueKind::AvisAsked,
        DueKind::Unread,
        DueKind::Unscored,
        DueKind::Decided,
        DueKind::CadrageWaiting,
        DueKind::Phase4,
        DueKind::Late,
        DueKind::PeriodEnding,
        DueKind::SilentDeployment,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DueKind::AvisAsked => "avis",
            DueKind::Unread => "messages",
            DueKind::Unscored => "grilles",
            DueKind::Decided => "decisions",
            DueKind::CadrageWaiting => "cadrages",
            DueKind::Phase4 => "phase-4",
            DueKind::Late => "retards",
            DueKind::PeriodEnding => "periodes",
            DueKind::SilentDeployment => "deploiements",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            DueKind::AvisAsked => "Avis qui vous sont demandés",
            DueKind::Unread => "Messages non lus",
            DueKind::Unscored => "Cas de la période ouverte sans grille complète",
            DueKind::Decided => "Décisions prises, cas encore en qualification",
            DueKind::CadrageWaiting => "Cadrages en attente de validation",
            DueKind::Phase4 => "Conditions de la phase 4 à vérifier",
            DueKind::Late => "Cas au-delà de la durée prévue",
            DueKind::PeriodEnding => "Périodes de relève qui se terminent bientôt",
            DueKind::SilentDeployment => "Déploiements sans relevé d'usage depuis plus de deux mois",
        }
    }
}

/// One thing to do: what, about which case (none for a period), since when, and the place where it is done.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DueItem {
    pub kind: DueKind,
    pub reference: Option<String>,
    pub label: String,
    pub detail: String,
    pub href: String,
    pub since: i64,
}

fn parties_sentence(parties: &[Party]) -> String {
    let names: Vec<String> = parties.iter().map(|p| p.label().to_lowercase()).collect();
    format!("attend la validation de : {}", names.join(", "))
}

/// The project's planned end (unix seconds): the cadrage's start plus its duration.
fn planned_end(cadrage: &CadrageFacts) -> Option<i64> {
    let start = day_number(&cadrage.start_day)?;
    Some(add_months(start, cadrage.months?) * DAY)
}

/// Everything due to a reader, grouped by kind in [`DueKind::ALL`] order, oldest first within a kind; a reader
/// who does not move and score cases (`can_act` false) has only the avis asked of them and unread messages.
pub fn due(cases: &[CaseFacts], periods: &[Period], now: i64, can_act: bool) -> Vec<DueItem> {
    let open = open_period(now, periods);
    let mut items: Vec<DueItem> = Vec::new();
    for case in cases {
        let mut due = CaseDue {
            case,
            page: crate::routes::case(&case.reference),
            items: &mut items,
        };
        due.exchanges();
        due.examination(period_for_case(case.filed_at, periods), open, now);
        due.project(now);
    }
    items.extend(period_ending(cases, periods, open, now));
    items.retain(|item| can_act || matches!(item.kind, DueKind::AvisAsked | DueKind::Unread));
    items.sort_by_key(|item| (item.kind, item.since));
    items
}

/// The items of one case, as they are found.
struct CaseDue<'a> {
    case: &'a CaseFacts,
    page: crate::routes::CaseUrl,
    items: &'a mut Vec<DueItem>,
}

impl CaseDue<'_> {
    fn push(&mut self, kind: DueKind, detail: String, href: String, since: i64) {
        self.items.push(DueItem {
            kind,
            reference: Some(self.case.reference.clone()),
            label: format!("{} — {}", self.case.reference, self.case.title),
            detail,
            href,
            since,
        });
    }

    /// An avis asked of the reader, messages the reader has not read.
    fn exchanges(&mut self) {
        let case = self.case;
        if let Some(at) = case.avis_asked_at {
            let href = self.page.section(Section::Avis);
            self.push(DueKind::AvisAsked, "votre avis est attendu".into(), href, at);
        }
        if case.unread > 0 {
            let href = self.page.section(Section::Messages);
            let detail = super::messages::unread_label(case.unread);
            self.push(DueKind::Unread, detail, href, case.stage_entered_at);
        }
    }

    /// A grid to fill during the open period, a decision to carry out, a qualification that outlasted its period.
    fn examination(&mut self, period: Option<&Period>, open: Option<&Period>, now: i64) {
        let case = self.case;
        let in_open = open.is_some() && period.map(|p| p.id) == open.map(|p| p.id);
        let examining = matches!(case.stage, Stage::Remontee | Stage::Qualification);
        if examining && in_open && !case.grid_complete {
            let href = self.page.section(Section::Qualification);
            self.push(
                DueKind::Unscored,
                "grille de qualification à compléter".into(),
                href,
                case.filed_at,
            );
        }
        if case.stage != Stage::Qualification {
            return;
        }
        let decided = match case.decision {
            Some(Decision::Qualifie) => Some("qualifié : à passer au cadrage détaillé"),
            Some(Decision::NonQualifie) => Some("non qualifié : à réorienter"),
            None => None,
        };
        if let Some(detail) = decided {
            let href = self.page.move_page();
            self.push(DueKind::Decided, detail.into(), href, case.stage_entered_at);
        }
        // Qualification lasts as long as the case's relève period.
        if let Some(period) = period.filter(|p| now >= p.ends_at) {
            let detail = format!("en qualification après la fin de la période « {} »", period.name);
            let href = self.page.section(Section::Qualification);
            self.push(DueKind::Late, detail, href, period.ends_at);
        }
    }

    /// A cadrage version waiting for validations, a project past its planned end, phase 4 conditions to check.
    fn project(&mut self, now: i64) {
        let case = self.case;
        if let Some(cadrage) = &case.cadrage {
            if case.stage == Stage::Cadrage && !cadrage.missing.is_empty() {
                let detail = format!("version {} {}", cadrage.version, parties_sentence(&cadrage.missing));
                let href = self.page.cadrage_at("validations");
                self.push(DueKind::CadrageWaiting, detail, href, cadrage.version_at);
            }
            let in_project = matches!(case.stage, Stage::Cadrage | Stage::Conception | Stage::Diffusion);
            if let Some(end) = planned_end(cadrage).filter(|end| in_project && now >= *end) {
                let detail = format!(
                    "durée prévue par le cadrage dépassée depuis le {}",
                    format_paris_date(end)
                );
                let href = self.page.cadrage();
                self.push(DueKind::Late, detail, href, end);
            }
        }
        if case.stage == Stage::Conception && case.unchecked_conditions > 0 {
            let detail = match case.unchecked_conditions {
                1 => "1 condition de validation à vérifier".to_string(),
                n => format!("{n} conditions de validation à vérifier"),
            };
            let href = self.page.conception();
            self.push(DueKind::Phase4, detail, href, case.stage_entered_at);
        }
    }
}

/// The open period ending soon while some of its cases are not examined yet.
fn period_ending(cases: &[CaseFacts], periods: &[Period], open: Option<&Period>, now: i64) -> Option<DueItem> {
    let period = open.filter(|p| p.ends_at - now <= PERIOD_WARNING_DAYS * DAY)?;
    let unexamined = cases
        .iter()
        .filter(|c| matches!(c.stage, Stage::Remontee | Stage::Qualification) && !c.grid_complete)
        .filter(|c| period_for_case(c.filed_at, periods).map(|p| p.id) == Some(period.id))
        .count();
    if unexamined == 0 {
        return None;
    }
    let days = ((period.ends_at - now) + DAY - 1) / DAY;
    Some(DueItem {
        kind: DueKind::PeriodEnding,
        reference: None,
        label: format!("Période « {} »", period.name),
        detail: format!(
            "se termine dans {days} jour{} ; {unexamined} cas pas encore examiné{}",
            if days > 1 { "s" } else { "" },
            if unexamined > 1 { "s" } else { "" }
        ),
        href: "/equipe/periodes".into(),
        since: period.starts_at,
    })
}

/// A deployment in service as "À traiter" reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeploymentFacts {
    pub id: i64,
    pub status: super::deployments::Status,
    pub case_title: String,
    pub collectivite_name: String,
    /// The month it counts from: its latest report's, else the month it went into service (or was recorded).
    pub reported_or_started: super::deployments::Month,
}

/// The deployments whose reports stopped in the month of `now` (`deployments::is_silent`): the programme no
/// longer counts them, someone should ask why.
pub fn silent_deployments(deployments: &[DeploymentFacts], now: i64) -> Vec<DueItem> {
    let this_month = super::deployments::Month::of_instant(now);
    deployments
        .iter()
        .filter(|d| super::deployments::is_silent(d.status, d.reported_or_started, this_month))
        .map(|d| {
            let first_missing = d.reported_or_started.plus(1);
            DueItem {
                kind: DueKind::SilentDeployment,
                reference: None,
                label: format!("{} — {}", d.collectivite_name, d.case_title),
                detail: format!("aucun relevé d'usage depuis {}", d.reported_or_started.label()),
                href: crate::routes::team_deployment(d.id),
                since: day_number(&format!("{}-01", first_missing.iso())).map_or(0, |day| day * DAY),
            }
        })
        .collect()
}

impl DueKind {
    /// The items of this kind.
    pub fn of(self, items: &[DueItem]) -> Vec<DueItem> {
        items.iter().filter(|item| item.kind == self).cloned().collect()
    }
}

/// The next step expected of a case, for the top of its page.
pub fn expected_next(stage: Stage, decision: Option<Decision>) -> &'static str {
    match (stage, decision) {
        (Stage::Remontee, _) => "examen lors de la période de relève ouverte (passage en qualification)",
        (Stage::Qualification, None) => "grille de qualification à compléter et décision à prendre",
        (Stage::Qualification, Some(Decision::Qualifie)) => "passage au cadrage détaillé",
        (Stage::Qualification, Some(Decision::NonQualifie)) => {
            "réorientation vers l'ingénierie ou le guichet de cofinancement"
        }
        (Stage::Cadrage, _) => "document de cadrage validé par les trois parties, puis conception",
        (Stage::Conception, _) => "conditions de validation de la phase 4 vérifiées, puis diffusion",
        (Stage::Diffusion, _) => "kit de diffusion publié au catalogue et gains mesurés",
        (Stage::Reoriente, _) => "suivi par le volet du programme qui l'a reçu",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routes::case as url;

    const NOW: i64 = 1_780_000_000;

    fn case(reference: &str, stage: Stage) -> CaseFacts {
        CaseFacts {
            reference: reference.into(),
            title: format!("Cas {reference}"),
            stage,
            filed_at: NOW - 60 * DAY,
            stage_entered_at: NOW - 10 * DAY,
            grid_complete: false,
            decision: None,
            cadrage: None,
            unchecked_conditions: 0,
            unread: 0,
            avis_asked_at: None,
        }
    }

    fn period(id: i64, starts: i64, ends: i64) -> Period {
        Period {
            id,
            name: format!("Période {id}"),
            starts_at: starts,
            ends_at: ends,
        }
    }

    fn kinds(items: &[DueItem]) -> Vec<DueKind> {
        items.iter().map(|item| item.kind).collect()
    }

    #[test]
    fn cases_of_the_open_period_without_a_full_grid_are_due_and_the_ending_period_is_announced() {
        let periods = [period(1, NOW - 30 * DAY, NOW + 10 * DAY)];
        let unscored = case("A", Stage::Qualification);
        let scored = CaseFacts {
            grid_complete: true,
            ..case("B", Stage::Qualification)
        };
        let later = CaseFacts {
            filed_at: NOW - DAY,
            ..case("C", Stage::Remontee)
        };
        let items = due(&[unscored, scored, later], &periods, NOW, true);
        assert_eq!(kinds(&items), vec![DueKind::Unscored, DueKind::PeriodEnding]);
        assert_eq!(items[0].href, url("A").section(Section::Qualification));
        assert_eq!(items[0].since, NOW - 60 * DAY);
        assert_eq!(items[1].detail, "se termine dans 10 jours ; 1 cas pas encore examiné");
        let far = [period(1, NOW - 30 * DAY, NOW + 40 * DAY)];
        assert_eq!(
            kinds(&due(&[case("A", Stage::Qualification)], &far, NOW, true)),
            vec![DueKind::Unscored]
        );
    }

    #[test]
    fn a_decision_taken_in_qualification_asks_for_the_move_and_a_closed_period_makes_it_late() {
        let periods = [period(1, NOW - 30 * DAY, NOW - DAY)];
        let qualified = CaseFacts {
            decision: Some(Decision::Qualifie),
            grid_complete: true,
            ..case("A", Stage::Qualification)
        };
        let items = due(&[qualified], &periods, NOW, true);
        assert_eq!(kinds(&items), vec![DueKind::Decided, DueKind::Late]);
        assert_eq!(items[0].detail, "qualifié : à passer au cadrage détaillé");
        assert_eq!(items[0].href, url("A").move_page());
        assert_eq!(items[1].since, NOW - DAY);
        let refused = CaseFacts {
            decision: Some(Decision::NonQualifie),
            ..case("B", Stage::Qualification)
        };
        assert_eq!(due(&[refused], &[], NOW, true)[0].detail, "non qualifié : à réorienter");
    }

    #[test]
    fn a_cadrage_waits_for_the_parties_that_have_not_validated_and_a_project_past_its_duration_is_late() {
        let cadrage = CadrageFacts {
            version: 2,
            version_at: NOW - 3 * DAY,
            missing: vec![Party::Collectivite, Party::Prestataire],
            start_day: "2025-01-15".into(),
            months: Some(6),
        };
        let waiting = CaseFacts {
            cadrage: Some(cadrage.clone()),
            ..case("A", Stage::Cadrage)
        };
        let items = due(&[waiting], &[], NOW, true);
        assert_eq!(kinds(&items), vec![DueKind::CadrageWaiting, DueKind::Late]);
        assert!(
            items[0].detail.starts_with("version 2 attend la validation de : "),
            "{}",
            items[0].detail
        );
        assert_eq!(items[0].href, url("A").cadrage_at("validations"));
        assert!(items[1].detail.contains("15 juillet 2025"), "{}", items[1].detail);
        let on_time = CaseFacts {
            cadrage: Some(CadrageFacts {
                missing: Vec::new(),
                start_day: "2026-05-01".into(),
                ..cadrage
            }),
            ..case("B", Stage::Conception)
        };
        assert!(due(&[on_time], &[], NOW, true).is_empty());
    }

    #[test]
    fn unchecked_conditions_avis_and_unread_messages_are_due() {
        let conception = CaseFacts {
            unchecked_conditions: 2,
            unread: 3,
            avis_asked_at: Some(NOW - 5 * DAY),
            ..case("A", Stage::Conception)
        };
        let items = due(std::slice::from_ref(&conception), &[], NOW, true);
        assert_eq!(
            kinds(&items),
            vec![DueKind::AvisAsked, DueKind::Unread, DueKind::Phase4]
        );
        let reader = due(&[conception], &[], NOW, false);
        assert_eq!(
            kinds(&reader),
            vec![DueKind::AvisAsked, DueKind::Unread],
            "a reader only gives avis and reads"
        );
        assert_eq!(items[2].detail, "2 conditions de validation à vérifier");
        assert_eq!(items[0].href, url("A").section(Section::Avis));
        assert_eq!(items[1].href, url("A").section(Section::Messages));
    }

    #[test]
    fn the_next_step_follows_the_stage_and_the_decision() {
        assert_eq!(
            expected_next(Stage::Qualification, Some(Decision::Qualifie)),
            "passage au cadrage détaillé"
        );
        assert!(expected_next(Stage::Qualification, Some(Decision::NonQualifie)).starts_with("réorientation"));
        assert!(expected_next(Stage::Cadrage, None).contains("trois parties"));
    }

    #[test]
    fn nothing_is_due_for_a_quiet_pipeline() {
        let done = CaseFacts {
            grid_complete: true,
            ..case("A", Stage::Diffusion)
        };
        assert!(due(&[done, case("B", Stage::Reoriente)], &[], NOW, true).is_empty());
    }
}
