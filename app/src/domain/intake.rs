//! The intake wizard's rules: which fields each of the six steps holds, their limits, the French error naming
//! the field, and what a complete submission derives (impact estimate, portage alerts, warnings).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::impact::{hours_saved_per_year, Volumes};
use super::referentiel::{
    is_choice, Choice, BRIQUES, DISPONIBILITES, DOMAINES, DONNEES_PERSONNELLES, HEBERGEMENTS, MATURITES, QUALITES,
    STADES_PROJET, TYPOLOGIES,
};

/// The number of screens of the wizard; the last one is the summary.
pub const STEP_COUNT: i32 = 6;

/// The title of each step, "Étape n sur 6 — …".
pub fn step_title(step: i32) -> &'static str {
    match step {
        1 => "Votre collectivité",
        2 => "Le cas d'usage",
        3 => "Volumes et impact",
        4 => "Portage",
        5 => "Données et faisabilité",
        _ => "Récapitulatif",
    }
}

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

/// The answers of one intake, as typed: field name → raw text. Unknown names are never stored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntakeAnswers {
    values: BTreeMap<String, String>,
}

/// Removes control characters (but line breaks and tabs) that no person types on purpose.
pub fn clean_text(value: &str) -> String {
    value
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect::<String>()
        .replace("\r\n", "\n")
}

/// The longest raw value kept for any field, far above every field's limit, so that an error can still show
/// what was typed without letting a client fill the database.
pub const MAX_STORED_CHARS: usize = 10_000;

impl IntakeAnswers {
    /// The raw value of `name`, empty when never typed.
    pub fn get(&self, name: &str) -> &str {
        self.values.get(name).map(String::as_str).unwrap_or("")
    }

    /// Stores `value` for a known field (cleaned, capped); unknown names are ignored.
    pub fn set(&mut self, name: &str, value: &str) {
        if field(name).is_none() {
            return;
        }
        let cleaned: String = clean_text(value).chars().take(MAX_STORED_CHARS).collect();
        if cleaned.is_empty() {
            self.values.remove(name);
        } else {
            self.values.insert(name.to_string(), cleaned);
        }
    }

    /// Replaces every field of `step` with the submitted pairs: a field of the step that is absent is emptied
    /// (an unticked checkbox is not sent by a browser).
    pub fn apply_step(&mut self, step: i32, submitted: &[(String, String)]) {
        for spec in step_fields(step) {
            let value = submitted
                .iter()
                .find(|(name, _)| name == spec.name)
                .map(|(_, value)| value.as_str())
                .unwrap_or("");
            self.set(spec.name, value);
        }
    }

    /// The trimmed value, or none when blank.
    pub fn text(&self, name: &str) -> Option<&str> {
        let value = self.get(name).trim();
        (!value.is_empty()).then_some(value)
    }

    /// The whole number typed for `name`, if it reads as one.
    pub fn integer(&self, name: &str) -> Option<i64> {
        parse_integer(self.get(name)).ok().flatten()
    }

    pub fn is_checked(&self, name: &str) -> bool {
        !self.get(name).is_empty()
    }

    /// The bricks ticked, as codes of `BRIQUES`.
    pub fn briques(&self) -> Vec<&'static str> {
        BRIQUES
            .iter()
            .filter(|brique| self.is_checked(&format!("brique_{}", brique.code)))
            .map(|brique| brique.code)
            .collect()
    }

    /// The pairs of every non-empty field, for a form or a JSON body.
    pub fn pairs(&self) -> Vec<(String, String)> {
        self.values.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }

    /// The impact estimate, when step 3's volumes are valid.
    pub fn hours_saved_per_year(&self) -> Option<i64> {
        let volumes = Volumes {
            occurrences_per_month: self.integer("occurrences_mois")?,
            minutes_per_occurrence: self.integer("minutes_par_occurrence")?,
            share_saved_percent: self.integer("part_temps_gagne")?,
        };
        let valid = ["occurrences_mois", "minutes_par_occurrence", "part_temps_gagne"]
            .iter()
            .all(|name| field(name).is_some_and(|spec| check_field(spec, self, &|_| true).is_none()));
        valid.then(|| hours_saved_per_year(volumes))
    }

    /// The levels of portage left empty (§5: each missing one is a "signal d'alerte").
    pub fn missing_portage(&self) -> Vec<PortageLevel> {
        PortageLevel::ALL
            .into_iter()
            .filter(|level| self.text(level.name_field()).is_none())
            .collect()
    }
}

/// The three levels of portage the programme asks for (§5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PortageLevel {
    Metier,
    Dsi,
    Sponsor,
}

