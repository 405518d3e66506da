//! Passwords (Argon2id, off the async threads), session cookies, and the check every team endpoint and axum
//! handler makes: the signed-in account and whether its role allows the action.

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::http::{header, HeaderMap, HeaderValue};
use leptos::prelude::*;

use super::context::{now, server_context, ServerContext, Site};
use super::tokens::{is_well_formed, new_token, token_hash};
use crate::domain::auth::Role;
use crate::error::AppError;
use crate::store::accounts::Account;
use crate::store::AccountStore;

/// The session cookie's name over plain HTTP (a laptop).
pub const COOKIE: &str = "iaf_session";
/// Its name over HTTPS: the `__Host-` prefix makes browsers accept it only `Secure`, for `Path=/` and without a
/// `Domain`, so neither another host of the domain nor a plain HTTP page can set it.
pub const HOST_COOKIE: &str = "__Host-iaf_session";
/// A session lasts 12 hours.
pub const SESSION_SECONDS: i64 = 12 * 3_600;

/// An Argon2id hash (PHC string) of `password`. Slow on purpose: call it through `spawn_blocking`.
pub fn hash_password(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| e.to_string())
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

/// A hash to verify against when the email is unknown, so both cases take the same time.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("mot de passe leurre pour le temps constant").unwrap_or_default())
}

/// The session cookie's name on `site`: `__Host-iaf_session` over HTTPS, `iaf_session` over plain HTTP. Only
/// that name is read back, so over HTTPS a cookie without the prefix (which a plain HTTP page could set) opens
/// nothing.
pub fn cookie_name(site: &Site) -> &'static str {
    if site.is_https() {
        HOST_COOKIE
    } else {
        COOKIE
    }
}

/// The session token in a request's cookies on `site`, if any (well-formed).
pub fn token_from_headers(headers: &HeaderMap, site: &Site) -> Option<String> {
    let wanted = cookie_name(site);
    headers.get_all(header::COOKIE).iter().find_map(|value| {
        value.to_str().ok()?.split(';').find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == wanted && is_well_formed(value)).then(|| value.to_string())
        })
    })
}

/// The session token sent by the browser, if any.
pub fn cookie_token() -> Option<String> {
    let parts = use_context::<axum::http::request::Parts>()?;
    let ctx = use_context::<ServerContext>()?;
    token_from_headers(&parts.headers, &ctx.site)
}

/// The account behind the session of a request's cookies: for server functions and axum handlers alike.
pub async fn account_from_headers<S: AccountStore + ?Sized>(
    store: &S,
    site: &Site,
    headers: &HeaderMap,
) -> Result<Option<Account>, AppError> {
    let Some(hash) = token_from_headers(headers, site).as_deref().and_then(token_hash) else {
        return Ok(None);
    };
    Ok(store
        .session_account(&hash, now(), crate::store::accounts::SessionUse::Request)
        .await?)
}

/// The `Set-Cookie` value of the session on `site`: `HttpOnly`, `SameSite=Lax`, `Path=/`, never a `Domain`;
/// over HTTPS `Secure` and the `__Host-` name.
pub fn session_cookie(site: &Site, value: &str, max_age: i64) -> String {
    let secure = if site.is_https() { "; Secure" } else { "" };
    format!(
        "{}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}",
        cookie_name(site)
    )
}

pub fn set_cookie(value: &str, max_age: i64) {
    let Some(ctx) = use_context::<ServerContext>() else {
        tracing::error!("ServerContext missing: no session cookie set");
        return;
    };
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(header_value) = HeaderValue::from_str(&session_cookie(&ctx.site, value, max_age)) {
            response.append_header(header::SET_COOKIE, header_value);
        }
    }
}

/// Opens a new session (a new id at every sign-in) and sets its cookie.
pub async fn open_session(account: &Account) -> Result<(), AppError> {
    let ctx = server_context()?;
    let token = new_token();
    let at = now();
    let user_agent = use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.headers.get(header::USER_AGENT)?.to_str().ok().map(str::to_string))
        .unwrap_or_default();
    let session = crate::store::accounts::NewSession {
        token_hash: token_hash(&token).ok_or(AppError::Unavailable)?,
        account_id: account.id,
        now: at,
        expires_at: at + SESSION_SECONDS,
        address: super::context::request_client_address().await,
        user_agent,
    };
    ctx.store.create_session(&session).await?;
    set_cookie(&token, SESSION_SECONDS);
    Ok(())
}

