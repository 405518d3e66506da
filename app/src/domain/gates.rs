//! The gates of the cadre d'intervention (§3): which moves of a case are allowed, when the qualification may be
//! saved with its decision (the AI Act rule), when a party may validate the cadrage, when a case may be published; when one is refused, why in French
//! and what would satisfy the gate. One entry point, `check`, called by the store inside the transaction of the
//! write it guards, on the facts read once into `CaseRecord`.

use super::ai_act::review::{cadrage_ready, AiActReview};
use super::ai_act::RiskLevel;
use super::cadrage::{check_validation, fully_validated, phase4_complete, ConditionCheck, Party, RecordedValidation};
use super::diffusion::{may_publish, PUBLICATION_STAGE_MESSAGE};
use super::periods::{open_period, period_for_case, Period};
use super::qualification::{Decision, Destination};
use super::stage::Stage;

/// What the store reads of a case for the gates, once, inside the transaction of the write they guard.
#[derive(Clone, Debug, PartialEq)]
pub struct CaseRecord {
    pub stage: Stage,
    pub filed_at: i64,
    /// Every criterion of the qualification grid is scored.
    pub grid_complete: bool,
    pub decision: Option<Decision>,
    /// The relève periods, earliest first.
    pub periods: Vec<Period>,
    /// The number of the cadrage document's version in force, none before the first save.
    pub cadrage_version: Option<i64>,
    pub validations: Vec<RecordedValidation>,
    /// The validation conditions of phase 4 in the version in force.
    pub phase4_conditions: Vec<String>,
    pub checks: Vec<ConditionCheck>,
    /// Every deliverable of the version in force (cadrage, conception, diffusion), one per line.
    pub deliverables: Vec<String>,
    /// The AI Act pre-assessment recorded at filing, with the team's choice.
    pub ai_act: AiActReview,
}

impl CaseRecord {
    /// What the gates look at, at `now`.
    pub fn facts(&self, now: i64) -> CaseFacts {
        let open = open_period(now, &self.periods).map(|p| p.id);
        CaseFacts {
            in_open_period: open.is_some() && period_for_case(self.filed_at, &self.periods).map(|p| p.id) == open,
            grid_complete: self.grid_complete,
            decision: self.decision,
            cadrage_validated: fully_validated(self.cadrage_version, &self.validations),
            phase4_complete: phase4_complete(&self.phase4_conditions, &self.checks),
            ai_act_blocks_qualification: self.ai_act.blocks_qualification(),
            impact_assessment_missing: !cadrage_ready(self.ai_act.level(), &self.deliverables),
        }
    }
}

/// What someone asks of a case that a gate guards.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GateRequest<'a> {
    /// Moving the case from its stage to `to`.
    Move {
        to: Stage,
        /// Required to move back and to reorient.
        reason: &'a str,
        /// Required to reorient.
        destination: Option<Destination>,
    },
    /// Saving the qualification grid with `decision`, and the team's AI Act level and reason for setting the
    /// pre-assessment aside.
    Qualify {
        decision: Option<Decision>,
        confirmed: Option<RiskLevel>,
        override_reason: &'a str,
    },
    /// Recording `party`'s validation of the cadrage document's version `version`.
    ValidateCadrage { version: i64, party: Party },
    /// Publishing the case in the catalogue.
    Publish,
}