impl PortageLevel {
    pub const ALL: [PortageLevel; 3] = [PortageLevel::Metier, PortageLevel::Dsi, PortageLevel::Sponsor];

    pub fn name_field(self) -> &'static str {
        match self {
            PortageLevel::Metier => "metier_nom",
            PortageLevel::Dsi => "dsi_nom",
            PortageLevel::Sponsor => "sponsor_nom",
        }
    }

    pub fn function_field(self) -> &'static str {
        match self {
            PortageLevel::Metier => "metier_fonction",
            PortageLevel::Dsi => "dsi_fonction",
            PortageLevel::Sponsor => "sponsor_fonction",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            PortageLevel::Metier => "metier",
            PortageLevel::Dsi => "dsi",
            PortageLevel::Sponsor => "sponsor",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PortageLevel::Metier => "porteur métier",
            PortageLevel::Dsi => "porteur DSI ou data",
            PortageLevel::Sponsor => "sponsor politique (DGS, DGA ou élu)",
        }
    }
}

/// The programme's wording when a level of portage is missing (§5).
pub fn portage_alert(missing: &[PortageLevel]) -> Option<String> {
    if missing.is_empty() {
        return None;
    }
    let names: Vec<&str> = missing.iter().map(|level| level.label()).collect();
    Some(format!(
        "Signal d'alerte : l'absence de portage sur l'un des trois plans (équipes métier, directions SI/Data, \
         sponsor politique) est susceptible de remettre en cause la sélection du projet. Non renseigné : {}.",
        names.join(", ")
    ))
}

/// The warning shown when the project is already under way (§5: it may fall outside the IA Factory).
pub const ALREADY_ENGAGED_WARNING: &str = "Attention : un projet déjà trop avancé risque de sortir du périmètre \
    de l'IA Factory, qui accompagne des projets suffisamment définis pour démarrer.";

/// A French error attached to one field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// A text that does not read as a whole number that fits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotAnInteger;

/// Reads a whole number: spaces (ordinary or no-break) between digits are allowed. Blank → `Ok(None)`.
pub fn parse_integer(raw: &str) -> Result<Option<i64>, NotAnInteger> {
    let digits: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    if digits.is_empty() {
        return Ok(None);
    }
    digits.parse::<i64>().map(Some).map_err(|_| NotAnInteger)
}

/// A plausible email address: one @, a non-empty local part, a dotted domain, no spaces, at most 254 characters.
pub fn is_email(value: &str) -> bool {
    if value.chars().count() > 254 || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && local.len() <= 64
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && domain.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-')
}

/// A French number (10 digits starting with 0) or an international one (+ and 8 to 15 digits).
pub fn is_phone(value: &str) -> bool {
    if !value
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '+' | '(' | ')'))
    {
        return false;
    }
    let digits: String = value.chars().filter(char::is_ascii_digit).collect();
    if value.trim_start().starts_with('+') {
        (8..=15).contains(&digits.len())
    } else {
        digits.len() == 10 && digits.starts_with('0')
    }
}

fn error(spec: &FieldSpec, message: String) -> FieldError {
    FieldError {
        field: spec.name.to_string(),
        message: format!("« {} » : {message}", spec.label),
    }
}

