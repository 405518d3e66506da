//! The intake wizard's rules: which fields each of the six steps holds, their limits, the French error naming
//! the field, and what a complete submission derives (impact estimate, portage alerts, warnings).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::impact::{hours_saved_per_year, Volumes};
use super::referentiel::{is_choice, BRIQUES};
use super::text::clean_text;

mod fields;
pub use fields::*;

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

/// The answers of one intake, as typed: field name → raw text. Unknown names are never stored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntakeAnswers {
    values: BTreeMap<String, String>,
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

    /// The AI Act questionnaire's answers (step 5).
    pub fn ai_act(&self) -> crate::domain::ai_act::AiActAnswers {
        crate::domain::ai_act::answers_from(|name| self.is_checked(name))
    }

    /// Whether personal data would be processed (step 5).
    pub fn personal_data(&self) -> bool {
        self.get("donnees_personnelles") == "oui"
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
    if value.chars().count() > crate::domain::auth::MAX_EMAIL_CHARS
        || value.chars().any(|c| c.is_whitespace() || c.is_control())
    {
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
                    super::text::group_thousands(min),
                    super::text::group_thousands(max)
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

/// Which version last saved each step, and from which tab.
pub type StepVersions = BTreeMap<i32, (i64, String)>;

/// Whether a tab's save of `step` may be merged into the draft: it may unless that same step was saved by
/// another tab after this one loaded version `base_version` (then it is told to reload, nothing is lost:
/// its typing stays in the browser). Saves of other steps are merged, so two tabs on two steps never lose
/// one another's answers; a tab's own saves never count against it (even one whose answer it did not get).
pub fn check_autosave(step: i32, base_version: i64, tab: &str, step_versions: &StepVersions) -> Result<(), String> {
    match step_versions.get(&step) {
        Some((saved, by)) if *saved > base_version && by != tab => Err(format!(
            "L'étape {step} a été modifiée dans un autre onglet, sur un autre appareil ou par un collègue depuis l'ouverture de cette page. \
             Rechargez la page pour reprendre la dernière version : votre saisie reste conservée dans ce navigateur."
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests;
