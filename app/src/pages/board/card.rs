//! One card of the board with its handle (pointer and keyboard drag) and its "Déplacer" menu.

use leptos::prelude::*;
use server_fn::ServerFn;

use crate::domain::board::{
    column_title, days_label, drag_key, next_stage, previous_stage, DragKey, DragStep, COLUMNS,
};
use crate::domain::referentiel::{label_of, DOMAINES};
use crate::domain::stage::Stage;
use crate::endpoints::board::*;
use crate::model::board::*;

use super::client;
use super::state::*;

#[component]
pub fn Card(card: CardView) -> impl IntoView {
    let state = expect_context::<BoardState>();
    let stage = card.stage;
    let reference = card.reference.clone();
    let lifted = {
        let reference = reference.clone();
        move || {
            state
                .keyboard
                .with(|k| k.as_ref().is_some_and(|k| k.reference == reference))
        }
    };
    let class = {
        let lifted = lifted.clone();
        move || if lifted() { "card is-lifted" } else { "card" }
    };
    let on_key = {
        let reference = reference.clone();
        move |event: leptos::ev::KeyboardEvent| {
            let current = state.keyboard.get_untracked();
            let Some(key) = DragKey::from_key(&event.key(), current.is_some()) else {
                return;
            };
            event.prevent_default();
            let sizes = state.sizes();
            let start = state.columns.with_untracked(|columns| {
                columns
                    .iter()
                    .enumerate()
                    .find_map(|(c, column)| {
                        column
                            .cards
                            .iter()
                            .position(|card| card.reference == reference)
                            .map(|p| (c, p))
                    })
                    .unwrap_or((0, 0))
            });
            let Some((step, text)) = drag_key(current.as_ref(), &reference, start, key, &sizes) else {
                return;
            };
            state.announcement.set(text);
            match step {
                DragStep::Lifted(drag) => state.keyboard.set(Some(drag)),
                DragStep::Cancelled(_) => state.keyboard.set(None),
                DragStep::Dropped(drag) => {
                    state.keyboard.set(None);
                    if drag.column != drag.origin {
                        state.request_move(&reference, COLUMNS[drag.column]);
                    }
                }
            }
        }
    };
    let on_blur = {
        let reference = reference.clone();
        move |_| {
            if let Some(drag) = state.keyboard.get_untracked().filter(|d| d.reference == reference) {
                state.keyboard.set(None);
                state.announcement.set(format!(
                    "Déplacement annulé. La carte {} reste dans « {} ».",
                    drag.reference,
                    column_title(COLUMNS[drag.origin])
                ));
            }
        }
    };
    let on_pointer_down = {
        let reference = reference.clone();
        move |event: leptos::ev::PointerEvent| client::pointer_down(&event, &reference, state)
    };
    let handle_label = format!("Déplacer la carte {} (glisser)", card.reference);
    let card_id = format!("carte-{}", card.reference);
    let title_id = format!("titre-{}", card.reference);
    let labelled_by = title_id.clone();
    let kind = card.collectivite_kind.clone();
    view! {
        <li class="card-item">
            <article class=class id=card_id data-reference=card.reference.clone() aria-labelledby=labelled_by>
                <div class="card-top">
                    {state.can_move.then(|| view! {
                        <button type="button" class="card-handle" data-handle=reference.clone()
                            aria-label=handle_label aria-describedby="aide-glisser"
                            aria-pressed=move || if lifted() { "true" } else { "false" }
                            on:keydown=on_key on:blur=on_blur on:pointerdown=on_pointer_down>
                            <span aria-hidden="true">"⠿"</span>
                        </button>
                    })}
                    <a class="card-reference" href=crate::routes::case(&card.reference).page()>{card.reference.clone()}</a>
                </div>
                <h3 class="card-title" id=title_id>{card.title.clone()}</h3>
                <p class="card-meta" title=label_of(DOMAINES, &card.domain).to_string()>{format!("{} ({kind}), {}", card.collectivite_name, card.region)}</p>

                <div class="card-badges">
                    <p class="badge badge-days" title=days_label(card.days_in_stage)>
                        <span class="visually-hidden">"À cette étape : "</span>{short_days(card.days_in_stage)}
                    </p>
                    {card.portage_missing.then(|| view! { <p class="badge badge-alert">"Portage incomplet"</p> })}
                    // From the cadrage on, a case is qualified (the gates say so): the badge would only take room.
                    {card.decision.filter(|_| !decided_by_stage(stage)).map(|d| view! { <p class="badge"><span class="visually-hidden">"Décision : "</span>{d.label()}</p> })}
                    {card.avis.clone().map(|avis| view! { <p class="badge">{avis}</p> })}
                    {(!card.signatures.is_empty()).then(|| view! {
                        <details class="card-signatures">
                            <summary>"Cadrage "<span class="visually-hidden">"validé par "</span>{card.signatures_summary.clone()}<span class="visually-hidden">" parties"</span></summary>
                            <ul>
                                {card.signatures.iter().map(|line| view! { <li>{line.clone()}</li> }).collect_view()}
                            </ul>
                        </details>
                    })}
                    <crate::components::AiActBadge level=card.ai_act_level confirmed=card.ai_act_confirmed/>
                    {(card.unread > 0).then(|| view! { <p class="badge badge-unread">{crate::domain::messages::unread_label(card.unread)}</p> })}
                    {state.can_move.then(|| view! { <MoveMenu card=card.clone() stage/> })}
                </div>
            </article>
        </li>
    }
    .into_any()
}