/// The error of one field, if any. `is_known_collectivite` says whether a `kind:code` key is in the official
/// list (the browser, which does not hold the list, passes a function that accepts every well-formed key).
pub fn check_field(
    spec: &FieldSpec,
    answers: &IntakeAnswers,
    is_known_collectivite: &dyn Fn(&str) -> bool,
) -> Option<FieldError> {
    let raw = answers.get(spec.name);
    let value = raw.trim();
    let length = value.chars().count();
    match spec.kind {
        FieldKind::Text { min, max, required } => {
            if value.is_empty() {
                required.then(|| error(spec, "ce champ est obligatoire.".into()))
            } else if length < min {
                Some(error(
                    spec,
                    format!("saisissez au moins {min} caractères (actuellement {length})."),
                ))
            } else if length > max {
                Some(error(
                    spec,
                    format!("saisissez au plus {max} caractères (actuellement {length})."),
                ))
            } else {
                None
            }
        }
        FieldKind::Integer { min, max, required } => match parse_integer(value) {
            Ok(None) => required.then(|| error(spec, "ce champ est obligatoire.".into())),
            Err(NotAnInteger) => Some(error(
                spec,
                "saisissez un nombre entier, sans décimale ni unité, par exemple 120.".into(),
            )),
            Ok(Some(number)) if number < min || number > max => Some(error(
                spec,
                format!(
                    "saisissez un nombre entre {} et {}.",
                    super::collectivites::group_thousands(min),
                    super::collectivites::group_thousands(max)
                ),
            )),
            Ok(Some(_)) => None,
        },
        FieldKind::OneOf { list, required } => {
            if value.is_empty() {
                required.then(|| error(spec, "choisissez une réponse.".into()))
            } else if !is_choice(list, value) {
                Some(error(spec, "choisissez une réponse de la liste.".into()))
            } else {
                None
            }
        }
        FieldKind::Checkbox => None,
        FieldKind::Email => {
            if value.is_empty() {
                Some(error(spec, "ce champ est obligatoire.".into()))
            } else if !is_email(value) {
                Some(error(spec, "saisissez une adresse au format nom@domaine.fr.".into()))
            } else {
                None
            }
        }
        FieldKind::Phone => {
            if value.is_empty() || is_phone(value) {
                None
            } else {
                Some(error(spec, "saisissez un numéro à 10 chiffres (01 23 45 67 89) ou au format international (+33 1 23 45 67 89).".into()))
            }
        }
        FieldKind::Collectivite => {
            if value.is_empty() {
                Some(error(
                    spec,
                    "recherchez puis choisissez votre collectivité dans la liste officielle.".into(),
                ))
            } else if !is_well_formed_key(value) || !is_known_collectivite(value) {
                Some(error(
                    spec,
                    "cette collectivité n'est pas dans la liste officielle ; recherchez-la de nouveau.".into(),
                ))
            } else {
                None
            }
        }
    }
}

fn is_well_formed_key(key: &str) -> bool {
    match key.split_once(':') {
        Some((kind, code)) => {
            super::collectivites::Kind::from_code(kind).is_some()
                && !code.is_empty()
                && code.len() <= 12
                && code.chars().all(|c| c.is_ascii_alphanumeric())
        }
        None => false,
    }
}

/// Every error of `step`, in screen order (the summary at the top of the step lists them in this order).
pub fn validate_step(
    step: i32,
    answers: &IntakeAnswers,
    is_known_collectivite: &dyn Fn(&str) -> bool,
) -> Vec<FieldError> {
    let mut errors: Vec<FieldError> = step_fields(step)
        .filter_map(|spec| check_field(spec, answers, is_known_collectivite))
        .collect();
    if step == 2 && answers.briques().is_empty() {
        let position = errors
            .iter()
            .position(|e| e.field == "typologie")
            .unwrap_or(errors.len());
        errors.insert(
            position,
            FieldError {
                field: BRIQUES_FIELD.into(),
                message: "« Briques technologiques » : cochez au moins une brique.".into(),
            },
        );
    }
    if step == 4 {
        for level in PortageLevel::ALL {
            let has_name = answers.text(level.name_field()).is_some();
            let has_function = answers.text(level.function_field()).is_some();
            if has_name != has_function {
                let (missing, present) = if has_name {
                    (level.function_field(), "le nom")
                } else {
                    (level.name_field(), "la fonction")
                };
                if let Some(spec) = field(missing) {
                    if !errors.iter().any(|e| e.field == missing) {
                        errors.push(error(
                            spec,
                            format!("vous avez indiqué {present} ; complétez ce champ ou videz les deux."),
                        ));
                    }
                }
            }
        }
        errors.sort_by_key(|e| FIELDS.iter().position(|spec| spec.name == e.field));
    }
    errors
}

