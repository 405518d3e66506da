//! The export of everything held about one email address (`GET /equipe/export/personne.json?email=…`), for
//! administrators (RGPD right of access).

use app::domain::auth::Role;
use app::domain::retention::normalized_email;
use app::server::context::now;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use super::auth::{refusal, unavailable, SignedIn};
use crate::state::AppState;

#[derive(serde::Deserialize)]
pub struct EmailQuery {
    email: Option<String>,
}

/// `GET /equipe/export/personne.json?email=…`: administrators only.
pub async fn export_personal_data(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Query(query): Query<EmailQuery>,
) -> Response {
    let text = |status: StatusCode, message: &'static str| {
        (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], message).into_response()
    };
    let viewer = match signed_in.viewer(&state).await {
        Ok(viewer) => viewer,
        Err(response) => return response,
    };
    if let Err(refused) = signed_in.with(Role::can_administer) {
        return refusal(&refused);
    }
    let Some(email) = query.email.as_deref().and_then(normalized_email) else {
        return text(StatusCode::BAD_REQUEST, "Indiquez une adresse électronique valide.");
    };
    match state.store.personal_data(&viewer, &email, now()).await {
        Ok(data) => match serde_json::to_string_pretty(&data) {
            Ok(body) => (
                [
                    (header::CONTENT_TYPE, "application/json; charset=utf-8".to_string()),
                    (
                        header::CONTENT_DISPOSITION,
                        "attachment; filename=\"donnees-personnelles.json\"".to_string(),
                    ),
                    (header::CACHE_CONTROL, "no-store".to_string()),
                ],
                body,
            )
                .into_response(),
            Err(_) => text(StatusCode::INTERNAL_SERVER_ERROR, "L'export a échoué."),
        },
        Err(error) => unavailable(error),
    }
}
