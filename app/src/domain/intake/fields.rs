//! The fields of the intake wizard: what each asks, on which step, with its limits and choices.

use crate::domain::ai_act::QUESTIONS;
use crate::domain::referentiel::{
    Choice, DISPONIBILITES, DOMAINES, DONNEES_PERSONNELLES, HEBERGEMENTS, MATURITES, QUALITES, STADES_PROJET,
    TYPOLOGIES,
};

/// What a field holds, with its limits.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FieldKind {
    /// Free text, trimmed, counted in characters.
    Text {
        min: usize,
        max: usize,
        required: bool,
    },
    /// A whole number (spaces allowed between digits).
    Integer {
        min: i64,
        max: i64,
        required: bool,
    },
    /// One code of a closed list.
    OneOf {
        list: &'static [Choice],
        required: bool,
    },
    /// A checkbox; its value is "on" when ticked.
    Checkbox,
    Email,
    /// An optional French or international phone number.
    Phone,
    /// A collectivité of the official list, stored as `kind:code`.
    Collectivite,
}

/// One field of the wizard.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FieldSpec {
    pub name: &'static str,
    pub label: &'static str,
    pub step: i32,
    pub kind: FieldKind,
}

const fn text(step: i32, name: &'static str, label: &'static str, min: usize, max: usize, required: bool) -> FieldSpec {
    FieldSpec {
        name,
        label,
        step,
        kind: FieldKind::Text { min, max, required },
    }
}

const fn integer(step: i32, name: &'static str, label: &'static str, min: i64, max: i64, required: bool) -> FieldSpec {
    FieldSpec {
        name,
        label,
        step,
        kind: FieldKind::Integer { min, max, required },
    }
}

const fn one_of(
    step: i32,
    name: &'static str,
    label: &'static str,
    list: &'static [Choice],
    required: bool,
) -> FieldSpec {
    FieldSpec {
        name,
        label,
        step,
        kind: FieldKind::OneOf { list, required },
    }
}

const fn checkbox(step: i32, name: &'static str, label: &'static str) -> FieldSpec {
    FieldSpec {
        name,
        label,
        step,
        kind: FieldKind::Checkbox,
    }
}

