//! The session check of the axum handlers (live stream, exports, personal data): the same account lookup as
//! the server functions', as an extractor, and the French plain-text answer of a refusal; and the middleware
//! that sends a signed-out request for a team page to the sign-in page, which returns there.

use app::domain::access::{Viewer, VisibleCase};
use app::domain::auth::Role;
use app::error::AppError;
use app::server::access::{open_case, viewer_of};
use app::server::session::account_from_headers;
use app::store::accounts::Account;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::state::AppState;

/// The account of the request's live session; a request without one is answered 401 (503 when the database
/// cannot say).
pub struct SignedIn(pub Account);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        match account_from_headers(state.store.as_ref(), &state.context.site, &parts.headers).await {
            Ok(Some(account)) => Ok(SignedIn(account)),
            Ok(None) => Err(refusal(&AppError::Unauthorized)),
            Err(error) => Err(refusal(&error)),
        }
    }
}

impl SignedIn {
    /// The account as a viewer of cases (`app::server::access`).
    pub async fn viewer(&self, state: &AppState) -> Result<Viewer, Response> {
        viewer_of(state.store.as_ref(), &self.0)
            .await
            .map_err(|error| refusal(&error))
    }

    /// The case of `reference` if the account may see it; the French 404 of an unknown case otherwise.
    pub async fn case(&self, state: &AppState, reference: &str) -> Result<VisibleCase, Response> {
        let viewer = self.viewer(state).await?;
        open_case(state.store.as_ref(), &viewer, reference)
            .await
            .map_err(|error| refusal(&error))
    }

    /// The account if its role has `capability`; `Forbidden` otherwise.
    pub fn with(self, capability: fn(Role) -> bool) -> Result<Account, AppError> {
        if capability(self.0.role) {
            Ok(self.0)
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// The agent of the request's session (the collectivités' space); a request without one is answered 401.
pub struct AgentSignedIn(pub app::store::agents::Agent);

impl FromRequestParts<AppState> for AgentSignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let (store, site) = (state.store.as_ref(), &state.context.site);
        match app::server::agent_session::agent_from_headers(store, site, &parts.headers).await {
            Ok(Some(agent)) => Ok(AgentSignedIn(agent)),
            Ok(None) => Err(refusal(&AppError::AgentSignedOut)),
            Err(error) => Err(refusal(&error)),
        }
    }
}

impl AgentSignedIn {
    /// The case of `reference` if it belongs to the agent's collectivité; the French 404 otherwise.
    pub async fn case(&self, state: &AppState, reference: &str) -> Result<VisibleCase, Response> {
        let store = state.store.as_ref();
        let viewer = app::server::access::agent_viewer(store, &self.0)
            .await
            .map_err(|error| refusal(&error))?;
        open_case(store, &viewer, reference)
            .await
            .map_err(|error| refusal(&error))
    }
}

/// An error as a handler answers it: its status and its French message as plain text.
pub fn refusal(error: &AppError) -> Response {
    let status = StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        error.to_string(),
    )
        .into_response()
}

/// A French page of a refusal a browser reaches (an upload refused, a sign-in refused): its title, its
/// paragraphs and a link back (address and words), every text escaped.
pub fn french_page(status: StatusCode, title: &str, lines: &[String], back: (&str, &str)) -> Response {
    use app::domain::text::escape_markup;
    let lines: String = lines
        .iter()
        .map(|line| format!("<p>{}</p>", escape_markup(line)))
        .collect();
    let body = format!(
        "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} — IA Factory</title></head><body><main><h1>{title}</h1>{lines}\
         <p><a href=\"{href}\">{label}</a></p></main></body></html>",
        title = escape_markup(title),
        href = escape_markup(back.0),
        label = escape_markup(back.1),
    );
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

/// A store failure as a handler answers it (the cause goes to the log only).
pub fn unavailable(error: app::store::StoreError) -> Response {
    refusal(&AppError::from(error))
}

/// A `GET` of a team page without a live session is answered `303` to the sign-in page, carrying the page
/// asked for (its path and query) so that signing in returns there, and a page of the collectivités' space
/// without an agent's session to that space's sign-in page; every other request passes. A session the
/// database cannot check lets the page answer for itself.
pub async fn sign_in_first(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let asks_a_page = matches!(*request.method(), axum::http::Method::GET | axum::http::Method::HEAD);
    let path = request.uri().path();
    let (store, site, headers) = (state.store.as_ref(), &state.context.site, request.headers());
    // Where a signed-out request goes: the sign-in page of its space, with the page asked (path and query).
    let sign_in: Option<fn(&str) -> String> = if !asks_a_page {
        None
    } else if app::routes::needs_sign_in(path) {
        matches!(account_from_headers(store, site, headers).await, Ok(None)).then_some(app::routes::sign_in_then)
    } else if app::routes::is_agent_page(path) {
        matches!(
            app::server::agent_session::agent_from_headers(store, site, headers).await,
            Ok(None)
        )
        .then_some(app::routes::agent_sign_in_then)
    } else {
        None
    };
    if let Some(sign_in_then) = sign_in {
        let asked = request.uri().path_and_query().map_or(path, |asked| asked.as_str());
        return axum::response::Redirect::to(&sign_in_then(asked)).into_response();
    }
    next.run(request).await
}
