//! The one way a request reaches a case, for server functions and axum handlers alike: who is asking (a
//! `Viewer`), then the case as a `VisibleCase` if the rule of `domain::access` lets them see it, else the
//! French 404 of a case that does not exist (nothing tells an out-of-scope case exists).

use crate::domain::access::{Scope, Viewer, VisibleCase, VisibleDeployment};
use crate::domain::auth::Role;
use crate::domain::reference::CaseReference;
use crate::error::AppError;
use crate::server::context::server_context;
use crate::server::outcome::case_not_found;
use crate::server::session::require;
use crate::store::accounts::Account;
use crate::store::agents::Agent;
use crate::store::messages::LinkedCase;
use crate::store::{AccountStore, AgentStore, CaseStore, DeploymentStore, MessageStore};

/// The viewer a signed-in account is: its role with the cases it may see (its régions for a direction
/// régionale, its assigned cases for the prestataire, every case for the programme team).
pub async fn viewer_of<S: AccountStore + CaseStore + ?Sized>(store: &S, account: &Account) -> Result<Viewer, AppError> {
    let regions = match account.role {
        Role::DirectionRegionale => store.account_regions(account.id).await?,
        _ => Vec::new(),
    };
    let assigned = match account.role {
        Role::Prestataire => store.assigned_references(account.id).await?,
        _ => Vec::new(),
    };
    Ok(Viewer::team(
        account.id,
        account.role,
        Scope::of(account.role, regions, assigned),
    ))
}

/// Whether another `account` may see `case`, which lies in `region` (whom an avis may be asked of).
pub async fn account_sees<S: AccountStore + CaseStore + ?Sized>(
    store: &S,
    account: &Account,
    case: &VisibleCase,
    region: &str,
) -> Result<bool, AppError> {
    let viewer = viewer_of(store, account).await?;
    Ok(VisibleCase::grant(&viewer, case.reference().clone(), region).is_some())
}

/// The case of `reference` (as typed in a URL or a form) if `viewer` may see it; the French 404 otherwise, for a
/// malformed reference, an unknown case and a case out of the viewer's scope alike.
pub async fn open_case<S: CaseStore + ?Sized>(
    store: &S,
    viewer: &Viewer,
    reference: &str,
) -> Result<VisibleCase, AppError> {
    let not_found = || case_not_found(reference);
    let parsed = CaseReference::parse(reference).ok_or_else(not_found)?;
    let region = store.case_region(parsed.as_str()).await?.ok_or_else(not_found)?;
    VisibleCase::grant(viewer, parsed, &region).ok_or_else(not_found)
}

/// The case behind a private follow-up link (by the hash of its token), as its holder sees it.
pub async fn open_linked_case<S: MessageStore + ?Sized>(
    store: &S,
    token_hash: &str,
) -> Result<Option<(LinkedCase, VisibleCase)>, AppError> {
    let Some(linked) = store.linked_case(token_hash).await? else {
        return Ok(None);
    };
    let Some(reference) = CaseReference::parse(&linked.reference) else {
        return Ok(None);
    };
    let viewer = Viewer::Link {
        reference: reference.clone(),
    };
    Ok(VisibleCase::grant(&viewer, reference, &linked.region).map(|case| (linked, case)))
}

/// For server functions: the signed-in account if its role passes `allowed` (401 or 403 otherwise), as a viewer.
pub async fn require_viewer(allowed: fn(Role) -> bool) -> Result<(Account, Viewer), AppError> {
    let account = require(allowed).await?;
    let viewer = viewer_of(server_context()?.store.as_ref(), &account).await?;
    Ok((account, viewer))
}

/// For server functions: the signed-in account if its role passes `allowed`, and the case of `reference` if it
/// may see it.
pub async fn require_case(allowed: fn(Role) -> bool, reference: &str) -> Result<(Account, VisibleCase), AppError> {
    let (account, viewer) = require_viewer(allowed).await?;
    let case = open_case(server_context()?.store.as_ref(), &viewer, reference).await?;
    Ok((account, case))
}

/// The viewer a signed-in agent of a collectivité is: the cases of its collectivité.
pub async fn agent_viewer<S: AgentStore + ?Sized>(store: &S, agent: &Agent) -> Result<Viewer, AppError> {
    Ok(Viewer::Agent {
        agent_id: agent.id,
        collectivite: agent.collectivite_key.clone(),
        references: store.collectivite_references(&agent.collectivite_key).await?,
    })
}

