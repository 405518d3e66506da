//! Browser-only behaviour of a wizard step: focus on arrival, debounced server save, local copy and its restore.

use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::components::{SaveState, WizardForm};
use crate::domain::intake::{step_fields, FieldError};
use crate::endpoints::intake::sauvegarder_brouillon;

pub struct Enhance {
    pub token: String,
    pub step: i32,
    pub updated_at: i64,
    /// The draft's version this page read.
    pub version: i64,
    pub form: WizardForm,
    pub save_state: RwSignal<SaveState>,
    pub restored_notice: RwSignal<bool>,
    pub summary_ref: NodeRef<leptos::html::Div>,
    pub summary_errors: RwSignal<Vec<FieldError>>,
}

/// The copy of a step kept in the browser's local storage.
#[derive(Serialize, Deserialize)]
struct LocalCopy {
    step: i32,
    saved_at: i64,
    fields: Vec<(String, String)>,
}

fn storage_key(token: &str) -> String {
    format!("iaf-brouillon-{token}")
}

fn now_seconds() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

fn step_pairs(form: &WizardForm) -> Vec<(String, String)> {
    form.answers.with_untracked(|answers| {
        step_fields(form.step)
            .map(|spec| (spec.name.to_string(), answers.get(spec.name).to_string()))
            .collect()
    })
}

pub fn enhance(e: Enhance) {
    let Enhance {
        token,
        step,
        updated_at,
        version,
        form,
        save_state,
        restored_notice,
        summary_ref,
        summary_errors,
    } = e;

    // Focus: the error summary when there is one, else the step heading.
    Effect::new(move |_| {
        if !summary_errors.get_untracked().is_empty() {
            if let Some(summary) = summary_ref.get() {
                let _ = summary.focus();
                return;
            }
        }
        use wasm_bindgen::JsCast;
        if let Some(heading) = document()
            .get_element_by_id("titre-etape")
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = heading.focus();
        }
    });

    // Restore a newer local copy of this step, if the server has an older one; after hydration, so that
    // the page first matches what the server rendered.
    let restore_key = storage_key(&token);
    Effect::new(move |done: Option<()>| {
        if done.is_some() || step >= crate::domain::intake::STEP_COUNT {
            return;
        }
        if let Ok(copy) = LocalStorage::get::<LocalCopy>(&restore_key) {
            let differs = step_pairs(&form) != copy.fields;
            if copy.step == step && copy.saved_at >= updated_at && differs {
                form.answers.update(|answers| answers.apply_step(step, &copy.fields));
                super::dom::write_fields(&copy.fields);
                restored_notice.set(true);
                form.revision.update(|r| *r += 1);
            }
        }
    });

    // Save while typing: a local copy at once, the server after 800 ms without typing.
    let pending = StoredValue::new_local(None::<gloo_timers::callback::Timeout>);
    let version = StoredValue::new(version);
    // This page's own name for its saves: its saves never count as another tab's.
    let tab = format!("{:016x}", (js_sys::Math::random() * 1e16) as u64);
    Effect::new(move |previous: Option<u64>| {
        let revision = form.revision.get();
        if previous.is_none() && revision == 0 {
            return revision;
        }
        if step >= crate::domain::intake::STEP_COUNT {
            return revision;
        }
        let fields = step_pairs(&form);
        let copy = LocalCopy {
            step,
            saved_at: now_seconds(),
            fields: fields.clone(),
        };
        let _ = LocalStorage::set(storage_key(&token), &copy);
        let token = token.clone();
        let tab = tab.clone();
        let timeout = gloo_timers::callback::Timeout::new(800, move || {
            save_state.set(SaveState::Saving);
            leptos::task::spawn_local(async move {
                match sauvegarder_brouillon(token, step, fields, version.get_value(), tab).await {
                    Ok(saved) => {
                        version.set_value(saved.version);
                        save_state.set(SaveState::Saved(saved.at));
                    }
                    Err(crate::error::AppError::Conflict(_)) => save_state.set(SaveState::Stale),
                    Err(_) => save_state.set(SaveState::LocalOnly),
                }
            });
        });
        pending.update_value(|slot| *slot = Some(timeout));
        revision
    });
}