/// The one entry point of the gates, called inside the transaction of the write: whether `request` may
/// happen to the case of `record` at `now`; a refusal says why in French and where to fix it.
pub fn check(request: &GateRequest<'_>, record: &CaseRecord, now: i64) -> Result<(), Refusal> {
    match request {
        GateRequest::Move {
            to,
            reason,
            destination,
        } => check_move(
            &Move {
                from: record.stage,
                to: *to,
                reason,
                destination: *destination,
            },
            &record.facts(now),
        ),
        GateRequest::Qualify {
            decision,
            confirmed,
            override_reason,
        } => {
            let review = AiActReview {
                confirmed: *confirmed,
                override_reason: override_reason.to_string(),
                ..record.ai_act.clone()
            };
            review
                .check(*decision == Some(Decision::Qualifie))
                .map_err(|message| Refusal {
                    message,
                    remedy: Remedy::QualificationGrid,
                })
        }
        GateRequest::ValidateCadrage { version, party } => {
            check_validation(record.cadrage_version, *version, *party, &record.validations).map_err(|message| Refusal {
                message,
                remedy: Remedy::Cadrage,
            })
        }
        GateRequest::Publish if !may_publish(record.stage) => refuse(PUBLICATION_STAGE_MESSAGE, Remedy::None),
        GateRequest::Publish => Ok(()),
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
    /// The cadrage document in force is validated by the three parties.
    pub cadrage_validated: bool,
    /// Every validation condition of phase 4 is checked with its evidence.
    pub phase4_complete: bool,
    /// The AI Act pre-assessment says "prohibited" and the team has not set it aside with a reason.
    pub ai_act_blocks_qualification: bool,
    /// A high-risk case whose cadrage does not list the fundamental-rights impact assessment (Art. 27).
    pub impact_assessment_missing: bool,
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
    /// Have the cadrage document validated by the three parties.
    Cadrage,
    /// Check the phase 4 validation conditions with their evidence.
    Phase4Conditions,
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
        Stage::Qualification if facts.ai_act_blocks_qualification => refuse(
            "La pré-évaluation AI Act de ce cas indique une pratique interdite (art. 5) : il ne peut passer au cadrage que si l'équipe l'écarte, en confirmant un autre niveau avec le motif de dérogation sur la grille de qualification.",
            Remedy::QualificationGrid,
        ),
        Stage::Cadrage if facts.impact_assessment_missing => refuse(
            "Ce cas est à haut risque au sens de l'AI Act : le document de cadrage doit lister parmi ses livrables l'analyse d'impact sur les droits fondamentaux (art. 27) avant le passage à la conception.",
            Remedy::Cadrage,
        ),
        Stage::Cadrage if !facts.cadrage_validated => refuse(
            "Pour passer à la conception, la version en vigueur du document de cadrage doit être validée par les trois parties : la collectivité, la Caisse des Dépôts et le prestataire technique.",
            Remedy::Cadrage,
        ),
        Stage::Conception if !facts.phase4_complete => refuse(
            "Pour passer à la diffusion, chaque condition de validation de la phase 4 fixée par le document de cadrage doit être vérifiée par l'équipe programme, avec sa preuve.",
            Remedy::Phase4Conditions,
        ),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A case at `stage` whose grid is complete and decided « qualifié », with nothing else recorded.
    fn record(stage: Stage) -> CaseRecord {
        CaseRecord {
            stage,
            filed_at: 0,
            grid_complete: true,
            decision: Some(Decision::Qualifie),
            periods: Vec::new(),
            cadrage_version: None,
            validations: Vec::new(),
            phase4_conditions: Vec::new(),
            checks: Vec::new(),
            deliverables: Vec::new(),
            ai_act: AiActReview::default(),
        }
    }

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
            cadrage_validated: true,
            phase4_complete: true,
            ai_act_blocks_qualification: false,
            impact_assessment_missing: false,
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
    fn cadrage_needs_the_three_validations_and_conception_its_conditions() {
        let to_conception = forward(Stage::Cadrage, Stage::Conception);
        let to_diffusion = forward(Stage::Conception, Stage::Diffusion);
        assert!(check_move(&to_conception, &all_facts()).is_ok());
        assert!(check_move(&to_diffusion, &all_facts()).is_ok());
        let not_validated = CaseFacts {
            cadrage_validated: false,
            ..all_facts()
        };
        assert_eq!(
            check_move(&to_conception, &not_validated).unwrap_err().remedy,
            Remedy::Cadrage
        );
        assert!(
            check_move(&to_diffusion, &not_validated).is_ok(),
            "phase 4 has its own conditions"
        );
        let unchecked = CaseFacts {
            phase4_complete: false,
            ..all_facts()
        };
        assert_eq!(
            check_move(&to_diffusion, &unchecked).unwrap_err().remedy,
            Remedy::Phase4Conditions
        );
        assert!(check_move(&to_conception, &unchecked).is_ok());
    }

    #[test]
    fn a_new_cadrage_version_closes_the_gate_again() {
        use crate::domain::cadrage::Party;
        let validations: Vec<RecordedValidation> = Party::ALL
            .into_iter()
            .map(|party| RecordedValidation { version: 1, party })
            .collect();
        let facts = |current| {
            CaseRecord {
                cadrage_version: Some(current),
                validations: validations.clone(),
                ..record(Stage::Cadrage)
            }
            .facts(0)
        };
        let to_conception = forward(Stage::Cadrage, Stage::Conception);
        assert!(check_move(&to_conception, &facts(1)).is_ok());
        assert_eq!(
            check_move(&to_conception, &facts(2)).unwrap_err().remedy,
            Remedy::Cadrage
        );
        assert!(!facts(1).phase4_complete, "no condition set: the gate stays closed");
    }

    #[test]
    fn phase4_facts_follow_the_conditions_of_the_version_in_force() {
        let conditions = vec!["Tests réalisés".to_string()];
        let checks = vec![ConditionCheck {
            condition: "Tests réalisés".into(),
            evidence: "Compte rendu du 2 mars".into(),
        }];
        let facts = |conditions: &[String]| {
            CaseRecord {
                decision: None,
                cadrage_version: Some(1),
                phase4_conditions: conditions.to_vec(),
                checks: checks.clone(),
                ..record(Stage::Conception)
            }
            .facts(0)
        };
        assert!(facts(&conditions).phase4_complete);
        let more = vec!["Tests réalisés".to_string(), "Guide rédigé".to_string()];
        assert!(!facts(&more).phase4_complete);
    }

    #[test]
    fn a_prohibited_pre_assessment_keeps_the_case_in_qualification_until_overridden() {
        use crate::domain::ai_act::RiskLevel;
        let request = forward(Stage::Qualification, Stage::Cadrage);
        let facts = |confirmed, reason: &str| {
            let review = AiActReview {
                pre_assessed: Some(RiskLevel::Prohibited),
                confirmed,
                override_reason: reason.into(),
            };
            CaseRecord {
                ai_act: review,
                ..record(Stage::Qualification)
            }
            .facts(0)
        };
        let refusal = check_move(&request, &facts(None, "")).unwrap_err();
        assert_eq!(refusal.remedy, Remedy::QualificationGrid);
        assert!(refusal.message.contains("pratique interdite"));
        assert!(check_move(&request, &facts(Some(RiskLevel::Minimal), "")).is_err());
        let overridden = facts(Some(RiskLevel::Minimal), "Case cochée par erreur");
        assert!(check_move(&request, &overridden).is_ok());
    }

    #[test]
    fn a_high_risk_case_leaves_the_cadrage_only_with_the_impact_assessment_listed() {
        use crate::domain::ai_act::review::IMPACT_ASSESSMENT_DELIVERABLE;
        use crate::domain::ai_act::RiskLevel;
        let request = forward(Stage::Cadrage, Stage::Conception);
        let review = AiActReview {
            pre_assessed: Some(RiskLevel::HighRisk),
            confirmed: Some(RiskLevel::HighRisk),
            override_reason: String::new(),
        };
        let facts = |deliverables: &[String]| CaseFacts {
            cadrage_validated: true,
            ..CaseRecord {
                deliverables: deliverables.to_vec(),
                ai_act: review.clone(),
                ..record(Stage::Cadrage)
            }
            .facts(0)
        };
        let refusal = check_move(&request, &facts(&["Note de cadrage".to_string()])).unwrap_err();
        assert_eq!(refusal.remedy, Remedy::Cadrage);
        assert!(refusal.message.contains("art. 27"));
        assert!(check_move(&request, &facts(&[IMPACT_ASSESSMENT_DELIVERABLE.to_string()])).is_ok());
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
    fn facts_follow_the_open_period() {
        let day = 86_400;
        let periods = vec![Period {
            id: 1,
            name: "Relève".into(),
            starts_at: 100 * day,
            ends_at: 190 * day,
        }];
        let facts = |filed_at, now| {
            CaseRecord {
                filed_at,
                grid_complete: false,
                decision: None,
                periods: periods.clone(),
                ..record(Stage::Remontee)
            }
            .facts(now)
        };
        assert!(facts(10 * day, 150 * day).in_open_period);
        assert!(!facts(120 * day, 150 * day).in_open_period, "filed during the period");
        assert!(!facts(10 * day, 200 * day).in_open_period, "period over");
        assert!(!facts(0, 0).cadrage_validated);
        for d in [Decision::Qualifie, Decision::NonQualifie] {
            assert_eq!(Decision::from_code(d.code()), Some(d));
        }
    }

    #[test]
    fn the_one_entry_point_guards_moves_qualification_and_publication() {
        use crate::domain::ai_act::RiskLevel;
        let move_to = |to| GateRequest::Move {
            to,
            reason: "",
            destination: None,
        };
        assert!(check(&move_to(Stage::Cadrage), &record(Stage::Qualification), 0).is_ok());
        assert_eq!(
            check(&move_to(Stage::Conception), &record(Stage::Cadrage), 0)
                .unwrap_err()
                .remedy,
            Remedy::Cadrage,
            "the move starts from the stage the store read"
        );
        let prohibited = CaseRecord {
            ai_act: AiActReview {
                pre_assessed: Some(RiskLevel::Prohibited),
                ..AiActReview::default()
            },
            ..record(Stage::Qualification)
        };
        let qualify = |confirmed, override_reason| GateRequest::Qualify {
            decision: Some(Decision::Qualifie),
            confirmed,
            override_reason,
        };
        assert_eq!(
            check(&qualify(None, ""), &prohibited, 0).unwrap_err().remedy,
            Remedy::QualificationGrid
        );
        assert!(check(
            &qualify(Some(RiskLevel::Minimal), "Case cochée par erreur"),
            &prohibited,
            0
        )
        .is_ok());
        let refused = check(&GateRequest::Publish, &record(Stage::Cadrage), 0).unwrap_err();
        assert!(refused.message.contains("Conception"), "{refused:?}");
        assert!(check(&GateRequest::Publish, &record(Stage::Diffusion), 0).is_ok());
    }

    #[test]
    fn destination_codes_round_trip() {
        for d in [Destination::Ingenierie, Destination::GuichetCofinancement] {
            assert_eq!(Destination::from_code(d.code()), Some(d));
        }
    }
}
