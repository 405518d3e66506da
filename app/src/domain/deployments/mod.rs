//! Deployments of the programme's cases, the passage à l'échelle of the cadre (§1, §2, étape 5): one collectivité
//! running one case — the pioneer's own and each replication — where it stands, and the months its usage is
//! reported for, from which the target of 100,000 regular agent users by 2030 is counted.

pub mod chart;
pub mod report;
pub mod usage;

use serde::{Deserialize, Serialize};

use super::dates::{civil_from_days, day_number, french_month, paris_offset_seconds};

/// The programme's target: agents using a sovereign AI solution regularly (§1).
pub const TARGET_AGENTS: i64 = 100_000;

/// The month the target is due: « d'ici 2030 », read as the end of 2030.
pub const TARGET_MONTH: Month = Month(2030 * 12 + 11);

/// A calendar month as months since year 0 (`year × 12 + month − 1`): months add, subtract and compare, the
/// same way in Rust and in SQL.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Month(pub i64);

impl Month {
    /// The month `month` (1–12) of `year`; none for another month number.
    pub fn new(year: i64, month: u32) -> Option<Month> {
        (1..=12)
            .contains(&month)
            .then(|| Month(year * 12 + i64::from(month) - 1))
    }

    /// A month typed `AAAA-MM` (what `<input type="month">` sends); none when it is not one.
    pub fn parse(text: &str) -> Option<Month> {
        let (year, month) = text.trim().split_once('-')?;
        if year.len() != 4 || month.len() != 2 {
            return None;
        }
        let year: i64 = year.parse().ok()?;
        (2000..=2100).contains(&year).then_some(())?;
        Month::new(year, month.parse().ok()?)
    }

    /// The month of the day `day` (a day number).
    pub fn of_day(day: i64) -> Month {
        Month::of_instant(day * 86_400 + 43_200)
    }

    /// The month in Paris at the instant `unix_seconds`.
    pub fn of_instant(unix_seconds: i64) -> Month {
        let local = unix_seconds + paris_offset_seconds(unix_seconds);
        let (year, month, _) = civil_from_days(local.div_euclid(86_400));
        Month(year * 12 + i64::from(month) - 1)
    }

    pub fn year(self) -> i64 {
        self.0.div_euclid(12)
    }

    /// 1 for January.
    pub fn number(self) -> u32 {
        (self.0.rem_euclid(12) + 1) as u32
    }

    /// `2027-03`.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}", self.year(), self.number())
    }

    /// « mars 2027 ».
    pub fn label(self) -> String {
        format!("{} {}", french_month(self.number()), self.year())
    }

    /// The month `count` months later (earlier when negative).
    pub fn plus(self, count: i64) -> Month {
        Month(self.0 + count)
    }

    /// How many months from `earlier` to this one.
    pub fn since(self, earlier: Month) -> i64 {
        self.0 - earlier.0
    }
}

/// Where a deployment stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Status {
    #[serde(rename = "en-projet")]
    Project,
    #[serde(rename = "en-deploiement")]
    Deploying,
    #[serde(rename = "en-service")]
    InService,
    #[serde(rename = "arrete")]
    Stopped,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::Project, Status::Deploying, Status::InService, Status::Stopped];

    pub fn code(self) -> &'static str {
        match self {
            Status::Project => "en-projet",
            Status::Deploying => "en-deploiement",
            Status::InService => "en-service",
            Status::Stopped => "arrete",
        }
    }

    pub fn from_code(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|status| status.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Project => "En projet",
            Status::Deploying => "En déploiement",
            Status::InService => "En service",
            Status::Stopped => "Arrêté",
        }
    }
}

/// Whose deployment it is: the pioneer that built the case, or a collectivité that replicates it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    #[serde(rename = "pionnier")]
    Pioneer,
    #[serde(rename = "replication")]
    Replication,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Pioneer => "pionnier",
            Kind::Replication => "replication",
        }
    }

    pub fn from_code(code: &str) -> Option<Kind> {
        [Kind::Pioneer, Kind::Replication]
            .into_iter()
            .find(|kind| kind.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Pioneer => "Collectivité pionnière",
            Kind::Replication => "Réplication",
        }
    }
}

/// The Vibe seats a cadrage agreed (§5): its « Accès Vibe : nombre d'agents », when it includes Vibe.
pub fn vibe_agreed(cadrage: &super::cadrage::CadrageDocument) -> Option<i64> {
    cadrage
        .get("sieges_vibe")
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|seats| *seats > 0)
}

/// The longest reason of a stop.
pub const MAX_REASON_CHARS: usize = 1_000;

/// A change of status as asked: the status, its day as typed (`AAAA-MM-JJ`) and, for a stop, its reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusChange {
    pub to: Status,
    pub day: String,
    pub reason: String,
}

