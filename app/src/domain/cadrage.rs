//! The tripartite cadrage document (cadre d'intervention §6) and what follows it: its fields and their checks,
//! its pre-filling from the intake, the difference between two versions, the three parties' validations (a new
//! version clears them), the phase 4 validation conditions and their evidence, and the phase 4 log. Pure code:
//! the server, the pages and the tests share it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::intake::{clean_text, IntakeAnswers};
use super::referentiel::{Choice, HEBERGEMENTS, TYPOLOGIES};

/// The document is written once the case is qualified: from the cadrage détaillé on (a new version stays
/// possible in conception and diffusion).
pub fn document_open(stage: super::stage::Stage) -> bool {
    use super::stage::Stage;
    matches!(stage, Stage::Cadrage | Stage::Conception | Stage::Diffusion)
}

/// The three parties of the cadrage (§6): the collectivité, the Caisse des Dépôts and the technical provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Party {
    Collectivite,
    CaisseDesDepots,
    Prestataire,
}

impl Party {
    pub const ALL: [Party; 3] = [Party::Collectivite, Party::CaisseDesDepots, Party::Prestataire];

    pub fn code(self) -> &'static str {
        match self {
            Party::Collectivite => "collectivite",
            Party::CaisseDesDepots => "caisse-des-depots",
            Party::Prestataire => "prestataire",
        }
    }

    pub fn from_code(code: &str) -> Option<Party> {
        Party::ALL.into_iter().find(|party| party.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Party::Collectivite => "La collectivité",
            Party::CaisseDesDepots => "La Caisse des Dépôts",
            Party::Prestataire => "Le prestataire technique",
        }
    }

    /// The document field naming this party's signatory.
    pub fn signatory_field(self) -> &'static str {
        match self {
            Party::Collectivite => "signataire_collectivite",
            Party::CaisseDesDepots => "signataire_cdc",
            Party::Prestataire => "signataire_prestataire",
        }
    }
}

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
                "Mistral Compute dans l'Union européenne, sauf option on premise retenue par la collectivité.",
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

/// One version of the document: every field's text by key.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CadrageDocument(pub BTreeMap<String, String>);

impl CadrageDocument {
    pub fn get(&self, key: &str) -> &str {
        self.0.get(key).map(String::as_str).unwrap_or_default()
    }

    pub fn set(&mut self, key: &str, value: &str) {
        self.0.insert(key.to_string(), value.to_string());
    }

    /// The document as submitted by a form: known fields only, texts cleaned and trimmed, at most
    /// `MAX_FIELD_CHARS` characters each (longer texts are refused by `check`, not cut here).
    pub fn from_form<'a>(submitted: impl IntoIterator<Item = (&'a str, &'a str)>) -> CadrageDocument {
        let mut document = CadrageDocument::default();
        for (key, value) in submitted {
            if let Some(spec) = field_spec(key) {
                let cleaned = clean_text(value);
                let value = match spec.kind {
                    FieldKind::Lines => lines_of(&cleaned).join("\n"),
                    _ => cleaned.trim().to_string(),
                };
                document.set(spec.key, &value);
            }
        }
        document
    }

    /// The items of a one-per-line field.
    pub fn lines(&self, key: &str) -> Vec<String> {
        lines_of(self.get(key))
    }
}

fn lines_of(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| line.trim().trim_start_matches(['-', '*', '•']).trim().to_string())
        .filter(|line| !line.is_empty())
        .collect()
}

/// A field refused, with the French message shown beside it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub key: &'static str,
    pub message: String,
}

fn is_iso_date(text: &str) -> bool {
    super::dates::day_number(text).is_some()
}

