//! The endpoints of phase 4, conception et implémentation (§3 étape 4): the validation conditions of the
//! cadrage in force with their checks, and the log. Reads for every signed-in role; writes for admin and
//! programme.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::conception::ConceptionView;
#[cfg(feature = "ssr")]
use crate::model::conception::{ConditionView, LogView};
#[cfg(feature = "ssr")]
use crate::routes::{CasePage, Saved};
#[cfg(feature = "ssr")]
use crate::server::access::require_case;
#[cfg(feature = "ssr")]
use crate::server::context::{now, server_context};
#[cfg(feature = "ssr")]
use crate::server::outcome::case_not_found;
#[cfg(feature = "ssr")]
use crate::server::stages::*;

/// The phase 4 page: the validation conditions of the version in force with their checks, and the log.
#[server(endpoint = "equipe/conception")]
pub async fn conception(reference: String) -> Result<ConceptionView, AppError> {
    use crate::domain::referentiel::label_of;
    let (_, case, project, role) = load(&reference).await?;
    let conditions = project
        .current()
        .map(|v| v.document.lines("conditions_diffusion"))
        .unwrap_or_default();
    Ok(ConceptionView {
        head: head(&case, role),
        current: in_force(&project),
        conditions: conditions
            .into_iter()
            .map(|text| ConditionView {
                checked: project
                    .checks
                    .iter()
                    .find(|c| c.check.condition == text)
                    .map(|c| (c.check.evidence.clone(), c.checked_by.clone(), c.at)),
                text,
            })
            .collect(),
        log: project
            .log
            .iter()
            .map(|entry| LogView {
                day: entry.day.clone(),
                kind: label_of(crate::domain::cadrage::LOG_KINDS, &entry.kind).to_string(),
                body: entry.body.clone(),
                author: entry.author.clone(),
            })
            .collect(),
        today: crate::domain::dates::iso_date(now() + 7_200),
    })
}

/// Checks a phase 4 condition of the version in force with its evidence (roles admin and programme).
#[server(endpoint = "equipe/conception/verifier")]
pub async fn verifier_condition(reference: String, condition: String, preuve: String) -> Result<i64, AppError> {
    use crate::domain::cadrage::{check_evidence, ConditionCheck};
    let (account, case) = require_case(crate::domain::auth::Role::can_act_on_cases, &reference).await?;
    let ctx = server_context()?;
    let project = ctx
        .store
        .project(&case)
        .await?
        .ok_or_else(|| case_not_found(case.as_str()))?;
    let conditions = project
        .current()
        .map(|v| v.document.lines("conditions_diffusion"))
        .unwrap_or_default();
    if !conditions.iter().any(|c| c == condition.trim()) {
        return Err(AppError::Invalid(
            "Cette condition ne figure plus dans la version en vigueur du document de cadrage : rechargez la page."
                .into(),
        ));
    }
    let evidence = check_evidence(&preuve).map_err(AppError::Invalid)?;
    let outcome = ctx
        .store
        .check_condition(
            &case,
            &ConditionCheck {
                condition: condition.trim().to_string(),
                evidence,
            },
            &account.name,
            now(),
        )
        .await?;
    finish(outcome, &case, CasePage::Conception, Saved::Condition, "conditions")
}

/// Adds an entry to the phase 4 log (roles admin and programme, and the prestataire of the case).
#[server(endpoint = "equipe/conception/journal")]
pub async fn journaliser(reference: String, jour: String, nature: String, texte: String) -> Result<i64, AppError> {
    use crate::domain::cadrage::check_log_entry;
    let (account, case) = require_case(crate::domain::auth::Role::can_write_log, &reference).await?;
    let ctx = server_context()?;
    let (day, kind, body) = check_log_entry(&jour, &nature, &texte).map_err(AppError::Invalid)?;
    let outcome = ctx
        .store
        .add_log_entry(
            &case,
            &crate::store::conception::LogEntry {
                day,
                kind: kind.to_string(),
                body,
                author: account.name,
                created_at: now(),
            },
        )
        .await?;
    finish(outcome, &case, CasePage::Conception, Saved::Log, "journal")
}
