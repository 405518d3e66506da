//! Deduplication: a project of the Bibliothèque and a case published here by the same collectivité (same
//! SIREN) about the same need (their texts at least `similar::MIN_SCORE` close) are one project shown once,
//! the programme's case carrying the Bibliothèque's link; the team confirms such a pair or splits it, and its
//! decision holds over later imports.

use serde::{Deserialize, Serialize};

use crate::domain::similar::MIN_SCORE;

/// Where a pair stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PairDecision {
    /// Found by the rule, not yet looked at: already shown as one.
    #[serde(rename = "proposee")]
    Proposed,
    /// The team says they are the same project.
    #[serde(rename = "confirmee")]
    Confirmed,
    /// The team says they are two projects: both are shown.
    #[serde(rename = "separee")]
    Split,
}

impl PairDecision {
    pub const ALL: [PairDecision; 3] = [PairDecision::Proposed, PairDecision::Confirmed, PairDecision::Split];

    pub fn code(self) -> &'static str {
        match self {
            PairDecision::Proposed => "proposee",
            PairDecision::Confirmed => "confirmee",
            PairDecision::Split => "separee",
        }
    }

    pub fn from_code(code: &str) -> Option<PairDecision> {
        PairDecision::ALL.into_iter().find(|d| d.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            PairDecision::Proposed => "Proposée (affichée comme un seul projet)",
            PairDecision::Confirmed => "Confirmée par l'équipe",
            PairDecision::Split => "Séparée par l'équipe (deux projets)",
        }
    }

    /// Whether the two are shown as one entry of the catalogue.
    pub fn shown_as_one(self) -> bool {
        self != PairDecision::Split
    }
}

/// What the team may decide on a pair: confirm it or split it (only the rule proposes one).
pub fn check_team_decision(decision: PairDecision) -> Result<PairDecision, String> {
    match decision {
        PairDecision::Proposed => Err("Décision : choisissez « confirmer » ou « séparer ».".into()),
        decided => Ok(decided),
    }
}

/// Whether a project of the Bibliothèque and a published case make a pair: the same SIREN (known on both
/// sides) and texts at least `MIN_SCORE` close.
pub fn is_pair(library_siren: &str, case_siren: &str, score: f32) -> bool {
    !library_siren.is_empty() && library_siren == case_siren && score >= MIN_SCORE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pair_needs_the_same_siren_and_close_texts() {
        assert!(is_pair("215704636", "215704636", 0.35));
        assert!(is_pair("215704636", "215704636", MIN_SCORE));
        assert!(!is_pair("215704636", "215704636", MIN_SCORE - 0.01));
        assert!(!is_pair("215704636", "200039865", 0.9));
        assert!(!is_pair("", "", 0.9));
    }

    #[test]
    fn only_a_split_pair_shows_two_entries() {
        for decision in PairDecision::ALL {
            assert_eq!(PairDecision::from_code(decision.code()), Some(decision));
        }
        assert!(PairDecision::Proposed.shown_as_one() && PairDecision::Confirmed.shown_as_one());
        assert!(!PairDecision::Split.shown_as_one());
        assert_eq!(PairDecision::from_code("autre"), None);
        assert!(check_team_decision(PairDecision::Proposed).is_err());
        assert_eq!(check_team_decision(PairDecision::Split), Ok(PairDecision::Split));
        // A form posts the code.
        assert_eq!(serde_json::to_string(&PairDecision::Split).unwrap(), "\"separee\"");
    }
}
