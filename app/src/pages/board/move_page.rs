//! The move page (`/equipe/cas/:reference/deplacer`): moving one case with its reason, without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::components::LoadError;
use crate::domain::board::{column_title, next_stage, previous_stage};
use crate::domain::stage::Stage;
use crate::endpoints::board::*;
use crate::error::AppError;

use super::move_dialog::MoveFields;
use super::state::*;

/// The move page's fields: an island, so that choosing "Réorienté" shows the choice of destination at once.
#[cfg_attr(island_MovePageFields, island)]
#[cfg_attr(not(island_MovePageFields), component)]
pub fn MovePageFields(from: Stage, to: Stage) -> impl IntoView {
    let to = RwSignal::new(to);
    view! { <MoveFields from to id_prefix="deplacer"/> }
}

/// `/equipe/cas/<référence>/deplacer`: the move form on its own page (the "Déplacer" menu without JavaScript).
#[component]
pub fn MovePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let reference = move || params.read().get("reference").unwrap_or_default();
    let case = Resource::new(reference, crate::endpoints::case::dossier_equipe);
    let action = ServerAction::<DeplacerCas>::new();
    // The same notice as on the board, without the link back to this very page.
    let problem = move || {
        action
            .value()
            .get()
            .and_then(|outcome| outcome.err())
            .map(|error| match error {
                AppError::Refused {
                    message,
                    remedy_href,
                    remedy_label,
                } if remedy_href.ends_with("/deplacer") => refusal_notice(AppError::Refused {
                    message,
                    remedy_href: String::new(),
                    remedy_label,
                }),
                error => refusal_notice(error),
            })
    };
    view! {
        <p><a href="/equipe/tableau">"← Tableau"</a></p>
        <Transition fallback=|| view! { <p role="status">"Chargement…"</p> }>
            {move || Suspend::new(async move {
                match case.await {
                    Ok(case) => {
                        let from = case.summary.stage;
                        let wanted = query.with_untracked(|q| q.get("vers")).and_then(|c| Stage::from_code(&c))
                            .filter(|s| *s != from)
                            .or_else(|| next_stage(from))
                            .or_else(|| previous_stage(from))
                            .unwrap_or(Stage::Qualification);
                        view! {
                            <Title text=format!("Déplacer {}", case.summary.reference)/>
                            <h1>{format!("Déplacer la carte {}", case.summary.reference)}</h1>
                            <p class="lead">{case.summary.title.clone()}</p>
                            <p>{format!("Étape actuelle : {}.", column_title(from))}</p>
                            <div class="notice-slot">{problem}</div>
                            {if case.can_act {
                                view! {
                                    <ActionForm action attr:novalidate=true attr:class="narrow-form">
                                        <input type="hidden" name="reference" value=case.summary.reference.clone()/>
                                        <input type="hidden" name="version" value=case.version/>
                                        <input type="hidden" name="retour" value="/equipe/tableau"/>
                                        <MovePageFields from to=wanted/>
                                        <div class="form-actions">
                                            <button type="submit" class="button button-primary">"Confirmer le déplacement"</button>
                                            <a class="button button-secondary" href="/equipe/tableau">"Annuler"</a>
                                        </div>
                                    </ActionForm>
                                }.into_any()
                            } else {
                                view! { <p class="alert alert-error">"Votre rôle (lecture) ne permet pas de déplacer les cas."</p> }.into_any()
                            }}
                        }
                        .into_any()
                    }
                    Err(AppError::Unauthorized) => view! { <crate::components::SignInFirst/> }.into_any(),
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Transition>
    }
}
