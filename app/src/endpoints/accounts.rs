//! Team administration endpoints: administrators list, invite, re-invite, change the role of, disable and
//! re-enable members, and read the authentication log and the emails sent; every member chooses a password
//! from a one-time link (invitation, forgotten password), changes it, and sees and ends their sessions.
//! Nothing tells whether an address has an account.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::accounts::TokenPurpose;
#[cfg(feature = "ssr")]
use crate::domain::auth::Role;
use crate::error::AppError;
use crate::model::accounts::{AuthLine, EmailLine, LinkView, MemberLine, SessionView};
#[cfg(feature = "ssr")]
use crate::server::context::{now, request_client_address, server_context};
#[cfg(feature = "ssr")]
use crate::server::session;

/// The purpose of a link as its page names it (`invitation`, `reinitialisation`).
#[cfg(feature = "ssr")]
fn purpose_of(code: &str) -> Result<TokenPurpose, AppError> {
    [TokenPurpose::Invitation, TokenPurpose::Reset]
        .into_iter()
        .find(|purpose| purpose.code() == code)
        .ok_or_else(link_not_found)
}

#[cfg(feature = "ssr")]
fn link_not_found() -> AppError {
    AppError::NotFound(
        "Ce lien n'est plus valable : il a déjà servi, il a expiré ou il est incomplet. Demandez-en un nouveau.".into(),
    )
}

#[cfg(feature = "ssr")]
fn link_hash(token: &str) -> Result<String, AppError> {
    crate::server::tokens::token_hash(token).ok_or_else(link_not_found)
}

/// The member `compte` for an administrator who is not that member (nobody disables or demotes themselves).
#[cfg(feature = "ssr")]
async fn other_member(
    compte: i64,
) -> Result<(crate::store::accounts::Account, crate::store::accounts::Account), AppError> {
    let admin = session::require(Role::can_administer).await?;
    crate::domain::accounts::check_not_self(admin.id, compte).map_err(AppError::Invalid)?;
    let member = server_context()?
        .store
        .account_by_id(compte)
        .await?
        .ok_or_else(|| AppError::NotFound("Ce compte n'existe pas.".into()))?;
    Ok((admin, member))
}

#[cfg(feature = "ssr")]
async fn log(kind: crate::domain::accounts::AuthEvent, email: &str, actor: &str) -> Result<(), AppError> {
    let entry = session::change_entry(kind, email, actor, String::new()).await;
    Ok(server_context()?.store.log_auth_event(&entry).await?)
}

/// Every member of the team (administrators).
#[server(endpoint = "equipe/comptes")]
pub async fn comptes() -> Result<Vec<MemberLine>, AppError> {
    use crate::domain::accounts::AccountState;
    let admin = session::require(Role::can_administer).await?;
    let ctx = server_context()?;
    let lines = ctx.store.accounts().await?;
    let mut members: Vec<MemberLine> = lines
        .into_iter()
        .map(|line| MemberLine {
            regions: Vec::new(),
            is_me: line.account.id == admin.id,
            id: line.account.id,
            state: AccountState::of(line.account.disabled, line.accepted),
            name: line.account.name,
            email: line.account.email,
            role: line.account.role,
            last_sign_in_at: line.last_sign_in_at,
        })
        .collect();
    for member in &mut members {
        if member.role == Role::DirectionRegionale {
            member.regions = ctx.store.account_regions(member.id).await?;
        }
    }
    Ok(members)
}

/// Sends the invitation of `email` (a new account without a password, or the renewed link of a member who
/// never chose one).
#[cfg(feature = "ssr")]
async fn send_invitation(email: &str, name: &str, role: Role, inviter: &str) -> Result<bool, AppError> {
    use crate::domain::accounts::INVITATION_HOURS;
    use crate::store::accounts::{Invitation, InviteOutcome};
    let token = crate::server::tokens::new_token();
    let at = now();
    let link = format!("{}/equipe/invitation/{token}", crate::server::context::link_origin());
    let invitation = Invitation {
        email: email.to_string(),
        name: name.to_string(),
        role,
        token_hash: link_hash(&token)?,
        expires_at: at + TokenPurpose::Invitation.lifetime_seconds(),
        message: crate::domain::email::invitation(email, name, inviter, role.label(), &link, INVITATION_HOURS),
        actor: inviter.to_string(),
        address: request_client_address().await,
        now: at,
    };
    Ok(server_context()?.store.invite(&invitation).await? == InviteOutcome::Sent)
}

