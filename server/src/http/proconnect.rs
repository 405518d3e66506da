//! Signing in with ProConnect: `GET /connexion/proconnect` starts (a `state` and a `nonce` of 64 characters,
//! kept server-side for 10 minutes, usable once) and sends the browser to ProConnect; `GET
//! /connexion/proconnect/retour` takes the `state` back, has the code exchanged and the tokens verified, checks
//! the level of assurance and opens the session of the team account linked to the agent, then returns to the
//! page asked. Every refusal leads to the sign-in page with its code, logged.

use app::domain::accounts::AuthEvent;
use app::domain::proconnect::{Refusal, REQUEST_SECONDS};
use app::server::context::{client_address, now};
use app::server::session::{session_cookie, SESSION_SECONDS};
use app::server::tokens::{new_token, token_hash};
use app::store::accounts::{AuthEntry, NewSession};
use app::store::proconnect::{LinkedIdentity, MemberMatch, StartedSignIn};
use app::store::{AccountStore, ProConnectStore};
use axum::extract::{ConnectInfo, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::auth::unavailable;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct Start {
    retour: Option<String>,
}

#[derive(Deserialize)]
pub struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// The sign-in page with the notice of `refusal`.
fn back_to_sign_in(refusal: &Refusal) -> Response {
    Redirect::to(&format!("{}?proconnect={}", app::routes::SIGN_IN, refusal.code())).into_response()
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
    let return_to = app::domain::sign_in::return_path(query.retour.as_deref()).to_string();
    let (state_token, nonce) = (new_token(), new_token());
    let Some(state_hash) = token_hash(&state_token) else {
        return back_to_sign_in(&Refusal::Provider);
    };
    let started = StartedSignIn {
        nonce: nonce.clone(),
        return_to,
        created_at: now(),
    };
    if let Err(error) = state.store.start_proconnect(&state_hash, &started).await {
        return unavailable(error);
    }
    match proconnect
        .authorize_url(&state_token, &nonce, proconnect.config.team_acr)
        .await
    {
        Ok(url) => Redirect::to(&url).into_response(),
        Err(cause) => {
            tracing::error!(%cause, "ProConnect injoignable");
            back_to_sign_in(&Refusal::Provider)
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
    match signed_in(&state, query, &address).await {
        Ok(response) => response,
        Err(refusal) => {
            let entry = AuthEntry {
                kind: AuthEvent::ProConnectRefused,
                email: match &refusal {
                    Refusal::UnknownMember { email } => email.clone(),
                    _ => String::new(),
                },
                actor: "ProConnect".into(),
                address,
                at: now(),
                detail: refusal.detail(),
            };
            if let Err(error) = state.store.log_auth_event(&entry).await {
                return unavailable(error);
            }
            back_to_sign_in(&refusal)
        }
    }
}

/// The session opened for the agent of a valid answer, and the page to return to; the refusal otherwise.
async fn signed_in(state: &AppState, query: Callback, address: &str) -> Result<Response, Refusal> {
    let proconnect = state.proconnect.clone().ok_or(Refusal::Provider)?;
    let state_hash = query.state.as_deref().and_then(token_hash).ok_or(Refusal::Expired)?;
    let store_failed = |error: app::store::StoreError| {
        tracing::error!(cause = %error.0, "ProConnect : base indisponible");
        Refusal::Provider
    };
    let started = state
        .store
        .take_proconnect(&state_hash)
        .await
        .map_err(store_failed)?
        .filter(|started| started.created_at >= now() - REQUEST_SECONDS)
        .ok_or(Refusal::Expired)?;
    match query.error.as_deref() {
        None => {}
        Some("access_denied") => return Err(Refusal::Cancelled),
        Some("unmet_authentication_requirements") => {
            return Err(Refusal::WeakAcr {
                got: "inférieur".into(),
                required: proconnect.config.team_acr,
            })
        }
        Some(error) => {
            tracing::warn!(error, "ProConnect a répondu une erreur");
            return Err(Refusal::Provider);
        }
    }
    let code = query.code.ok_or(Refusal::Provider)?;
    let identity = proconnect
        .finish(&code, &started.nonce, proconnect.config.team_acr)
        .await?;
    let linked = LinkedIdentity {
        issuer: identity.issuer.clone(),
        subject: identity.subject.clone(),
        email: identity.email.clone(),
        address: address.to_string(),
        now: now(),
    };
    let account = match state.store.proconnect_member(&linked).await.map_err(store_failed)? {
        MemberMatch::Member(account) => account,
        MemberMatch::Disabled => return Err(Refusal::Disabled),
        MemberMatch::Unknown => return Err(Refusal::UnknownMember { email: identity.email }),
    };
    let token = new_token();
    let session = NewSession {
        token_hash: token_hash(&token).ok_or(Refusal::Provider)?,
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
    opened.await.map_err(store_failed)?;
    let cookie = session_cookie(state.site(), &token, SESSION_SECONDS);
    let mut response = Redirect::to(&started.return_to).into_response();
    if let Ok(value) = header::HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response)
}
