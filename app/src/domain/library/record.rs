//! One record of the Bibliothèque mapped onto its schema's public fields: each value checked against the
//! schema, the collectivité recognised by its SIRET or, when the SIRET is another body's or no SIRET at all,
//! by its name and type; every doubt written as a problem of the record.

use serde::{Deserialize, Serialize};

use super::reader::Row;
use super::values::{domain_of, label_in, BodyType, Status, AUDIENCES, SUB_THEMES, THEMES};
use super::Problem;
use crate::domain::catalogue::slugify;
use crate::domain::collectivites::{Collectivite, Directory};
use crate::domain::proconnect::siren_of;
use crate::domain::text::normalize;

/// A project of the Bibliothèque as the catalogue keeps it: the public fields of its schema, with the
/// collectivité of the official list it belongs to when it could be trusted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LibraryProject {
    /// Stable across imports: the collectivité's SIREN (or its name when none can be trusted) and the
    /// project's name, folded.
    pub key: String,
    /// Proposed address of its page (kept once given).
    pub slug: String,
    /// `Nom_collectivite` as published.
    pub collectivite_name: String,
    /// `Nom_du_projet`.
    pub project_name: String,
    /// `SIRET` as published, spaces removed.
    pub siret: String,
    /// The SIREN trusted for this project: that of the collectivité recognised, or a valid SIREN of a body
    /// outside the list; empty when none.
    pub siren: String,
    /// `kind:code` of the collectivité of the official list, when recognised.
    pub collectivite_key: String,
    /// Its kind code (`commune`, `epci`…) and région, when recognised.
    pub collectivite_kind: String,
    pub region: String,
    pub population: Option<i64>,
    pub body_type: Option<BodyType>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// `Date_de_demarrage` as `AAAA-MM`.
    pub started: String,
    pub status: Option<Status>,
    pub abandon_reason: String,
    pub partners: String,
    pub description: String,
    pub theme: String,
    pub sub_themes: Vec<String>,
    pub audiences: Vec<String>,
    pub url_service: String,
    pub url_logo: String,
    /// `Date_de_derniere_mise_a_jour` as `AAAA-MM-JJ`.
    pub source_updated: String,
    /// The programme's domain its themes fall in (`referentiel::DOMAINES`).
    pub domain: String,
}

/// The public fields kept, as named by the published file and by the Table Schema (the data dictionary's
/// `latidude` read as `Latitude`).
pub const KEPT: [&str; 17] = [
    "Nom_collectivite",
    "Nom_du_projet",
    "SIRET",
    "Latitude",
    "Longitude",
    "Type_de_collectivite",
    "Date_de_demarrage",
    "Statut_du_projet",
    "status_abandon",
    "Partenaires",
    "Description_service",
    "Theme",
    "Sous_Theme",
    "Audience",
    "URL_Service",
    "URL_Logo",
    "Date_de_derniere_mise_a_jour",
];

/// Where each kept field is in the file's records.
pub struct Columns {
    positions: Vec<(&'static str, usize)>,
    pub ignored: Vec<String>,
}

impl Columns {
    /// Reads the header: both column names required for a key must be there.
    pub fn of(header: &[String]) -> Result<Columns, String> {
        let mut columns = Columns {
            positions: Vec::new(),
            ignored: Vec::new(),
        };
        for (index, name) in header.iter().enumerate() {
            let name = name.trim();
            let name = if name == "latidude" { "Latitude" } else { name };
            match KEPT.iter().find(|kept| **kept == name) {
                Some(kept) => columns.positions.push((kept, index)),
                None => columns.ignored.push(name.to_string()),
            }
        }
        for required in ["Nom_collectivite", "Nom_du_projet"] {
            if !columns.positions.iter().any(|(name, _)| *name == required) {
                return Err(format!(
                    "Colonne « {required} » absente de l'en-tête (ligne 1) : ce n'est pas un fichier de la \
                     Bibliothèque d'IA territoriales."
                ));
            }
        }
        Ok(columns)
    }

    fn get<'a>(&self, row: &'a Row, name: &str) -> &'a str {
        self.positions
            .iter()
            .find(|(kept, _)| *kept == name)
            .and_then(|(_, index)| row.fields.get(*index))
            .map(|value| value.trim())
            .unwrap_or("")
    }
}

/// The problems of one record, gathered while it is read.
struct Problems(Vec<Problem>);