/// Every problem of the document, in the order of the form.
pub fn check(document: &CadrageDocument) -> Vec<FieldError> {
    let mut errors = Vec::new();
    for spec in fields() {
        let value = document.get(spec.key);
        let mut refuse = |message: String| errors.push(FieldError { key: spec.key, message });
        if value.is_empty() {
            if spec.required {
                refuse(format!("Renseignez « {} ».", spec.label));
            }
            continue;
        }
        if value.chars().count() > MAX_FIELD_CHARS {
            refuse(format!(
                "« {} » compte au plus {MAX_FIELD_CHARS} caractères.",
                spec.label
            ));
            continue;
        }
        match spec.kind {
            FieldKind::Integer { min, max } => match value.replace([' ', '\u{a0}', '\u{202f}'], "").parse::<i64>() {
                Ok(number) if (min..=max).contains(&number) => {}
                _ => refuse(format!(
                    "« {} » doit être un nombre entier entre {min} et {max}.",
                    spec.label
                )),
            },
            FieldKind::Date if !is_iso_date(value) => {
                refuse(format!("« {} » doit être une date au format JJ/MM/AAAA.", spec.label))
            }
            FieldKind::Choice(choices) if !choices.iter().any(|choice| choice.code == value) => {
                refuse(format!("Choisissez « {} » dans la liste.", spec.label))
            }
            _ => {}
        }
    }
    // The milestones follow the start and each other, within the duration.
    let start = super::dates::day_number(document.get("debut"));
    let conception = super::dates::day_number(document.get("jalon_conception"));
    let diffusion = super::dates::day_number(document.get("jalon_diffusion"));
    let months = document.get("duree_mois").parse::<i64>().ok();
    if let (Some(start), Some(conception)) = (start, conception) {
        if conception <= start {
            errors.push(FieldError {
                key: "jalon_conception",
                message: "Le jalon de conception doit suivre la date de début.".into(),
            });
        }
    }
    if let (Some(conception), Some(diffusion)) = (conception, diffusion) {
        if diffusion <= conception {
            errors.push(FieldError {
                key: "jalon_diffusion",
                message: "Le jalon de diffusion doit suivre celui de la conception.".into(),
            });
        }
    }
    if let (Some(start), Some(diffusion), Some(months)) = (start, diffusion, months) {
        if diffusion >= add_months(start, months) {
            errors.push(FieldError {
                key: "jalon_diffusion",
                message: "Le jalon de diffusion doit tomber avant la fin du projet (date de début plus sa durée)."
                    .into(),
            });
        }
    }
    errors
}

/// The day `months` months after `day` (a day number since 1970-01-01), the day of the month kept or
/// brought back to the last day of a shorter month.
pub fn add_months(day: i64, months: i64) -> i64 {
    use super::dates::{civil_from_days, days_from_civil};
    let (year, month, day_of_month) = civil_from_days(day);
    let total = year * 12 + (month as i64 - 1) + months;
    let (new_year, new_month) = (total.div_euclid(12), (total.rem_euclid(12) + 1) as u32);
    let mut candidate_day = day_of_month;
    loop {
        let candidate = days_from_civil(new_year, new_month, candidate_day);
        if civil_from_days(candidate).1 == new_month {
            return candidate;
        }
        candidate_day -= 1;
    }
}

/// The first version of a case's document, filled from the intake and the programme's defaults; `today` is
/// `AAAA-MM-JJ`.
pub fn prefill(answers: &IntakeAnswers, today: &str) -> CadrageDocument {
    let mut document = CadrageDocument::default();
    let objectives = [answers.get("solution"), answers.get("probleme")]
        .iter()
        .filter(|text| !text.trim().is_empty())
        .map(|text| text.trim().to_string())
        .collect::<Vec<_>>()
        .join("\n\n");
    document.set("objectifs", &objectives);
    document.set("typologie", answers.get("typologie"));
    document.set("perimetre", answers.get("perimetre").trim());
    document.set("agents", answers.get("agents"));
    document.set("directions", answers.get("directions").trim());
    let hosting = answers.get("hebergement");
    document.set(
        "hebergement",
        if hosting.is_empty() { "mistral-compute" } else { hosting },
    );
    if answers.is_checked("brique_vibe") {
        document.set("sieges_vibe", answers.get("agents"));
    }
    document.set(
        "livrables_cadrage",
        "Besoin métier précisé et fonctionnalités prioritaires\nCartographie des données à collecter\nÉtude de faisabilité",
    );
    document.set(
        "livrables_conception",
        "Solution développée et intégrée\nComptes rendus des tests et des expérimentations\nAjustements documentés",
    );
    document.set(
        "livrables_diffusion",
        "Kit de diffusion : documentation, vidéos de démonstration, supports de prise en main\nMesure des gains après déploiement",
    );
    document.set("duree_mois", &DEFAULT_DURATION_MONTHS.to_string());
    if let Some(start) = super::dates::day_number(today) {
        use super::dates::iso_of_day;
        document.set("debut", &iso_of_day(start));
        document.set("jalon_conception", &iso_of_day(add_months(start, 3)));
        document.set("jalon_diffusion", &iso_of_day(add_months(start, 9)));
    }
    document.set(
        "conditions_conception",
        "Besoin métier et fonctionnalités prioritaires validés par la collectivité\nDonnées nécessaires identifiées et accessibles",
    );
    document.set(
        "conditions_diffusion",
        "Solution testée par les agents en conditions réelles\nRetours des tests pris en compte\nDocumentation de prise en main rédigée",
    );
    document.set("signataire_collectivite", answers.get("sponsor_nom").trim());
    document.set("prestataire", "Mistral AI");
    let lead = [answers.get("metier_nom").trim(), answers.get("metier_fonction").trim()]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    document.set("chef_de_projet", &lead);
    document.set("acces_donnees", answers.get("donnees_necessaires").trim());
    document
}