/// For server functions: the signed-in agent as a viewer, or none when no agent is signed in.
pub async fn agent_signed_in() -> Result<Option<(Agent, Viewer)>, AppError> {
    let Some(agent) = crate::server::agent_session::current_agent().await? else {
        return Ok(None);
    };
    let viewer = agent_viewer(server_context()?.store.as_ref(), &agent).await?;
    Ok(Some((agent, viewer)))
}

/// For server functions: the signed-in agent and the case of `reference` if it belongs to their collectivité
/// (the French 404 otherwise); 401 without an agent's session.
pub async fn require_agent_case(reference: &str) -> Result<(Agent, VisibleCase), AppError> {
    let (agent, viewer) = agent_signed_in().await?.ok_or(AppError::AgentSignedOut)?;
    let case = open_case(server_context()?.store.as_ref(), &viewer, reference).await?;
    Ok((agent, case))
}

/// For server functions: the signed-in agent and the shared draft `id` if it was started in their
/// collectivité's space and is not yet filed (the French 404 otherwise); 401 without an agent's session.
pub async fn require_agent_draft(id: i64) -> Result<(Agent, crate::domain::access::VisibleDraft), AppError> {
    let (agent, viewer) = agent_signed_in().await?.ok_or(AppError::AgentSignedOut)?;
    let collectivite = server_context()?.store.shared_draft_collectivite(id).await?;
    let draft = collectivite
        .and_then(|key| crate::domain::access::VisibleDraft::grant(&viewer, id, &key))
        .ok_or_else(draft_not_found)?;
    Ok((agent, draft))
}

/// The deployment `id` if `viewer` may reach it; the French 404 otherwise, for an unknown deployment and one
/// out of the viewer's reach alike.
pub async fn open_deployment<S: DeploymentStore + ?Sized>(
    store: &S,
    viewer: &Viewer,
    id: i64,
) -> Result<VisibleDeployment, AppError> {
    let scope = store.deployment_scope(id).await?;
    scope
        .and_then(|scope| VisibleDeployment::grant(viewer, id, &scope))
        .ok_or_else(deployment_not_found)
}

/// The deployments `viewer` may reach, the most recent first.
pub async fn visible_deployments<S: DeploymentStore + ?Sized>(
    store: &S,
    viewer: &Viewer,
) -> Result<Vec<crate::model::deployments::Deployment>, AppError> {
    Ok(visible_deployment_grants(store, viewer)
        .await?
        .into_iter()
        .map(|(_, deployment)| deployment)
        .collect())
}

/// The deployments `viewer` may reach with their grants (to read their reports), the most recent first.
pub async fn visible_deployment_grants<S: DeploymentStore + ?Sized>(
    store: &S,
    viewer: &Viewer,
) -> Result<Vec<(VisibleDeployment, crate::model::deployments::Deployment)>, AppError> {
    Ok(store
        .all_deployments()
        .await?
        .into_iter()
        .filter_map(|(scope, deployment)| {
            VisibleDeployment::grant(viewer, deployment.id, &scope).map(|grant| (grant, deployment))
        })
        .collect())
}

/// For server functions: the signed-in agent and the deployment `id` if it is their collectivité's (the French
/// 404 otherwise); 401 without an agent's session.
pub async fn require_agent_deployment(id: i64) -> Result<(Agent, VisibleDeployment), AppError> {
    let (agent, viewer) = agent_signed_in().await?.ok_or(AppError::AgentSignedOut)?;
    let deployment = open_deployment(server_context()?.store.as_ref(), &viewer, id).await?;
    Ok((agent, deployment))
}

/// The French 404 of a deployment that is not there (or not the viewer's).
pub fn deployment_not_found() -> AppError {
    AppError::NotFound("Ce déploiement n'existe pas, ou il n'est pas celui de votre collectivité.".into())
}

/// The French 404 of a shared draft that is not there (or not the agent's collectivité's).
pub fn draft_not_found() -> AppError {
    AppError::NotFound(
        "Ce brouillon n'existe pas ou plus : il a peut-être déjà été déposé (il figure alors parmi les cas de votre \
         collectivité), ou il n'appartient pas à votre collectivité."
            .into(),
    )
}
