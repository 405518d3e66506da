//! The gates between the stages (cadre d'intervention §3): which moves of a case are allowed, and when one is
//! refused, why in French and what would satisfy the gate. Used by every way of moving a card.

use super::stage::Stage;

/// Where a case that is not qualified is sent (§3, "à noter").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Destination {
    Ingenierie,
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
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Qualifie,
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

/// The facts of a case as stored, turned into what the gates look at. `validated_stage` is the stage whose
/// validation was recorded; it counts only while the case is still in that stage.
pub fn facts_of(
    stage: Stage,
    filed_at: i64,
    grid_complete: bool,
    decision: Option<Decision>,
    validated_stage: Option<Stage>,
    periods: &[super::qualification::Period],
    now: i64,
) -> CaseFacts {
    use super::qualification::{open_period, period_for_case};
    let open = open_period(now, periods).map(|p| p.id);
    CaseFacts {
        in_open_period: open.is_some() && period_for_case(filed_at, periods).map(|p| p.id) == open,
        grid_complete,
        decision,
        stage_validated: validated_stage == Some(stage),
    }
}

/// What the board knows of a case when someone moves it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CaseFacts {
    /// The case belongs to the relève period open now.
    pub in_open_period: bool,
    /// Every criterion of the qualification grid is scored.
    pub grid_complete: bool,
    pub decision: Option<Decision>,
    /// A validation of the current stage has been recorded (stages 3 and 4).
    pub stage_validated: bool,
}

/// A requested move.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Move<'a> {
    pub from: Stage,
    pub to: Stage,
    /// Required to move back and to reorient.
    pub reason: &'a str,
    /// Required to reorient.
    pub destination: Option<Destination>,
}

/// What would satisfy a refused gate: the place to fix it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Remedy {
    /// Wait for, or open, the relève period.
    Periods,
    /// Fill in the qualification grid and decide.
    QualificationGrid,
    /// Record the validation of the stage.
    StageValidation,
    /// Give a reason (and a destination) in the move dialog.
    Reason,
    /// Nothing to fix: the move itself is not part of the process.
    None,
}

/// A refused move, with the French sentence shown to the person and what would satisfy the gate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub message: String,
    pub remedy: Remedy,
}

fn refuse(message: &str, remedy: Remedy) -> Result<(), Refusal> {
    Err(Refusal {
        message: message.to_string(),
        remedy,
    })
}

/// The shortest reason accepted, in characters, once trimmed.
pub const MIN_REASON_CHARS: usize = 5;
pub const MAX_REASON_CHARS: usize = 1000;

fn reason_ok(reason: &str) -> bool {
    let length = reason.trim().chars().count();
    (MIN_REASON_CHARS..=MAX_REASON_CHARS).contains(&length)
}