/// Ends the session of the request's cookie, if any; the ID token it was opened with when ProConnect opened it
/// (its logout there needs it).
pub async fn close_session() -> Result<Option<String>, AppError> {
    let mut id_token = None;
    if let Some(hash) = cookie_token().as_deref().and_then(token_hash) {
        id_token = server_context()?.store.end_session_for_logout(&hash).await?;
    }
    set_cookie("", 0);
    Ok(id_token)
}

/// The signed-in account, if the session is live and the account enabled.
pub async fn current_account() -> Result<Option<Account>, AppError> {
    let Some(parts) = use_context::<axum::http::request::Parts>() else {
        return Ok(None);
    };
    let ctx = server_context()?;
    account_from_headers(ctx.store.as_ref(), &ctx.site, &parts.headers).await
}

/// Whether `account` (or nobody) may do what `allowed` says: 401 without a session, 403 for another role.
pub fn check_role(account: Option<Account>, allowed: fn(Role) -> bool) -> Result<Account, AppError> {
    match account {
        None => Err(AppError::Unauthorized),
        Some(account) if !allowed(account.role) => Err(AppError::Forbidden),
        Some(account) => Ok(account),
    }
}

/// The signed-in account if its role passes `allowed`; 401 or 403 otherwise.
pub async fn require(allowed: fn(Role) -> bool) -> Result<Account, AppError> {
    check_role(current_account().await?, allowed)
}

/// Whether the request is a form posted without JavaScript (the browser asks for a page): such a post is
/// answered by a redirect to the form's page.
pub fn posted_without_javascript() -> bool {
    use_context::<axum::http::request::Parts>()
        .and_then(|parts| {
            parts
                .headers
                .get(header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .map(|accept| accept.contains("text/html"))
        })
        .unwrap_or(false)
}

/// The Prometheus counter of failed sign-ins (wrong address or password, disabled account).
pub const SIGN_IN_FAILURES_METRIC: &str = "iaf_echecs_connexion_total";

/// The enabled account whose email and password these are, under the sign-in limits
/// (`domain::sign_in`): the attempt is counted for the client's address and the account before anything else
/// (so parallel attempts cannot all pass the check), an address that failed too often is refused, an account
/// that failed often waits before its password is checked, and Argon2 runs only with one of the permits.
pub async fn sign_in(email: &str, password: String) -> Result<Account, AppError> {
    use crate::domain::accounts::AuthEvent;
    use crate::domain::sign_in::{account_key, address_key, throttle, Throttle, FAILURE_WINDOW_SECONDS};
    use crate::store::accounts::AuthEntry;
    let ctx = server_context()?;
    let client = super::context::request_client_address().await;
    let address = address_key(&client);
    let account = account_key(email);
    let log = |kind: AuthEvent| AuthEntry {
        kind,
        email: email.to_string(),
        actor: email.to_string(),
        address: client.clone(),
        at: now(),
        detail: String::new(),
    };
    let address_count = ctx.store.count_attempt(&address, now(), FAILURE_WINDOW_SECONDS).await?;
    if throttle(address_count - 1, 0) == Throttle::Refuse {
        ctx.store.log_auth_event(&log(AuthEvent::SignInLimited)).await?;
        return Err(AppError::TooManyAttempts);
    }
    let account_count = ctx.store.count_attempt(&account, now(), FAILURE_WINDOW_SECONDS).await?;
    if let Throttle::Wait(seconds) = throttle(address_count - 1, account_count - 1) {
        tokio::time::sleep(std::time::Duration::from_secs(seconds)).await;
    }
    let Ok(permit) = hashing_permit().await else {
        // Not checked: it was no failure.
        ctx.store.forget_attempt(&address).await?;
        ctx.store.forget_attempt(&account).await?;
        return Err(AppError::SignInBusy);
    };
    let found = ctx.store.account_by_email(email).await?;
    let hash = found
        .as_ref()
        .map(|a| a.password_hash.clone())
        .unwrap_or_else(|| decoy_hash().to_string());
    let matches = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        verify_password(&password, &hash)
    })
    .await
    .unwrap_or(false);
    match found {
        Some(found) if matches && !found.disabled => {
            // The right password of a role whose passwords an administrator turned off: ProConnect only.
            let policy = ctx.store.password_policy().await?;
            let allowed = crate::domain::sign_in::password_allowed(
                found.role,
                &policy.off_roles(),
                policy.is_break_glass(found.id),
            );
            if let Err(refusal) = allowed {
                ctx.store.forget_attempt(&address).await?;
                ctx.store.forget_attempt(&account).await?;
                ctx.store
                    .log_auth_event(&AuthEntry {
                        detail: "mot de passe désactivé pour ce rôle".into(),
                        ..log(AuthEvent::SignInFailed)
                    })
                    .await?;
                return Err(AppError::Invalid(refusal));
            }
            ctx.store.clear_attempts(&account).await?;
            ctx.store.forget_attempt(&address).await?;
            ctx.store.record_sign_in(found.id, now()).await?;
            ctx.store.log_auth_event(&log(AuthEvent::SignedIn)).await?;
            Ok(found)
        }
        _ => {
            metrics::counter!(SIGN_IN_FAILURES_METRIC).increment(1);
            ctx.store.log_auth_event(&log(AuthEvent::SignInFailed)).await?;
            Err(AppError::Invalid(
                "Adresse électronique ou mot de passe incorrect.".into(),
            ))
        }
    }
}

