//! The programme team's endpoints: sign-in and sign-out with server-side sessions, the current account, and
//! the cases of the pipeline. Every endpoint checks the session and the role on the server.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// The signed-in account as pages see it (never the password hash).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub name: String,
    pub email: String,
    pub role_code: String,
}

/// A case in the back-office list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSummaryView {
    pub reference: String,
    pub title: String,
    pub collectivite_name: String,
    pub region: String,
    pub domain: String,
    pub stage_code: String,
    pub agents: i64,
    pub hours_saved_per_year: i64,
    pub portage_missing: bool,
    pub stage_entered_at: i64,
}

#[cfg(feature = "ssr")]
pub mod session {
    //! Passwords (Argon2id, off the async threads), session cookies and the checks every team endpoint makes.

    use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
    use argon2::Argon2;
    use axum::http::{header, HeaderValue, StatusCode};
    use leptos::prelude::*;
    use sha2::{Digest, Sha256};

    use crate::api::context::{new_token, now, public_origin, server_context};
    use crate::domain::auth::Role;
    use crate::error::AppError;
    use crate::store::Account;

    pub const COOKIE: &str = "iaf_session";
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

    pub fn session_hash(token: &str) -> String {
        hex::encode(Sha256::digest(token.as_bytes()))
    }

    /// The session token sent by the browser, if any.
    pub fn cookie_token() -> Option<String> {
        let parts = use_context::<axum::http::request::Parts>()?;
        token_from_headers(&parts.headers)
    }

    /// The session token in a request's cookies, if any (well-formed).
    pub fn token_from_headers(headers: &axum::http::HeaderMap) -> Option<String> {
        headers.get_all(header::COOKIE).iter().find_map(|value| {
            value.to_str().ok()?.split(';').find_map(|pair| {
                let (name, value) = pair.trim().split_once('=')?;
                (name == COOKIE && value.len() == 64 && value.chars().all(|c| c.is_ascii_hexdigit()))
                    .then(|| value.to_string())
            })
        })
    }

    fn secure_attribute() -> &'static str {
        if public_origin().starts_with("https://") {
            "; Secure"
        } else {
            ""
        }
    }

    pub fn set_cookie(value: &str, max_age: i64) {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            let cookie = format!(
                "{COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{}",
                secure_attribute()
            );
            if let Ok(header_value) = HeaderValue::from_str(&cookie) {
                response.append_header(header::SET_COOKIE, header_value);
            }
        }
    }

    /// Opens a new session (a new id at every sign-in) and sets its cookie.
    pub async fn open_session(account: &Account) -> Result<(), AppError> {
        let ctx = server_context()?;
        let token = new_token();
        let at = now();
        ctx.store
            .create_session(&session_hash(&token), account.id, at, at + SESSION_SECONDS)
            .await?;
        set_cookie(&token, SESSION_SECONDS);
        Ok(())
    }

    /// The signed-in account, if the session is live and the account enabled.
    pub async fn current_account() -> Result<Option<Account>, AppError> {
        let Some(token) = cookie_token() else {
            return Ok(None);
        };
        let ctx = server_context()?;
        Ok(ctx.store.session_account(&session_hash(&token), now()).await?)
    }

    /// Whether the request is a form posted without JavaScript (the browser asks for a page): such a post is
    /// answered by a redirect to the form's page, so no error status may replace it.
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

    /// Sets the status of an error answer, except for forms posted without JavaScript (see above).
    pub fn set_error_status(status: StatusCode) {
        if posted_without_javascript() {
            return;
        }
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(status);
        }
    }

    /// Gives a failed answer the HTTP status its error means (404, 422, 409…), for callers with JavaScript.
    pub fn with_status<T>(result: Result<T, AppError>) -> Result<T, AppError> {
        if let Err(error) = &result {
            let status = StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            set_error_status(status);
        }
        result
    }

    fn refuse(status: StatusCode, error: AppError) -> AppError {
        set_error_status(status);
        error
    }

    /// The signed-in account if its role passes `allowed`; 401 or 403 otherwise.
    pub async fn require(allowed: fn(Role) -> bool) -> Result<Account, AppError> {
        match current_account().await? {
            None => Err(refuse(StatusCode::UNAUTHORIZED, AppError::Unauthorized)),
            Some(account) if !allowed(account.role) => Err(refuse(StatusCode::FORBIDDEN, AppError::Forbidden)),
            Some(account) => Ok(account),
        }
    }

    /// The client's address for rate limiting.
    pub async fn client_ip() -> String {
        leptos_axum::extract::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .await
            .map(|info| info.0.ip().to_string())
            .unwrap_or_else(|_| "inconnue".into())
    }
}

