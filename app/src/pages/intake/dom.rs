//! Browser-only: the fields of a wizard step are rendered by the server, outside the step's WebAssembly; this
//! reads what the person types from the events that reach the step's island, and keeps each field's error
//! (its line, class, `aria-invalid`, `aria-describedby`), the estimate and the alerts in step with the answers.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlTextAreaElement};

use crate::components::fields::{control_id, described_ids, WizardForm};
use crate::domain::intake::{field, portage_alert, step_fields, FieldError, FieldKind, BRIQUES_FIELD};

/// A change in one of the step's controls, read from the event that bubbled up to the island: `input` for text,
/// `change` for boxes and radio buttons. Controls that are not answers (the search box) are left alone.
pub fn field_event(form: WizardForm, ev: &leptos::ev::Event, change: bool) {
    let Some(target) = ev.target() else {
        return;
    };
    let (name, value, choice) = if let Some(input) = target.dyn_ref::<HtmlInputElement>() {
        match input.type_().as_str() {
            "checkbox" => (
                input.name(),
                if input.checked() {
                    "on".to_string()
                } else {
                    String::new()
                },
                true,
            ),
            "radio" => (input.name(), input.value(), true),
            _ => (input.name(), input.value(), false),
        }
    } else if let Some(area) = target.dyn_ref::<HtmlTextAreaElement>() {
        (area.name(), area.value(), false)
    } else {
        return;
    };
    // A text field answers on `input` only, a choice on `change` only.
    if choice != change {
        return;
    }
    let Some(spec) = field(&name) else {
        return;
    };
    form.set(spec.name, value, choice);
    if spec.step == 2 && matches!(spec.kind, FieldKind::Checkbox) {
        form.recheck(BRIQUES_FIELD);
    }
}

/// Whether a click is on the step's primary button ("Enregistrer et continuer" or "… revenir au récapitulatif").
pub fn is_primary_button(ev: &leptos::ev::MouseEvent) -> bool {
    ev.target()
        .and_then(|target| target.dyn_into::<Element>().ok())
        .and_then(|element| element.closest(".button-primary").ok().flatten())
        .is_some()
}

/// Without JavaScript, Enter in any field of step 1 presses its first button, "Rechercher". In the browser,
/// Enter in another field than the search box continues, as in the other steps (in the search box it searches
/// at once, `super::live`).
pub fn enter_in_step1(ev: &leptos::ev::KeyboardEvent) {
    let field = ev.target().and_then(|target| target.dyn_into::<Element>().ok());
    let Some(field) = field.filter(|field| ev.key() == "Enter" && field.tag_name() == "INPUT") else {
        return;
    };
    if field.id() == "champ-recherche" {
        return;
    }
    ev.prevent_default();
    let primary = field
        .closest("form")
        .ok()
        .flatten()
        .and_then(|form| form.query_selector(".button-primary").ok().flatten())
        .and_then(|button| button.dyn_into::<HtmlElement>().ok());
    if let Some(primary) = primary {
        primary.click();
    }
}

/// Writes restored values into the step's controls (text, boxes, radio buttons).
pub fn write_fields(fields: &[(String, String)]) {
    for (name, value) in fields {
        let Ok(controls) = document().query_selector_all(&format!("[name=\"{name}\"]")) else {
            continue;
        };
        for index in 0..controls.length() {
            let Some(control) = controls.item(index) else {
                continue;
            };
            if let Some(input) = control.dyn_ref::<HtmlInputElement>() {
                match input.type_().as_str() {
                    "checkbox" => input.set_checked(value == "on"),
                    "radio" => input.set_checked(input.value() == *value),
                    _ => input.set_value(value),
                }
            } else if let Some(area) = control.dyn_ref::<HtmlTextAreaElement>() {
                area.set_value(value);
            }
        }
    }
}

