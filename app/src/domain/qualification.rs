//! Qualification (§3 step 2, §5): the grid's criteria and the scores the intake suggests beside the team's own
//! (impact, portage, faisabilité) with the warnings the text sets, and the decision with its destination.

use super::intake::{IntakeAnswers, PortageLevel, ALREADY_ENGAGED_WARNING};

/// The criteria of the qualification grid, each scored 0 to 3.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Criterion {
    Replicabilite,
    Alignement,
    Impact,
    Portage,
    Faisabilite,
}

impl Criterion {
    pub const ALL: [Criterion; 5] = [
        Criterion::Replicabilite,
        Criterion::Alignement,
        Criterion::Impact,
        Criterion::Portage,
        Criterion::Faisabilite,
    ];

    /// The stable code stored in the database and used in form field names.
    pub fn code(self) -> &'static str {
        match self {
            Criterion::Replicabilite => "replicabilite",
            Criterion::Alignement => "alignement",
            Criterion::Impact => "impact",
            Criterion::Portage => "portage",
            Criterion::Faisabilite => "faisabilite",
        }
    }

    pub fn from_code(code: &str) -> Option<Criterion> {
        Criterion::ALL.into_iter().find(|c| c.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Criterion::Replicabilite => "Réplicabilité",
            Criterion::Alignement => "Alignement avec les objectifs du programme",
            Criterion::Impact => "Impact réel et mesurable",
            Criterion::Portage => "Portage à tous les niveaux",
            Criterion::Faisabilite => "Faisabilité technique et maturité",
        }
    }
}

/// One line of the grid as the team fills it in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GridLine {
    pub criterion: Criterion,
    /// 0 to 3, none while not scored.
    pub score: Option<i32>,
    pub comment: String,
}

pub const MAX_GRID_COMMENT_CHARS: usize = 2_000;
pub const MAX_NOTES_CHARS: usize = 20_000;

/// Reads a score typed or chosen in the grid: empty means not scored yet.
pub fn parse_score(criterion: Criterion, text: &str) -> Result<Option<i32>, String> {
    match text.trim() {
        "" => Ok(None),
        value => match value.parse::<i32>() {
            Ok(score) if (0..=3).contains(&score) => Ok(Some(score)),
            _ => Err(format!(
                "La note « {} » doit être comprise entre 0 et 3.",
                criterion.label()
            )),
        },
    }
}

/// Every criterion is scored.
pub fn grid_complete(lines: &[GridLine]) -> bool {
    Criterion::ALL.iter().all(|criterion| {
        lines
            .iter()
            .any(|line| line.criterion == *criterion && line.score.is_some())
    })
}

/// Checks a grid before it is saved: a "qualifié" decision needs every criterion scored, comments are bounded.
pub fn check_grid(lines: &[GridLine], decision: Option<Decision>) -> Result<(), String> {
    if let Some(line) = lines
        .iter()
        .find(|line| line.comment.chars().count() > MAX_GRID_COMMENT_CHARS)
    {
        return Err(format!(
            "Le commentaire « {} » dépasse {MAX_GRID_COMMENT_CHARS} caractères.",
            line.criterion.label()
        ));
    }
    if decision == Some(Decision::Qualifie) && !grid_complete(lines) {
        return Err("Pour enregistrer la décision « qualifié », notez chacun des cinq critères de la grille.".into());
    }
    Ok(())
}

/// A score the intake suggests, with the reason in French.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    pub criterion: Criterion,
    pub score: i32,
    pub reason: String,
}

/// What the intake suggests: scores for impact, portage and faisabilité (réplicabilité is suggested from similar
/// cases, `similar::suggest_replicabilite`; alignement is left to the team's judgement), and the warnings of §5.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestions {
    pub scores: Vec<Suggestion>,
    pub warnings: Vec<String>,
}

fn tier(value: i64, thresholds: [i64; 3]) -> i32 {
    thresholds.iter().filter(|t| value >= **t).count() as i32
}

