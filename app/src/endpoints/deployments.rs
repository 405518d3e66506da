//! The server functions of the deployments: a collectivité declares that it runs a published case, moves its
//! status and reports its usage every month (each refusal naming its field); the catalogue and the programme
//! read what the reports count.

// A form posted without JavaScript reaches its server function with one argument per field.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use crate::domain::deployments::report::Measure;
use crate::domain::deployments::usage::Scale;
use crate::domain::deployments::Status;
use crate::error::AppError;
use crate::model::deployments::{CaseUsage, DeploymentView, SpaceDeployments};

/// The deployments of the signed-in agent's collectivité and the published cases it may declare; none when no
/// agent is signed in.
#[server(endpoint = "collectivite/deploiements")]
pub async fn deploiements_collectivite() -> Result<Option<SpaceDeployments>, AppError> {
    let Some((agent, _)) = crate::server::access::agent_signed_in().await? else {
        return Ok(None);
    };
    let store = crate::server::context::server_context()?.store;
    Ok(Some(SpaceDeployments {
        deployments: store.collectivite_deployments(&agent.collectivite_key).await?,
        choices: store.published_choices().await?,
        today: crate::domain::dates::iso_date(crate::server::context::now()),
    }))
}

/// The refusal of a case that is not (or no longer) published.
#[cfg(feature = "ssr")]
fn unknown_case() -> AppError {
    AppError::Invalid("« Cas d'usage » : choisissez un cas publié dans le catalogue.".into())
}

/// The deployment a viewer reached (the French 404 if it went meanwhile).
#[cfg(feature = "ssr")]
async fn read_deployment(
    store: &dyn crate::store::Store,
    visible: &crate::domain::access::VisibleDeployment,
) -> Result<crate::model::deployments::Deployment, AppError> {
    store
        .deployment(visible)
        .await?
        .ok_or_else(crate::server::access::deployment_not_found)
}

/// A deployment of the signed-in agent's collectivité, its reports and what may be corrected.
#[server(endpoint = "collectivite/deploiement")]
pub async fn deploiement_collectivite(deploiement: i64) -> Result<DeploymentView, AppError> {
    use crate::domain::deployments::report::may_correct;
    use crate::domain::deployments::Month;
    let (agent, visible) = crate::server::access::require_agent_deployment(deploiement).await?;
    let store = crate::server::context::server_context()?.store;
    let deployment = read_deployment(store.as_ref(), &visible).await?;
    let reports = store.usage_reports(&visible).await?;
    let now = crate::server::context::now();
    let this_month = Month::of_instant(now);
    let stale = crate::domain::deployments::is_silent(deployment.status, deployment.reported_or_started(), this_month);
    Ok(DeploymentView {
        correctable: reports
            .iter()
            .filter(|report| may_correct(report.created_at, now))
            .map(|report| report.month)
            .collect(),
        staff: store.collectivite_staff(&agent.collectivite_key).await?,
        contact: store.deployment_contact(&visible).await?,
        follows_reminders: store.follows_reminders(&visible, agent.id).await?,
        deployment,
        reports,
        this_month,
        today: crate::domain::dates::iso_date(now),
        stale,
    })
}

/// Declares that the signed-in agent's collectivité runs the published case `cas` (its slug), where it stands
/// and since when, and whether the catalogue may list it; leads to the deployment's page.
#[server(endpoint = "collectivite/deploiements/declarer")]
pub async fn agent_declarer_deploiement(
    cas: String,
    statut: Status,
    date: String,
    liste: Option<String>,
) -> Result<(), AppError> {
    use crate::store::deployments::{Declared, NewDeployment};
    let (agent, _) = crate::server::access::agent_signed_in()
        .await?
        .ok_or(AppError::AgentSignedOut)?;
    let ctx = crate::server::context::server_context()?;
    let now = crate::server::context::now();
    let day = crate::domain::deployments::check_declaration(statut, &date, now.div_euclid(86_400))
        .map_err(AppError::Invalid)?;
    if !crate::domain::catalogue::is_slug(&cas) {
        return Err(unknown_case());
    }
    let region = ctx
        .directory
        .by_key(&agent.collectivite_key)
        .map(|c| c.region_name.clone())
        .unwrap_or_default();
    let declared = ctx
        .store
        .declare_deployment(&NewDeployment {
            slug: cas,
            collectivite_key: agent.collectivite_key,
            collectivite_name: agent.collectivite_name,
            region,
            contact_email: agent.email,
            status: statut,
            day,
            listed: liste.is_some(),
            recorded_by: String::new(),
            now,
        })
        .await?;
    let (id, saved) = match declared {
        Declared::Created(id) => (id, "declare"),
        Declared::Exists(id) => (id, "deja-declare"),
        Declared::UnknownCase => return Err(unknown_case()),
    };
    leptos_axum::redirect(&format!("{}?enregistre={saved}", crate::routes::agent_deployment(id)));
    Ok(())
}