/// Counts an attempt of a client address under `key` (`domain::sign_in` makes the keys) and refuses it (429)
/// once the address has tried too often in the window, as sign-in does.
pub async fn count_address_attempt(key: &str) -> Result<(), AppError> {
    use crate::domain::sign_in::{throttle, Throttle, FAILURE_WINDOW_SECONDS};
    let attempts = server_context()?
        .store
        .count_attempt(key, now(), FAILURE_WINDOW_SECONDS)
        .await?;
    if throttle(attempts - 1, 0) == Throttle::Refuse {
        return Err(AppError::TooManyAttempts);
    }
    Ok(())
}

/// One of the permits to run Argon2 (`ServerContext::hashing`), waited for at most 5 seconds.
async fn hashing_permit() -> Result<tokio::sync::OwnedSemaphorePermit, AppError> {
    let ctx = server_context()?;
    match tokio::time::timeout(std::time::Duration::from_secs(5), ctx.hashing.clone().acquire_owned()).await {
        Ok(Ok(permit)) => Ok(permit),
        _ => Err(AppError::SignInBusy),
    }
}

/// The hash of a new password typed twice, once it passes the password rule (in French otherwise).
pub async fn new_password_hash(password: &str, confirmation: &str) -> Result<String, AppError> {
    if let Some(problem) = crate::domain::auth::password_problem(password) {
        return Err(AppError::Invalid(format!("« Nouveau mot de passe » : {problem}")));
    }
    if password != confirmation {
        return Err(AppError::Invalid(
            "« Confirmation » : les deux mots de passe saisis sont différents.".into(),
        ));
    }
    let permit = hashing_permit().await?;
    let password = password.to_string();
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        hash_password(&password)
    })
    .await
    .map_err(|_| AppError::Unavailable)?
    .map_err(|_| AppError::Unavailable)
}

/// Whether `given` is the account's current password ("« Mot de passe actuel » est incorrect" otherwise).
pub async fn check_current_password(account: &Account, given: String) -> Result<(), AppError> {
    let permit = hashing_permit().await?;
    let hash = account.password_hash.clone();
    let matches = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        verify_password(&given, &hash)
    })
    .await
    .unwrap_or(false);
    if matches {
        Ok(())
    } else {
        Err(AppError::Invalid(
            "« Mot de passe actuel » : ce n'est pas votre mot de passe actuel.".into(),
        ))
    }
}

/// The line of the authentication log of a change `actor` makes now, from the request's address.
pub async fn change_entry(
    kind: crate::domain::accounts::AuthEvent,
    email: &str,
    actor: &str,
    detail: String,
) -> crate::store::accounts::AuthEntry {
    crate::store::accounts::AuthEntry {
        kind,
        email: email.to_string(),
        actor: actor.to_string(),
        address: super::context::request_client_address().await,
        at: now(),
        detail,
    }
}