/// Signs a team member in and leads to the team's home.
#[server(endpoint = "equipe/connexion")]
pub async fn se_connecter(email: String, mot_de_passe: String) -> Result<(), AppError> {
    use crate::api::context::{now, server_context};
    use session::*;
    let ctx = server_context()?;
    let email = email.trim().to_lowercase();
    let password: String = mot_de_passe
        .chars()
        .take(crate::domain::auth::MAX_PASSWORD_CHARS + 1)
        .collect();
    let ip_key = format!("ip:{}", client_ip().await);
    let account_key = format!("compte:{email}");
    let keys = [ip_key.as_str(), account_key.as_str()];
    let allowed = ctx
        .limiter
        .lock()
        .map(|mut limiter| limiter.allows(&keys, now()))
        .unwrap_or(false);
    if !allowed {
        set_error_status(axum::http::StatusCode::TOO_MANY_REQUESTS);
        return Err(AppError::TooManyAttempts);
    }
    let account = ctx.store.account_by_email(&email).await?;
    let hash = account
        .as_ref()
        .map(|a| a.password_hash.clone())
        .unwrap_or_else(|| decoy_hash().to_string());
    let matches = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .unwrap_or(false);
    match account {
        Some(account) if matches && !account.disabled => {
            if let Ok(mut limiter) = ctx.limiter.lock() {
                limiter.clear(&account_key);
            }
            open_session(&account).await?;
            leptos_axum::redirect("/equipe");
            Ok(())
        }
        _ => {
            if let Ok(mut limiter) = ctx.limiter.lock() {
                limiter.record_failure(&keys, now());
            }
            Err(AppError::Invalid(
                "Adresse électronique ou mot de passe incorrect.".into(),
            ))
        }
    }
}

/// Ends the session on the server and in the browser.
#[server(endpoint = "equipe/deconnexion")]
pub async fn se_deconnecter() -> Result<(), AppError> {
    use crate::api::context::server_context;
    use session::*;
    if let Some(token) = cookie_token() {
        server_context()?.store.delete_session(&session_hash(&token)).await?;
    }
    set_cookie("", 0);
    leptos_axum::redirect("/equipe/connexion?deconnecte=1");
    Ok(())
}

/// The signed-in account, or none.
#[server(endpoint = "equipe/compte")]
pub async fn compte_courant() -> Result<Option<AccountView>, AppError> {
    Ok(session::current_account().await?.map(|account| AccountView {
        name: account.name,
        email: account.email,
        role_code: account.role.code().to_string(),
    }))
}

/// Every case of the pipeline, for any signed-in role.
#[server(endpoint = "equipe/cas")]
pub async fn cas_du_programme() -> Result<Vec<CaseSummaryView>, AppError> {
    session::require(crate::domain::auth::Role::can_read).await?;
    let ctx = crate::api::context::server_context()?;
    Ok(ctx
        .store
        .case_summaries()
        .await?
        .into_iter()
        .map(summary_view)
        .collect())
}

/// A relève period as the team sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodView {
    pub name: String,
    pub starts_at: i64,
    /// Exclusive end (midnight after the last day).
    pub ends_at: i64,
    /// "ouverte", "à venir" or "terminée".
    pub status: String,
    /// Cases filed before it starts and after the previous one started: the cases it examines.
    pub cases: i64,
}

/// The relève periods and whether the signed-in account may create one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodsPage {
    pub periods: Vec<PeriodView>,
    pub can_create: bool,
}