impl Problems {
    fn add(&mut self, field: &str, message: String) {
        self.0.push(Problem {
            field: field.to_string(),
            message,
        });
    }
}

/// Maps one record; `Err` only when it has no collectivité or project name.
pub fn map(columns: &Columns, row: &Row, directory: &Directory) -> Result<(LibraryProject, Vec<Problem>), String> {
    let get = |name: &str| columns.get(row, name).to_string();
    let collectivite_name = one_line(&get("Nom_collectivite"));
    let project_name = one_line(&get("Nom_du_projet"));
    if collectivite_name.is_empty() || project_name.is_empty() {
        return Err("Nom de la collectivité ou du projet vide : enregistrement non repris.".into());
    }
    let mut problems = Problems(Vec::new());
    let type_text = get("Type_de_collectivite");
    let body_type = closed(
        &mut problems,
        "Type_de_collectivite",
        &type_text,
        BodyType::read,
        BodyType::label,
    );
    let (siret, found) = collectivite(&mut problems, directory, &get("SIRET"), &collectivite_name, body_type);
    let siren = match found {
        Some(c) => c.siren.clone(),
        None => siren_of(&siret).unwrap_or_default().to_string(),
    };
    let key = if siren.is_empty() {
        format!("nom:{}:{}", slugify(&collectivite_name), slugify(&project_name))
    } else {
        format!("{siren}:{}", slugify(&project_name))
    };
    let status_text = get("Statut_du_projet");
    let theme_text = get("Theme");
    let theme = if theme_text.is_empty() {
        problems.add("Theme", "Thème absent (champ obligatoire).".into());
        String::new()
    } else {
        closed(&mut problems, "Theme", &theme_text, |t| label_in(THEMES, t), |t| t)
            .unwrap_or_default()
            .to_string()
    };
    let sub_themes = list(&mut problems, "Sous_Theme", &get("Sous_Theme"), SUB_THEMES);
    let audiences = list(&mut problems, "Audience", &get("Audience"), AUDIENCES);
    if audiences.is_empty() {
        problems.add("Audience", "Public visé absent (champ obligatoire).".into());
    }
    let description = get("Description_service");
    if description.is_empty() {
        problems.add("Description_service", "Description absente (champ obligatoire).".into());
    }
    let project = LibraryProject {
        slug: slugify(&format!(
            "{project_name} {}",
            found.map(|c| c.name.as_str()).unwrap_or(&collectivite_name)
        )),
        key,
        siret,
        siren,
        collectivite_key: found.map(Collectivite::key).unwrap_or_default(),
        collectivite_kind: found.map(|c| c.kind.code().to_string()).unwrap_or_default(),
        region: found.map(|c| c.region_name.clone()).unwrap_or_default(),
        population: found.and_then(|c| c.population),
        body_type,
        latitude: coordinate(&mut problems, "Latitude", &get("Latitude"), 90.0),
        longitude: coordinate(&mut problems, "Longitude", &get("Longitude"), 180.0),
        started: month(&mut problems, "Date_de_demarrage", &get("Date_de_demarrage")),
        status: closed(
            &mut problems,
            "Statut_du_projet",
            &status_text,
            Status::read,
            Status::label,
        ),
        abandon_reason: get("status_abandon"),
        partners: one_line(&get("Partenaires")),
        domain: domain_of(&theme, &sub_themes).to_string(),
        description,
        theme,
        sub_themes,
        audiences,
        url_service: link(&mut problems, "URL_Service", &get("URL_Service"), false),
        url_logo: link(&mut problems, "URL_Logo", &get("URL_Logo"), true),
        source_updated: day(
            &mut problems,
            "Date_de_derniere_mise_a_jour",
            &get("Date_de_derniere_mise_a_jour"),
        ),
        collectivite_name,
        project_name,
    };
    Ok((project, problems.0))
}

