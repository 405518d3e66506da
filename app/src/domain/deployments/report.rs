//! A month's usage report of a deployment in service: what is checked (each refusal naming its field, nothing
//! kept of a refused report), how long it may be corrected, and when the latest report is too old to count.

use serde::{Deserialize, Serialize};

use super::{Month, Status, TARGET_AGENTS};

/// Shown next to the field: who counts towards the programme's target.
pub const REGULAR_DEFINITION: &str = "Agents qui ont utilisé la solution au moins une fois par semaine au cours du \
     mois : ce sont eux que compte l'objectif du programme de 100 000 agents utilisateurs réguliers d'ici 2030.";

/// Shown next to the field.
pub const OCCASIONAL_DEFINITION: &str =
    "Agents qui l'ont utilisée au moins une fois dans le mois, mais moins d'une fois par semaine.";

/// A report may be corrected for this many days after it was first sent.
pub const CORRECTION_DAYS: i64 = 60;

/// A deployment's latest report counts for its month and this many months after; older, it is stale: counted
/// apart, never carried forward.
pub const STALE_AFTER_MONTHS: i64 = 2;

/// The largest staff a collectivité may declare (the largest employ fewer).
pub const MAX_STAFF: i64 = 200_000;

/// The most usagers a month may reach (more than France's population is a typing error).
pub const MAX_USAGERS: i64 = 70_000_000;

/// The most hours an agent may save in a month: a full-time month (1,607 hours a year ÷ 12, rounded up).
pub const MAX_HOURS_PER_AGENT: i64 = 134;

/// How a figure was obtained.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Measure {
    #[serde(rename = "statistiques")]
    ToolStatistics,
    #[serde(rename = "enquete")]
    Survey,
    #[serde(rename = "estimation")]
    Estimate,
}

impl Measure {
    pub const ALL: [Measure; 3] = [Measure::ToolStatistics, Measure::Survey, Measure::Estimate];

    pub fn code(self) -> &'static str {
        match self {
            Measure::ToolStatistics => "statistiques",
            Measure::Survey => "enquete",
            Measure::Estimate => "estimation",
        }
    }

    pub fn from_code(code: &str) -> Option<Measure> {
        Measure::ALL.into_iter().find(|measure| measure.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Measure::ToolStatistics => "Statistiques de l'outil",
            Measure::Survey => "Enquête auprès des agents",
            Measure::Estimate => "Estimation",
        }
    }
}

/// A report as typed: the figures as text (the form shows them back as they were), each with its measure.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReportForm {
    pub month: String,
    pub regular: String,
    pub regular_measure: Option<Measure>,
    pub occasional: String,
    pub occasional_measure: Option<Measure>,
    pub usagers: String,
    pub usagers_measure: Option<Measure>,
    /// Optional.
    pub hours: String,
    pub hours_measure: Option<Measure>,
    /// The collectivité's staff, asked once (then shown, correctable).
    pub staff: String,
    /// Vibe seats activated and their regular users, for a pioneer whose cadrage includes Vibe (§5); optional.
    pub vibe_seats: String,
    pub vibe_users: String,
}

impl ReportForm {
    /// The form's fields by their `name`, as a query string carries them back to the form after a refusal.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let measure = |m: Option<Measure>| m.map(|m| m.code().to_string()).unwrap_or_default();
        vec![
            ("mois", self.month.clone()),
            ("agents_reguliers", self.regular.clone()),
            ("mesure_agents_reguliers", measure(self.regular_measure)),
            ("agents_occasionnels", self.occasional.clone()),
            ("mesure_agents_occasionnels", measure(self.occasional_measure)),
            ("usagers", self.usagers.clone()),
            ("mesure_usagers", measure(self.usagers_measure)),
            ("heures", self.hours.clone()),
            ("mesure_heures", measure(self.hours_measure)),
            ("effectif", self.staff.clone()),
            ("sieges_vibe", self.vibe_seats.clone()),
            ("utilisateurs_vibe", self.vibe_users.clone()),
        ]
    }

    /// The form read back from its fields (`get` gives a field's value by name).
    pub fn from_pairs(get: impl Fn(&str) -> Option<String>) -> ReportForm {
        let text = |name: &str| get(name).unwrap_or_default();
        let measure = |name: &str| get(name).and_then(|code| Measure::from_code(&code));
        ReportForm {
            month: text("mois"),
            regular: text("agents_reguliers"),
            regular_measure: measure("mesure_agents_reguliers"),
            occasional: text("agents_occasionnels"),
            occasional_measure: measure("mesure_agents_occasionnels"),
            usagers: text("usagers"),
            usagers_measure: measure("mesure_usagers"),
            hours: text("heures"),
            hours_measure: measure("mesure_heures"),
            staff: text("effectif"),
            vibe_seats: text("sieges_vibe"),
            vibe_users: text("utilisateurs_vibe"),
        }
    }

    /// The form filled with a report sent before, to correct it.
    pub fn of_report(
        month: Month,
        figures: [Figure; 3],
        hours: Option<Figure>,
        vibe: Option<(i64, i64)>,
    ) -> ReportForm {
        let [regular, occasional, usagers] = figures;
        ReportForm {
            month: month.iso(),
            regular: regular.value.to_string(),
            regular_measure: Some(regular.measure),
            occasional: occasional.value.to_string(),
            occasional_measure: Some(occasional.measure),
            usagers: usagers.value.to_string(),
            usagers_measure: Some(usagers.measure),
            hours: hours.map(|h| h.value.to_string()).unwrap_or_default(),
            hours_measure: hours.map(|h| h.measure),
            staff: String::new(),
            vibe_seats: vibe.map(|v| v.0.to_string()).unwrap_or_default(),
            vibe_users: vibe.map(|v| v.1.to_string()).unwrap_or_default(),
        }
    }
}

