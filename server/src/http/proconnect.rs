//! Signing in with ProConnect: `GET /connexion/proconnect` starts (a `state` and a `nonce` of 64 characters,
//! kept server-side for 10 minutes, usable once) and sends the browser to ProConnect; `GET
//! /connexion/proconnect/retour` takes the `state` back, has the code exchanged and the tokens verified, checks
//! the level of assurance and opens the session of the team account linked to the agent, or, for a sign-in
//! started from the collectivités' space, the session of the collectivité's agent (`domain::agents::admit`),
//! then returns to the page asked. Every refusal is logged and leads to the space's sign-in page with its code;
//! an agent refused by the collectivités' rule gets a French page naming the organisation.

use app::domain::accounts::AuthEvent;
use app::domain::agents;
use app::domain::proconnect::{Acr, Refusal, Space, REQUEST_SECONDS};
use app::server::agent_session::{agent_cookie, AGENT_SESSION_SECONDS};
use app::server::context::{client_address, now};
use app::server::session::{session_cookie, SESSION_SECONDS};
use app::server::tokens::{new_token, token_hash};
use app::store::accounts::{AuthEntry, NewSession};
use app::store::agents::{AgentIdentity, NewAgentSession};
use app::store::proconnect::{LinkedIdentity, MemberMatch, StartedSignIn};
use app::store::{AccountStore, AgentStore, ProConnectStore};
use axum::extract::{ConnectInfo, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::auth::unavailable;
use crate::proconnect::Identity;
use crate::state::AppState;

/// The level of assurance asked of the collectivités' agents.
pub const AGENT_ACR: Acr = Acr::Eidas1;

#[derive(Deserialize)]
pub struct Start {
    retour: Option<String>,
    /// `collectivite` for the collectivités' space; the team's otherwise.
    espace: Option<String>,
}

#[derive(Deserialize)]
pub struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// Why a ProConnect answer opens no session.
enum Failure {
    /// Refused by ProConnect's rules (or unknown to the team): back to the sign-in page of `Space` with its code.
    ProConnect(Space, Refusal),
    /// An agent whose organisation is not a collectivité, or who is not territorial: a page naming it.
    Agent { email: String, refusal: agents::Refusal },
}

/// The sign-in page of `space` with the notice of `refusal`.
fn back_to_sign_in(space: Space, refusal: &Refusal) -> Response {
    Redirect::to(&format!("{}?proconnect={}", space.sign_in_page(), refusal.code())).into_response()
}

/// The French page of an agent refused by the collectivités' rule (403), every text escaped.
fn agent_refused(refusal: &agents::Refusal) -> Response {
    super::auth::french_page(
        axum::http::StatusCode::FORBIDDEN,
        refusal.title(),
        &refusal.lines(),
        (
            app::routes::AGENT_SIGN_IN,
            "Revenir à la connexion de l'espace collectivité",
        ),
    )
}

/// The client's address, as the limits and the log see it.
fn address(state: &AppState, parts: &axum::http::request::Parts) -> String {
    let peer = parts
        .extensions
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip());
    client_address(&parts.headers, peer, state.context.behind_proxy)
}

/// `GET /connexion/proconnect?retour=…`: a new sign-in, sent to ProConnect.
pub async fn start(State(state): State<AppState>, Query(query): Query<Start>) -> Response {
    let Some(proconnect) = state.proconnect.clone() else {
        return super::auth::refusal(&app::error::AppError::NotFound(
            "La connexion avec ProConnect n'est pas proposée sur ce service.".into(),
        ));
    };
    let space = match query.espace.as_deref() {
        Some("collectivite") => Space::Collectivite,
        _ => Space::Team,
    };
    let (return_to, acr) = match space {
        Space::Team => (
            app::domain::sign_in::return_path(query.retour.as_deref()),
            proconnect.config.team_acr,
        ),
        Space::Collectivite => (
            app::domain::sign_in::agent_return_path(query.retour.as_deref()),
            AGENT_ACR,
        ),
    };
    let return_to = return_to.to_string();
    let (state_token, nonce) = (new_token(), new_token());
    let Some(state_hash) = token_hash(&state_token) else {
        return back_to_sign_in(space, &Refusal::Provider);
    };
    let started = StartedSignIn {
        nonce: nonce.clone(),
        return_to,
        created_at: now(),
        space,
    };
    if let Err(error) = state.store.start_proconnect(&state_hash, &started).await {
        return unavailable(error);
    }
    match proconnect.authorize_url(&state_token, &nonce, acr).await {
        Ok(url) => Redirect::to(&url).into_response(),
        Err(cause) => {
            tracing::error!(%cause, "ProConnect injoignable");
            back_to_sign_in(space, &Refusal::Provider)
        }
    }
}

