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

/// The password sign-in policy (administrators): the roles passwords are off for, the break-glass
/// administrator, and who may be named.
#[server(endpoint = "equipe/comptes/mots-de-passe")]
pub async fn politique_mots_de_passe() -> Result<crate::model::sign_in::PasswordPolicyView, AppError> {
    use crate::domain::auth::Role;
    use crate::model::sign_in::{PasswordPolicyView, RolePasswordView};
    session::require(Role::can_administer).await?;
    let ctx = crate::server::context::server_context()?;
    let policy = ctx.store.password_policy().await?;
    let admins = ctx
        .store
        .accounts()
        .await?
        .into_iter()
        .filter(|line| {
            let account = &line.account;
            crate::domain::sign_in::may_be_break_glass(
                account.role,
                account.disabled,
                !account.password_hash.is_empty(),
            )
        })
        .map(|line| {
            (
                line.account.id,
                format!("{} ({})", line.account.name, line.account.email),
            )
        })
        .collect();
    Ok(PasswordPolicyView {
        proconnect: ctx.proconnect.is_some(),
        roles: Role::ALL
            .into_iter()
            .map(|role| RolePasswordView {
                role,
                off: policy
                    .off
                    .iter()
                    .find(|off| off.role == role)
                    .map(|off| (off.since, off.decided_by.clone())),
            })
            .collect(),
        break_glass: policy.break_glass.map(|b| format!("{} ({})", b.name, b.email)),
        admins,
    })
}

/// Turns password sign-in off for a role (ProConnect only) or back on (administrators).
#[server(endpoint = "equipe/comptes/mots-de-passe/regler")]
pub async fn regler_mots_de_passe(
    role: crate::domain::auth::Role,
    choix: crate::model::sign_in::PasswordChoice,
) -> Result<(), AppError> {
    use crate::domain::accounts::AuthEvent;
    use crate::domain::auth::Role;
    use crate::model::sign_in::PasswordChoice;
    let admin = session::require(Role::can_administer).await?;
    let ctx = crate::server::context::server_context()?;
    let off = choix == PasswordChoice::Off;
    let policy = ctx.store.password_policy().await?;
    crate::domain::sign_in::check_password_policy(role, off, ctx.proconnect.is_some(), policy.break_glass.is_some())
        .map_err(AppError::Invalid)?;
    let detail = format!(
        "{} : connexion par mot de passe {}",
        role.label(),
        if off {
            "désactivée (ProConnect seulement)"
        } else {
            "autorisée"
        }
    );
    let entry = session::change_entry(AuthEvent::PasswordPolicy, &admin.email, &admin.name, detail).await;
    ctx.store.set_password_sign_in(role, off, &entry).await?;
    leptos_axum::redirect("/equipe/comptes?enregistre=mots-de-passe#mots-de-passe");
    Ok(())
}

/// Names the break-glass administrator, whose password keeps working when passwords are off (administrators).
#[server(endpoint = "equipe/comptes/secours")]
pub async fn designer_secours(compte: i64) -> Result<(), AppError> {
    use crate::domain::accounts::AuthEvent;
    use crate::domain::auth::Role;
    let admin = session::require(Role::can_administer).await?;
    let ctx = crate::server::context::server_context()?;
    let refused = || {
        AppError::Invalid(
            "« Administrateur de secours » : choisissez un administrateur actif qui a un mot de passe.".into(),
        )
    };
    let member = ctx
        .store
        .account_by_id(compte)
        .await?
        .filter(|m| crate::domain::sign_in::may_be_break_glass(m.role, m.disabled, !m.password_hash.is_empty()))
        .ok_or_else(refused)?;
    let detail = format!("administrateur de secours : {} ({})", member.name, member.email);
    let entry = session::change_entry(AuthEvent::PasswordPolicy, &member.email, &admin.name, detail).await;
    // The store checks it again in its transaction (an account disabled meanwhile).
    if !ctx.store.name_break_glass(compte, &entry).await? {
        return Err(refused());
    }
    leptos_axum::redirect("/equipe/comptes?enregistre=secours#mots-de-passe");
    Ok(())
}