/// The first step with an error and all errors, for the summary before "Déposer".
pub fn validate_all(
    answers: &IntakeAnswers,
    is_known_collectivite: &dyn Fn(&str) -> bool,
) -> Vec<(i32, Vec<FieldError>)> {
    (1..STEP_COUNT)
        .map(|step| (step, validate_step(step, answers, is_known_collectivite)))
        .filter(|(_, errors)| !errors.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn any_key(_: &str) -> bool {
        true
    }

    fn complete() -> IntakeAnswers {
        let mut a = IntakeAnswers::default();
        for (name, value) in [
            ("collectivite", "commune:42218"),
            ("contact_nom", "Camille Martin"),
            ("contact_fonction", "Cheffe de projet numérique"),
            ("contact_email", "camille.martin@saint-etienne.fr"),
            ("titre", "Accélération de l'instruction du PLU"),
            (
                "probleme",
                "Les instructeurs passent des heures à vérifier les pièces des dossiers.",
            ),
            (
                "solution",
                "Un agent IA pré-vérifie la complétude et la conformité des dossiers.",
            ),
            ("domaine", "urbanisme"),
            ("perimetre", "Instruction des permis de construire"),
            ("directions", "Direction de l'urbanisme"),
            ("brique_agents", "on"),
            ("typologie", "application-personnalisee"),
            ("agents", "25"),
            ("usagers", "12 000"),
            ("occurrences_mois", "200"),
            ("minutes_par_occurrence", "45"),
            ("part_temps_gagne", "50"),
            ("metier_nom", "Jean Dupont"),
            ("metier_fonction", "Directeur de l'urbanisme"),
            ("dsi_nom", "Awa Diallo"),
            ("dsi_fonction", "DSI"),
            ("sponsor_nom", "Marie Leroy"),
            ("sponsor_fonction", "DGS"),
            (
                "donnees_necessaires",
                "Dossiers de permis numérisés et règlement du PLU",
            ),
            ("disponibilite_donnees", "disponibles"),
            ("qualite_donnees", "bonne"),
            ("donnees_personnelles", "oui"),
            ("maturite", "2"),
            ("stade_projet", "besoin-defini"),
            ("hebergement", "mistral-compute"),
        ] {
            a.set(name, value);
        }
        a
    }

    fn fields_in_error(step: i32, a: &IntakeAnswers) -> Vec<String> {
        validate_step(step, a, &any_key).into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_complete_intake_has_no_error() {
        assert!(validate_all(&complete(), &any_key).is_empty());
    }

    #[test]
    fn every_step_of_an_empty_intake_names_its_required_fields() {
        let empty = IntakeAnswers::default();
        assert_eq!(
            fields_in_error(1, &empty),
            ["collectivite", "contact_nom", "contact_fonction", "contact_email"]
        );
        assert_eq!(
            fields_in_error(2, &empty),
            [
                "titre",
                "probleme",
                "solution",
                "domaine",
                "perimetre",
                "directions",
                "briques",
                "typologie"
            ]
        );
        assert_eq!(
            fields_in_error(3, &empty),
            [
                "agents",
                "usagers",
                "occurrences_mois",
                "minutes_par_occurrence",
                "part_temps_gagne"
            ]
        );
        assert!(fields_in_error(4, &empty).is_empty(), "missing portage does not block");
        assert_eq!(
            fields_in_error(5, &empty),
            [
                "donnees_necessaires",
                "disponibilite_donnees",
                "qualite_donnees",
                "donnees_personnelles",
                "maturite",
                "stade_projet",
                "hebergement"
            ]
        );
    }

    #[test]
    fn errors_name_the_field_in_french() {
        let errors = validate_step(2, &IntakeAnswers::default(), &any_key);
        assert_eq!(
            errors[0].message,
            "« Titre du cas d'usage » : ce champ est obligatoire."
        );
    }

    #[test]
    fn text_lengths_are_bounded() {
        let mut a = complete();
        a.set("titre", "PLU");
        assert_eq!(
            validate_step(2, &a, &any_key)[0].message,
            "« Titre du cas d'usage » : saisissez au moins 5 caractères (actuellement 3)."
        );
        a.set("titre", &"é".repeat(121));
        assert!(validate_step(2, &a, &any_key)[0]
            .message
            .contains("au plus 120 caractères (actuellement 121)"));
    }

    #[test]
    fn numbers_must_be_whole_and_in_range() {
        let mut a = complete();
        a.set("agents", "douze");
        assert!(validate_step(3, &a, &any_key)[0].message.contains("nombre entier"));
        a.set("agents", "-3");
        assert!(validate_step(3, &a, &any_key)[0]
            .message
            .contains("entre 1 et 1\u{202f}000\u{202f}000"));
        a.set("agents", "2,5");
        assert_eq!(fields_in_error(3, &a), ["agents"]);
        a.set("agents", "99999999999999999999999");
        assert_eq!(fields_in_error(3, &a), ["agents"]);
        a.set("agents", "1 200");
        assert!(fields_in_error(3, &a).is_empty());
        a.set("part_temps_gagne", "101");
        assert_eq!(fields_in_error(3, &a), ["part_temps_gagne"]);
    }

    #[test]
    fn choices_must_come_from_the_list() {
        let mut a = complete();
        a.set("domaine", "astrologie");
        assert_eq!(
            validate_step(2, &a, &any_key)[0].message,
            "« Domaine » : choisissez une réponse de la liste."
        );
        a.set("maturite", "5");
        assert_eq!(fields_in_error(5, &a), ["maturite"]);
    }

    #[test]
    fn at_least_one_brick() {
        let mut a = complete();
        a.set("brique_agents", "");
        assert_eq!(fields_in_error(2, &a), ["briques"]);
        a.set("brique_vibe", "on");
        a.set("brique_application", "on");
        assert_eq!(a.briques(), ["vibe", "application"]);
    }

    #[test]
    fn email_and_phone_forms() {
        assert!(is_email("a.b@ville.fr"));
        for bad in ["", "ab", "a@b", "a@@b.fr", "a b@c.fr", "a@.fr", "a@b..fr", "@b.fr"] {
            assert!(!is_email(bad), "{bad}");
        }
        assert!(is_phone("01 23 45 67 89"));
        assert!(is_phone("+33 1 23 45 67 89"));
        assert!(!is_phone("12345"));
        assert!(!is_phone("01 23 45 67 8a"));
        let mut a = complete();
        a.set("contact_telephone", "123");
        assert_eq!(fields_in_error(1, &a), ["contact_telephone"]);
        a.set("contact_email", "camille");
        assert_eq!(fields_in_error(1, &a), ["contact_email", "contact_telephone"]);
    }

    #[test]
    fn collectivite_must_be_in_the_official_list() {
        let mut a = complete();
        let only_saint_etienne = |key: &str| key == "commune:42218";
        assert!(validate_step(1, &a, &only_saint_etienne).is_empty());
        a.set("collectivite", "commune:99999");
        assert_eq!(validate_step(1, &a, &only_saint_etienne)[0].field, "collectivite");
        a.set("collectivite", "Saint-Étienne");
        assert_eq!(validate_step(1, &a, &any_key)[0].field, "collectivite");
    }

    #[test]
    fn portage_missing_alerts_but_does_not_block() {
        let mut a = complete();
        a.set("sponsor_nom", "");
        a.set("sponsor_fonction", "");
        assert!(fields_in_error(4, &a).is_empty());
        assert_eq!(a.missing_portage(), [PortageLevel::Sponsor]);
        let alert = portage_alert(&a.missing_portage()).expect("alert");
        assert!(alert.starts_with("Signal d'alerte"));
        assert!(alert.contains("sponsor politique"));
        assert_eq!(portage_alert(&[]), None);
    }

    #[test]
    fn portage_name_without_function_is_an_error() {
        let mut a = complete();
        a.set("dsi_fonction", "");
        assert_eq!(fields_in_error(4, &a), ["dsi_fonction"]);
        a.set("dsi_nom", "");
        a.set("dsi_fonction", "DSI");
        assert_eq!(fields_in_error(4, &a), ["dsi_nom"]);
    }

    #[test]
    fn impact_estimate_needs_valid_volumes() {
        let mut a = complete();
        assert_eq!(a.hours_saved_per_year(), Some(900));
        a.set("part_temps_gagne", "150");
        assert_eq!(a.hours_saved_per_year(), None);
    }

    #[test]
    fn apply_step_replaces_the_step_and_empties_unticked_boxes() {
        let mut a = complete();
        a.apply_step(
            2,
            &[
                ("titre".into(), "Nouveau titre".into()),
                ("brique_vibe".into(), "on".into()),
            ],
        );
        assert_eq!(a.get("titre"), "Nouveau titre");
        assert_eq!(a.briques(), ["vibe"]);
        assert_eq!(a.get("probleme"), "", "absent field of the step is emptied");
        assert_eq!(a.get("contact_nom"), "Camille Martin", "other steps are kept");
    }

    #[test]
    fn set_ignores_unknown_fields_cleans_and_caps() {
        let mut a = IntakeAnswers::default();
        a.set("mot_de_passe", "x");
        assert!(a.pairs().is_empty());
        a.set("titre", "a\u{0}b\r\nc\u{202e}");
        assert_eq!(a.get("titre"), "ab\nc\u{202e}");
        a.set("probleme", &"x".repeat(50_000));
        assert_eq!(a.get("probleme").len(), MAX_STORED_CHARS);
    }

    #[test]
    fn every_field_belongs_to_a_step_and_names_are_unique() {
        let mut names: Vec<_> = FIELDS.iter().map(|f| f.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), FIELDS.len());
        assert!(FIELDS.iter().all(|f| (1..STEP_COUNT).contains(&f.step)));
    }

    #[test]
    fn validate_all_lists_steps_in_order() {
        let mut a = complete();
        a.set("titre", "");
        a.set("hebergement", "");
        let steps: Vec<i32> = validate_all(&a, &any_key).iter().map(|(s, _)| *s).collect();
        assert_eq!(steps, [2, 5]);
    }
}
