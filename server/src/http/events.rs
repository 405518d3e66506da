//! The server-sent events that tell open boards a case changed (`GET /equipe/flux`), for signed-in accounts:
//! the session is checked before every event, and an account has at most five streams open at once.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use app::server::access::{open_case, viewer_of};
use app::server::context::now;
use app::server::session::token_from_headers;
use app::server::tokens::token_hash;
use app::store::accounts::Account;
use app::store::AccountStore;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use tokio::sync::broadcast::error::RecvError;

use super::auth::SignedIn;
use crate::sql::BoardChange;
use crate::state::AppState;

/// How often an idle live stream checks that its session is still valid (sign-out, expiry, disabled account,
/// changed role); a stream with events checks it before each one.
const SESSION_RECHECK: Duration = Duration::from_secs(30);

/// At most this many live streams per account in one server process (a board in each tab); a further one is
/// refused (429, in French) rather than closing an older one, which would reconnect and close the next.
pub const MAX_STREAMS_PER_ACCOUNT: usize = 5;

/// The live streams open in this process, counted per account.
#[derive(Debug, Default)]
pub struct LiveStreams {
    open: Mutex<HashMap<i64, usize>>,
}

impl LiveStreams {
    /// A place for one more stream of `account_id`, none when it has `MAX_STREAMS_PER_ACCOUNT` already.
    fn enter(self: &Arc<Self>, account_id: i64) -> Option<StreamPlace> {
        let mut open = self.open.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let count = open.entry(account_id).or_default();
        if *count >= MAX_STREAMS_PER_ACCOUNT {
            return None;
        }
        *count += 1;
        Some(StreamPlace {
            streams: self.clone(),
            account_id,
        })
    }
}

/// A stream's place, given back when the stream ends (the client left, or its session did).
#[derive(Debug)]
struct StreamPlace {
    streams: Arc<LiveStreams>,
    account_id: i64,
}

impl Drop for StreamPlace {
    fn drop(&mut self) {
        let mut open = self
            .streams
            .open
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(count) = open.get_mut(&self.account_id) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(&self.account_id);
            }
        }
    }
}

/// What a stream holds between two events.
struct Live {
    receiver: tokio::sync::broadcast::Receiver<BoardChange>,
    state: AppState,
    hash: String,
    account: Account,
    _place: StreamPlace,
}

/// `GET /equipe/flux`: one `changement` event per changed case (JSON: reference, stage, version, actor), each
/// sent only if the session that opened the stream is still live with the same account and role; otherwise
/// the stream ends (the browser reconnects, and its new session, if any, decides what it may see).
pub async fn board_events(
    State(state): State<AppState>,
    Extension(streams): Extension<Arc<LiveStreams>>,
    signed_in: SignedIn,
    headers: HeaderMap,
) -> Response {
    let account = signed_in.0;
    let Some(place) = streams.enter(account.id) else {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!(
                "Le tableau est déjà ouvert en direct dans {MAX_STREAMS_PER_ACCOUNT} onglets pour ce compte : \
                 fermez-en un puis rechargez cette page."
            ),
        )
            .into_response();
    };
    let hash = token_from_headers(&headers, &state.context.site)
        .as_deref()
        .and_then(token_hash)
        .unwrap_or_default();
    let live = Live {
        receiver: state.store.subscribe(),
        state,
        hash,
        account,
        _place: place,
    };
    let stream = futures::stream::unfold(live, |mut live| async move {
        loop {
            let received = tokio::time::timeout(SESSION_RECHECK, live.receiver.recv()).await;
            if matches!(received, Ok(Err(RecvError::Closed))) || !still_signed_in(&live).await {
                return None;
            }
            let event = match received {
                Ok(Ok(change)) => {
                    if !may_see(&live.state, &live.account, &change.reference).await {
                        continue;
                    }
                    let data = serde_json::to_string(&change).unwrap_or_default();
                    Event::default().event("changement").data(data)
                }
                Ok(Err(RecvError::Lagged(_))) => Event::default().event("changement").data("{\"reference\":\"*\"}"),
                // Closed was handled above; an idle period only checks the session.
                Ok(Err(RecvError::Closed)) | Err(_) => continue,
            };
            return Some((Ok::<Event, Infallible>(event), live));
        }
    });
    // Counted while open; ended when the server shuts down (a stream never ends by itself).
    let open = crate::http::metrics::LiveStream::open();
    let stream = futures::StreamExt::map(
        futures::StreamExt::take_until(stream, crate::shutdown::signal().cancelled_owned()),
        move |event| {
            let _open = &open;
            event
        },
    );
    let mut response = Sse::new(stream).keep_alive(KeepAlive::default()).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Whether the stream's session is still live, for the same account with the same role (a signed-out, expired
/// or disabled session, a changed role or a database that cannot say all end the stream).
async fn still_signed_in(live: &Live) -> bool {
    let recheck = app::store::accounts::SessionUse::Recheck;
    match live.state.store.session_account(&live.hash, now(), recheck).await {
        Ok(Some(current)) => current.id == live.account.id && current.role == live.account.role && !current.disabled,
        _ => false,
    }
}

/// Whether the account may see the change of `reference` ("*", reload everything, is seen by all: what the
/// board then reads is filtered by its scope).
async fn may_see(state: &AppState, account: &Account, reference: &str) -> bool {
    if reference == "*" {
        return true;
    }
    let Ok(viewer) = viewer_of(state.store.as_ref(), account).await else {
        return false;
    };
    viewer.sees_every_case() || open_case(state.store.as_ref(), &viewer, reference).await.is_ok()
}