/// A change of status that passed the checks: the day as a day number, the reason cleaned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedChange {
    pub to: Status,
    pub day: i64,
    pub reason: String,
}

/// Whether a deployment's reports stopped in the month `now`: in service, and its latest report — or its start,
/// without any — over two months old (the programme no longer counts it; "À traiter" lists it).
pub fn is_silent(status: Status, reported_or_started: Month, now: Month) -> bool {
    status == Status::InService && !report::is_current(reported_or_started, now)
}

/// Whether a deployment may move from `from` to `to`: forward (en projet, en déploiement, en service), to a stop
/// from any status, and from a stop back to en déploiement or en service.
pub fn may_move(from: Status, to: Status) -> bool {
    let backwards = from != Status::Stopped && to != Status::Stopped && to < from;
    to != from && !backwards && !(from == Status::Stopped && to == Status::Project)
}

/// Checks a change of status from `from` on `today` (a day number): a deployment moves forward (en projet, en
/// déploiement, en service), may stop from any status with its reason, and may start again once stopped; the
/// day is a real one, not in the future. Each refusal names its field.
pub fn check_status_change(from: Status, change: &StatusChange, today: i64) -> Result<CheckedChange, String> {
    if change.to == from {
        return Err(format!("« Statut » : le déploiement est déjà « {} ».", from.label()));
    }
    if !may_move(from, change.to) {
        return Err(format!(
            "« Statut » : un déploiement « {} » ne revient pas « {} » ; s'il ne sert plus, déclarez son arrêt.",
            from.label(),
            change.to.label()
        ));
    }
    let day = day_number(&change.day)
        .ok_or_else(|| "« Date » : saisissez une date réelle, au format AAAA-MM-JJ.".to_string())?;
    if day > today {
        return Err("« Date » : la date ne peut pas être dans le futur.".into());
    }
    let reason = super::text::clean_text(&change.reason).trim().to_string();
    if change.to == Status::Stopped && reason.is_empty() {
        return Err(
            "« Motif de l'arrêt » : dites pourquoi le déploiement s'arrête (c'est utile aux autres collectivités)."
                .into(),
        );
    }
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(format!("« Motif de l'arrêt » : {MAX_REASON_CHARS} caractères au plus."));
    }
    Ok(CheckedChange {
        to: change.to,
        day,
        reason: if change.to == Status::Stopped {
            reason
        } else {
            String::new()
        },
    })
}

/// Checks a deployment as declared by a collectivité: where it stands (not stopped: a stop is declared on a
/// running deployment) since a real day, not in the future. Each refusal names its field.
pub fn check_declaration(status: Status, day: &str, today: i64) -> Result<i64, String> {
    if status == Status::Stopped {
        return Err("« Où en est-il ? » : déclarez le déploiement en projet, en déploiement ou en service.".into());
    }
    let day = day_number(day)
        .ok_or_else(|| "« Depuis le » : saisissez une date réelle, au format AAAA-MM-JJ.".to_string())?;
    if day > today {
        return Err("« Depuis le » : la date ne peut pas être dans le futur.".into());
    }
    Ok(day)
}

/// The collectivité and contact the team records a deployment for: `found` are the directory's matches of what
/// was typed (its name, its code or its key); one is needed — the only match, or the one named exactly. The
/// contact receives the monthly reminder.
pub fn check_on_behalf<'a>(
    typed: &str,
    found: &[&'a super::collectivites::Collectivite],
    contact: &str,
) -> Result<(&'a super::collectivites::Collectivite, String), String> {
    let typed_name = super::text::normalize(typed);
    let exact: Vec<&super::collectivites::Collectivite> = found
        .iter()
        .copied()
        .filter(|c| super::text::normalize(&c.name) == typed_name || c.key() == typed.trim())
        .collect();
    let collectivite = match (found, exact.as_slice()) {
        ([], _) => return Err("« Collectivité » : aucune collectivité ne porte ce nom ou ce code.".into()),
        ([only], _) | (_, [only]) => *only,
        (_, _) => {
            let names: Vec<String> = found
                .iter()
                .take(4)
                .map(|c| format!("{} ({})", c.name, c.key()))
                .collect();
            return Err(format!(
                "« Collectivité » : plusieurs collectivités correspondent ({}…) ; saisissez son code, par exemple {}.",
                names.join(", "),
                found[0].key()
            ));
        }
    };
    let contact = contact.trim().to_lowercase();
    if !super::intake::is_email(&contact) {
        return Err(
            "« Contact de la collectivité » : saisissez une adresse valide, par exemple prenom.nom@exemple.fr.".into(),
        );
    }
    Ok((collectivite, contact))
}

#[cfg(test)]
mod tests;