/// Whether the stage itself says the qualification decision (only qualified cases reach the cadrage and after).
fn decided_by_stage(stage: Stage) -> bool {
    matches!(stage, Stage::Cadrage | Stage::Conception | Stage::Diffusion)
}

/// Days in the stage in a few characters, for the compact card: "aujourd'hui", "1 j", "45 j".
fn short_days(days: i64) -> String {
    if days == 0 {
        "aujourd'hui".into()
    } else {
        format!("{days} j")
    }
}

#[component]
pub fn MoveMenu(card: CardView, stage: Stage) -> impl IntoView {
    let state = expect_context::<BoardState>();
    let menu_label = format!(" la carte {}", card.reference);
    let next_label = format!(" (carte {})", card.reference);
    let next_form = (card.reference.clone(), card.version);
    let move_page = crate::routes::case(&card.reference).move_page();
    let (card_reference, card_version) = (card.reference.clone(), card.version);
    let dialog_link = move |to: Option<Stage>, label: String| {
        let href = match to {
            Some(to) => format!("{move_page}?vers={}", to.code()),
            None => move_page.clone(),
        };
        let reference = card_reference.clone();
        let version = card_version;
        view! {
            <li>
                <a href=href on:click=move |event: leptos::ev::MouseEvent| {
                    event.prevent_default();
                    let target = to.unwrap_or_else(|| next_stage(stage).or(previous_stage(stage)).unwrap_or(Stage::Qualification));
                    state.dialog.set(Some(PendingMove { reference: reference.clone(), version, from: stage, to: target }));
                }>{label}</a>
            </li>
        }
    };
    let next = next_stage(stage);
    let previous = previous_stage(stage);
    view! {
        <details class="move-menu">
            <summary>"Déplacer"<span class="visually-hidden">{menu_label}</span></summary>
            <ul>
                {next.map(|next| {
                    let next_reference = next_form.0.clone();
                    view! {
                    <li>
                        <form method="post" action={DeplacerCas::url()} on:submit=move |event: leptos::ev::SubmitEvent| {
                            event.prevent_default();
                            state.action.dispatch(DeplacerCas {
                                reference: next_reference.clone(),
                                version: next_form.1,
                                vers: next.code().to_string(),
                                raison: None,
                                destination: None,
                                retour: None,
                            });
                        }>
                            <input type="hidden" name="reference" value=next_form.0.clone()/>
                            <input type="hidden" name="version" value=next_form.1/>
                            <input type="hidden" name="vers" value=next.code()/>
                            <input type="hidden" name="retour" value=state.return_to.get_value()/>
                            <button type="submit" class="link-button">{format!("Étape suivante : {}", column_title(next))}<span class="visually-hidden">{next_label.clone()}</span></button>
                        </form>
                    </li>
                }})}
                {previous.map(|previous| dialog_link(Some(previous), format!("Étape précédente : {}…", column_title(previous))))}
                {(stage == Stage::Reoriente).then(|| dialog_link(Some(Stage::Qualification), "Reprendre en qualification…".to_string()))}
                {dialog_link(None, "Déplacer vers…".to_string())}
                {(stage == Stage::Qualification).then(|| dialog_link(Some(Stage::Reoriente), "Réorienter…".to_string()))}
            </ul>
        </details>
    }
    .into_any()
}