/// Moves a deployment of the agent's collectivité to `statut` on `date` (with its reason for a stop), if it is
/// still at `version`.
#[server(endpoint = "collectivite/deploiement/statut")]
pub async fn agent_changer_statut(
    deploiement: i64,
    version: i64,
    statut: Status,
    date: String,
    motif: String,
) -> Result<(), AppError> {
    use crate::domain::deployments::{check_status_change, StatusChange};
    let (agent, visible) = crate::server::access::require_agent_deployment(deploiement).await?;
    let store = crate::server::context::server_context()?.store;
    let deployment = read_deployment(store.as_ref(), &visible).await?;
    let now = crate::server::context::now();
    let change = StatusChange {
        to: statut,
        day: date,
        reason: motif,
    };
    let checked = check_status_change(deployment.status, &change, now.div_euclid(86_400)).map_err(AppError::Invalid)?;
    let outcome = store
        .change_deployment_status(&visible, version, &checked, &agent.email, now)
        .await?;
    match outcome {
        crate::store::WriteOutcome::Done { .. } => {
            leptos_axum::redirect(&format!(
                "{}?enregistre=statut#statut",
                crate::routes::agent_deployment(deploiement)
            ));
            Ok(())
        }
        crate::store::WriteOutcome::NotFound => Err(crate::server::access::deployment_not_found()),
        _ => Err(AppError::Conflict(
            "Le déploiement a changé depuis que vous avez ouvert la page : rechargez-la pour voir son statut.".into(),
        )),
    }
}

/// Sends (or, with `corrige`, corrects) the usage report of a month for a deployment of the agent's
/// collectivité. A refused report leads back to the form with what was typed and each refusal beside its
/// field; a second report for a month offers the correction instead.
#[server(endpoint = "collectivite/deploiement/releve")]
pub async fn agent_relever_usage(
    deploiement: i64,
    mois: String,
    agents_reguliers: String,
    mesure_agents_reguliers: Option<Measure>,
    agents_occasionnels: String,
    mesure_agents_occasionnels: Option<Measure>,
    usagers: String,
    mesure_usagers: Option<Measure>,
    heures: String,
    mesure_heures: Option<Measure>,
    effectif: String,
    sieges_vibe: Option<String>,
    utilisateurs_vibe: Option<String>,
    corrige: Option<i64>,
) -> Result<(), AppError> {
    use crate::domain::deployments::report::{check_report, ReportFacts, ReportForm};
    use crate::store::deployments::{ReportWritten, UsageWrite};
    let (agent, visible) = crate::server::access::require_agent_deployment(deploiement).await?;
    let store = crate::server::context::server_context()?.store;
    let deployment = read_deployment(store.as_ref(), &visible).await?;
    let form = ReportForm {
        month: mois,
        regular: agents_reguliers,
        regular_measure: mesure_agents_reguliers,
        occasional: agents_occasionnels,
        occasional_measure: mesure_agents_occasionnels,
        usagers,
        usagers_measure: mesure_usagers,
        hours: heures,
        hours_measure: mesure_heures,
        staff: effectif,
        vibe_seats: sieges_vibe.unwrap_or_default(),
        vibe_users: utilisateurs_vibe.unwrap_or_default(),
    };
    let facts = ReportFacts {
        status: deployment.status,
        in_service: deployment.in_service,
        staff: store.collectivite_staff(&agent.collectivite_key).await?,
        vibe_agreed: deployment.vibe_agreed,
    };
    let now = crate::server::context::now();
    let back = |flag: &str| crate::routes::agent_deployment_report(deploiement, &form.pairs(), corrige, flag);
    let Ok(report) = check_report(&form, &facts, crate::domain::deployments::Month::of_instant(now)) else {
        leptos_axum::redirect(&back(""));
        return Ok(());
    };
    let write = UsageWrite {
        report,
        staff_typed: (!form.staff.trim().is_empty()).then_some(report.staff),
        correcting: corrige,
        author: agent.email,
        now,
    };
    let target = match store.write_usage_report(&visible, &write).await? {
        ReportWritten::Saved if corrige.is_some() => format!(
            "{}?enregistre=releve-corrige#releves",
            crate::routes::agent_deployment(deploiement)
        ),
        ReportWritten::Saved => format!(
            "{}?enregistre=releve#releves",
            crate::routes::agent_deployment(deploiement)
        ),
        ReportWritten::AlreadyReported(_) => back("deja"),
        ReportWritten::Stale => back("perime"),
        ReportWritten::NotFound => return Err(crate::server::access::deployment_not_found()),
    };
    leptos_axum::redirect(&target);
    Ok(())
}

/// The signed-in agent asks (or no longer asks) for the monthly reminder of a deployment of their collectivité.
#[server(endpoint = "collectivite/deploiement/rappel")]
pub async fn agent_suivre_rappel(deploiement: i64, suivre: bool) -> Result<(), AppError> {
    let (agent, visible) = crate::server::access::require_agent_deployment(deploiement).await?;
    crate::server::context::server_context()?
        .store
        .set_follows_reminders(&visible, agent.id, suivre)
        .await?;
    let saved = if suivre { "rappel-suivi" } else { "rappel-arrete" };
    leptos_axum::redirect(&format!(
        "{}?enregistre={saved}#rappel",
        crate::routes::agent_deployment(deploiement)
    ));
    Ok(())
}