/// Invites a new member by email (administrators): a one-time link valid 72 hours.
#[server(endpoint = "equipe/comptes/inviter")]
pub async fn inviter_membre(email: String, nom: String, role: String) -> Result<(), AppError> {
    let admin = session::require(Role::can_administer).await?;
    let (email, name) = crate::domain::accounts::check_invitation(&email, &nom).map_err(AppError::Invalid)?;
    let role =
        Role::from_code(&role).ok_or_else(|| AppError::Invalid("« Rôle » : choisissez un rôle de la liste.".into()))?;
    if !send_invitation(&email, &name, role, &admin.name).await? {
        return Err(AppError::Invalid(format!(
            "{email} a déjà un compte actif : changez son rôle dans la liste ci-dessous."
        )));
    }
    leptos_axum::redirect("/equipe/comptes?enregistre=invitation");
    Ok(())
}

/// Sends a new invitation link to a member who never chose a password (administrators).
#[server(endpoint = "equipe/comptes/renvoyer")]
pub async fn renvoyer_invitation(compte: i64) -> Result<(), AppError> {
    let admin = session::require(Role::can_administer).await?;
    let member = server_context()?
        .store
        .account_by_id(compte)
        .await?
        .ok_or_else(|| AppError::NotFound("Ce compte n'existe pas.".into()))?;
    if !send_invitation(&member.email, &member.name, member.role, &admin.name).await? {
        return Err(AppError::Invalid(format!(
            "{} a déjà choisi son mot de passe.",
            member.email
        )));
    }
    leptos_axum::redirect("/equipe/comptes?enregistre=renvoi");
    Ok(())
}

/// Changes a member's role (administrators, not their own).
#[server(endpoint = "equipe/comptes/role")]
pub async fn changer_role(compte: i64, role: String) -> Result<(), AppError> {
    use crate::domain::accounts::AuthEvent;
    let role =
        Role::from_code(&role).ok_or_else(|| AppError::Invalid("« Rôle » : choisissez un rôle de la liste.".into()))?;
    let (admin, member) = other_member(compte).await?;
    let detail = format!("{} → {}", member.role.label(), role.label());
    let entry = session::change_entry(AuthEvent::RoleChanged, &member.email, &admin.name, detail).await;
    server_context()?.store.set_role(member.id, role, &entry).await?;
    leptos_axum::redirect("/equipe/comptes?enregistre=role");
    Ok(())
}

/// Disables a member (every session ends at once) or enables them again (administrators, not themselves).
#[server(endpoint = "equipe/comptes/etat")]
pub async fn changer_etat(compte: i64, actif: bool) -> Result<(), AppError> {
    use crate::domain::accounts::AuthEvent;
    let (admin, member) = other_member(compte).await?;
    server_context()?.store.set_account_disabled(member.id, !actif).await?;
    let kind = if actif { AuthEvent::Enabled } else { AuthEvent::Disabled };
    log(kind, &member.email, &admin.name).await?;
    leptos_axum::redirect(if actif {
        "/equipe/comptes?enregistre=reactive"
    } else {
        "/equipe/comptes?enregistre=desactive"
    });
    Ok(())
}

/// Whom a valid one-time link opens (`usage`: `invitation` or `reinitialisation`).
#[server(endpoint = "equipe/lien")]
pub async fn lien_compte(jeton: String, usage: String) -> Result<LinkView, AppError> {
    let purpose = purpose_of(&usage)?;
    let account = server_context()?
        .store
        .token_account(&link_hash(&jeton)?, purpose, now())
        .await?
        .ok_or_else(link_not_found)?;
    Ok(LinkView {
        name: account.name,
        email: account.email,
        purpose,
    })
}