/// A name on one line, its spaces collapsed.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The collectivité of a record: by its SIRET when it is valid and a collectivité's of the same type, else by
/// its name and type. Returns the SIRET as published (spaces removed) and the collectivité recognised.
fn collectivite<'d>(
    problems: &mut Problems,
    directory: &'d Directory,
    siret_text: &str,
    name: &str,
    body_type: Option<BodyType>,
) -> (String, Option<&'d Collectivite>) {
    let siret: String = siret_text.chars().filter(|c| !c.is_whitespace()).collect();
    let kind = body_type.and_then(BodyType::kind);
    let by_name = || by_name(directory, name, kind);
    if siret.is_empty() {
        problems.add("SIRET", "SIRET absent (champ obligatoire).".into());
        return (siret, by_name());
    }
    if siret.len() != siret_text.len() {
        problems.add(
            "SIRET",
            format!("SIRET écrit avec des espaces (« {siret_text} ») : lu {siret}."),
        );
    }
    let Some(siren) = siren_of(&siret) else {
        let found = by_name();
        problems.add(
            "SIRET",
            format!(
                "« {siret} » n'est pas un SIRET (14 chiffres dont le dernier est une clé de contrôle){}.",
                recognised(found)
            ),
        );
        return (siret, found);
    };
    match directory.by_siren(siren) {
        Some(owner) if kind.is_none_or(|kind| owner.kind == kind) => (siret, Some(owner)),
        Some(owner) => {
            let found = by_name();
            problems.add(
                "SIRET",
                format!(
                    "Le SIRET {siret} est celui de {} ({}), pas de « {name} »{}.",
                    owner.name,
                    owner.kind.label(),
                    recognised(found)
                ),
            );
            (siret, found)
        }
        None => {
            let found = by_name();
            problems.add(
                "SIRET",
                format!(
                    "Le SIREN {siren} n'est pas celui d'une collectivité de la liste officielle (commune, EPCI à \
                     fiscalité propre, département, région){}.",
                    match found {
                        Some(c) => format!(" ; collectivité reconnue par son nom : {} (SIREN {})", c.name, c.siren),
                        None => " ; le projet est repris sans collectivité rattachée".into(),
                    }
                ),
            );
            (siret, found)
        }
    }
}

fn recognised(found: Option<&Collectivite>) -> String {
    match found {
        Some(c) => format!(" ; collectivité reconnue par son nom : {} (SIREN {})", c.name, c.siren),
        None => " ; aucune collectivité de la liste officielle reconnue par son nom".into(),
    }
}

/// The collectivité of the official list of this kind whose whole name is in `name` (« Ville de Metz » →
/// Metz, « Département d'Ille et Vilaine » → Ille-et-Vilaine), the first the directory ranks.
fn by_name<'d>(
    directory: &'d Directory,
    name: &str,
    kind: Option<crate::domain::collectivites::Kind>,
) -> Option<&'d Collectivite> {
    let kind = kind?;
    let words = |text: &str| -> Vec<String> {
        normalize(&text.replace(['’', '\'', '-'], " "))
            .split_whitespace()
            .map(str::to_string)
            .collect()
    };
    let given = words(name);
    directory.search(name).into_iter().find(|c| {
        let own = words(&c.name);
        c.kind == kind && !own.is_empty() && given.windows(own.len()).any(|window| window == own.as_slice())
    })
}

/// A value of a closed list: the schema's value, a variant said as read, or nothing (said) when unknown.
fn closed<T: Copy>(
    problems: &mut Problems,
    field: &str,
    text: &str,
    read: impl Fn(&str) -> Option<T>,
    label: impl Fn(T) -> &'static str,
) -> Option<T> {
    if text.is_empty() {
        problems.add(field, "Valeur absente (champ obligatoire).".into());
        return None;
    }
    match read(text) {
        Some(value) if label(value) == text => Some(value),
        Some(value) => {
            problems.add(
                field,
                format!("« {text} » hors de la liste du schéma : lu « {} ».", label(value)),
            );
            Some(value)
        }
        None => {
            problems.add(
                field,
                format!("« {text} » hors de la liste du schéma : valeur non reprise."),
            );
            None
        }
    }
}