/// The deployments a team member may see (the programme every one, a direction régionale those of its régions,
/// the prestataire those of its cases), each marked when its reports stopped.
#[server(endpoint = "equipe/deploiements")]
pub async fn deploiements_equipe() -> Result<crate::model::deployments::TeamDeployments, AppError> {
    let (account, viewer) = crate::server::access::require_viewer(crate::domain::auth::Role::can_read).await?;
    let now = crate::server::context::now();
    let this_month = crate::domain::deployments::Month::of_instant(now);
    let store = crate::server::context::server_context()?.store;
    let list = crate::server::access::visible_deployments(store.as_ref(), &viewer)
        .await?
        .into_iter()
        .map(|deployment| crate::model::deployments::TeamDeployment {
            silent: crate::domain::deployments::is_silent(
                deployment.status,
                deployment.reported_or_started(),
                this_month,
            ),
            deployment,
        })
        .collect();
    let may_record = account.role.can_act_on_cases();
    Ok(crate::model::deployments::TeamDeployments {
        list,
        choices: if may_record {
            store.published_choices().await?
        } else {
            Vec::new()
        },
        may_record,
        today: crate::domain::dates::iso_date(now),
    })
}

/// The programme team records a deployment on a collectivité's behalf (marked as such): the published case,
/// the collectivité (its name or code), its contact, where it stands and since when.
#[server(endpoint = "equipe/deploiements/enregistrer")]
pub async fn equipe_enregistrer_deploiement(
    cas: String,
    collectivite: String,
    contact: String,
    statut: Status,
    date: String,
    liste: Option<String>,
) -> Result<(), AppError> {
    use crate::store::deployments::{Declared, NewDeployment};
    let (account, _) = crate::server::access::require_viewer(crate::domain::auth::Role::can_act_on_cases).await?;
    let ctx = crate::server::context::server_context()?;
    let now = crate::server::context::now();
    let found: Vec<_> = match ctx.directory.by_key(collectivite.trim()) {
        Some(one) => vec![one],
        None => ctx.directory.search(&collectivite),
    };
    let (chosen, contact) =
        crate::domain::deployments::check_on_behalf(&collectivite, &found, &contact).map_err(AppError::Invalid)?;
    let day = crate::domain::deployments::check_declaration(statut, &date, now.div_euclid(86_400))
        .map_err(AppError::Invalid)?;
    if !crate::domain::catalogue::is_slug(&cas) {
        return Err(unknown_case());
    }
    let declared = ctx
        .store
        .declare_deployment(&NewDeployment {
            slug: cas,
            collectivite_key: chosen.key(),
            collectivite_name: chosen.name.clone(),
            region: chosen.region_name.clone(),
            contact_email: contact,
            status: statut,
            day,
            listed: liste.is_some(),
            recorded_by: account.name.clone(),
            now,
        })
        .await?;
    let saved = match declared {
        Declared::Created(_) => "enregistre",
        Declared::Exists(_) => "deja-declare",
        Declared::UnknownCase => return Err(unknown_case()),
    };
    leptos_axum::redirect(&format!("{}?enregistre={saved}", crate::routes::TEAM_DEPLOYMENTS));
    Ok(())
}

/// How a published case is used: where it is in service, its regular agents, the deployments listed.
#[server(endpoint = "catalogue/deploiements", input = server_fn::codec::GetUrl)]
pub async fn usage_du_cas(slug: String) -> Result<CaseUsage, AppError> {
    use crate::domain::deployments::usage::case_summary;
    if !crate::domain::catalogue::is_slug(&slug) {
        return Err(AppError::NotFound("Ce cas n'est pas publié dans le catalogue.".into()));
    }
    let store = crate::server::context::server_context()?.store;
    let deployments = store.case_deployments(&slug).await?;
    let now = crate::domain::deployments::Month::of_instant(crate::server::context::now());
    let summary = case_summary(
        &deployments
            .iter()
            .map(|d| (d.status, d.latest.map(|l| (l.month, l.regular))))
            .collect::<Vec<_>>(),
        now,
    );
    // The public page does not name who of the team recorded a deployment.
    let listed = deployments
        .into_iter()
        .filter(|d| d.listed)
        .map(|d| crate::model::deployments::Deployment {
            recorded_by: String::new(),
            ..d
        })
        .collect();
    Ok(CaseUsage { summary, listed })
}

/// The passage à l'échelle, public: agents counted from the latest report of each deployment month by month,
/// the pace, the stale deployments apart, and the deployments per case.
#[server(endpoint = "programme/passage-a-l-echelle", input = server_fn::codec::GetUrl)]
pub async fn passage_a_l_echelle() -> Result<Scale, AppError> {
    let usage = crate::server::context::server_context()?
        .store
        .programme_usage()
        .await?;
    let now = crate::domain::deployments::Month::of_instant(crate::server::context::now());
    Ok(crate::domain::deployments::usage::scale(
        &usage.deployments,
        &usage.reports,
        now,
    ))
}