/// Whether `request` may happen to a case with `facts`.
pub fn check_move(request: &Move<'_>, facts: &CaseFacts) -> Result<(), Refusal> {
    let (from, to) = (request.from, request.to);
    if from == to {
        return refuse("Le cas est déjà à cette étape.", Remedy::None);
    }
    if to == Stage::Reoriente {
        if from != Stage::Qualification {
            return refuse(
                "Seul un cas en qualification peut être réorienté vers un autre volet du programme.",
                Remedy::None,
            );
        }
        if facts.decision != Some(Decision::NonQualifie) {
            return refuse(
                "Pour réorienter ce cas, enregistrez d'abord la décision « non qualifié » sur la grille de qualification.",
                Remedy::QualificationGrid,
            );
        }
        if request.destination.is_none() || !reason_ok(request.reason) {
            return refuse(
                "Pour réorienter ce cas, choisissez sa destination (ingénierie ou guichet de cofinancement) et indiquez la raison.",
                Remedy::Reason,
            );
        }
        return Ok(());
    }
    let (Some(from_number), Some(to_number)) = (from.number(), to.number()) else {
        // Back from "réorienté": only into qualification, with a reason.
        if from == Stage::Reoriente && to == Stage::Qualification {
            return if reason_ok(request.reason) {
                Ok(())
            } else {
                refuse("Pour reprendre un cas réorienté, indiquez la raison.", Remedy::Reason)
            };
        }
        return refuse("Un cas réorienté ne peut revenir qu'en qualification.", Remedy::None);
    };
    if to_number < from_number {
        return if reason_ok(request.reason) {
            Ok(())
        } else {
            refuse(
                "Un retour à une étape précédente doit être motivé : indiquez la raison.",
                Remedy::Reason,
            )
        };
    }
    if to_number > from_number + 1 {
        return refuse(
            "Un cas avance d'une étape à la fois : chaque passage a ses conditions.",
            Remedy::None,
        );
    }
    match from {
        Stage::Remontee if !facts.in_open_period => refuse(
            "Ce cas n'appartient pas à la période de relève ouverte : il sera qualifié lors de la période suivante.",
            Remedy::Periods,
        ),
        Stage::Qualification if !(facts.grid_complete && facts.decision == Some(Decision::Qualifie)) => refuse(
            "Pour passer au cadrage détaillé, la grille de qualification doit être remplie et la décision « qualifié » enregistrée.",
            Remedy::QualificationGrid,
        ),
        Stage::Cadrage | Stage::Conception if !facts.stage_validated => refuse(
            "Ce passage demande une validation enregistrée de l'étape en cours.",
            Remedy::StageValidation,
        ),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forward(from: Stage, to: Stage) -> Move<'static> {
        Move {
            from,
            to,
            reason: "",
            destination: None,
        }
    }

    fn all_facts() -> CaseFacts {
        CaseFacts {
            in_open_period: true,
            grid_complete: true,
            decision: Some(Decision::Qualifie),
            stage_validated: true,
        }
    }

    #[test]
    fn remontee_to_qualification_needs_the_open_period() {
        let request = forward(Stage::Remontee, Stage::Qualification);
        assert!(check_move(&request, &all_facts()).is_ok());
        let refusal = check_move(
            &request,
            &CaseFacts {
                in_open_period: false,
                ..all_facts()
            },
        )
        .unwrap_err();
        assert_eq!(refusal.remedy, Remedy::Periods);
        assert!(refusal.message.contains("période de relève"));
    }

    #[test]
    fn qualification_to_cadrage_needs_a_full_grid_and_qualifie() {
        let request = forward(Stage::Qualification, Stage::Cadrage);
        assert!(check_move(&request, &all_facts()).is_ok());
        for facts in [
            CaseFacts {
                grid_complete: false,
                ..all_facts()
            },
            CaseFacts {
                decision: None,
                ..all_facts()
            },
            CaseFacts {
                decision: Some(Decision::NonQualifie),
                ..all_facts()
            },
        ] {
            assert_eq!(
                check_move(&request, &facts).unwrap_err().remedy,
                Remedy::QualificationGrid
            );
        }
    }

    #[test]
    fn reorientation_needs_non_qualifie_a_destination_and_a_reason() {
        let facts = CaseFacts {
            decision: Some(Decision::NonQualifie),
            ..all_facts()
        };
        let good = Move {
            from: Stage::Qualification,
            to: Stage::Reoriente,
            reason: "Projet déjà financé par ailleurs",
            destination: Some(Destination::GuichetCofinancement),
        };
        assert!(check_move(&good, &facts).is_ok());
        assert_eq!(
            check_move(
                &Move {
                    destination: None,
                    ..good.clone()
                },
                &facts
            )
            .unwrap_err()
            .remedy,
            Remedy::Reason
        );
        assert_eq!(
            check_move(
                &Move {
                    reason: "  ",
                    ..good.clone()
                },
                &facts
            )
            .unwrap_err()
            .remedy,
            Remedy::Reason
        );
        assert_eq!(
            check_move(&good, &all_facts()).unwrap_err().remedy,
            Remedy::QualificationGrid
        );
        assert!(check_move(
            &Move {
                from: Stage::Cadrage,
                ..good
            },
            &facts
        )
        .is_err());
    }

    #[test]
    fn cadrage_and_conception_need_a_recorded_validation() {
        for (from, to) in [
            (Stage::Cadrage, Stage::Conception),
            (Stage::Conception, Stage::Diffusion),
        ] {
            assert!(check_move(&forward(from, to), &all_facts()).is_ok());
            let refusal = check_move(
                &forward(from, to),
                &CaseFacts {
                    stage_validated: false,
                    ..all_facts()
                },
            );
            assert_eq!(refusal.unwrap_err().remedy, Remedy::StageValidation);
        }
    }

    #[test]
    fn moving_back_needs_a_reason() {
        let back = Move {
            from: Stage::Cadrage,
            to: Stage::Qualification,
            reason: "",
            destination: None,
        };
        assert_eq!(check_move(&back, &all_facts()).unwrap_err().remedy, Remedy::Reason);
        let with_reason = Move {
            reason: "Données finalement indisponibles",
            ..back
        };
        assert!(check_move(&with_reason, &CaseFacts::default()).is_ok());
    }

    #[test]
    fn stages_cannot_be_skipped_nor_repeated() {
        assert!(check_move(&forward(Stage::Remontee, Stage::Cadrage), &all_facts()).is_err());
        assert!(check_move(&forward(Stage::Cadrage, Stage::Cadrage), &all_facts()).is_err());
    }

    #[test]
    fn a_reoriented_case_returns_only_to_qualification_with_a_reason() {
        let back = Move {
            from: Stage::Reoriente,
            to: Stage::Qualification,
            reason: "Nouveaux éléments",
            destination: None,
        };
        assert!(check_move(&back, &CaseFacts::default()).is_ok());
        assert!(check_move(
            &Move {
                reason: "",
                ..back.clone()
            },
            &CaseFacts::default()
        )
        .is_err());
        assert!(check_move(
            &Move {
                to: Stage::Cadrage,
                ..back
            },
            &all_facts()
        )
        .is_err());
    }

    #[test]
    fn facts_follow_the_open_period_and_the_stage_of_the_validation() {
        use crate::domain::qualification::Period;
        let day = 86_400;
        let periods = vec![Period {
            id: 1,
            name: "Relève".into(),
            starts_at: 100 * day,
            ends_at: 190 * day,
        }];
        let facts =
            |filed_at, now, validated| facts_of(Stage::Cadrage, filed_at, false, None, validated, &periods, now);
        assert!(facts(10 * day, 150 * day, None).in_open_period);
        assert!(
            !facts(120 * day, 150 * day, None).in_open_period,
            "filed during the period"
        );
        assert!(!facts(10 * day, 200 * day, None).in_open_period, "period over");
        assert!(facts(0, 0, Some(Stage::Cadrage)).stage_validated);
        assert!(!facts(0, 0, Some(Stage::Qualification)).stage_validated);
        for d in [Decision::Qualifie, Decision::NonQualifie] {
            assert_eq!(Decision::from_code(d.code()), Some(d));
        }
    }

    #[test]
    fn destination_codes_round_trip() {
        for d in [Destination::Ingenierie, Destination::GuichetCofinancement] {
            assert_eq!(Destination::from_code(d.code()), Some(d));
        }
    }
}
