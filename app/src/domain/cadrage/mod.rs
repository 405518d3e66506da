//! The tripartite cadrage document (cadre d'intervention §6) and what follows it: its fields and their checks,
//! its pre-filling from the intake, the difference between two versions, the three parties' validations (a new
//! version clears them), the phase 4 validation conditions and their evidence, and the phase 4 log. Pure code:
//! the server, the pages and the tests share it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::intake::IntakeAnswers;
use super::referentiel::Choice;
use super::text::clean_text;

mod sections;
pub mod signatures;
pub use sections::*;

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

/// How a party's validation was given (issue 25): by the party's own agent signed in with ProConnect (their
/// level of assurance and identity provider kept); by the party itself with its account here (the prestataire;
/// a team member for the Caisse des Dépôts); a signature made on paper, recorded by the team with the signed PDF;
/// or, before these distinctions, recorded by the team on the party's behalf.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Identification {
    RecordedByTeam,
    ProConnect {
        acr: String,
        idp_id: String,
    },
    Account,
    /// The signed PDF: its public id and file name.
    Paper {
        document: String,
        file_name: String,
    },
}

impl Identification {
    /// The code stored beside the validation.
    pub fn code(&self) -> &'static str {
        match self {
            Identification::RecordedByTeam => "equipe",
            Identification::ProConnect { .. } => "proconnect",
            Identification::Account => "compte",
            Identification::Paper { .. } => "papier",
        }
    }

    /// From what is stored (`paper`: the signed PDF's public id and file name); none for an unknown code or a
    /// paper signature without its PDF.
    pub fn from_stored(code: &str, acr: &str, idp_id: &str, paper: Option<(String, String)>) -> Option<Identification> {
        match code {
            "equipe" => Some(Identification::RecordedByTeam),
            "proconnect" => Some(Identification::ProConnect {
                acr: acr.to_string(),
                idp_id: idp_id.to_string(),
            }),
            "compte" => Some(Identification::Account),
            "papier" => paper.map(|(document, file_name)| Identification::Paper { document, file_name }),
            _ => None,
        }
    }

    /// How the signatory was identified, in French, for the pages: who recorded it, or ProConnect's level.
    pub fn describe(&self, recorded_by: &str) -> String {
        match self {
            Identification::RecordedByTeam => format!("enregistré par {recorded_by}"),
            Identification::ProConnect { acr, .. } => format!(
                "en son nom, identifié·e par ProConnect, {}",
                super::proconnect::Acr::parse(acr).map_or(acr.as_str(), |acr| acr.label())
            ),
            Identification::Account => format!("avec le compte IA Factory de {recorded_by}"),
            Identification::Paper { file_name, .. } => {
                format!("signature sur papier, PDF signé « {file_name} » joint, enregistrée par {recorded_by}")
            }
        }
    }
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
    // A duration out of its bounds is refused above and not compared with (a huge one would overflow).
    let months = match field_spec("duree_mois").map(|spec| spec.kind) {
        Some(FieldKind::Integer { min, max }) => document
            .get("duree_mois")
            .parse::<i64>()
            .ok()
            .filter(|months| (min..=max).contains(months)),
        _ => None,
    };
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
    let mut cadrage_deliverables = String::from(
        "Besoin métier précisé et fonctionnalités prioritaires\nCartographie des données à collecter\nÉtude de faisabilité",
    );
    // A high-risk system needs the fundamental-rights impact assessment before it is used (AI Act, art. 27).
    if super::ai_act::assess(&answers.ai_act()).level == super::ai_act::RiskLevel::HighRisk {
        cadrage_deliverables.push('\n');
        cadrage_deliverables.push_str(super::ai_act::review::IMPACT_ASSESSMENT_DELIVERABLE);
    }
    document.set("livrables_cadrage", &cadrage_deliverables);
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
mod tests;
