//! The sections and fields of the tripartite cadrage document (§6), with how each is typed and checked.

use crate::domain::referentiel::{Choice, HEBERGEMENTS, TYPOLOGIES};

/// How a field of the document is typed and checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// One line of text.
    Text,
    /// Several paragraphs.
    LongText,
    /// A list, one item per line.
    Lines,
    /// A whole number between the bounds.
    Integer { min: i64, max: i64 },
    /// A day, `AAAA-MM-JJ`.
    Date,
    /// One code of the list.
    Choice(&'static [Choice]),
}

/// A field of the cadrage document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldSpec {
    pub key: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    pub kind: FieldKind,
    pub required: bool,
}

const fn field(key: &'static str, label: &'static str, hint: &'static str, kind: FieldKind) -> FieldSpec {
    FieldSpec {
        key,
        label,
        hint,
        kind,
        required: true,
    }
}

const fn optional(key: &'static str, label: &'static str, hint: &'static str, kind: FieldKind) -> FieldSpec {
    FieldSpec {
        key,
        label,
        hint,
        kind,
        required: false,
    }
}

/// A titled group of fields (a fieldset of the form, a section of the printed document).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Section {
    pub title: &'static str,
    pub fields: &'static [FieldSpec],
}

/// The longest text of a field, in characters.
pub const MAX_FIELD_CHARS: usize = 10_000;
/// The project's default duration (§6: one year).
pub const DEFAULT_DURATION_MONTHS: i64 = 12;

/// The document, section by section, in the order of §6.
pub const SECTIONS: &[Section] = &[
    Section {
        title: "Objectifs et typologie",
        fields: &[
            field(
                "objectifs",
                "Objectifs opérationnels",
                "Ce que le cas d'usage doit changer pour les agents et les usagers, mesurable si possible.",
                FieldKind::LongText,
            ),
            field("typologie", "Typologie", "", FieldKind::Choice(TYPOLOGIES)),
        ],
    },
    Section {
        title: "Périmètre d'usage",
        fields: &[
            field(
                "perimetre",
                "Périmètre d'usage",
                "Processus, services et usagers concernés.",
                FieldKind::LongText,
            ),
            field(
                "agents",
                "Nombre d'agents utilisateurs",
                "",
                FieldKind::Integer { min: 1, max: 1_000_000 },
            ),
            field("directions", "Directions concernées", "", FieldKind::Text),
            field(
                "hebergement",
                "Hébergement des données",
                "Mistral Compute dans l'Union européenne, sauf hébergement sur site retenu par la collectivité.",
                FieldKind::Choice(HEBERGEMENTS),
            ),
            optional(
                "sieges_vibe",
                "Accès Vibe : nombre d'agents",
                "Option de l'IA Factory (§5) : laissez vide si la collectivité ne la retient pas.",
                FieldKind::Integer { min: 0, max: 1_000_000 },
            ),
        ],
    },
    Section {
        title: "Livrables attendus",
        fields: &[
            field(
                "livrables_cadrage",
                "Livrables du cadrage détaillé",
                "Un livrable par ligne.",
                FieldKind::Lines,
            ),
            field(
                "livrables_conception",
                "Livrables de la conception et de l'implémentation",
                "Un livrable par ligne.",
                FieldKind::Lines,
            ),
            field(
                "livrables_diffusion",
                "Livrables de la diffusion",
                "Un livrable par ligne.",
                FieldKind::Lines,
            ),
        ],
    },
    Section {
        title: "Durée et jalons",
        fields: &[
            field(
                "duree_mois",
                "Durée du projet, en mois",
                "Un an selon le cadre d'intervention.",
                FieldKind::Integer { min: 1, max: 36 },
            ),
            field("debut", "Date de début", "", FieldKind::Date),
            field(
                "jalon_conception",
                "Jalon : début de la conception et de l'implémentation",
                "",
                FieldKind::Date,
            ),
            field("jalon_diffusion", "Jalon : début de la diffusion", "", FieldKind::Date),
        ],
    },
    Section {
        title: "Conditions de validation",
        fields: &[
            field(
                "conditions_conception",
                "Conditions du passage du cadrage à la conception",
                "Une condition par ligne.",
                FieldKind::Lines,
            ),
            field(
                "conditions_diffusion",
                "Conditions du passage de la conception à la diffusion",
                "Une condition par ligne ; l'équipe programme cochera chacune avec sa preuve.",
                FieldKind::Lines,
            ),
        ],
    },
    Section {
        title: "Parties et signataires",
        fields: &[
            field(
                "signataire_collectivite",
                "Signataire pour la collectivité",
                "Nom et fonction.",
                FieldKind::Text,
            ),
            field(
                "signataire_cdc",
                "Signataire pour la Caisse des Dépôts",
                "Nom et fonction.",
                FieldKind::Text,
            ),
            field(
                "prestataire",
                "Prestataire technique",
                "Par exemple : Mistral AI.",
                FieldKind::Text,
            ),
            field(
                "signataire_prestataire",
                "Signataire pour le prestataire technique",
                "Nom et fonction.",
                FieldKind::Text,
            ),
        ],
    },
    Section {
        title: "Engagements de la collectivité",
        fields: &[
            field(
                "chef_de_projet",
                "Chef de projet désigné",
                "Nom et fonction.",
                FieldKind::Text,
            ),
            field(
                "acces_donnees",
                "Accès aux données et aux systèmes d'information",
                "Données, applications et droits d'accès mis à disposition.",
                FieldKind::LongText,
            ),
            field(
                "agents_tests",
                "Agents mobilisés pour les tests et le déploiement",
                "Nombre d'agents.",
                FieldKind::Integer { min: 1, max: 1_000_000 },
            ),
        ],
    },
];

/// Every field, in order.
pub fn fields() -> impl Iterator<Item = &'static FieldSpec> {
    SECTIONS.iter().flat_map(|section| section.fields.iter())
}

pub fn field_spec(key: &str) -> Option<&'static FieldSpec> {
    fields().find(|spec| spec.key == key)
}