#[server(endpoint = "equipe/periodes")]
pub async fn periodes_de_releve() -> Result<PeriodsPage, AppError> {
    use crate::api::context::{now, server_context};
    use crate::domain::qualification::period_for_case;
    let account = session::require(crate::domain::auth::Role::can_read).await?;
    let ctx = server_context()?;
    let periods = ctx.store.periods().await?;
    let cases = ctx.store.case_filing_times().await?;
    let at = now();
    Ok(PeriodsPage {
        can_create: account.role.can_administer(),
        periods: periods
            .iter()
            .map(|period| PeriodView {
                name: period.name.clone(),
                starts_at: period.starts_at,
                ends_at: period.ends_at,
                status: if at < period.starts_at {
                    "à venir"
                } else if at < period.ends_at {
                    "ouverte"
                } else {
                    "terminée"
                }
                .to_string(),
                cases: cases
                    .iter()
                    .filter(|filed_at| period_for_case(**filed_at, &periods).is_some_and(|p| p.id == period.id))
                    .count() as i64,
            })
            .collect(),
    })
}

/// Creates a relève period (administrators only): dates typed `AAAA-MM-JJ`, the end day included.
#[server(endpoint = "equipe/periodes/creer")]
pub async fn creer_periode(nom: String, debut: String, fin: String) -> Result<(), AppError> {
    use crate::api::context::{now, server_context};
    use crate::domain::qualification::{check_new_period, period_bounds};
    session::require(crate::domain::auth::Role::can_administer).await?;
    let ctx = server_context()?;
    let (starts_at, ends_at) = period_bounds(&debut, &fin).map_err(|e| AppError::Invalid(e.0))?;
    let name: String = nom.trim().chars().take(200).collect();
    let existing = ctx.store.periods().await?;
    let warnings = check_new_period(&name, starts_at, ends_at, &existing).map_err(|e| AppError::Invalid(e.0))?;
    ctx.store.create_period(&name, starts_at, ends_at, now()).await?;
    let suffix = if warnings.is_empty() {
        ""
    } else {
        "&avertissement=duree"
    };
    leptos_axum::redirect(&format!("/equipe/periodes?creee=1{suffix}"));
    Ok(())
}

/// One line of a case's history, in French.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventView {
    pub at: i64,
    pub actor: String,
    pub what: String,
    pub detail: String,
}

/// One criterion of the qualification grid: the team's score beside the score the intake suggests.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridLineView {
    pub code: String,
    pub label: String,
    pub score: Option<i32>,
    pub comment: String,
    pub suggested: Option<i32>,
    pub suggestion_reason: String,
}

/// A comment of the team.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentView {
    pub author: String,
    pub body: String,
    pub at: i64,
}

/// A case as the team reads it: summary, every intake answer, qualification, history, comments.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseDetailView {
    pub summary: CaseSummaryView,
    pub answers: crate::domain::intake::IntakeAnswers,
    pub collectivite: Option<crate::api::CollectiviteChoice>,
    pub filed_at: i64,
    pub events: Vec<EventView>,
    pub version: i64,
    pub grid: Vec<GridLineView>,
    pub warnings: Vec<String>,
    pub interview_notes: String,
    pub decision_code: Option<String>,
    pub destination_label: Option<String>,
    /// Stages 3 to 5: cadrage, phase 4, diffusion (empty before the cadrage).
    pub follow_up: Vec<crate::follow_up::FollowUpLine>,
    pub comments: Vec<CommentView>,
    pub period_name: Option<String>,
    /// The signed-in role may move, score, validate and comment.
    pub can_act: bool,
}

/// What an event says, in French.
pub fn describe_event(kind: &str, from: Option<&str>, to: Option<&str>) -> String {
    use crate::domain::stage::Stage;
    let label = |code: Option<&str>| code.and_then(Stage::from_code).map(Stage::label).unwrap_or("—");
    match kind {
        "depose" => "Cas d'usage déposé".to_string(),
        "deplace" => format!("Déplacé de « {} » vers « {} »", label(from), label(to)),
        "qualification" => "Grille de qualification enregistrée".to_string(),
        "validation" => format!("Validation de l'étape « {} » enregistrée", label(from)),
        "cadrage" => "Document de cadrage enregistré".to_string(),
        "validation-cadrage" => "Validation du document de cadrage".to_string(),
        "condition" => "Condition de validation de la phase 4 vérifiée".to_string(),
        "journal" => "Entrée au journal de la phase 4".to_string(),
        "kit" => "Kit de diffusion enregistré".to_string(),
        "publie" => "Publié au catalogue".to_string(),
        "retire" => "Retiré du catalogue".to_string(),
        other => other.to_string(),
    }
}