/// Chooses the password of the account a one-time link opens, then signs the member in.
#[server(endpoint = "equipe/lien/mot-de-passe")]
pub async fn choisir_mot_de_passe(
    jeton: String,
    usage: String,
    nouveau: String,
    confirmation: String,
) -> Result<(), AppError> {
    let purpose = purpose_of(&usage)?;
    let hash = link_hash(&jeton)?;
    let ctx = server_context()?;
    let client = request_client_address().await;
    // Limited like sign-in: each attempt counts, an address that tried too many links is refused, and the link
    // is checked before Argon2 runs, so that made-up links cannot take the hashing permits.
    let key = crate::domain::sign_in::link_address_key(&client);
    session::count_address_attempt(&key).await?;
    if ctx.store.token_account(&hash, purpose, now()).await?.is_none() {
        return Err(link_not_found());
    }
    ctx.store.forget_attempt(&key).await?;
    let password_hash = session::new_password_hash(&nouveau, &confirmation).await?;
    let account = ctx
        .store
        .redeem_token(&hash, purpose, &password_hash, &client, now())
        .await?
        .ok_or_else(link_not_found)?;
    session::open_session(&account).await?;
    leptos_axum::redirect("/equipe?enregistre=mot-de-passe");
    Ok(())
}

/// "Mot de passe oublié": sends a one-time link valid one hour to the address if it has an enabled account
/// with a password (the last link sent is the only one that works) — or, when its role signs in with ProConnect
/// only, an email saying so, without a link; the answer is the same either way.
#[server(endpoint = "equipe/mot-de-passe-oublie")]
pub async fn mot_de_passe_oublie(email: String) -> Result<(), AppError> {
    use crate::domain::accounts::RESET_MINUTES;
    let email = email.trim().to_lowercase();
    if !crate::domain::intake::is_email(&email) {
        return Err(AppError::Invalid(
            "« Adresse électronique » : saisissez une adresse valide, par exemple prenom.nom@exemple.fr.".into(),
        ));
    }
    use crate::domain::sign_in::{reset_keys, FAILURE_WINDOW_SECONDS, MAX_RESETS_PER_ACCOUNT};
    let ctx = server_context()?;
    // Limited per address (refused, like sign-in) and per account (beyond a few, the same answer, no email).
    let (by_address, by_account) = reset_keys(&request_client_address().await, &email);
    session::count_address_attempt(&by_address).await?;
    let for_account = ctx
        .store
        .count_attempt(&by_account, now(), FAILURE_WINDOW_SECONDS)
        .await?;
    if let Some(account) = ctx.store.account_by_email(&email).await? {
        let policy = ctx.store.password_policy().await?;
        let allowed = crate::domain::sign_in::password_allowed(
            account.role,
            &policy.off_roles(),
            policy.is_break_glass(account.id),
        );
        let may_reset = !account.disabled && !account.password_hash.is_empty() && for_account <= MAX_RESETS_PER_ACCOUNT;
        if let (true, Err(refusal)) = (may_reset, &allowed) {
            // ProConnect only for this role: a link to set a password would not open the space.
            let sign_in = format!("{}{}", crate::server::context::link_origin(), crate::routes::SIGN_IN);
            let message =
                crate::domain::email::password_reset_proconnect_only(&account.email, &account.name, refusal, &sign_in);
            let entry = session::change_entry(
                crate::domain::accounts::AuthEvent::ResetRequested,
                &account.email,
                &account.email,
                "connexion par ProConnect seulement pour ce rôle : aucun lien envoyé".into(),
            )
            .await;
            ctx.store.tell_proconnect_only(&message, &entry).await?;
        } else if may_reset {
            let token = crate::server::tokens::new_token();
            let at = now();
            let link = format!(
                "{}/equipe/reinitialisation/{token}",
                crate::server::context::link_origin()
            );
            let message = crate::domain::email::password_reset(&account.email, &account.name, &link, RESET_MINUTES);
            ctx.store
                .request_reset(
                    account.id,
                    &link_hash(&token)?,
                    at + TokenPurpose::Reset.lifetime_seconds(),
                    &message,
                    &request_client_address().await,
                    at,
                )
                .await?;
        }
    }
    leptos_axum::redirect("/equipe/mot-de-passe-oublie?envoye=1");
    Ok(())
}

