//! The history of a case: the kinds of event it records (their database codes) and how each reads in French.

use serde::{Deserialize, Serialize};

use super::stage::Stage;

/// What happened to a case; stored as its code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventKind {
    #[serde(rename = "depose")]
    Filed,
    #[serde(rename = "deplace")]
    Moved,
    #[serde(rename = "qualification")]
    Qualification,
    #[serde(rename = "validation")]
    StageValidation,
    #[serde(rename = "cadrage")]
    Cadrage,
    #[serde(rename = "validation-cadrage")]
    CadrageValidation,
    #[serde(rename = "condition")]
    ConditionChecked,
    #[serde(rename = "journal")]
    LogEntry,
    #[serde(rename = "kit")]
    Kit,
    #[serde(rename = "publie")]
    Published,
    #[serde(rename = "retire")]
    Withdrawn,
}

impl EventKind {
    pub const ALL: [EventKind; 11] = [
        EventKind::Filed,
        EventKind::Moved,
        EventKind::Qualification,
        EventKind::StageValidation,
        EventKind::Cadrage,
        EventKind::CadrageValidation,
        EventKind::ConditionChecked,
        EventKind::LogEntry,
        EventKind::Kit,
        EventKind::Published,
        EventKind::Withdrawn,
    ];

    /// The stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            EventKind::Filed => "depose",
            EventKind::Moved => "deplace",
            EventKind::Qualification => "qualification",
            EventKind::StageValidation => "validation",
            EventKind::Cadrage => "cadrage",
            EventKind::CadrageValidation => "validation-cadrage",
            EventKind::ConditionChecked => "condition",
            EventKind::LogEntry => "journal",
            EventKind::Kit => "kit",
            EventKind::Published => "publie",
            EventKind::Withdrawn => "retire",
        }
    }

    pub fn from_code(code: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|kind| kind.code() == code)
    }
}

/// What an event says, in French.
pub fn describe_event(kind: EventKind, from: Option<Stage>, to: Option<Stage>) -> String {
    let label = |stage: Option<Stage>| stage.map(Stage::label).unwrap_or("—");
    match kind {
        EventKind::Filed => "Cas d'usage déposé".to_string(),
        EventKind::Moved => format!("Déplacé de « {} » vers « {} »", label(from), label(to)),
        EventKind::Qualification => "Grille de qualification enregistrée".to_string(),
        EventKind::StageValidation => format!("Validation de l'étape « {} » enregistrée", label(from)),
        EventKind::Cadrage => "Document de cadrage enregistré".to_string(),
        EventKind::CadrageValidation => "Validation du document de cadrage".to_string(),
        EventKind::ConditionChecked => "Condition de validation de la phase 4 vérifiée".to_string(),
        EventKind::LogEntry => "Entrée au journal de la phase 4".to_string(),
        EventKind::Kit => "Kit de diffusion enregistré".to_string(),
        EventKind::Published => "Publié au catalogue".to_string(),
        EventKind::Withdrawn => "Retiré du catalogue".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_from_its_code() {
        for kind in EventKind::ALL {
            assert_eq!(EventKind::from_code(kind.code()), Some(kind));
            assert_eq!(serde_json::to_string(&kind).ok(), Some(format!("\"{}\"", kind.code())));
        }
        assert_eq!(EventKind::from_code("inconnu"), None);
    }

    #[test]
    fn a_move_names_both_stages() {
        assert_eq!(
            describe_event(EventKind::Moved, Some(Stage::Remontee), Some(Stage::Qualification)),
            format!(
                "Déplacé de « {} » vers « {} »",
                Stage::Remontee.label(),
                Stage::Qualification.label()
            )
        );
        assert_eq!(describe_event(EventKind::Filed, None, None), "Cas d'usage déposé");
    }
}
