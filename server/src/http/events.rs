//! The server-sent events that tell open boards a case changed (`GET /equipe/flux`), for signed-in accounts.

use std::convert::Infallible;
use std::time::Duration;

use app::domain::access::Scope;
use app::server::context::now;
use app::server::session::{scope_of, token_from_headers};
use app::server::tokens::token_hash;
use app::store::accounts::Account;
use app::store::{AccountStore, CaseStore};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio::sync::broadcast::error::RecvError;

use super::auth::SignedIn;
use crate::state::AppState;

/// How often a live stream checks that its session is still valid (sign-out, disabled account).
const SESSION_RECHECK: Duration = Duration::from_secs(30);

/// `GET /equipe/flux`: one `changement` event per changed case (JSON: reference, stage, version, actor).
pub async fn board_events(State(state): State<AppState>, signed_in: SignedIn, headers: HeaderMap) -> Response {
    let account = signed_in.0;
    let hash = token_from_headers(&headers, &state.site)
        .as_deref()
        .and_then(token_hash)
        .unwrap_or_default();
    let receiver = state.store.subscribe();
    let stream = futures::stream::unfold(
        (receiver, state, hash, account),
        |(mut receiver, state, hash, account)| async move {
            loop {
                match tokio::time::timeout(SESSION_RECHECK, receiver.recv()).await {
                    Ok(Ok(change)) => {
                        if !may_see(&state, &account, &change.reference).await {
                            continue;
                        }
                        let data = serde_json::to_string(&change).unwrap_or_default();
                        let event = Event::default().event("changement").data(data);
                        return Some((Ok::<Event, Infallible>(event), (receiver, state, hash, account)));
                    }
                    Ok(Err(RecvError::Lagged(_))) => {
                        let event = Event::default().event("changement").data("{\"reference\":\"*\"}");
                        return Some((Ok(event), (receiver, state, hash, account)));
                    }
                    Ok(Err(RecvError::Closed)) => return None,
                    Err(_elapsed) => {
                        let live = state.store.session_account(&hash, now()).await;
                        if !matches!(live, Ok(Some(_))) {
                            return None;
                        }
                    }
                }
            }
        },
    );
    let mut response = Sse::new(stream).keep_alive(KeepAlive::default()).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Whether the account may see the change of `reference` ("*", reload everything, is seen by all: what the
/// board then reads is filtered by its scope).
async fn may_see(state: &AppState, account: &Account, reference: &str) -> bool {
    if reference == "*" {
        return true;
    }
    let Ok(scope) = scope_of(state.store.as_ref(), account).await else {
        return false;
    };
    if scope == Scope::All {
        return true;
    }
    match state.store.case_region(reference).await {
        Ok(Some(region)) => scope.sees(&region, reference),
        _ => false,
    }
}