/// What the store knows of the deployment when it checks, read in the write's transaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReportFacts {
    pub status: Status,
    /// The month it went into service.
    pub in_service: Option<Month>,
    /// The staff the collectivité declared, if it did.
    pub staff: Option<i64>,
    /// The Vibe seats agreed in the pioneer's cadrage, when it includes Vibe.
    pub vibe_agreed: Option<i64>,
}

/// A figure and how it was obtained.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figure {
    pub value: i64,
    pub measure: Measure,
}

/// A report that passed the checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub month: Month,
    pub regular: Figure,
    pub occasional: Figure,
    pub usagers: Figure,
    pub hours: Option<Figure>,
    /// The staff the checks used (the one declared, or typed now).
    pub staff: i64,
    /// Vibe seats activated and their regular users.
    pub vibe: Option<(i64, i64)>,
}

/// A refusal and the field it names (its `name` in the form).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportError {
    pub field: &'static str,
    pub message: String,
}

fn refuse(errors: &mut Vec<ReportError>, field: &'static str, message: String) {
    errors.push(ReportError { field, message });
}

/// A whole number typed in the field `name` (labelled `label`), between 0 and `max`; empty gives none.
fn number(errors: &mut Vec<ReportError>, (name, label): (&'static str, &str), text: &str, max: i64) -> Option<i64> {
    let text: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{202f}')
        .collect();
    if text.is_empty() {
        return None;
    }
    match text.parse::<i64>() {
        Ok(value) if value < 0 => refuse(
            errors,
            name,
            format!("« {label} » : un nombre ne peut pas être négatif."),
        ),
        Ok(value) if value > max => refuse(
            errors,
            name,
            format!("« {label} » : {value} dépasse le plus grand nombre possible ici ({max})."),
        ),
        Ok(value) => return Some(value),
        Err(_) => refuse(
            errors,
            name,
            format!("« {label} » : saisissez un nombre entier, sans virgule."),
        ),
    }
    None
}

/// A required figure and its measure.
fn figure(
    errors: &mut Vec<ReportError>,
    field: (&'static str, &str),
    text: &str,
    measure: Option<Measure>,
    max: i64,
) -> Option<Figure> {
    let value = number(errors, field, text, max);
    if value.is_none() && text.trim().is_empty() {
        refuse(
            errors,
            field.0,
            format!("« {} » : ce chiffre est demandé (0 s'il n'y en a pas).", field.1),
        );
    }
    let measure = measure.or_else(|| {
        refuse(
            errors,
            field.0,
            format!("« {} » : dites comment ce chiffre a été obtenu.", field.1),
        );
        None
    });
    Some(Figure {
        value: value?,
        measure: measure?,
    })
}

/// The month of the report: a real month, not after `now`'s, not before the deployment went into service.
fn month(errors: &mut Vec<ReportError>, form: &ReportForm, facts: &ReportFacts, now: Month) -> Option<Month> {
    let Some(month) = Month::parse(&form.month) else {
        refuse(
            errors,
            "mois",
            "« Mois » : choisissez un mois, au format AAAA-MM.".into(),
        );
        return None;
    };
    if month > now {
        refuse(
            errors,
            "mois",
            format!("« Mois » : {} n'est pas encore commencé.", month.label()),
        );
        return None;
    }
    if let Some(start) = facts.in_service.filter(|start| month < *start) {
        refuse(
            errors,
            "mois",
            format!(
                "« Mois » : le déploiement est en service depuis {} ; choisissez ce mois ou un suivant.",
                start.label()
            ),
        );
        return None;
    }
    Some(month)
}

/// Checks a report typed for a deployment, in the month `now`: every refusal names its field; nothing of a
/// refused report is kept.
pub fn check_report(form: &ReportForm, facts: &ReportFacts, now: Month) -> Result<Report, Vec<ReportError>> {
    let mut errors = Vec::new();
    if facts.status != Status::InService {
        refuse(
            &mut errors,
            "statut",
            "Le relevé d'usage se fait pour un déploiement en service : déclarez d'abord sa mise en service.".into(),
        );
        return Err(errors);
    }
    let month = month(&mut errors, form, facts, now);
    let typed_staff = number(
        &mut errors,
        ("effectif", "Effectif de la collectivité"),
        &form.staff,
        MAX_STAFF,
    )
    .filter(|staff| *staff > 0);
    let staff = typed_staff.or(facts.staff);
    if staff.is_none() && form.staff.trim().is_empty() {
        refuse(
            &mut errors,
            "effectif",
            "« Effectif de la collectivité » : indiquez le nombre d'agents de la collectivité, tous statuts confondus (les agents réguliers ne peuvent pas le dépasser).".into(),
        );
    }
    let agents_max = staff.unwrap_or(MAX_STAFF).min(TARGET_AGENTS);
    let regular = figure(
        &mut errors,
        ("agents_reguliers", "Agents réguliers"),
        &form.regular,
        form.regular_measure,
        agents_max,
    );
    let occasional = figure(
        &mut errors,
        ("agents_occasionnels", "Agents occasionnels"),
        &form.occasional,
        form.occasional_measure,
        agents_max,
    );
    let usagers = figure(
        &mut errors,
        ("usagers", "Usagers touchés"),
        &form.usagers,
        form.usagers_measure,
        MAX_USAGERS,
    );
    if let (Some(regular), Some(occasional), Some(staff)) = (regular, occasional, staff) {
        if regular.value + occasional.value > staff {
            refuse(
                &mut errors,
                "agents_occasionnels",
                format!(
                    "« Agents occasionnels » : avec les agents réguliers, {} agents dépassent l'effectif de la collectivité ({staff}) ; un agent compte une seule fois.",
                    regular.value + occasional.value
                ),
            );
        }
    }
    let hours = hours(&mut errors, form, regular, occasional);
    let vibe = vibe(&mut errors, form, facts, staff);
    match (month, regular, occasional, usagers, staff) {
        (Some(month), Some(regular), Some(occasional), Some(usagers), Some(staff)) if errors.is_empty() => Ok(Report {
            month,
            regular,
            occasional,
            usagers,
            hours,
            staff,
            vibe,
        }),
        _ => Err(errors),
    }
}

/// The optional hours saved: with their measure, at most a full-time month per agent who used the solution.
fn hours(
    errors: &mut Vec<ReportError>,
    form: &ReportForm,
    regular: Option<Figure>,
    occasional: Option<Figure>,
) -> Option<Figure> {
    let field = ("heures", "Heures économisées");
    let value = number(errors, field, &form.hours, i64::MAX)?;
    let users = regular.map_or(0, |f| f.value) + occasional.map_or(0, |f| f.value);
    if value > users * MAX_HOURS_PER_AGENT {
        refuse(
            errors,
            field.0,
            format!(
                "« Heures économisées » : {value} heures pour {users} agents, c'est plus qu'un temps plein chacun ({MAX_HOURS_PER_AGENT} heures par mois) ; vérifiez le chiffre."
            ),
        );
        return None;
    }
    let Some(measure) = form.hours_measure else {
        refuse(
            errors,
            field.0,
            "« Heures économisées » : dites comment ce chiffre a été obtenu.".into(),
        );
        return None;
    };
    Some(Figure { value, measure })
}

/// The Vibe seats activated and their regular users, asked only when the cadrage includes Vibe (§5).
fn vibe(
    errors: &mut Vec<ReportError>,
    form: &ReportForm,
    facts: &ReportFacts,
    staff: Option<i64>,
) -> Option<(i64, i64)> {
    facts.vibe_agreed?;
    let max = staff.unwrap_or(MAX_STAFF);
    let seats = number(errors, ("sieges_vibe", "Sièges Vibe activés"), &form.vibe_seats, max);
    let users = number(
        errors,
        ("utilisateurs_vibe", "Utilisateurs réguliers de Vibe"),
        &form.vibe_users,
        max,
    );
    match (seats, users) {
        (None, None) => None,
        (Some(seats), Some(users)) if users <= seats => Some((seats, users)),
        (Some(seats), Some(users)) => {
            refuse(
                errors,
                "utilisateurs_vibe",
                format!("« Utilisateurs réguliers de Vibe » : {users} utilisateurs pour {seats} sièges activés ; un utilisateur occupe un siège."),
            );
            None
        }
        _ => {
            refuse(
                errors,
                "sieges_vibe",
                "« Sièges Vibe activés » : donnez les sièges activés et leurs utilisateurs réguliers, ou aucun des deux.".into(),
            );
            None
        }
    }
}

/// Whether a report first sent at `created_at` may still be corrected at `now`.
pub fn may_correct(created_at: i64, now: i64) -> bool {
    now - created_at <= CORRECTION_DAYS * 86_400
}

/// Whether a deployment's latest report, for `latest`, still counts in the month `now`.
pub fn is_current(latest: Month, now: Month) -> bool {
    now.since(latest) <= STALE_AFTER_MONTHS
}

/// What refuses a second report for a month: the correction is offered instead.
pub fn already_reported(month: Month) -> String {
    format!(
        "« Mois » : un relevé existe déjà pour {} ; corrigez-le plutôt que d'en envoyer un second.",
        month.label()
    )
}
