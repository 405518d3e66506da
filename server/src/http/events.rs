//! The server-sent events that tell open boards a case changed (`GET /equipe/flux`), for signed-in accounts.

use std::convert::Infallible;
use std::time::Duration;

use app::server::context::now;
use app::server::session::token_from_headers;
use app::server::tokens::token_hash;
use app::store::AccountStore;
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
pub async fn board_events(State(state): State<AppState>, _signed_in: SignedIn, headers: HeaderMap) -> Response {
    let hash = token_from_headers(&headers)
        .as_deref()
        .and_then(token_hash)
        .unwrap_or_default();
    let receiver = state.store.subscribe();
    let stream = futures::stream::unfold((receiver, state, hash), |(mut receiver, state, hash)| async move {
        loop {
            match tokio::time::timeout(SESSION_RECHECK, receiver.recv()).await {
                Ok(Ok(change)) => {
                    let data = serde_json::to_string(&change).unwrap_or_default();
                    let event = Event::default().event("changement").data(data);
                    return Some((Ok::<Event, Infallible>(event), (receiver, state, hash)));
                }
                Ok(Err(RecvError::Lagged(_))) => {
                    let event = Event::default().event("changement").data("{\"reference\":\"*\"}");
                    return Some((Ok(event), (receiver, state, hash)));
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
    });
    let mut response = Sse::new(stream).keep_alive(KeepAlive::default()).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
