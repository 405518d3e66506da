//! The server functions of the collectivité's space: what its signed-in agent sees, the drafts its agents
//! share, the transfer of a case's contact to a colleague, inviting colleagues, and signing out (here, then at
//! ProConnect).

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::agents::{AgentCadrageView, AgentCaseView, SpaceView, TransferAnswer};

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
    let drafts = store.collectivite_drafts(&agent.collectivite_key).await?;
    let unattached = store.unattached_count(&agent.collectivite_key).await?;
    let transfers = store.transfers_for(agent.id).await?;
    let colleagues = store.colleagues(&agent.collectivite_key).await?;
    let notices = store.notice_choice(agent.id).await?;
    let invitations = store
        .invitations(&agent.collectivite_key)
        .await?
        .into_iter()
        .filter(|invitation| !invitation.joined)
        .collect();
    Ok(Some(SpaceView {
        notices,
        colleagues,
        invitations,
        drafts,
        unattached,
        transfers,
        agent_name: agent.name(),
        agent_email: agent.email,
        collectivite_name: agent.collectivite_name,
        assurance,
        cases,
    }))
}

/// Starts a draft in the space, shared with the collectivité's other agents and pre-filled with the
/// collectivité and the agent as its contact; leads to its first step.
#[server(endpoint = "collectivite/deposer")]
pub async fn agent_commencer_depot() -> Result<(), AppError> {
    let (agent, _) = crate::server::access::agent_signed_in()
        .await?
        .ok_or(AppError::AgentSignedOut)?;
    let token = crate::server::tokens::new_token();
    // A token just made is always well formed.
    let token_hash = crate::server::tokens::token_hash(&token).ok_or(AppError::Unavailable)?;
    let answers = crate::domain::agents::prefilled_draft(&agent.collectivite_key, &agent.name(), &agent.email);
    crate::server::context::server_context()?
        .store
        .start_shared_draft(&crate::store::agents::SharedDraft {
            token_hash,
            answers,
            collectivite_key: agent.collectivite_key,
            agent_id: agent.id,
            now: crate::server::context::now(),
        })
        .await?;
    leptos_axum::redirect(&crate::routes::intake_step(&token, 1));
    Ok(())
}

/// Continues a draft of the collectivité started by any of its agents: a private link of the agent's own to
/// it, then its first step (the wizard's versioned autosave tells two agents on one step of each other).
#[server(endpoint = "collectivite/brouillon/continuer")]
pub async fn agent_continuer_brouillon(brouillon: i64) -> Result<(), AppError> {
    let (agent, draft) = crate::server::access::require_agent_draft(brouillon).await?;
    let token = crate::server::context::server_context()?
        .store
        .issue_draft_link(&draft, agent.id, crate::server::context::now())
        .await?
        .ok_or_else(crate::server::access::draft_not_found)?;
    leptos_axum::redirect(&crate::routes::intake_step(&token, 1));
    Ok(())
}

/// Attaches a case filed by private link to the space of the agent's collectivité, once the agent confirms that
/// link: their colleagues then see it too, and its history says who attached it and when.
#[server(endpoint = "collectivite/rattacher")]
pub async fn agent_rattacher_dossier(lien: String) -> Result<(), AppError> {
    use crate::domain::agents::{check_attachment, follow_up_token, Attachment};
    let (agent, _) = crate::server::access::agent_signed_in()
        .await?
        .ok_or(AppError::AgentSignedOut)?;
    let store = crate::server::context::server_context()?.store;
    let token = follow_up_token(&lien).map_err(AppError::Invalid)?;
    let unknown = || {
        AppError::Invalid(
            "« Lien privé du dossier » : ce lien ne mène à aucun dossier ; vérifiez qu'il est complet, ou demandez un \
             nouveau lien depuis la page « Lien de suivi perdu ? »."
                .into(),
        )
    };
    let token_hash = crate::server::tokens::token_hash(&token).ok_or_else(unknown)?;
    let (_, case) = crate::server::access::open_linked_case(store.as_ref(), &token_hash)
        .await?
        .ok_or_else(unknown)?;
    let (filed_for, attached) = store.case_attachment(&case).await?.ok_or_else(unknown)?;
    let outcome = match check_attachment(&agent.collectivite_key, &filed_for, attached).map_err(AppError::Invalid)? {
        Attachment::AlreadyAttached => "deja-rattache",
        Attachment::Attach => {
            let name = agent.name();
            let attachment = crate::store::agents::CaseAttachment {
                agent_id: agent.id,
                collectivite_key: agent.collectivite_key,
                detail: format!(
                    "Rattaché à l'espace de {} par {name} ({}), qui a confirmé son lien privé.",
                    agent.collectivite_name, agent.email
                ),
                actor: format!("{name} (collectivité)"),
                now: crate::server::context::now(),
            };
            // False when a colleague attached it meanwhile: the case is in the space all the same.
            if store.attach_case(&case, &attachment).await? {
                "rattache"
            } else {
                "deja-rattache"
            }
        }
    };
    leptos_axum::redirect(&format!(
        "{}?enregistre={outcome}",
        crate::routes::agent_case(case.as_str())
    ));
    Ok(())
}

