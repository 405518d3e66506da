//! The dialog that asks for the reason (and destination) a move needs, and the fields it shares with the
//! move page.

use leptos::prelude::*;

use crate::domain::board::{column_title, COLUMNS};
use crate::domain::qualification::Destination;
use crate::domain::stage::Stage;
use crate::endpoints::board::*;

use super::client;
use super::state::*;

/// The fields of a move that needs a reason (and a destination): shared by the board's dialog and the move
/// page used without JavaScript.
#[component]
pub fn MoveFields(from: Stage, to: RwSignal<Stage>, id_prefix: &'static str) -> impl IntoView {
    let targets: Vec<Stage> = COLUMNS.iter().copied().filter(|s| *s != from).collect();
    let select_id = format!("{id_prefix}-vers");
    let reason_id = format!("{id_prefix}-raison");
    let reason_hint = format!("{id_prefix}-raison-aide");
    view! {
        <div class="field">
            <label for=select_id.clone()>"Étape de destination"</label>
            <select id=select_id name="vers" on:change=move |event| {
                if let Some(stage) = Stage::from_code(&event_target_value(&event)) { to.set(stage) }
            }>
                {targets.into_iter().map(|s| view! {
                    <option value=s.code() selected=move || to.get() == s>{column_title(s)}</option>
                }).collect_view()}
            </select>
        </div>
        <div class="field">
            <label for=reason_id.clone()>"Raison"</label>
            <p class="hint" id=reason_hint.clone()>"Obligatoire pour un retour en arrière et pour une réorientation (5 caractères au moins)."</p>
            <textarea id=reason_id name="raison" rows="3" aria-describedby=reason_hint></textarea>
        </div>
        <fieldset class="field" hidden=move || to.get() != Stage::Reoriente>
            <legend>"Destination de la réorientation"</legend>
            {[Destination::Ingenierie, Destination::GuichetCofinancement].into_iter().map(|d| {
                let id = format!("{id_prefix}-destination-{}", d.code());
                view! {
                    <div class="choice">
                        <input type="radio" id=id.clone() name="destination" value=d.code()/>
                        <label for=id>{d.label()}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
    .into_any()
}

#[component]
pub fn MoveDialog() -> impl IntoView {
    let state = expect_context::<BoardState>();
    let target = RwSignal::new(Stage::Qualification);
    let form_ref = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if let Some(pending) = state.dialog.get() {
            target.set(pending.to);
            client::focus_first_field("dialogue-deplacer");
        }
    });
    let close = move || {
        if let Some(pending) = state.dialog.get_untracked() {
            state.dialog.set(None);
            client::focus_handle(&pending.reference);
        }
    };
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(pending) = state.dialog.get_untracked() else {
            return;
        };
        let (reason, destination) = client::reason_and_destination(form_ref);
        state.dialog.set(None);
        state.action.dispatch(DeplacerCas {
            reference: pending.reference.clone(),
            version: pending.version,
            vers: target.get_untracked().code().to_string(),
            raison: Some(reason),
            destination,
            retour: None,
        });
        client::focus_handle(&pending.reference);
    };
    move || {
        state.dialog.get().map(|pending| {
            view! {
                <div class="dialog-backdrop">
                    <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="dialogue-deplacer-titre" id="dialogue-deplacer"
                        on:keydown=move |event: leptos::ev::KeyboardEvent| {
                            if event.key() == "Escape" {
                                event.prevent_default();
                                close()
                            } else {
                                client::keep_focus_inside("dialogue-deplacer", &event);
                            }
                        }>
                        <h2 id="dialogue-deplacer-titre">{format!("Déplacer la carte {}", pending.reference)}</h2>
                        <p>{format!("Étape actuelle : {}.", column_title(pending.from))}</p>
                        <form node_ref=form_ref on:submit=submit novalidate=true>
                            <MoveFields from=pending.from to=target id_prefix="dialogue"/>
                            <div class="form-actions">
                                <button type="submit" class="button button-primary">"Confirmer le déplacement"</button>
                                <button type="button" class="button button-secondary" on:click=move |_| close()>"Annuler"</button>
                            </div>
                        </form>
                    </div>
                </div>
            }
        })
    }
}