pub fn suggest(answers: &IntakeAnswers) -> Suggestions {
    let mut scores = Vec::new();
    let mut warnings = Vec::new();

    let hours = answers.hours_saved_per_year().unwrap_or(0);
    let agents = answers.integer("agents").unwrap_or(0);
    let impact = tier(hours, [200, 1_000, 5_000]).max(tier(agents, [20, 100, 500]));
    scores.push(Suggestion {
        criterion: Criterion::Impact,
        score: impact,
        reason: format!(
            "{} heures économisées par an estimées, {} agents concernés.",
            super::text::group_thousands(hours),
            super::text::group_thousands(agents)
        ),
    });

    let missing = answers.missing_portage();
    scores.push(Suggestion {
        criterion: Criterion::Portage,
        score: 3 - missing.len() as i32,
        reason: if missing.is_empty() {
            "Porteur métier, porteur DSI ou data et sponsor politique identifiés.".into()
        } else {
            let names: Vec<&str> = missing.iter().map(|level: &PortageLevel| level.label()).collect();
            format!("Non identifié : {}.", names.join(", "))
        },
    });
    if let Some(alert) = super::intake::portage_alert(&missing) {
        warnings.push(alert);
    }

    let availability = match answers.get("disponibilite_donnees") {
        "disponibles" => 3,
        "partielles" => 2,
        "a-constituer" => 1,
        _ => 0,
    };
    let mut feasibility = availability;
    let mut reasons = vec![format!(
        "données {}",
        super::referentiel::label_of(super::referentiel::DISPONIBILITES, answers.get("disponibilite_donnees"))
            .to_lowercase()
    )];
    if answers.get("qualite_donnees") == "faible" {
        feasibility -= 1;
        reasons.push("qualité des données faible".into());
    }
    if answers.get("maturite") == "1" {
        feasibility -= 1;
        reasons.push("maturité data et IA de niveau 1".into());
    }
    if answers.text("dependances_techniques").is_some() {
        reasons.push("dépendances techniques signalées".into());
    }
    scores.push(Suggestion {
        criterion: Criterion::Faisabilite,
        score: feasibility.clamp(0, 3),
        reason: format!("{}.", reasons.join(", ")),
    });
    if answers.get("stade_projet") == "deja-engage" {
        warnings.push(ALREADY_ENGAGED_WARNING.to_string());
    }
    Suggestions { scores, warnings }
}

/// Where a case that is not qualified is sent (§3, "à noter").
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Destination {
    #[serde(rename = "ingenierie")]
    Ingenierie,
    #[serde(rename = "guichet-cofinancement")]
    GuichetCofinancement,
}

impl Destination {
    pub fn code(self) -> &'static str {
        match self {
            Destination::Ingenierie => "ingenierie",
            Destination::GuichetCofinancement => "guichet-cofinancement",
        }
    }

    pub fn from_code(code: &str) -> Option<Destination> {
        [Destination::Ingenierie, Destination::GuichetCofinancement]
            .into_iter()
            .find(|d| d.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Destination::Ingenierie => "Ingénierie",
            Destination::GuichetCofinancement => "Guichet de cofinancement",
        }
    }
}

/// The qualification decision recorded on the grid (§2 of the issue: qualifié / non qualifié).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Decision {
    #[serde(rename = "qualifie")]
    Qualifie,
    #[serde(rename = "non-qualifie")]
    NonQualifie,
}

