//! Building blocks shared by pages: accessible form fields bound to the wizard's answers, the error summary,
//! the notice of a failed server call, the confirmation of a save and the head of the pages of stages 3 to 5.

pub mod ai_act;
pub mod answers;
pub mod case_head;
pub mod exports;
pub mod fields;
pub mod nav;

pub use ai_act::*;
pub use answers::*;
pub use fields::*;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::error::AppError;

/// The French message of a failed server call held by an action's value, if it failed.
pub fn failure<O, V>(value: V) -> Signal<Option<String>>
where
    O: 'static,
    V: With<Value = Option<Result<O, AppError>>> + Send + Sync + 'static,
{
    Signal::derive(move || {
        value.with(|value| match value {
            Some(Err(error)) => Some(error.to_string()),
            _ => None,
        })
    })
}

/// Shows the French message of a failed server call, announced to screen readers.
#[component]
pub fn ServerErrorNotice(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    let notice = move || {
        message.get().map(|text| {
            view! { <div class="alert alert-error" role="alert"><p>{text}</p></div> }
        })
    };
    view! { <div class="notice-slot">{notice}</div> }
}

/// The page shown when a read failed (link unknown, service down).
#[component]
pub fn LoadError(error: AppError) -> impl IntoView {
    let is_not_found = matches!(error, AppError::NotFound(_));
    #[cfg(feature = "ssr")]
    {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(if is_not_found {
                axum::http::StatusCode::NOT_FOUND
            } else {
                axum::http::StatusCode::SERVICE_UNAVAILABLE
            });
        }
    }
    // The request's id (`x-request-id`, in every log line of the request): what to quote to the support.
    #[cfg(feature = "ssr")]
    let request_id = use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.headers.get("x-request-id")?.to_str().ok().map(str::to_owned));
    #[cfg(not(feature = "ssr"))]
    let request_id: Option<String> = None;
    let request_id = request_id.filter(|_| !is_not_found).map(|id| {
        view! { <p class="request-id">"Référence de l'incident à indiquer au support : "<code>{id}</code></p> }
    });
    let heading = if is_not_found {
        "Page introuvable"
    } else {
        "Service indisponible"
    };
    view! {
        <leptos_meta::Title text=heading/>
        <div class="alert alert-error" role="alert">
            <h1>{heading}</h1>
            <p>{error.to_string()}</p>
            {request_id}
            <p><a href="/">"Retour à l'accueil"</a>" · "<a href="/catalogue">"Catalogue"</a>" · "<a href="/deposer">"Proposer un cas d'usage"</a>" · "<a href=crate::routes::LOST_LINK>"Lien de suivi perdu ?"</a></p>
        </div>
    }
}

/// The confirmation of a save on a case's pages (`routes::Saved`, read back from `?enregistre=…`), announced.
#[component]
pub fn CaseSaved() -> impl IntoView {
    let query = use_query_map();
    move || {
        let saved = crate::routes::Saved::from_code(&query.read().get("enregistre")?)?;
        Some(view! { <div class="alert alert-success" role="status"><p>{saved.message()}</p></div> })
    }
}

/// The confirmation of a save (the save redirects with `?enregistre=…`), announced.
#[component]
pub fn Saved(messages: &'static [(&'static str, &'static str)]) -> impl IntoView {
    let query = use_query_map();
    move || {
        let key = query.read().get("enregistre")?;
        let text = messages.iter().find(|(code, _)| *code == key)?.1;
        Some(view! { <div class="alert alert-success" role="status"><p>{text}</p></div> })
    }
}

/// Sends a signed-out person to the sign-in page, which returns to this page afterwards. The server does it
/// before any page of the team is rendered (`server/src/http/auth.rs`); this covers a session that ends while
/// a page is open.
#[component]
pub fn SignInFirst() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let search = location.search.get_untracked();
    let asked = if search.is_empty() || search.starts_with('?') {
        format!("{}{search}", location.pathname.get_untracked())
    } else {
        format!("{}?{search}", location.pathname.get_untracked())
    };
    view! { <leptos_router::components::Redirect path=crate::routes::sign_in_then(&asked)/> }
}