#[cfg(feature = "ssr")]
fn summary_view(case: crate::store::CaseSummary) -> CaseSummaryView {
    CaseSummaryView {
        reference: case.reference,
        title: case.title,
        collectivite_name: case.collectivite_name,
        region: case.region,
        domain: case.domain,
        stage_code: case.stage.code().to_string(),
        agents: case.agents,
        hours_saved_per_year: case.hours_saved_per_year,
        portage_missing: !case.portage_missing.is_empty(),
        stage_entered_at: case.stage_entered_at,
    }
}

/// One case with its answers and history, for any signed-in role.
#[server(endpoint = "equipe/dossier")]
pub async fn dossier_equipe(reference: String) -> Result<CaseDetailView, AppError> {
    use crate::api::context::{choice, server_context};
    session::require(crate::domain::auth::Role::can_read).await?;
    let ctx = server_context()?;
    let not_found = || {
        AppError::NotFound(format!(
            "Aucun cas d'usage ne porte la référence « {} ».",
            reference.chars().take(40).collect::<String>()
        ))
    };
    if reference.len() > 20 {
        return Err(not_found());
    }
    let account = session::current_account().await?;
    let case = ctx.store.case_detail(&reference).await?.ok_or_else(not_found)?;
    let periods = ctx.store.periods().await?;
    let follow_up = ctx.store.follow_up(&reference).await?;
    let suggestions = crate::domain::qualification::suggest(&case.answers);
    let grid = crate::domain::qualification::Criterion::ALL
        .into_iter()
        .map(|criterion| {
            let line = case.assessment.lines.iter().find(|line| line.criterion == criterion);
            let suggestion = suggestions.scores.iter().find(|s| s.criterion == criterion);
            GridLineView {
                code: criterion.code().to_string(),
                label: criterion.label().to_string(),
                score: line.and_then(|line| line.score),
                comment: line.map(|line| line.comment.clone()).unwrap_or_default(),
                suggested: suggestion.map(|s| s.score),
                suggestion_reason: suggestion.map(|s| s.reason.clone()).unwrap_or_default(),
            }
        })
        .collect();
    Ok(CaseDetailView {
        collectivite: ctx.directory.by_key(&case.collectivite_key).map(choice),
        period_name: crate::domain::qualification::period_for_case(case.filed_at, &periods).map(|p| p.name.clone()),
        answers: case.answers,
        filed_at: case.filed_at,
        events: case
            .events
            .into_iter()
            .map(|event| EventView {
                at: event.created_at,
                what: describe_event(&event.kind, event.from_stage.as_deref(), event.to_stage.as_deref()),
                actor: event.actor,
                detail: if event.kind == "deplace" && !event.detail.is_empty() {
                    format!("Motif : {}", event.detail)
                } else {
                    event.detail
                },
            })
            .collect(),
        version: case.summary.version,
        grid,
        warnings: suggestions.warnings,
        interview_notes: case.assessment.interview_notes,
        decision_code: case.assessment.decision.map(|d| d.code().to_string()),
        destination_label: case.assessment.destination.map(|d| d.label().to_string()),
        follow_up: match (case.summary.stage, &follow_up) {
            (
                crate::domain::stage::Stage::Cadrage
                | crate::domain::stage::Stage::Conception
                | crate::domain::stage::Stage::Diffusion,
                Some(follow_up),
            ) => crate::follow_up::follow_up_lines(&case.summary.reference, follow_up),
            _ => Vec::new(),
        },
        comments: case
            .comments
            .into_iter()
            .map(|c| CommentView {
                author: c.author,
                body: c.body,
                at: c.created_at,
            })
            .collect(),
        can_act: account.is_some_and(|a| a.role.can_act_on_cases()),
        summary: summary_view(case.summary),
    })
}
