//! Whether the service is ready for traffic (`/pret`, read by a load balancer): the database answers, every
//! migration of this version is applied, and the outbox is not stuck. Plain rules, tested here.

use serde::Serialize;

/// How long a due email may wait before the outbox counts as stuck (the sender looks every second).
pub const OUTBOX_STUCK_AFTER_SECONDS: i64 = 10 * 60;

/// One check of the readiness report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Check {
    /// `base`, `migrations`, `courriels`.
    pub nom: &'static str,
    pub ok: bool,
    /// What was seen, in French.
    pub detail: String,
}

/// The readiness report, served as JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Readiness {
    pub pret: bool,
    pub verifications: Vec<Check>,
}

/// What the server read to decide.
#[derive(Clone, Debug)]
pub struct Observed {
    /// `Err` with the French reason when the database did not answer.
    pub database: Result<(), String>,
    /// The migration versions applied; `None` when they could not be read.
    pub applied: Option<Vec<i64>>,
    /// The oldest due time of an undelivered email, and how many wait; `None` when unread.
    pub outbox: Option<(i64, Option<i64>)>,
}

/// The report: ready only when every check passes.
pub fn readiness(observed: &Observed, expected: &[i64], now: i64) -> Readiness {
    let database = match &observed.database {
        Ok(()) => Check {
            nom: "base",
            ok: true,
            detail: "La base de données répond.".into(),
        },
        Err(reason) => Check {
            nom: "base",
            ok: false,
            detail: format!("La base de données ne répond pas : {reason}"),
        },
    };
    let migrations = match &observed.applied {
        None => Check {
            nom: "migrations",
            ok: false,
            detail: "Les migrations appliquées n'ont pas pu être lues.".into(),
        },
        Some(applied) => {
            let missing: Vec<String> = expected
                .iter()
                .filter(|version| !applied.contains(version))
                .map(|version| format!("{version:04}"))
                .collect();
            if missing.is_empty() {
                Check {
                    nom: "migrations",
                    ok: true,
                    detail: format!("{} migrations appliquées.", applied.len()),
                }
            } else {
                Check {
                    nom: "migrations",
                    ok: false,
                    detail: format!("Migrations non appliquées : {}.", missing.join(", ")),
                }
            }
        }
    };
    let outbox = match observed.outbox {
        None => Check {
            nom: "courriels",
            ok: false,
            detail: "La file des courriels n'a pas pu être lue.".into(),
        },
        Some((waiting, Some(oldest))) if now - oldest > OUTBOX_STUCK_AFTER_SECONDS => Check {
            nom: "courriels",
            ok: false,
            detail: format!(
                "{waiting} courriel(s) en attente, le plus ancien dû depuis {} minutes : l'envoi est bloqué.",
                (now - oldest) / 60
            ),
        },
        Some((waiting, _)) => Check {
            nom: "courriels",
            ok: true,
            detail: format!("{waiting} courriel(s) en attente."),
        },
    };
    let verifications = vec![database, migrations, outbox];
    Readiness {
        pret: verifications.iter().all(|check| check.ok),
        verifications,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn healthy() -> Observed {
        Observed {
            database: Ok(()),
            applied: Some(vec![1, 2, 3]),
            outbox: Some((0, None)),
        }
    }

    #[test]
    fn a_healthy_service_is_ready() {
        let report = readiness(&healthy(), &[1, 2, 3], 1_000);
        assert!(report.pret);
        assert!(report.verifications.iter().all(|c| c.ok));
    }

    #[test]
    fn a_missing_migration_is_named() {
        let observed = Observed {
            applied: Some(vec![1, 2]),
            ..healthy()
        };
        let report = readiness(&observed, &[1, 2, 3], 1_000);
        assert!(!report.pret);
        assert_eq!(report.verifications[1].detail, "Migrations non appliquées : 0003.");
    }

    #[test]
    fn a_database_down_is_not_ready() {
        let observed = Observed {
            database: Err("délai dépassé".into()),
            applied: None,
            outbox: None,
        };
        let report = readiness(&observed, &[1], 1_000);
        assert!(!report.pret);
        assert!(report.verifications.iter().all(|c| !c.ok));
    }

    #[test]
    fn the_outbox_is_stuck_only_after_ten_minutes() {
        let now = 100_000;
        let waiting = |oldest| Observed {
            outbox: Some((3, Some(oldest))),
            ..healthy()
        };
        assert!(readiness(&waiting(now - OUTBOX_STUCK_AFTER_SECONDS), &[1, 2, 3], now).pret);
        let stuck = readiness(&waiting(now - OUTBOX_STUCK_AFTER_SECONDS - 60), &[1, 2, 3], now);
        assert!(!stuck.pret);
        assert!(
            stuck.verifications[2].detail.contains("bloqué"),
            "{:?}",
            stuck.verifications[2]
        );
        // Emails due in the future (a retry planned) are not stuck.
        assert!(readiness(&waiting(now + 3_600), &[1, 2, 3], now).pret);
    }
}