/// Invites a colleague to the space by email: they sign in with ProConnect, choosing the collectivité.
#[server(endpoint = "collectivite/inviter")]
pub async fn agent_inviter_collegue(email: String) -> Result<(), AppError> {
    let (agent, _) = crate::server::access::agent_signed_in()
        .await?
        .ok_or(AppError::AgentSignedOut)?;
    let store = crate::server::context::server_context()?.store;
    let now = crate::server::context::now();
    let sent = store.invitations_sent_since(agent.id, now - 24 * 3600).await?;
    let to =
        crate::domain::agents::check_colleague_invitation(&email, &agent.email, sent).map_err(AppError::Invalid)?;
    let link = format!(
        "{}{}",
        crate::server::context::link_origin(),
        crate::routes::AGENT_SIGN_IN
    );
    let email = crate::domain::email::colleague_invitation(&to, &agent.name(), &agent.collectivite_name, &link);
    store
        .invite_colleague(&crate::store::agents::ColleagueInvitation {
            collectivite_key: agent.collectivite_key,
            email,
            invited_by: agent.id,
            now,
        })
        .await?;
    leptos_axum::redirect(&format!(
        "{}?enregistre=invitation#collegues",
        crate::routes::AGENT_HOME
    ));
    Ok(())
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
    let contact = store
        .case_contact(&case)
        .await?
        .ok_or_else(|| crate::server::outcome::case_not_found(&reference))?;
    let colleagues = store
        .colleagues(&agent.collectivite_key)
        .await?
        .into_iter()
        .filter(|colleague| !colleague.email.eq_ignore_ascii_case(contact.email.trim()))
        .collect();
    Ok(AgentCaseView {
        contact,
        colleagues,
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

/// The title of a case and the address of its page in the space, for the transfer's emails.
#[cfg(feature = "ssr")]
async fn case_for_email(case: &crate::domain::access::VisibleCase) -> Result<(String, String), AppError> {
    let store = crate::server::context::server_context()?.store;
    let detail = store
        .case_detail(case)
        .await?
        .ok_or_else(|| crate::server::outcome::case_not_found(case.as_str()))?;
    let link = format!(
        "{}{}",
        crate::server::context::link_origin(),
        crate::routes::agent_case(case.as_str())
    );
    Ok((detail.summary.title, link))
}

/// Proposes a colleague of the collectivité as the case's contact; they are emailed and answer from their space.
#[server(endpoint = "collectivite/transfert/proposer")]
pub async fn agent_proposer_transfert(reference: String, collegue: i64) -> Result<(), AppError> {
    let (agent, case) = crate::server::access::require_agent_case(&reference).await?;
    let store = crate::server::context::server_context()?.store;
    let contact = store
        .case_contact(&case)
        .await?
        .ok_or_else(|| crate::server::outcome::case_not_found(&reference))?;
    let colleagues: Vec<(i64, String, String)> = store
        .colleagues(&agent.collectivite_key)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name, c.email))
        .collect();
    let (to_agent_id, name, email) =
        crate::domain::agents::choose_new_contact(&colleagues, collegue, &contact.email).map_err(AppError::Invalid)?;
    let (title, link) = case_for_email(&case).await?;
    let email =
        crate::domain::email::contact_transfer_proposed(email, name, &agent.name(), (case.as_str(), &title), &link);
    let proposal = crate::store::agents::TransferProposal {
        to_agent_id: *to_agent_id,
        proposed_by: agent.id,
        email,
        now: crate::server::context::now(),
    };
    if !store.propose_transfer(&case, &proposal).await? {
        return Err(crate::server::outcome::case_not_found(&reference));
    }
    leptos_axum::redirect(&format!(
        "{}?enregistre=transfert-propose#contact",
        crate::routes::agent_case(case.as_str())
    ));
    Ok(())
}

/// The proposed colleague accepts or declines to become the case's contact; once accepted, the history says who
/// and when and both contacts are emailed.
#[server(endpoint = "collectivite/transfert/repondre")]
pub async fn agent_repondre_transfert(
    reference: String,
    transfert: i64,
    reponse: TransferAnswer,
) -> Result<(), AppError> {
    let (agent, case) = crate::server::access::require_agent_case(&reference).await?;
    let store = crate::server::context::server_context()?.store;
    let gone = || {
        AppError::NotFound(
            "Cette proposition de transfert n'attend plus de réponse : vous y avez déjà répondu, ou une autre \
             proposition l'a remplacée."
                .into(),
        )
    };
    let pending = store
        .transfers_for(agent.id)
        .await?
        .into_iter()
        .find(|t| t.id == transfert && t.reference == case.as_str())
        .ok_or_else(gone)?;
    let contact = store
        .case_contact(&case)
        .await?
        .ok_or_else(|| crate::server::outcome::case_not_found(&reference))?;
    let (title, link) = case_for_email(&case).await?;
    let accept = reponse == TransferAnswer::Accept;
    let name = agent.name();
    let about = (case.as_str(), title.as_str());
    let mut emails = Vec::new();
    if !accept {
        // The contact stays; whoever proposed it is told.
        emails.push(crate::domain::email::contact_transfer_declined(
            &pending.proposed_by_email,
            &pending.proposed_by,
            &name,
            about,
            &link,
        ));
    } else {
        use crate::domain::email::contact_transferred;
        emails.push(contact_transferred(&agent.email, &name, None, about, &link));
        if !contact.email.trim().is_empty() {
            emails.push(contact_transferred(
                &contact.email,
                &contact.name,
                Some(&name),
                about,
                &link,
            ));
        }
    }
    let decision = crate::store::agents::TransferDecision {
        transfer_id: transfert,
        agent_id: agent.id,
        accept,
        detail: format!(
            "Contact de la collectivité : {} ({}) remplacé par {name} ({}), à la demande de {}.",
            contact.name, contact.email, agent.email, pending.proposed_by
        ),
        actor: format!("{name} (collectivité)"),
        name,
        email: agent.email,
        emails,
        now: crate::server::context::now(),
    };
    if !store.decide_transfer(&case, &decision).await? {
        return Err(gone());
    }
    let code = if accept {
        "transfert-accepte"
    } else {
        "transfert-refuse"
    };
    leptos_axum::redirect(&format!("{}?enregistre={code}", crate::routes::AGENT_HOME));
    Ok(())
}