/// A list of values separated by commas, each of the closed list `allowed`.
fn list(problems: &mut Problems, field: &str, text: &str, allowed: &[&'static str]) -> Vec<String> {
    let mut values = Vec::new();
    for item in text.split(',').map(str::trim).filter(|item| !item.is_empty()) {
        match label_in(allowed, item) {
            Some(label) => {
                if label != item {
                    problems.add(
                        field,
                        format!("« {item} » hors de la liste du schéma : lu « {label} »."),
                    );
                }
                if !values.iter().any(|v| v == label) {
                    values.push(label.to_string());
                }
            }
            None => problems.add(
                field,
                format!("« {item} » hors de la liste du schéma : valeur non reprise."),
            ),
        }
    }
    values
}

fn coordinate(problems: &mut Problems, field: &str, text: &str, bound: f64) -> Option<f64> {
    if text.is_empty() {
        return None;
    }
    match text.replace(',', ".").parse::<f64>() {
        Ok(value) if value.is_finite() && value.abs() <= bound => Some(value),
        _ => {
            problems.add(
                field,
                format!("« {text} » n'est pas une coordonnée (degrés décimaux) : non reprise."),
            );
            None
        }
    }
}

/// `MM/AAAA` (the published file), `JJ/MM/AAAA` or `AAAA-MM[-JJ]` as `AAAA-MM`.
fn month(problems: &mut Problems, field: &str, text: &str) -> String {
    if text.is_empty() {
        problems.add(field, "Date de démarrage absente (champ obligatoire).".into());
        return String::new();
    }
    match parse_date(text) {
        Some((year, month, _)) => format!("{year:04}-{month:02}"),
        None => {
            problems.add(
                field,
                format!("« {text} » n'est pas une date (attendu MM/AAAA) : non reprise."),
            );
            String::new()
        }
    }
}

/// `JJ/MM/AAAA` or `AAAA-MM-JJ` as `AAAA-MM-JJ`.
fn day(problems: &mut Problems, field: &str, text: &str) -> String {
    match parse_date(text) {
        Some((year, month, Some(day))) => format!("{year:04}-{month:02}-{day:02}"),
        _ if text.is_empty() => {
            problems.add(
                field,
                "Date de dernière mise à jour absente (champ obligatoire).".into(),
            );
            String::new()
        }
        _ => {
            problems.add(
                field,
                format!("« {text} » n'est pas une date (attendu JJ/MM/AAAA) : non reprise."),
            );
            String::new()
        }
    }
}

/// Year, month and maybe day of a date written `MM/AAAA`, `JJ/MM/AAAA`, `AAAA-MM` or `AAAA-MM-JJ`.
fn parse_date(text: &str) -> Option<(u32, u32, Option<u32>)> {
    let numbers: Vec<u32> = text
        .split(['/', '-'])
        .map(|part| part.trim().parse::<u32>().ok())
        .collect::<Option<_>>()?;
    let (year, month, day) = match (text.contains('/'), numbers.as_slice()) {
        (true, [month, year]) => (*year, *month, None),
        (true, [day, month, year]) => (*year, *month, Some(*day)),
        (false, [year, month]) => (*year, *month, None),
        (false, [year, month, day]) => (*year, *month, Some(*day)),
        _ => return None,
    };
    let valid =
        (1990..=2100).contains(&year) && (1..=12).contains(&month) && day.is_none_or(|day| (1..=31).contains(&day));
    valid.then_some((year, month, day))
}

/// A web address, or nothing (said) when it is not one.
fn link(problems: &mut Problems, field: &str, text: &str, required: bool) -> String {
    if text.is_empty() {
        if required {
            problems.add(field, "Adresse absente (champ obligatoire).".into());
        }
        return String::new();
    }
    if crate::domain::catalogue::is_public_link(text) {
        text.to_string()
    } else {
        problems.add(
            field,
            format!("« {text} » n'est pas une adresse web publique : non reprise."),
        );
        String::new()
    }
}

impl LibraryProject {
    /// The card's summary: the description's first sentences, at most `SUMMARY_CHARS` characters.
    pub fn summary(&self) -> String {
        const SUMMARY_CHARS: usize = 280;
        let text = one_line(&self.description);
        if text.chars().count() <= SUMMARY_CHARS {
            return text;
        }
        let cut: String = text.chars().take(SUMMARY_CHARS).collect();
        match cut.rfind(". ") {
            Some(end) if end > SUMMARY_CHARS / 2 => cut[..=end].to_string(),
            _ => format!("{}…", cut.trim_end_matches(|c: char| !c.is_whitespace()).trim_end()),
        }
    }

    /// The text the catalogue's search reads: name, description, collectivité, partners, themes, région.
    pub fn search_document(&self) -> String {
        [
            self.project_name.as_str(),
            &self.description,
            &self.collectivite_name,
            &self.partners,
            &self.theme,
            &self.sub_themes.join(", "),
            &self.region,
        ]
        .join("\n")
    }
}
