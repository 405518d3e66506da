//! The programme team's endpoints: sign-in and sign-out with server-side sessions, the current account, the
//! cases of the pipeline and the relève periods. Every endpoint checks the session and the role on the server.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::team::{AccountView, CaseSummaryView, PeriodsPage};
#[cfg(feature = "ssr")]
use crate::server::access::require_viewer;
#[cfg(feature = "ssr")]
use crate::server::context::{now, server_context};
#[cfg(feature = "ssr")]
use crate::server::session;

/// Signs a team member in and leads to the team's home.
#[server(endpoint = "equipe/connexion")]
pub async fn se_connecter(email: String, mot_de_passe: String) -> Result<(), AppError> {
    // What no address holds (a control character, a NUL the database refuses) is dropped.
    let email = crate::domain::text::clean_text(&email).trim().to_lowercase();
    let password: String = mot_de_passe
        .chars()
        .take(crate::domain::auth::MAX_PASSWORD_CHARS + 1)
        .collect();
    let account = session::sign_in(&email, password).await?;
    session::open_session(&account).await?;
    leptos_axum::redirect("/equipe");
    Ok(())
}

/// Ends the session on the server and in the browser.
#[server(endpoint = "equipe/deconnexion")]
pub async fn se_deconnecter() -> Result<(), AppError> {
    session::close_session().await?;
    leptos_axum::redirect("/equipe/connexion?deconnecte=1");
    Ok(())
}

/// The signed-in account, or none.
#[server(endpoint = "equipe/compte")]
pub async fn compte_courant() -> Result<Option<AccountView>, AppError> {
    Ok(session::current_account().await?.map(|account| AccountView {
        name: account.name,
        email: account.email,
        role: account.role,
    }))
}

/// Every case of the pipeline, for any signed-in role.
#[server(endpoint = "equipe/cas")]
pub async fn cas_du_programme() -> Result<Vec<CaseSummaryView>, AppError> {
    let (account, viewer) = require_viewer(crate::domain::auth::Role::can_read).await?;
    let ctx = server_context()?;
    let unread: std::collections::HashMap<String, i64> =
        ctx.store.unread_counts(account.id).await?.into_iter().collect();
    Ok(viewer
        .keep_visible(ctx.store.case_summaries().await?)
        .into_iter()
        .map(|case| {
            let count = unread.get(&case.reference).copied().unwrap_or_default();
            CaseSummaryView {
                unread: count,
                ..summary_view(case)
            }
        })
        .collect())
}

/// What the signed-in person must act on ("À traiter"), each item linking to where it is done.
#[server(endpoint = "equipe/a-traiter")]
pub async fn a_traiter() -> Result<Vec<crate::domain::due::DueItem>, AppError> {
    use crate::domain::due::{due, CaseFacts};
    use crate::domain::stage::Stage;
    let (account, viewer) = require_viewer(crate::domain::auth::Role::can_read).await?;
    let ctx = server_context()?;
    let unread: std::collections::HashMap<String, i64> =
        ctx.store.unread_counts(account.id).await?.into_iter().collect();
    let asked: std::collections::HashMap<String, i64> =
        ctx.store.avis_asked_of(account.id).await?.into_iter().collect();
    let mut cases = Vec::new();
    for (visible, case) in viewer.grant_each(ctx.store.case_summaries().await?) {
        // Only the cases of stages 3 to 5 have a cadrage to read.
        let (cadrage, unchecked_conditions) =
            if matches!(case.stage, Stage::Cadrage | Stage::Conception | Stage::Diffusion) {
                match ctx.store.project(&visible).await? {
                    Some(project) => crate::server::project::due_facts(&project),
                    None => (None, 0),
                }
            } else {
                (None, 0)
            };
        cases.push(CaseFacts {
            unread: unread.get(&case.reference).copied().unwrap_or_default(),
            avis_asked_at: asked.get(&case.reference).copied(),
            reference: case.reference,
            title: case.title,
            stage: case.stage,
            filed_at: case.filed_at,
            stage_entered_at: case.stage_entered_at,
            grid_complete: case.grid_complete,
            decision: case.decision,
            cadrage,
            unchecked_conditions,
        });
    }
    let periods = ctx.store.periods().await?;
    Ok(due(&cases, &periods, now(), account.role.can_act_on_cases()))
}

#[server(endpoint = "equipe/periodes")]
pub async fn periodes_de_releve() -> Result<PeriodsPage, AppError> {
    use crate::domain::periods::{period_for_case, PeriodStatus};
    use crate::model::team::PeriodView;
    let (account, viewer) = require_viewer(crate::domain::auth::Role::can_read).await?;
    let ctx = server_context()?;
    let periods = ctx.store.periods().await?;
    let cases: Vec<i64> = if viewer.sees_every_case() {
        ctx.store.case_filing_times().await?
    } else {
        viewer
            .keep_visible(ctx.store.case_summaries().await?)
            .into_iter()
            .map(|case| case.filed_at)
            .collect()
    };
    let at = now();
    Ok(PeriodsPage {
        can_create: account.role.can_administer(),
        periods: periods
            .iter()
            .map(|period| PeriodView {
                name: period.name.clone(),
                starts_at: period.starts_at,
                ends_at: period.ends_at,
                status: PeriodStatus::of(period, at),
                cases: cases
                    .iter()
                    .filter(|filed_at| period_for_case(**filed_at, &periods).is_some_and(|p| p.id == period.id))
                    .count() as i64,
            })
            .collect(),
    })
}

/// Creates a relève period (administrators only): dates typed `AAAA-MM-JJ`, the end day included.
#[server(endpoint = "equipe/periodes/creer")]
pub async fn creer_periode(nom: String, debut: String, fin: String) -> Result<(), AppError> {
    use crate::domain::periods::{check_new_period, period_bounds};
    session::require(crate::domain::auth::Role::can_administer).await?;
    let ctx = server_context()?;
    let (starts_at, ends_at) = period_bounds(&debut, &fin).map_err(|e| AppError::Invalid(e.0))?;
    let name: String = crate::domain::text::clean_text(&nom).trim().chars().take(200).collect();
    let existing = ctx.store.periods().await?;
    let warnings = check_new_period(&name, starts_at, ends_at, &existing).map_err(|e| AppError::Invalid(e.0))?;
    ctx.store.create_period(&name, starts_at, ends_at, now()).await?;
    let suffix = if warnings.is_empty() {
        ""
    } else {
        "&avertissement=duree"
    };
    leptos_axum::redirect(&format!("/equipe/periodes?creee=1{suffix}"));
    Ok(())
}

/// A case of the store as the pipeline list shows it.
#[cfg(feature = "ssr")]
pub(crate) fn summary_view(case: crate::store::case::CaseSummary) -> CaseSummaryView {
    CaseSummaryView {
        unread: 0,
        reference: case.reference,
        title: case.title,
        collectivite_name: case.collectivite_name,
        region: case.region,
        domain: case.domain,
        stage: case.stage,
        agents: case.agents,
        hours_saved_per_year: case.hours_saved_per_year,
        portage_missing: !case.portage_missing.is_empty(),
        stage_entered_at: case.stage_entered_at,
    }
}
