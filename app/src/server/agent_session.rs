//! The sessions of the collectivités' agents (opened by ProConnect only): their own cookie, apart from the
//! team's, so that a team member and an agent never share a session and neither opens the other's space.

use axum::http::{header, HeaderMap, HeaderValue};
use leptos::prelude::*;

use super::context::{now, server_context, ServerContext, Site};
use super::tokens::{is_well_formed, token_hash};
use crate::error::AppError;
use crate::store::agents::Agent;
use crate::store::AgentStore;

/// The agent's cookie over plain HTTP (a laptop), and over HTTPS (`__Host-`: `Secure`, `Path=/`, no `Domain`).
pub const AGENT_COOKIE: &str = "iaf_agent";
pub const AGENT_HOST_COOKIE: &str = "__Host-iaf_agent";
/// An agent's session lasts 12 hours, as the team's.
pub const AGENT_SESSION_SECONDS: i64 = 12 * 3_600;

fn agent_cookie_name(site: &Site) -> &'static str {
    if site.is_https() {
        AGENT_HOST_COOKIE
    } else {
        AGENT_COOKIE
    }
}

/// The `Set-Cookie` value of an agent's session on `site`.
pub fn agent_cookie(site: &Site, value: &str, max_age: i64) -> String {
    let secure = if site.is_https() { "; Secure" } else { "" };
    format!(
        "{}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}",
        agent_cookie_name(site)
    )
}

/// The agent's session token in a request's cookies on `site`, if any (well-formed).
fn agent_token(headers: &HeaderMap, site: &Site) -> Option<String> {
    let wanted = agent_cookie_name(site);
    headers.get_all(header::COOKIE).iter().find_map(|value| {
        value.to_str().ok()?.split(';').find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == wanted && is_well_formed(value)).then(|| value.to_string())
        })
    })
}

/// The agent of a request's session, for server functions and axum handlers alike.
pub async fn agent_from_headers<S: AgentStore + ?Sized>(
    store: &S,
    site: &Site,
    headers: &HeaderMap,
) -> Result<Option<Agent>, AppError> {
    let Some(hash) = agent_token(headers, site).as_deref().and_then(token_hash) else {
        return Ok(None);
    };
    Ok(store.agent_of_session(&hash, now()).await?)
}

/// The signed-in agent of the request, if any.
pub async fn current_agent() -> Result<Option<Agent>, AppError> {
    let Some(parts) = use_context::<axum::http::request::Parts>() else {
        return Ok(None);
    };
    let ctx = server_context()?;
    agent_from_headers(ctx.store.as_ref(), &ctx.site, &parts.headers).await
}

/// Ends the agent's session of the request, if any, and clears its cookie; the ID token it was opened with.
pub async fn close_agent_session() -> Result<Option<String>, AppError> {
    let ctx = server_context()?;
    let mut id_token = None;
    if let Some(parts) = use_context::<axum::http::request::Parts>() {
        if let Some(hash) = agent_token(&parts.headers, &ctx.site).as_deref().and_then(token_hash) {
            id_token = ctx.store.end_agent_session(&hash).await?;
        }
    }
    clear_cookie(&ctx);
    Ok(id_token)
}

fn clear_cookie(ctx: &ServerContext) {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(value) = HeaderValue::from_str(&agent_cookie(&ctx.site, "", 0)) {
            response.append_header(header::SET_COOKIE, value);
        }
    }
}