/// `GET /connexion/proconnect/retour?code=…&state=…`: ProConnect's answer.
pub async fn finish(
    State(state): State<AppState>,
    Query(query): Query<Callback>,
    parts: axum::http::request::Parts,
) -> Response {
    let address = address(&state, &parts);
    let failure = match verified(&state, query).await {
        Ok((started, identity)) => {
            let opened = match started.space {
                Space::Team => member_signed_in(&state, &started, identity, &address).await,
                Space::Collectivite => agent_signed_in(&state, &started, identity, &address).await,
            };
            match opened {
                Ok(response) => return response,
                Err(failure) => failure,
            }
        }
        Err(failure) => failure,
    };
    let (email, detail) = match &failure {
        Failure::ProConnect(_, Refusal::UnknownMember { email }) => (email.clone(), failure_detail(&failure)),
        Failure::Agent { email, .. } => (email.clone(), failure_detail(&failure)),
        Failure::ProConnect(..) => (String::new(), failure_detail(&failure)),
    };
    let entry = AuthEntry {
        kind: AuthEvent::ProConnectRefused,
        email,
        actor: "ProConnect".into(),
        address,
        at: now(),
        detail,
    };
    if let Err(error) = state.store.log_auth_event(&entry).await {
        return unavailable(error);
    }
    match failure {
        Failure::ProConnect(space, refusal) => back_to_sign_in(space, &refusal),
        Failure::Agent { refusal, .. } => agent_refused(&refusal),
    }
}

fn failure_detail(failure: &Failure) -> String {
    match failure {
        Failure::ProConnect(Space::Team, refusal) => refusal.detail(),
        Failure::ProConnect(Space::Collectivite, refusal) => format!("collectivité : {}", refusal.detail()),
        Failure::Agent { refusal, .. } => format!("collectivité : {}", refusal.detail()),
    }
}

fn store_failed(space: Space) -> impl Fn(app::store::StoreError) -> Failure {
    move |error| {
        tracing::error!(cause = %error.0, "ProConnect : base indisponible");
        Failure::ProConnect(space, Refusal::Provider)
    }
}

/// The sign-in of a valid answer and the agent ProConnect vouched for: its `state` taken once within 10 minutes,
/// the code exchanged, the tokens verified and the level checked against what that space requires.
async fn verified(state: &AppState, query: Callback) -> Result<(StartedSignIn, Identity), Failure> {
    let refused = |refusal| Failure::ProConnect(Space::Team, refusal);
    let proconnect = state.proconnect.clone().ok_or(refused(Refusal::Provider))?;
    let state_hash = query
        .state
        .as_deref()
        .and_then(token_hash)
        .ok_or(refused(Refusal::Expired))?;
    let started = state
        .store
        .take_proconnect(&state_hash)
        .await
        .map_err(store_failed(Space::Team))?
        .filter(|started| started.created_at >= now() - REQUEST_SECONDS)
        .ok_or(refused(Refusal::Expired))?;
    let space = started.space;
    let refused = |refusal| Failure::ProConnect(space, refusal);
    let required = match space {
        Space::Team => proconnect.config.team_acr,
        Space::Collectivite => AGENT_ACR,
    };
    match query.error.as_deref() {
        None => {}
        Some("access_denied") => return Err(refused(Refusal::Cancelled)),
        Some("unmet_authentication_requirements") => {
            return Err(refused(Refusal::WeakAcr {
                got: "inférieur".into(),
                required,
            }))
        }
        Some(error) => {
            tracing::warn!(error, "ProConnect a répondu une erreur");
            return Err(refused(Refusal::Provider));
        }
    }
    let code = query.code.ok_or(refused(Refusal::Provider))?;
    let identity = proconnect
        .finish(&code, &started.nonce, required)
        .await
        .map_err(refused)?;
    Ok((started, identity))
}