/// A line of a text difference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiffLine {
    Same(String),
    Removed(String),
    Added(String),
}

/// A field that differs between two versions, line by line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldDiff {
    pub key: &'static str,
    pub label: &'static str,
    pub lines: Vec<DiffLine>,
}

/// What changed from `before` to `after`, field by field in the order of the document (unchanged fields left
/// out). Choices are compared by their labels.
pub fn diff(before: &CadrageDocument, after: &CadrageDocument) -> Vec<FieldDiff> {
    fields()
        .filter(|spec| before.get(spec.key) != after.get(spec.key))
        .map(|spec| FieldDiff {
            key: spec.key,
            label: spec.label,
            lines: diff_lines(
                &display_value(spec, before.get(spec.key)),
                &display_value(spec, after.get(spec.key)),
            ),
        })
        .collect()
}

/// The text a person reads for a field's value (a choice's label, a date as JJ/MM/AAAA).
pub fn display_value(spec: &FieldSpec, value: &str) -> String {
    match spec.kind {
        FieldKind::Choice(choices) => super::referentiel::label_of(choices, value).to_string(),
        FieldKind::Date => super::dates::day_number(value)
            .map(super::dates::french_of_day)
            .unwrap_or_else(|| value.to_string()),
        _ => value.to_string(),
    }
}

