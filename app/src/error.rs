//! The one error type every server function returns: a French message a person can act on, never a database
//! detail (the cause is logged on the server).

use leptos::prelude::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;

/// What went wrong, as the browser may learn it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AppError {
    /// The link or page does not lead to anything (expired or mistyped link…).
    NotFound(String),
    /// The request itself is wrong in a way the form could not show beside a field.
    Invalid(String),
    /// The caller is not signed in (or the session ended).
    Unauthorized,
    /// No agent of a collectivité is signed in (or their session ended).
    AgentSignedOut,
    /// The caller's role does not allow this.
    Forbidden,
    /// Too many attempts: try again later.
    TooManyAttempts,
    /// Too many requests from one address in a minute (intake, autocompletion).
    RateLimited,
    /// Too many sign-ins being checked at once: try again in a few seconds.
    SignInBusy,
    /// A gate of the programme refused a move: why, and where to fix it (a link and its label, may be empty).
    Refused {
        message: String,
        remedy_href: String,
        remedy_label: String,
    },
    /// Someone changed the case after the caller read it; the message says who and when.
    Conflict(String),
    /// The service cannot answer now (database down…); trying again later may work.
    Unavailable,
    /// Transport or encoding failure of the server function machinery.
    ServerFn(ServerFnErrorErr),
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AppError::NotFound(message) | AppError::Invalid(message) | AppError::Conflict(message) => {
                f.write_str(message)
            }
            AppError::Refused { message, .. } => f.write_str(message),
            AppError::Unauthorized => f.write_str("Connectez-vous à l'espace équipe pour accéder à cette page."),
            AppError::AgentSignedOut => f.write_str(
                "Connectez-vous avec ProConnect à l'espace de votre collectivité pour accéder à cette page.",
            ),
            AppError::Forbidden => f.write_str("Votre rôle ne permet pas cette action."),
            AppError::TooManyAttempts => {
                f.write_str("Trop de tentatives de connexion : réessayez dans 15 minutes.")
            }
            AppError::SignInBusy => f.write_str(
                "Trop de connexions sont en cours de vérification : réessayez dans quelques secondes.",
            ),
            AppError::RateLimited => f.write_str(
                "Trop de demandes en peu de temps : patientez une minute puis réessayez. Votre saisie est conservée.",
            ),
            AppError::Unavailable => f.write_str(
                "Le service est momentanément indisponible. Votre saisie est conservée : réessayez dans quelques instants.",
            ),
            AppError::ServerFn(_) => f.write_str(
                "La communication avec le serveur a échoué. Vérifiez votre connexion puis réessayez ; votre saisie est conservée.",
            ),
        }
    }
}

impl std::error::Error for AppError {}

impl AppError {
    /// The HTTP status this error answers with.
    pub fn http_status(&self) -> u16 {
        match self {
            AppError::NotFound(_) => 404,
            AppError::Invalid(_) | AppError::Refused { .. } => 422,
            AppError::Unauthorized | AppError::AgentSignedOut => 401,
            AppError::Forbidden => 403,
            AppError::TooManyAttempts | AppError::RateLimited | AppError::SignInBusy => 429,
            AppError::Conflict(_) => 409,
            AppError::Unavailable => 503,
            AppError::ServerFn(_) => 400,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::ServerFn(value)
    }
}

#[cfg(feature = "ssr")]
impl From<crate::store::StoreError> for AppError {
    fn from(error: crate::store::StoreError) -> Self {
        tracing::error!(cause = %error.0, "store error");
        AppError::Unavailable
    }
}
