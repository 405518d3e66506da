//! Signing in and out of the team's space with server-side sessions, and the signed-in account.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::sign_in::AccountView;
#[cfg(feature = "ssr")]
use crate::server::session;

/// Signs a team member in and leads to the page they asked for (`retour`, a team page of this site), or to the
/// team's home.
#[server(endpoint = "equipe/connexion")]
pub async fn se_connecter(email: String, mot_de_passe: String, retour: Option<String>) -> Result<(), AppError> {
    // What no address holds (a control character, a NUL the database refuses) is dropped.
    let email = crate::domain::text::clean_text(&email).trim().to_lowercase();
    // No account has a longer address: refused at the edge, before any count or log is written.
    if email.chars().count() > crate::domain::auth::MAX_EMAIL_CHARS {
        return Err(AppError::Invalid(format!(
            "« Adresse électronique » : {} caractères au plus.",
            crate::domain::auth::MAX_EMAIL_CHARS
        )));
    }
    let password: String = mot_de_passe
        .chars()
        .take(crate::domain::auth::MAX_PASSWORD_CHARS + 1)
        .collect();
    let account = session::sign_in(&email, password).await?;
    session::open_session(&account).await?;
    leptos_axum::redirect(crate::domain::sign_in::return_path(retour.as_deref()));
    Ok(())
}

/// Ends the session on the server and in the browser; a session opened with ProConnect then ends there too
/// (the local session first).
#[server(endpoint = "equipe/deconnexion")]
pub async fn se_deconnecter() -> Result<(), AppError> {
    let id_token = session::close_session().await?;
    let proconnect = crate::server::context::server_context()?.proconnect;
    if let (Some(id_token), Some(proconnect)) = (id_token, proconnect) {
        let state = crate::server::tokens::new_token();
        if let Some(url) = proconnect
            .logout_url(&id_token, &state, crate::domain::proconnect::Space::Team)
            .await
        {
            leptos_axum::redirect(&url);
            return Ok(());
        }
    }
    leptos_axum::redirect(&format!("{}?deconnecte=1", crate::routes::SIGN_IN));
    Ok(())
}

/// Whether the sign-in page offers ProConnect (configured on this server).
#[server(endpoint = "equipe/connexion/proconnect-propose")]
pub async fn proconnect_propose() -> Result<bool, AppError> {
    Ok(crate::server::context::server_context()?.proconnect.is_some())
}

/// The signed-in account, or none.
#[server(endpoint = "equipe/compte")]
pub async fn compte_courant() -> Result<Option<AccountView>, AppError> {
    Ok(session::current_account().await?.map(|account| AccountView {
        name: account.name,
        email: account.email,
        role: account.role,
    }))
}