/// The response that returns to the page asked with the session cookie `cookie`.
fn returning_with(return_to: &str, cookie: &str) -> Response {
    let mut response = Redirect::to(return_to).into_response();
    if let Ok(value) = header::HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// The session opened for the team member ProConnect vouched for.
async fn member_signed_in(
    state: &AppState,
    started: &StartedSignIn,
    identity: Identity,
    address: &str,
) -> Result<Response, Failure> {
    let refused = |refusal| Failure::ProConnect(Space::Team, refusal);
    let store_failed = store_failed(Space::Team);
    let linked = LinkedIdentity {
        issuer: identity.issuer.clone(),
        subject: identity.subject.clone(),
        email: identity.email.clone(),
        address: address.to_string(),
        now: now(),
    };
    let account = match state.store.proconnect_member(&linked).await.map_err(&store_failed)? {
        MemberMatch::Member(account) => account,
        MemberMatch::Disabled => return Err(refused(Refusal::Disabled)),
        MemberMatch::Unknown => return Err(refused(Refusal::UnknownMember { email: identity.email })),
    };
    let token = new_token();
    let session = NewSession {
        token_hash: token_hash(&token).ok_or(refused(Refusal::Provider))?,
        account_id: account.id,
        now: now(),
        expires_at: now() + SESSION_SECONDS,
        address: address.to_string(),
        user_agent: String::new(),
    };
    let opened = async {
        state
            .store
            .create_proconnect_session(&session, &identity.id_token, identity.acr.code())
            .await?;
        state.store.record_sign_in(account.id, now()).await?;
        let entry = AuthEntry {
            kind: AuthEvent::SignedIn,
            email: account.email.clone(),
            actor: account.email.clone(),
            address: address.to_string(),
            at: now(),
            detail: format!("ProConnect, {}", identity.acr.code()),
        };
        state.store.log_auth_event(&entry).await
    };
    opened.await.map_err(&store_failed)?;
    let cookie = session_cookie(state.site(), &token, SESSION_SECONDS);
    Ok(returning_with(&started.return_to, &cookie))
}

/// The session opened for the agent of a collectivité ProConnect vouched for: their organisation must be a
/// collectivité of the official list and their roles territorial.
async fn agent_signed_in(
    state: &AppState,
    started: &StartedSignIn,
    identity: Identity,
    address: &str,
) -> Result<Response, Failure> {
    let refused = |refusal| Failure::ProConnect(Space::Collectivite, refusal);
    let store_failed = store_failed(Space::Collectivite);
    let collectivite = agents::admit(
        &state.context.directory,
        &identity.siret,
        &identity.roles,
        &identity.organization_label,
    )
    .map_err(|refusal| Failure::Agent {
        email: identity.email.clone(),
        refusal,
    })?;
    let agent = AgentIdentity {
        issuer: identity.issuer.clone(),
        subject: identity.subject.clone(),
        email: identity.email.clone(),
        given_name: identity.given_name.clone(),
        usual_name: identity.usual_name.clone(),
        siren: collectivite.siren.clone(),
        collectivite_key: collectivite.key(),
        collectivite_name: collectivite.name.clone(),
        now: now(),
    };
    let token = new_token();
    let hash = token_hash(&token).ok_or(refused(Refusal::Provider))?;
    let opened = async {
        let agent_id = state.store.agent_signed_in(&agent).await?;
        let session = NewAgentSession {
            token_hash: hash,
            agent_id,
            id_token: identity.id_token.clone(),
            acr: identity.acr.code().to_string(),
            idp_id: identity.idp_id.clone(),
            now: now(),
            expires_at: now() + AGENT_SESSION_SECONDS,
        };
        state.store.create_agent_session(&session).await?;
        let entry = AuthEntry {
            kind: AuthEvent::SignedIn,
            email: identity.email.clone(),
            actor: identity.email.clone(),
            address: address.to_string(),
            at: now(),
            detail: format!(
                "ProConnect, {}, agent de {} ({})",
                identity.acr.code(),
                collectivite.name,
                collectivite.siren
            ),
        };
        state.store.log_auth_event(&entry).await
    };
    opened.await.map_err(&store_failed)?;
    let cookie = agent_cookie(state.site(), &token, AGENT_SESSION_SECONDS);
    Ok(returning_with(&started.return_to, &cookie))
}
