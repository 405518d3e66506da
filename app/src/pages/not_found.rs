//! The page for addresses that lead nowhere, with a 404 status.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(axum::http::StatusCode::NOT_FOUND);
        }
    }
    view! {
        <Title text="Page introuvable"/>
        <h1>"Page introuvable"</h1>
        <p>"L'adresse demandée ne correspond à aucune page. Elle a peut-être été mal copiée."</p>
        <p><A href="/">"Revenir à l'accueil"</A></p>
    }
}