/// Changes the signed-in member's password (the current one asked); their other sessions end.
#[server(endpoint = "equipe/mot-de-passe")]
pub async fn changer_mot_de_passe(actuel: String, nouveau: String, confirmation: String) -> Result<(), AppError> {
    let account = session::require(Role::can_read).await?;
    session::check_current_password(&account, actuel).await?;
    let password_hash = session::new_password_hash(&nouveau, &confirmation).await?;
    let kept = session::cookie_token()
        .as_deref()
        .and_then(crate::server::tokens::token_hash)
        .unwrap_or_default();
    server_context()?
        .store
        .change_password(
            account.id,
            &password_hash,
            &kept,
            &request_client_address().await,
            now(),
        )
        .await?;
    leptos_axum::redirect("/equipe/mot-de-passe?enregistre=1");
    Ok(())
}

/// The most recent lines of the authentication log (administrators).
#[server(endpoint = "equipe/journal-connexions")]
pub async fn journal_connexions() -> Result<Vec<AuthLine>, AppError> {
    session::require(Role::can_administer).await?;
    let entries = server_context()?.store.auth_log(500).await?;
    Ok(entries
        .into_iter()
        .map(|entry| AuthLine {
            what: entry.kind.label().to_string(),
            email: entry.email,
            actor: entry.actor,
            address: entry.address,
            at: entry.at,
            detail: entry.detail,
        })
        .collect())
}

/// The most recent emails of the outbox, sent or waiting (administrators).
#[server(endpoint = "equipe/courriels")]
pub async fn courriels() -> Result<Vec<EmailLine>, AppError> {
    session::require(Role::can_administer).await?;
    let messages = server_context()?.store.recent_messages(200).await?;
    Ok(messages
        .into_iter()
        .map(|message| EmailLine {
            message_id: message.message_id,
            recipient: message.recipient,
            subject: message.subject,
            text: message.text_body,
            created_at: message.created_at,
            sent_at: message.sent_at,
            attempts: message.attempts,
            last_error: message.last_error,
            delivery: message.delivery,
        })
        .collect())
}

/// The signed-in member's live sessions, the current one marked.
#[server(endpoint = "equipe/sessions")]
pub async fn mes_sessions() -> Result<Vec<SessionView>, AppError> {
    let account = session::require(Role::can_read).await?;
    let current = session::cookie_token()
        .as_deref()
        .and_then(crate::server::tokens::token_hash)
        .unwrap_or_default();
    let sessions = server_context()?.store.account_sessions(account.id, now()).await?;
    Ok(sessions
        .into_iter()
        .map(|line| SessionView {
            current: line.token_hash == current,
            opened_at: line.created_at,
            last_seen_at: line.last_seen_at,
            address: line.address,
            browser: line.user_agent,
        })
        .collect())
}

/// "Se déconnecter partout": ends every session of the signed-in member, this one included.
#[server(endpoint = "equipe/sessions/fermer")]
pub async fn deconnecter_partout() -> Result<(), AppError> {
    let account = session::require(Role::can_read).await?;
    server_context()?.store.end_sessions(account.id).await?;
    session::set_cookie("", 0);
    leptos_axum::redirect("/equipe/connexion?deconnecte=1");
    Ok(())
}

/// Attaches a direction régionale's account to its régions (administrators): the names typed, separated by
/// commas, checked against the official list.
#[server(endpoint = "equipe/comptes/regions")]
pub async fn regions_compte(compte: i64, regions: String) -> Result<(), AppError> {
    let admin = session::require(Role::can_administer).await?;
    let ctx = server_context()?;
    let member = ctx
        .store
        .account_by_id(compte)
        .await?
        .ok_or_else(|| AppError::NotFound("Ce compte n'existe pas.".into()))?;
    if member.role != Role::DirectionRegionale {
        return Err(AppError::Invalid(
            "Seul le compte d'une direction régionale est rattaché à des régions.".into(),
        ));
    }
    let regions =
        crate::domain::access::parse_regions(&regions, &ctx.directory.regions()).map_err(AppError::Invalid)?;
    let detail = match regions.is_empty() {
        true => "aucune région".to_string(),
        false => regions.join(", "),
    };
    let entry = session::change_entry(
        crate::domain::accounts::AuthEvent::RegionsChanged,
        &member.email,
        &admin.name,
        detail,
    )
    .await;
    ctx.store.set_account_regions(member.id, &regions, &entry).await?;
    leptos_axum::redirect("/equipe/comptes?enregistre=regions");
    Ok(())
}