/// A line difference by longest common subsequence (documents are short: quadratic is fine).
pub fn diff_lines(before: &str, after: &str) -> Vec<DiffLine> {
    let old: Vec<&str> = if before.is_empty() {
        Vec::new()
    } else {
        before.lines().collect()
    };
    let new: Vec<&str> = if after.is_empty() {
        Vec::new()
    } else {
        after.lines().collect()
    };
    let (n, m) = (old.len(), new.len());
    let mut common = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            common[i][j] = if old[i] == new[j] {
                common[i + 1][j + 1] + 1
            } else {
                common[i + 1][j].max(common[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut lines = Vec::new();
    while i < n || j < m {
        if i < n && j < m && old[i] == new[j] {
            lines.push(DiffLine::Same(old[i].to_string()));
            i += 1;
            j += 1;
        } else if i < n && (j == m || common[i + 1][j] >= common[i][j + 1]) {
            lines.push(DiffLine::Removed(old[i].to_string()));
            i += 1;
        } else {
            lines.push(DiffLine::Added(new[j].to_string()));
            j += 1;
        }
    }
    lines
}

/// A validation as recorded: which party validated which version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedValidation {
    pub version: i64,
    pub party: Party,
}

/// The parties whose validation counts: those recorded on the current version. A new version clears the others.
pub fn current_validations(current_version: Option<i64>, recorded: &[RecordedValidation]) -> Vec<Party> {
    let Some(current) = current_version else {
        return Vec::new();
    };
    let mut parties: Vec<Party> = recorded
        .iter()
        .filter(|validation| validation.version == current)
        .map(|validation| validation.party)
        .collect();
    parties.sort();
    parties.dedup();
    parties
}

/// The current version is validated by the three parties.
pub fn fully_validated(current_version: Option<i64>, recorded: &[RecordedValidation]) -> bool {
    current_validations(current_version, recorded).len() == Party::ALL.len()
}

/// Whether `party` may validate `version` now: only the current version, once per party.
pub fn check_validation(
    current_version: Option<i64>,
    version: i64,
    party: Party,
    recorded: &[RecordedValidation],
) -> Result<(), String> {
    match current_version {
        None => Err("Le document de cadrage n'a pas encore été enregistré.".into()),
        Some(current) if current != version => Err(format!(
            "La version {version} n'est plus la version en vigueur : validez la version {current}."
        )),
        Some(_) if current_validations(current_version, recorded).contains(&party) => {
            Err(format!("{} a déjà validé la version {version}.", party.label()))
        }
        Some(_) => Ok(()),
    }
}

/// A validation condition of phase 4 checked by the programme team, with its evidence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConditionCheck {
    pub condition: String,
    pub evidence: String,
}

/// The longest evidence, in characters.
pub const MAX_EVIDENCE_CHARS: usize = 2_000;

/// The evidence of a check, cleaned; refused when empty or too long.
pub fn check_evidence(evidence: &str) -> Result<String, String> {
    let evidence = clean_text(evidence).trim().to_string();
    if evidence.is_empty() {
        return Err("Indiquez la preuve : une note ou un lien vers le document qui l'établit.".into());
    }
    if evidence.chars().count() > MAX_EVIDENCE_CHARS {
        return Err(format!("La preuve compte au plus {MAX_EVIDENCE_CHARS} caractères."));
    }
    Ok(evidence)
}

/// The conditions of phase 4 (in the current document) not yet checked with evidence. A document without
/// any condition leaves the gate closed: the text sets conditions for every passage.
pub fn unchecked_conditions(conditions: &[String], checks: &[ConditionCheck]) -> Vec<String> {
    conditions
        .iter()
        .filter(|condition| {
            !checks
                .iter()
                .any(|check| &check.condition == *condition && !check.evidence.trim().is_empty())
        })
        .cloned()
        .collect()
}

/// Every condition of phase 4 is checked with its evidence (and there is at least one).
pub fn phase4_complete(conditions: &[String], checks: &[ConditionCheck]) -> bool {
    !conditions.is_empty() && unchecked_conditions(conditions, checks).is_empty()
}

/// The kinds of phase 4 log entries (§3, étape 4: itérations, tests, expérimentations, ajustements).
pub const LOG_KINDS: &[Choice] = &[
    Choice {
        code: "iteration",
        label: "Itération",
    },
    Choice {
        code: "test",
        label: "Test",
    },
    Choice {
        code: "experimentation",
        label: "Expérimentation",
    },
    Choice {
        code: "ajustement",
        label: "Ajustement",
    },
];

/// The longest log entry, in characters.
pub const MAX_LOG_CHARS: usize = 5_000;

/// A phase 4 log entry as typed: the day, the kind and what happened; cleaned or refused in French.
pub fn check_log_entry(day: &str, kind: &str, body: &str) -> Result<(String, &'static str, String), String> {
    let day = day.trim();
    if super::dates::day_number(day).is_none() {
        return Err("Indiquez la date de l'entrée du journal (JJ/MM/AAAA).".into());
    }
    let Some(kind) = LOG_KINDS.iter().find(|choice| choice.code == kind.trim()) else {
        return Err("Choisissez la nature de l'entrée : itération, test, expérimentation ou ajustement.".into());
    };
    let body = clean_text(body).trim().to_string();
    if body.is_empty() {
        return Err("Décrivez ce qui a été fait et ce qui en ressort.".into());
    }
    if body.chars().count() > MAX_LOG_CHARS {
        return Err(format!(
            "Une entrée du journal compte au plus {MAX_LOG_CHARS} caractères."
        ));
    }
    Ok((day.to_string(), kind.code, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complete() -> CadrageDocument {
        let mut answers = IntakeAnswers::default();
        for (key, value) in [
            ("titre", "Courriers"),
            ("probleme", "Trop de courriers."),
            ("solution", "Un assistant de réponse."),
            ("typologie", "produit-vibe"),
            ("perimetre", "Service courrier"),
            ("agents", "40"),
            ("directions", "DGS"),
            ("brique_vibe", "on"),
            ("sponsor_nom", "Mme la Maire"),
            ("metier_nom", "Jeanne Martin"),
            ("metier_fonction", "Cheffe du service courrier"),
            ("donnees_necessaires", "Archives des courriers"),
        ] {
            answers.set(key, value);
        }
        let mut document = prefill(&answers, "2026-01-31");
        document.set("signataire_cdc", "Paul Durand, directeur régional");
        document.set("signataire_prestataire", "Lise Roy, Mistral AI");
        document.set("agents_tests", "5");
        document
    }

    #[test]
    fn the_document_opens_with_the_cadrage() {
        use crate::domain::stage::Stage;
        assert!(!document_open(Stage::Qualification));
        assert!(!document_open(Stage::Reoriente));
        assert!(document_open(Stage::Cadrage) && document_open(Stage::Diffusion));
    }

    #[test]
    fn the_prefilled_document_takes_the_intake_and_the_defaults() {
        let document = complete();
        assert_eq!(document.get("typologie"), "produit-vibe");
        assert_eq!(document.get("agents"), "40");
        assert_eq!(document.get("sieges_vibe"), "40");
        assert_eq!(document.get("hebergement"), "mistral-compute");
        assert_eq!(document.get("duree_mois"), "12");
        assert_eq!(document.get("debut"), "2026-01-31");
        assert_eq!(document.get("jalon_conception"), "2026-04-30");
        assert_eq!(document.get("jalon_diffusion"), "2026-10-31");
        assert_eq!(
            document.get("chef_de_projet"),
            "Jeanne Martin, Cheffe du service courrier"
        );
        assert!(document.get("objectifs").starts_with("Un assistant de réponse."));
        assert_eq!(check(&document), Vec::new());
    }

    #[test]
    fn check_names_each_wrong_field_in_french() {
        let mut document = complete();
        document.set("objectifs", "");
        document.set("agents", "beaucoup");
        document.set("typologie", "autre");
        document.set("debut", "31/01/2026");
        document.set("sieges_vibe", "");
        let errors = check(&document);
        let keys: Vec<&str> = errors.iter().map(|e| e.key).collect();
        assert_eq!(keys, ["objectifs", "typologie", "agents", "debut"]);
        assert_eq!(errors[0].message, "Renseignez « Objectifs opérationnels ».");
        assert!(errors[2].message.contains("entre 1 et 1000000"));
    }

    #[test]
    fn milestones_must_follow_each_other_within_the_duration() {
        let mut document = complete();
        document.set("jalon_conception", "2026-01-15");
        assert_eq!(check(&document)[0].key, "jalon_conception");
        let mut document = complete();
        document.set("jalon_diffusion", "2027-02-01");
        assert!(check(&document)[0].message.contains("avant la fin du projet"));
    }

    #[test]
    fn adding_months_keeps_or_shortens_the_day() {
        let day = |text: &str| crate::domain::dates::day_number(text).unwrap();
        assert_eq!(add_months(day("2026-01-31"), 1), day("2026-02-28"));
        assert_eq!(add_months(day("2026-11-15"), 12), day("2027-11-15"));
        assert_eq!(add_months(day("2028-01-31"), 1), day("2028-02-29"));
    }

    #[test]
    fn forms_keep_known_fields_cleaned_and_lists_one_per_line() {
        let document = CadrageDocument::from_form([
            ("objectifs", "  Répondre plus vite \u{0} "),
            ("inconnu", "x"),
            ("conditions_diffusion", "- Tests faits\n\n * Guide rédigé \n"),
        ]);
        assert_eq!(document.get("objectifs"), "Répondre plus vite");
        assert_eq!(document.get("inconnu"), "");
        assert_eq!(document.lines("conditions_diffusion"), ["Tests faits", "Guide rédigé"]);
    }

    #[test]
    fn the_difference_lists_changed_fields_line_by_line() {
        let before = complete();
        let mut after = before.clone();
        after.set(
            "conditions_diffusion",
            "Solution testée par les agents en conditions réelles\nTaux d'adoption supérieur à 50 %\nDocumentation de prise en main rédigée",
        );
        after.set("typologie", "application-personnalisee");
        let changes = diff(&before, &after);
        assert_eq!(changes.len(), 2);
        assert_eq!(changes[0].key, "typologie");
        assert_eq!(
            changes[0].lines,
            [
                DiffLine::Removed("Cas d'usage produit Vibe".into()),
                DiffLine::Added("Application personnalisée".into())
            ]
        );
        assert_eq!(
            changes[1].lines,
            [
                DiffLine::Same("Solution testée par les agents en conditions réelles".into()),
                DiffLine::Removed("Retours des tests pris en compte".into()),
                DiffLine::Added("Taux d'adoption supérieur à 50 %".into()),
                DiffLine::Same("Documentation de prise en main rédigée".into()),
            ]
        );
        assert!(diff(&before, &before).is_empty());
        assert_eq!(diff_lines("", "a"), [DiffLine::Added("a".into())]);
    }

    #[test]
    fn a_new_version_clears_the_validations_of_the_earlier_ones() {
        let recorded = [
            RecordedValidation {
                version: 1,
                party: Party::Collectivite,
            },
            RecordedValidation {
                version: 1,
                party: Party::CaisseDesDepots,
            },
            RecordedValidation {
                version: 1,
                party: Party::Prestataire,
            },
        ];
        assert!(fully_validated(Some(1), &recorded));
        assert!(!fully_validated(Some(2), &recorded));
        assert!(current_validations(Some(2), &recorded).is_empty());
        assert!(!fully_validated(None, &recorded));
        assert!(!fully_validated(Some(1), &recorded[..2]));
        let mut again = recorded.to_vec();
        again.push(RecordedValidation {
            version: 2,
            party: Party::Prestataire,
        });
        assert_eq!(current_validations(Some(2), &again), [Party::Prestataire]);
    }

    #[test]
    fn only_the_current_version_may_be_validated_once_per_party() {
        let recorded = [RecordedValidation {
            version: 2,
            party: Party::Collectivite,
        }];
        assert!(check_validation(Some(2), 2, Party::Prestataire, &recorded).is_ok());
        assert!(check_validation(Some(2), 1, Party::Prestataire, &recorded)
            .unwrap_err()
            .contains("validez la version 2"));
        assert!(check_validation(Some(2), 2, Party::Collectivite, &recorded)
            .unwrap_err()
            .contains("déjà validé"));
        assert!(check_validation(None, 1, Party::Collectivite, &[]).is_err());
    }

    #[test]
    fn phase4_needs_every_condition_checked_with_evidence() {
        let conditions = vec!["Tests".to_string(), "Guide".to_string()];
        let check = |condition: &str, evidence: &str| ConditionCheck {
            condition: condition.into(),
            evidence: evidence.into(),
        };
        assert!(!phase4_complete(
            &conditions,
            &[check("Tests", "Compte rendu du 3 mars")]
        ));
        assert_eq!(
            unchecked_conditions(&conditions, &[check("Tests", "CR"), check("Guide", " ")]),
            ["Guide"]
        );
        assert!(phase4_complete(
            &conditions,
            &[check("Tests", "CR"), check("Guide", "https://exemple.fr/guide")]
        ));
        assert!(!phase4_complete(&[], &[]));
        assert!(check_evidence("  ").is_err());
        assert_eq!(check_evidence(" lien ").unwrap(), "lien");
    }

    #[test]
    fn log_entries_need_a_day_a_kind_and_a_text() {
        assert!(check_log_entry("2026-03-02", "test", "Test avec 5 agents").is_ok());
        assert!(check_log_entry("02/03/2026", "test", "x").unwrap_err().contains("date"));
        assert!(check_log_entry("2026-03-02", "autre", "x")
            .unwrap_err()
            .contains("nature"));
        assert!(check_log_entry("2026-03-02", "test", " ")
            .unwrap_err()
            .contains("Décrivez"));
    }
}