impl Decision {
    pub fn code(self) -> &'static str {
        match self {
            Decision::Qualifie => "qualifie",
            Decision::NonQualifie => "non-qualifie",
        }
    }

    pub fn from_code(code: &str) -> Option<Decision> {
        [Decision::Qualifie, Decision::NonQualifie]
            .into_iter()
            .find(|d| d.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Decision::Qualifie => "Qualifié",
            Decision::NonQualifie => "Non qualifié",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::periods::*;

    const DAY: i64 = 86_400;

    fn periods() -> Vec<Period> {
        vec![
            Period {
                id: 1,
                name: "Relève de printemps".into(),
                starts_at: 100 * DAY,
                ends_at: 190 * DAY,
            },
            Period {
                id: 2,
                name: "Relève d'automne".into(),
                starts_at: 250 * DAY,
                ends_at: 340 * DAY,
            },
        ]
    }

    #[test]
    fn a_case_belongs_to_the_first_period_starting_after_it_was_filed() {
        let periods = periods();
        assert_eq!(period_for_case(10 * DAY, &periods).map(|p| p.id), Some(1));
        // Filed while the spring period runs: waits for the autumn one.
        assert_eq!(period_for_case(120 * DAY, &periods).map(|p| p.id), Some(2));
        assert_eq!(
            period_for_case(100 * DAY, &periods).map(|p| p.id),
            Some(2),
            "filed the day it opens"
        );
        assert_eq!(period_for_case(300 * DAY, &periods), None, "no period planned yet");
    }

    #[test]
    fn the_open_period_is_the_one_running_now() {
        let periods = periods();
        assert_eq!(open_period(150 * DAY, &periods).map(|p| p.id), Some(1));
        assert_eq!(open_period(190 * DAY, &periods), None, "end is exclusive");
        assert_eq!(open_period(50 * DAY, &periods), None);
    }

    #[test]
    fn new_periods_do_not_overlap_and_warn_beyond_three_months() {
        let periods = periods();
        assert_eq!(
            check_new_period("Relève d'hiver", 400 * DAY, 450 * DAY, &periods),
            Ok(vec![])
        );
        assert!(check_new_period("Chevauche", 180 * DAY, 200 * DAY, &periods)
            .unwrap_err()
            .0
            .contains("chevauche"));
        assert!(check_new_period("Inversée", 450 * DAY, 400 * DAY, &periods).is_err());
        assert!(check_new_period("  ", 400 * DAY, 450 * DAY, &periods).is_err());
        let long = check_new_period("Longue", 400 * DAY, 500 * DAY, &periods).expect("allowed");
        assert_eq!(long.len(), 1);
        assert!(long[0].contains("3 mois"));
    }

    #[test]
    fn bounds_run_from_the_first_midnight_to_after_the_last_day() {
        use crate::domain::dates::format_paris;
        let (start, end) = period_bounds("2027-03-01", "2027-05-31").expect("valid");
        assert_eq!(format_paris(start), "1er mars 2027 à 0 h 00");
        assert_eq!(format_paris(end), "1er juin 2027 à 0 h 00");
        assert!(period_bounds("2027-02-30", "2027-05-31")
            .unwrap_err()
            .0
            .contains("Premier jour"));
        assert!(period_bounds("2027-03-01", "fin mai")
            .unwrap_err()
            .0
            .contains("Dernier jour"));
    }

    fn answers(pairs: &[(&str, &str)]) -> IntakeAnswers {
        let mut a = IntakeAnswers::default();
        for (k, v) in pairs {
            a.set(k, v);
        }
        a
    }

    fn score(s: &Suggestions, criterion: Criterion) -> i32 {
        s.scores
            .iter()
            .find(|x| x.criterion == criterion)
            .map(|x| x.score)
            .expect("scored")
    }

    #[test]
    fn scores_are_read_from_0_to_3_and_a_qualifie_decision_needs_a_full_grid() {
        use crate::domain::qualification::Decision;
        assert_eq!(parse_score(Criterion::Impact, ""), Ok(None));
        assert_eq!(parse_score(Criterion::Impact, " 2 "), Ok(Some(2)));
        assert!(parse_score(Criterion::Impact, "4").unwrap_err().contains("Impact réel"));
        assert!(parse_score(Criterion::Impact, "-1").is_err());
        let mut lines: Vec<GridLine> = Criterion::ALL
            .into_iter()
            .map(|criterion| GridLine {
                criterion,
                score: Some(2),
                comment: String::new(),
            })
            .collect();
        assert!(grid_complete(&lines));
        assert_eq!(check_grid(&lines, Some(Decision::Qualifie)), Ok(()));
        lines[4].score = None;
        assert!(!grid_complete(&lines));
        assert!(check_grid(&lines, Some(Decision::Qualifie)).is_err());
        assert_eq!(check_grid(&lines, Some(Decision::NonQualifie)), Ok(()));
        lines[0].comment = "x".repeat(MAX_GRID_COMMENT_CHARS + 1);
        assert!(check_grid(&lines, None).is_err());
        for criterion in Criterion::ALL {
            assert_eq!(Criterion::from_code(criterion.code()), Some(criterion));
        }
    }

    #[test]
    fn impact_follows_hours_saved_and_agents() {
        let small = answers(&[
            ("agents", "5"),
            ("occurrences_mois", "10"),
            ("minutes_par_occurrence", "10"),
            ("part_temps_gagne", "50"),
        ]);
        assert_eq!(score(&suggest(&small), Criterion::Impact), 0);
        let big = answers(&[
            ("agents", "5"),
            ("occurrences_mois", "1000"),
            ("minutes_par_occurrence", "60"),
            ("part_temps_gagne", "50"),
        ]);
        assert_eq!(score(&suggest(&big), Criterion::Impact), 3, "6,000 h a year");
        let many_agents = answers(&[("agents", "150")]);
        assert_eq!(score(&suggest(&many_agents), Criterion::Impact), 2);
    }

    #[test]
    fn missing_portage_lowers_the_score_and_raises_the_alert() {
        let full = answers(&[("metier_nom", "A"), ("dsi_nom", "B"), ("sponsor_nom", "C")]);
        let s = suggest(&full);
        assert_eq!(score(&s, Criterion::Portage), 3);
        assert!(s.warnings.is_empty());
        let s = suggest(&answers(&[("metier_nom", "A")]));
        assert_eq!(score(&s, Criterion::Portage), 1);
        assert!(s.warnings.iter().any(|w| w.starts_with("Signal d'alerte")));
    }

    #[test]
    fn feasibility_follows_data_and_maturity_and_engaged_projects_warn() {
        let good = answers(&[("disponibilite_donnees", "disponibles"), ("maturite", "3")]);
        assert_eq!(score(&suggest(&good), Criterion::Faisabilite), 3);
        let weak = answers(&[
            ("disponibilite_donnees", "a-constituer"),
            ("qualite_donnees", "faible"),
            ("maturite", "1"),
        ]);
        assert_eq!(score(&suggest(&weak), Criterion::Faisabilite), 0);
        let engaged = answers(&[("stade_projet", "deja-engage")]);
        assert!(suggest(&engaged).warnings.iter().any(|w| w == ALREADY_ENGAGED_WARNING));
    }
}
