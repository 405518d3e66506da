//! The history of a case: the kinds of event it records (their database codes), what each records besides its
//! kind (`EventDetail`, typed, stored as text) and how both read in French, in one place.

use serde::{Deserialize, Serialize};

use super::qualification::Destination;
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
    /// The case's contact handed to another agent of the collectivité, who accepted.
    #[serde(rename = "contact")]
    ContactTransferred,
    /// A case filed by private link attached to its collectivité's space by one of its agents.
    #[serde(rename = "rattachement")]
    Attached,
}

impl EventKind {
    pub const ALL: [EventKind; 13] = [
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
        EventKind::ContactTransferred,
        EventKind::Attached,
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
            EventKind::ContactTransferred => "contact",
            EventKind::Attached => "rattachement",
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
        EventKind::ContactTransferred => "Contact de la collectivité transféré".to_string(),
        EventKind::Attached => "Dossier rattaché à l'espace de la collectivité".to_string(),
    }
}

/// The stored text of a publication's detail before its slug.
const PUBLISHED_PREFIX: &str = "Publié au catalogue public : /catalogue/";
/// The stored text of a reorientation's detail before its destination.
const REORIENTED_PREFIX: &str = "Vers : ";

/// What an event records besides its kind.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventDetail {
    None,
    /// Why a case was moved.
    Reason(String),
    /// Where a case not qualified was sent, and why.
    Reoriented {
        destination: Destination,
        reason: String,
    },
    /// The public page a publication opened or updated.
    Published {
        slug: String,
    },
    /// What the store notes of a cadrage version, a validation, a condition or a log entry.
    Note(String),
}

impl EventDetail {
    /// The detail of a move: its reason, with the destination of a reorientation.
    pub fn of_move(destination: Option<Destination>, reason: &str) -> EventDetail {
        let reason = reason.trim().to_string();
        match destination {
            Some(destination) => EventDetail::Reoriented { destination, reason },
            None if reason.is_empty() => EventDetail::None,
            None => EventDetail::Reason(reason),
        }
    }

    /// A note of the store (none when empty).
    pub fn note(text: impl Into<String>) -> EventDetail {
        let text = text.into();
        if text.is_empty() {
            EventDetail::None
        } else {
            EventDetail::Note(text)
        }
    }

    /// The text kept in `case_events.detail` (the forms written before this type existed, so old rows read back).
    pub fn stored(&self) -> String {
        match self {
            EventDetail::None => String::new(),
            EventDetail::Reason(reason) | EventDetail::Note(reason) => reason.clone(),
            EventDetail::Reoriented { destination, reason } => {
                format!("{REORIENTED_PREFIX}{}. {reason}", destination.label())
            }
            EventDetail::Published { slug } => format!("{PUBLISHED_PREFIX}{slug}"),
        }
    }

    /// The detail of an event of `kind` (a move to `to`) from its stored text.
    pub fn read(kind: EventKind, to: Option<Stage>, stored: &str) -> EventDetail {
        if stored.is_empty() {
            return EventDetail::None;
        }
        match kind {
            EventKind::Moved if to == Some(Stage::Reoriente) => {
                let reoriented = stored.strip_prefix(REORIENTED_PREFIX).and_then(|rest| {
                    [Destination::Ingenierie, Destination::GuichetCofinancement]
                        .into_iter()
                        .find_map(|d| Some((d, rest.strip_prefix(d.label())?.strip_prefix('.')?)))
                });
                match reoriented {
                    Some((destination, reason)) => EventDetail::Reoriented {
                        destination,
                        reason: reason.trim().to_string(),
                    },
                    None => EventDetail::Reason(stored.to_string()),
                }
            }
            EventKind::Moved => EventDetail::Reason(stored.to_string()),
            EventKind::Published => match stored.strip_prefix(PUBLISHED_PREFIX) {
                Some(slug) => EventDetail::Published { slug: slug.to_string() },
                None => EventDetail::Note(stored.to_string()),
            },
            _ => EventDetail::Note(stored.to_string()),
        }
    }

    /// How the detail reads in the case's history (empty when there is nothing to add).
    pub fn french(&self) -> String {
        match self {
            EventDetail::None => String::new(),
            EventDetail::Reason(reason) => format!("Motif : {reason}"),
            EventDetail::Reoriented { destination, reason } if reason.is_empty() => {
                format!("Orienté vers : {}", destination.label())
            }
            EventDetail::Reoriented { destination, reason } => {
                format!("Orienté vers : {}. Motif : {reason}", destination.label())
            }
            EventDetail::Published { slug } => format!("Page publique : /catalogue/{slug}"),
            EventDetail::Note(note) => note.clone(),
        }
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

    #[test]
    fn each_detail_reads_back_from_what_is_stored() {
        let back = Some(Stage::Qualification);
        let reoriented = Some(Stage::Reoriente);
        let details = [
            (
                EventKind::Moved,
                back,
                EventDetail::of_move(None, " Retour pour ajustement "),
            ),
            (
                EventKind::Moved,
                reoriented,
                EventDetail::of_move(
                    Some(Destination::GuichetCofinancement),
                    "Projet déjà engagé. Voir la note.",
                ),
            ),
            (EventKind::Moved, back, EventDetail::of_move(None, "")),
            (
                EventKind::Published,
                None,
                EventDetail::Published {
                    slug: "tri-du-courrier".into(),
                },
            ),
            (
                EventKind::Cadrage,
                None,
                EventDetail::note("Version 2 du document de cadrage."),
            ),
        ];
        for (kind, to, detail) in details {
            assert_eq!(EventDetail::read(kind, to, &detail.stored()), detail, "{kind:?}");
        }
        assert_eq!(
            EventDetail::read(EventKind::Moved, reoriented, "Vers : Ingénierie. Hors périmètre"),
            EventDetail::Reoriented {
                destination: Destination::Ingenierie,
                reason: "Hors périmètre".into()
            }
        );
        assert_eq!(
            EventDetail::read(EventKind::Moved, back, "Vers : Ingénierie. Un motif qui commence ainsi"),
            EventDetail::Reason("Vers : Ingénierie. Un motif qui commence ainsi".into()),
            "only a move to « Réorienté » has a destination"
        );
    }

    #[test]
    fn a_reason_is_said_once_and_a_publication_is_no_reason() {
        let moved = EventDetail::read(EventKind::Moved, Some(Stage::Cadrage), "Retour pour ajustement").french();
        assert_eq!(moved, "Motif : Retour pour ajustement");
        assert_eq!(moved.matches("Motif").count(), 1);
        let published =
            EventDetail::read(EventKind::Published, None, "Publié au catalogue public : /catalogue/x").french();
        assert_eq!(published, "Page publique : /catalogue/x");
        let note = EventDetail::read(EventKind::Cadrage, None, "Version 1 du document de cadrage.").french();
        assert_eq!(note, "Version 1 du document de cadrage.");
        assert_eq!(EventDetail::read(EventKind::Moved, None, "").french(), "");
    }
}
