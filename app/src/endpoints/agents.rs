//! The server functions of the collectivité's space: what its signed-in agent sees, and signing out (here, then
//! at ProConnect).

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::agents::{AgentCadrageView, AgentCaseView, SpaceView};

/// The space of the signed-in agent's collectivité: its cases, whoever filed them; none when no agent is
/// signed in.
#[server(endpoint = "collectivite/espace")]
pub async fn espace_collectivite() -> Result<Option<SpaceView>, AppError> {
    let Some((agent, viewer)) = crate::server::access::agent_signed_in().await? else {
        return Ok(None);
    };
    let store = crate::server::context::server_context()?.store;
    let cases = viewer.keep_visible(store.collectivite_cases(&agent.collectivite_key).await?);
    let assurance = crate::domain::proconnect::Acr::parse(&agent.acr)
        .map_or_else(|| agent.acr.clone(), |acr| acr.label().to_string());
    Ok(Some(SpaceView {
        agent_name: agent.name(),
        agent_email: agent.email,
        collectivite_name: agent.collectivite_name,
        assurance,
        cases,
    }))
}

/// Ends the agent's session here, then at ProConnect (which sends the browser back to the space's sign-in
/// page).
#[server(endpoint = "collectivite/deconnexion")]
pub async fn agent_se_deconnecter() -> Result<(), AppError> {
    let id_token = crate::server::agent_session::close_agent_session().await?;
    let proconnect = crate::server::context::server_context()?.proconnect;
    if let (Some(id_token), Some(proconnect)) = (id_token, proconnect) {
        let state = crate::server::tokens::new_token();
        let space = crate::domain::proconnect::Space::Collectivite;
        if let Some(url) = proconnect.logout_url(&id_token, &state, space).await {
            leptos_axum::redirect(&url);
            return Ok(());
        }
    }
    leptos_axum::redirect(&format!("{}?deconnecte=1", crate::routes::AGENT_SIGN_IN));
    Ok(())
}

/// A case of the signed-in agent's collectivité: its stage and its thread with the team, the documents and the
/// emails sent to its contact.
#[server(endpoint = "collectivite/dossier")]
pub async fn dossier_collectivite(reference: String) -> Result<AgentCaseView, AppError> {
    let (agent, case) = crate::server::access::require_agent_case(&reference).await?;
    let store = crate::server::context::server_context()?.store;
    let detail = store
        .case_detail(&case)
        .await?
        .ok_or_else(|| crate::server::outcome::case_not_found(&reference))?;
    let documents = store.documents_of_case(&case).await?;
    let urls = crate::routes::ThreadUrls::Agent(case.as_str().to_string());
    let (mut thread, _) = crate::endpoints::messages::thread_view(&case, documents, &urls, false).await?;
    thread.emails = crate::endpoints::messages::emails_to_collectivite(&case).await?;
    Ok(AgentCaseView {
        reference: case.as_str().to_string(),
        title: detail.summary.title,
        stage: detail.summary.stage,
        collectivite_name: agent.collectivite_name,
        thread,
    })
}

/// The cadrage of a case of the signed-in agent's collectivité: the version in force and its validations.
#[server(endpoint = "collectivite/cadrage")]
pub async fn cadrage_collectivite(reference: String) -> Result<AgentCadrageView, AppError> {
    use crate::domain::cadrage::{check_validation, Party};
    use crate::endpoints::cadrage::{party_views, sections};
    let (agent, case) = crate::server::access::require_agent_case(&reference).await?;
    let store = crate::server::context::server_context()?.store;
    let not_found = || crate::server::outcome::case_not_found(&reference);
    let detail = store.case_detail(&case).await?.ok_or_else(not_found)?;
    let project = store.project(&case).await?.ok_or_else(not_found)?;
    let (current, document) = project
        .current()
        .map(|version| (version.number, version.document.clone()))
        .unwrap_or_default();
    let recorded = project.recorded_validations();
    let can_validate = current > 0
        && crate::domain::cadrage::document_open(detail.summary.stage)
        && check_validation(Some(current), current, Party::Collectivite, &recorded).is_ok();
    Ok(AgentCadrageView {
        reference: case.as_str().to_string(),
        title: detail.summary.title,
        collectivite_name: agent.collectivite_name,
        current,
        sections: if current > 0 { sections(&document) } else { Vec::new() },
        parties: party_views(&project, &document),
        can_validate,
    })
}

/// The collectivité's validation of the version in force, given by its signed-in agent in their own name (who,
/// when, identity provider and level of assurance kept).
#[server(endpoint = "collectivite/cadrage/valider")]
pub async fn agent_valider_cadrage(reference: String, version: i64) -> Result<(), AppError> {
    use crate::domain::cadrage::{Identification, Party};
    let (agent, case) = crate::server::access::require_agent_case(&reference).await?;
    let store = crate::server::context::server_context()?.store;
    let name = agent.name();
    let outcome = store
        .validate_cadrage(&crate::store::cadrage::PartyValidation {
            case: case.clone(),
            version,
            party: Party::Collectivite,
            signatory: format!("{name} ({})", agent.email),
            recorded_by: name,
            identification: Identification::ProConnect {
                acr: agent.acr,
                idp_id: agent.idp_id,
            },
            at: crate::server::context::now(),
        })
        .await?;
    match outcome {
        crate::store::WriteOutcome::Done { .. } => {
            leptos_axum::redirect(&format!("{}?enregistre=validation", crate::routes::agent_cadrage(case.as_str())));
            Ok(())
        }
        crate::store::WriteOutcome::Refused(refusal) => Err(AppError::Invalid(refusal.message)),
        crate::store::WriteOutcome::Conflict { .. } => Err(AppError::Conflict(
            "Le document de cadrage a changé pendant votre lecture : rechargez la page et relisez la version en vigueur."
                .into(),
        )),
        crate::store::WriteOutcome::NotFound => Err(crate::server::outcome::case_not_found(&reference)),
    }
}
