//! "À traiter": what the signed-in person must act on, read from the cases they may see.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::cadrage::{current_validations, unchecked_conditions, ConditionCheck};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::server::access::require_viewer;
#[cfg(feature = "ssr")]
use crate::server::context::{now, server_context};
#[cfg(feature = "ssr")]
use crate::store::case::Project;

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
                    Some(project) => due_facts(&project),
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
    let mut items = due(&cases, &periods, now(), account.role.can_act_on_cases());
    if account.role.can_act_on_cases() {
        let deployments: Vec<crate::domain::due::DeploymentFacts> =
            crate::server::access::visible_deployments(ctx.store.as_ref(), &viewer)
                .await?
                .into_iter()
                .map(|d| crate::domain::due::DeploymentFacts {
                    reported_or_started: d.reported_or_started(),
                    status: d.status,
                    id: d.id,
                    case_title: d.case_title,
                    collectivite_name: d.collectivite_name,
                })
                .collect();
        items.extend(crate::domain::due::silent_deployments(&deployments, now()));
    }
    Ok(items)
}

/// What "À traiter" reads of a case's project: the cadrage version in force (who has not validated it, its
/// start and duration) and how many phase-4 conditions are not checked yet.
#[cfg(feature = "ssr")]
pub fn due_facts(project: &Project) -> (Option<crate::domain::due::CadrageFacts>, usize) {
    use crate::domain::cadrage::Party;
    let Some(version) = project.current() else {
        return (None, 0);
    };
    let validated = current_validations(Some(version.number), &project.recorded_validations());
    let conditions = version.document.lines("conditions_diffusion");
    let checks: Vec<ConditionCheck> = project.checks.iter().map(|c| c.check.clone()).collect();
    let facts = crate::domain::due::CadrageFacts {
        version: version.number,
        version_at: version.created_at,
        missing: Party::ALL
            .into_iter()
            .filter(|party| !validated.contains(party))
            .collect(),
        start_day: version.document.get("debut").to_string(),
        months: version.document.get("duree_mois").trim().parse().ok(),
    };
    (Some(facts), unchecked_conditions(&conditions, &checks).len())
}