/// From hydration on: each field's error shown as the domain says, the estimate and the alerts recomputed as
/// the answers change (the server rendered them as they were when the page opened).
pub fn keep_in_step(form: WizardForm) {
    let names: Vec<&'static str> = step_fields(form.step)
        .map(|spec| spec.name)
        .chain((form.step == 2).then_some(BRIQUES_FIELD))
        .collect();
    Effect::new(move |shown: Option<Vec<FieldError>>| {
        let errors = form.errors.get();
        if let Some(shown) = shown {
            let message =
                |list: &[FieldError], name: &str| list.iter().find(|e| e.field == name).map(|e| e.message.clone());
            for name in &names {
                let now = message(&errors, name);
                if now != message(&shown, name) {
                    show_error(name, now.as_deref());
                }
            }
        }
        errors
    });
    let step = form.step;
    Effect::new(move |opened: Option<()>| {
        let answers = form.answers.get();
        if opened.is_none() {
            return;
        }
        match step {
            3 => set_text(
                super::places::ESTIMATE_ID,
                &super::places::estimate_sentence(answers.hours_saved_per_year()),
            ),
            4 => set_alert(
                super::places::PORTAGE_ALERT_ID,
                portage_alert(&answers.missing_portage()).as_deref(),
            ),
            5 => set_alert(
                super::places::ENGAGED_ALERT_ID,
                (answers.get("stade_projet") == "deja-engage")
                    .then_some(crate::domain::intake::ALREADY_ENGAGED_WARNING),
            ),
            _ => {}
        }
    });
}

/// One field's error in place: the line under its hint, the field's class, and what its control (or its group)
/// says to assistive technologies. Fields without a `data-champ` wrapper render their own error.
fn show_error(name: &str, message: Option<&str>) {
    let Some(wrapper) = document()
        .query_selector(&format!("[data-champ=\"{name}\"]"))
        .ok()
        .flatten()
    else {
        return;
    };
    let _ = wrapper
        .class_list()
        .toggle_with_force("field-has-error", message.is_some());
    let id = control_id(name);
    let error_id = format!("{id}-erreur");
    if let Some(old) = document().get_element_by_id(&error_id) {
        old.remove();
    }
    if let Some(message) = message {
        if let Some(line) = error_line(&error_id, message) {
            let hint = wrapper.query_selector(":scope > .hint").ok().flatten();
            if let Some(anchor) = hint.or_else(|| wrapper.first_element_child()) {
                let _ = anchor.insert_adjacent_element("afterend", &line);
            }
        }
    }
    // A group (fieldset) is described as a whole; a text control carries its own state.
    let described = if wrapper.tag_name() == "FIELDSET" {
        Some(wrapper.clone())
    } else {
        document().get_element_by_id(&id)
    };
    let Some(described) = described else {
        return;
    };
    let has_hint = document().get_element_by_id(&format!("{id}-aide")).is_some();
    let _ = match described_ids(name, has_hint, message.is_some()) {
        Some(ids) => described.set_attribute("aria-describedby", &ids),
        None => described.remove_attribute("aria-describedby"),
    };
    if described.tag_name() != "FIELDSET" {
        let _ = if message.is_some() {
            described.set_attribute("aria-invalid", "true")
        } else {
            described.remove_attribute("aria-invalid")
        };
    }
}

/// `<p class="field-error-message" id=…><span class="visually-hidden">Erreur : </span>message</p>`
fn error_line(id: &str, message: &str) -> Option<Element> {
    let line = document().create_element("p").ok()?;
    line.set_class_name("field-error-message");
    line.set_id(id);
    let prefix = document().create_element("span").ok()?;
    prefix.set_class_name("visually-hidden");
    prefix.set_text_content(Some("Erreur : "));
    let _ = line.append_child(&prefix);
    let _ = line.append_child(&document().create_text_node(message));
    Some(line)
}

fn set_text(id: &str, text: &str) {
    if let Some(element) = document().get_element_by_id(id) {
        if element.text_content().as_deref() != Some(text) {
            element.set_text_content(Some(text));
        }
    }
}

/// A warning shown in its live region, or none.
fn set_alert(id: &str, text: Option<&str>) {
    let Some(region) = document().get_element_by_id(id) else {
        return;
    };
    let current = region.first_element_child().and_then(|alert| alert.text_content());
    if current.as_deref() == text {
        return;
    }
    region.set_text_content(None);
    if let Some(text) = text {
        if let Ok(alert) = document().create_element("p") {
            alert.set_class_name("alert alert-warning");
            alert.set_text_content(Some(text));
            let _ = region.append_child(&alert);
        }
    }
}
