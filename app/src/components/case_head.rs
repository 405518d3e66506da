//! What the team's pages of stages 3 to 5 (cadrage, conception, diffusion) share: the case reference of the address, the confirmation of a
//! save, the header of the page and the page shown when a read fails.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::components::LoadError;
use crate::error::AppError;
use crate::model::case::CaseHead;

pub fn reference_param() -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get("reference").unwrap_or_default()
}

/// The top of every follow-up page: back link, reference, title, case line.
#[component]
pub fn Head(head: CaseHead, title: &'static str) -> impl IntoView {
    view! {
        <Title text=format!("{title} — {}", head.reference)/>
        <p class="no-print"><a href=crate::routes::case(&head.reference).page()>"← Dossier du cas"</a></p>
        <p class="step-count">{head.reference.clone()}</p>
        <h1>{title}</h1>
        <p class="lead">{format!("{} · {} · étape : {}", head.title, head.collectivite_name, head.stage.label())}</p>
    }
}

pub fn failed_load(error: AppError) -> AnyView {
    match error {
        AppError::Unauthorized => view! { <crate::components::SignInFirst/> }.into_any(),
        error => view! { <LoadError error/> }.into_any(),
    }
}