/// Every field of the wizard, in screen order.
pub const FIELDS: &[FieldSpec] = &[
    FieldSpec {
        name: "collectivite",
        label: "Collectivité",
        step: 1,
        kind: FieldKind::Collectivite,
    },
    text(1, "contact_nom", "Nom et prénom", 2, 100, true),
    text(1, "contact_fonction", "Fonction", 2, 100, true),
    FieldSpec {
        name: "contact_email",
        label: "Adresse électronique",
        step: 1,
        kind: FieldKind::Email,
    },
    FieldSpec {
        name: "contact_telephone",
        label: "Téléphone (facultatif)",
        step: 1,
        kind: FieldKind::Phone,
    },
    text(2, "titre", "Titre du cas d'usage", 5, 120, true),
    text(2, "probleme", "Le problème aujourd'hui", 20, 3000, true),
    text(2, "solution", "La solution attendue", 20, 3000, true),
    one_of(2, "domaine", "Domaine", DOMAINES, true),
    text(2, "perimetre", "Périmètre fonctionnel", 5, 1000, true),
    text(2, "directions", "Directions concernées", 2, 500, true),
    checkbox(2, "brique_vibe", "Assistant Vibe"),
    checkbox(2, "brique_agents", "Agents IA"),
    checkbox(2, "brique_application", "Application personnalisée"),
    one_of(2, "typologie", "Typologie", TYPOLOGIES, true),
    integer(3, "agents", "Nombre d'agents concernés", 1, 1_000_000, true),
    integer(3, "usagers", "Nombre d'usagers concernés", 0, 100_000_000, true),
    integer(
        3,
        "occurrences_mois",
        "Nombre d'occurrences par mois",
        1,
        10_000_000,
        true,
    ),
    integer(
        3,
        "minutes_par_occurrence",
        "Durée d'une occurrence, en minutes",
        1,
        10_000,
        true,
    ),
    integer(
        3,
        "part_temps_gagne",
        "Part du temps économisé, en pourcentage",
        1,
        100,
        true,
    ),
    text(
        3,
        "benefice_usagers",
        "Bénéfice attendu pour les usagers",
        0,
        2000,
        false,
    ),
    text(
        3,
        "empreinte_environnementale",
        "Maîtrise de l'empreinte environnementale",
        0,
        2000,
        false,
    ),
    text(4, "metier_nom", "Porteur métier : nom", 0, 100, false),
    text(4, "metier_fonction", "Porteur métier : fonction", 0, 100, false),
    text(4, "dsi_nom", "Porteur DSI ou data : nom", 0, 100, false),
    text(4, "dsi_fonction", "Porteur DSI ou data : fonction", 0, 100, false),
    text(4, "sponsor_nom", "Sponsor politique : nom", 0, 100, false),
    text(
        4,
        "sponsor_fonction",
        "Sponsor politique : fonction (DGS, DGA ou élu)",
        0,
        100,
        false,
    ),
    text(5, "donnees_necessaires", "Données nécessaires", 10, 2000, true),
    one_of(
        5,
        "disponibilite_donnees",
        "Disponibilité des données",
        DISPONIBILITES,
        true,
    ),
    one_of(5, "qualite_donnees", "Qualité des données", QUALITES, true),
    one_of(
        5,
        "donnees_personnelles",
        "Données personnelles",
        DONNEES_PERSONNELLES,
        true,
    ),
    text(
        5,
        "dependances_techniques",
        "Dépendances techniques bloquantes",
        0,
        2000,
        false,
    ),
    one_of(5, "maturite", "Maturité data et IA", MATURITES, true),
    one_of(5, "stade_projet", "Stade du projet", STADES_PROJET, true),
    one_of(5, "hebergement", "Hébergement souhaité", HEBERGEMENTS, true),
    integer(
        5,
        "agents_vibe",
        "Nombre d'agents souhaitant un accès à Vibe",
        0,
        1_000_000,
        false,
    ),
    // The AI Act questionnaire (domain::ai_act).
    checkbox(5, QUESTIONS[0].0, QUESTIONS[0].1),
    checkbox(5, QUESTIONS[1].0, QUESTIONS[1].1),
    checkbox(5, QUESTIONS[2].0, QUESTIONS[2].1),
    checkbox(5, QUESTIONS[3].0, QUESTIONS[3].1),
    checkbox(5, QUESTIONS[4].0, QUESTIONS[4].1),
    checkbox(5, QUESTIONS[5].0, QUESTIONS[5].1),
    checkbox(5, QUESTIONS[6].0, QUESTIONS[6].1),
    checkbox(5, QUESTIONS[7].0, QUESTIONS[7].1),
    checkbox(5, QUESTIONS[8].0, QUESTIONS[8].1),
    checkbox(5, QUESTIONS[9].0, QUESTIONS[9].1),
    checkbox(5, QUESTIONS[10].0, QUESTIONS[10].1),
];

/// The pseudo-field that carries the "at least one brick" rule.
pub const BRIQUES_FIELD: &str = "briques";

/// The spec of the field called `name`.
pub fn field(name: &str) -> Option<&'static FieldSpec> {
    FIELDS.iter().find(|spec| spec.name == name)
}

/// The fields of one step, in screen order.
pub fn step_fields(step: i32) -> impl Iterator<Item = &'static FieldSpec> {
    FIELDS.iter().filter(move |spec| spec.step == step)
}

/// An answer as a person reads it (the attestation de dépôt): the label of a code, "Oui" for a ticked box,
/// the text as typed otherwise; empty when not answered.
pub fn display_answer(spec: &FieldSpec, answers: &super::IntakeAnswers) -> String {
    let raw = answers.get(spec.name).trim();
    match spec.kind {
        FieldKind::OneOf { list, .. } if !raw.is_empty() => crate::domain::referentiel::label_of(list, raw).to_string(),
        FieldKind::Checkbox => {
            if answers.is_checked(spec.name) {
                "Oui".into()
            } else {
                String::new()
            }
        }
        _ => raw.to_string(),
    }
}
