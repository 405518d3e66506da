//! Form fields of the wizard. Each is rendered by the server from the step's answers and errors (a shared
//! `WizardForm`) as a plain HTML control that posts without JavaScript, with labels, hints and errors tied to the
//! control (for, aria-describedby); in the browser the step's island reads what is typed and checks it with
//! the domain rules (`pages::intake::dom`, which finds each field by its `data-champ`).

use leptos::prelude::*;

use crate::domain::intake::{check_field, field, FieldError, FieldKind, IntakeAnswers, BRIQUES_FIELD};
use crate::domain::referentiel::Choice;

/// The text a `<textarea>` starts with. tachys writes a textarea's children into the page unescaped (it treats
/// the element like `<script>`), and a browser ends the textarea at the first `</textarea>` of what was typed:
/// the server escapes the text, the browser (an island) gets it as it is.
pub fn textarea_text(text: &str) -> String {
    if cfg!(feature = "ssr") {
        text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
    } else {
        text.to_string()
    }
}

/// The state of the step being edited, shared by its fields.
#[derive(Clone, Copy)]
pub struct WizardForm {
    pub step: i32,
    pub answers: RwSignal<IntakeAnswers>,
    /// Errors shown beside fields (from the server after a submit, or from the browser after a change).
    pub errors: RwSignal<Vec<FieldError>>,
    /// Bumped at every change, so the page can save the draft (debounced).
    pub revision: RwSignal<u64>,
    /// Errors listed in the summary at the top of the step (as of the last submit).
    pub summary: RwSignal<Vec<FieldError>>,
    pub summary_ref: NodeRef<leptos::html::Div>,
}

impl WizardForm {
    pub fn error_of(&self, name: &str) -> Option<String> {
        self.errors
            .with(|errors| errors.iter().find(|e| e.field == name).map(|e| e.message.clone()))
    }

    /// Records a new value. A field already in error is re-checked at once with the domain rule, so its message
    /// goes away as soon as it is corrected; new errors appear when the step is submitted, never on leaving a
    /// field (a message appearing then would move the button under the pointer).
    pub fn set(&self, name: &'static str, value: String, recheck: bool) {
        self.answers.update(|answers| answers.set(name, &value));
        self.revision.update(|r| *r += 1);
        let had_error = self.error_of(name).is_some();
        if recheck || had_error {
            self.recheck(name);
        }
    }

    /// On the click of "Enregistrer et continuer" (also sent by Enter in a field), before the step leaves the
    /// browser: checks the whole step with the domain rules and, when it has errors, keeps the form from being
    /// sent and shows them at once, focused (the server checks again in any case).
    pub fn guard_submit(&self, ev: &leptos::ev::MouseEvent) {
        #[cfg(feature = "hydrate")]
        {
            let errors = self
                .answers
                .with_untracked(|answers| crate::domain::intake::validate_step(self.step, answers, &|_| true));
            if errors.is_empty() {
                return;
            }
            ev.prevent_default();
            self.errors.set(errors.clone());
            self.summary.set(errors);
            let summary_ref = self.summary_ref;
            request_animation_frame(move || {
                if let Some(summary) = summary_ref.get_untracked() {
                    let _ = summary.focus();
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    }

    /// Replaces the error of `name` by what the domain says now (a collectivité key is checked by the server).
    pub fn recheck(&self, name: &str) {
        let answers = self.answers.get_untracked();
        let new_error = if name == BRIQUES_FIELD {
            crate::domain::intake::validate_step(self.step, &answers, &|_| true)
                .into_iter()
                .find(|e| e.field == BRIQUES_FIELD)
        } else {
            field(name).and_then(|spec| check_field(spec, &answers, &|_| true))
        };
        self.errors.update(|errors| {
            let position = errors.iter().position(|e| e.field == name);
            match (position, new_error) {
                (Some(index), Some(error)) => errors[index] = error,
                (Some(index), None) => {
                    errors.remove(index);
                }
                (None, Some(error)) => errors.push(error),
                (None, None) => {}
            }
        });
    }
}

fn wizard_form() -> WizardForm {
    expect_context::<WizardForm>()
}

/// The id of a field's control, which error links point to.
pub fn control_id(name: &str) -> String {
    format!("champ-{name}")
}

/// Where an error about `field` sends the focus: the control, or the first option of a group.
pub fn anchor_of(field_name: &str) -> String {
    if field_name == BRIQUES_FIELD {
        return control_id("brique_vibe");
    }
    match field(field_name).map(|spec| spec.kind) {
        Some(FieldKind::OneOf { list, .. }) => match list.first() {
            Some(first) => format!("{}-{}", control_id(field_name), first.code),
            None => control_id(field_name),
        },
        _ => control_id(field_name),
    }
}

fn label_with_optional(name: &str) -> String {
    let Some(spec) = field(name) else {
        return name.to_string();
    };
    let optional = match spec.kind {
        FieldKind::Text { required, .. } | FieldKind::Integer { required, .. } | FieldKind::OneOf { required, .. } => {
            !required
        }
        FieldKind::Phone | FieldKind::Checkbox => true,
        FieldKind::Email | FieldKind::Collectivite => false,
    };
    if optional && !spec.label.contains("facultatif") && spec.step != 4 {
        format!("{} (facultatif)", spec.label)
    } else {
        spec.label.to_string()
    }
}

fn limit_hint(name: &str) -> Option<String> {
    match field(name)?.kind {
        FieldKind::Text { max, .. } => Some(format!("{max} caractères au maximum.")),
        FieldKind::Integer { min, max, .. } => Some(format!(
            "Nombre entier entre {} et {}.",
            crate::domain::text::group_thousands(min),
            crate::domain::text::group_thousands(max)
        )),
        _ => None,
    }
}

/// The error line of a field, present only while the field is in error.
#[component]
pub fn FieldErrorLine(name: &'static str) -> impl IntoView {
    let form = wizard_form();
    move || {
        form.error_of(name).map(|message| {
            view! { <p class="field-error-message" id=format!("{}-erreur", control_id(name))><span class="visually-hidden">"Erreur : "</span>{message}</p> }
        })
    }
}

/// What describes a field's control (or group): its hint, then its error while it has one. The server renders it,
/// the browser (`pages::intake::dom`) sets it again when the error comes or goes.
pub fn described_ids(name: &str, has_hint: bool, has_error: bool) -> Option<String> {
    let mut ids = Vec::new();
    if has_hint {
        ids.push(format!("{}-aide", control_id(name)));
    }
    if has_error {
        ids.push(format!("{}-erreur", control_id(name)));
    }
    (!ids.is_empty()).then(|| ids.join(" "))
}

fn described_by(
    name: &'static str,
    has_hint: bool,
    form: WizardForm,
) -> impl Fn() -> Option<String> + Send + Sync + 'static {
    move || described_ids(name, has_hint, form.error_of(name).is_some())
}

/// A one-line or multi-line text field (also used for numbers, with a numeric keyboard).
#[component]
pub fn TextField(
    name: &'static str,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional)] multiline: bool,
    #[prop(optional)] input_type: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] numeric: bool,
) -> impl IntoView {
    let form = wizard_form();
    let id = control_id(name);
    let hint_text = match (hint, limit_hint(name)) {
        (Some(hint), Some(limit)) => Some(format!("{hint} {limit}")),
        (Some(hint), None) => Some(hint),
        (None, limit) => limit,
    };
    let has_hint = hint_text.is_some();
    let invalid = move || form.error_of(name).is_some().then_some("true");
    let value = form.answers.with_untracked(|a| a.get(name).to_string());
    let control = if multiline {
        view! {
            <textarea id=id.clone() name=name rows="5" aria-describedby=described_by(name, has_hint, form) aria-invalid=invalid>{textarea_text(&value)}</textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=id.clone() name=name type=input_type.unwrap_or("text") value=value autocomplete=autocomplete
                inputmode=numeric.then_some("numeric") aria-describedby=described_by(name, has_hint, form) aria-invalid=invalid/>
        }
        .into_any()
    };
    view! {
        <div class="field" data-champ=name class:field-has-error=move || form.error_of(name).is_some()>
            <label for=id.clone()>{label_with_optional(name)}</label>
            {hint_text.map(|text| view! { <p class="hint" id=format!("{}-aide", control_id(name))>{text}</p> })}
            <FieldErrorLine name=name/>
            {control}
        </div>
    }
}

/// One answer among a closed list, as radio buttons in a fieldset.
#[component]
pub fn RadioGroup(
    name: &'static str,
    choices: &'static [Choice],
    #[prop(optional, into)] hint: Option<String>,
) -> impl IntoView {
    let form = wizard_form();
    let has_hint = hint.is_some();
    view! {
        <fieldset class="field" data-champ=name class:field-has-error=move || form.error_of(name).is_some()
            aria-describedby=described_by(name, has_hint, form)>
            <legend>{label_with_optional(name)}</legend>
            {hint.map(|text| view! { <p class="hint" id=format!("{}-aide", control_id(name))>{text}</p> })}
            <FieldErrorLine name=name/>
            <div class="choices">
                {choices.iter().map(|choice| {
                    let option_id = format!("{}-{}", control_id(name), choice.code);
                    let code = choice.code;
                    view! {
                        <div class="choice">
                            <input type="radio" id=option_id.clone() name=name value=code
                                checked=form.answers.with_untracked(|a| a.get(name) == code)/>
                            <label for=option_id>{choice.label}</label>
                        </div>
                    }
                }).collect_view()}
            </div>
        </fieldset>
    }
}

/// The technology bricks: several may be ticked, at least one.
#[component]
pub fn BriquesField() -> impl IntoView {
    let form = wizard_form();
    let boxes: [(&'static str, &'static str); 3] = [
        (
            "brique_vibe",
            "Assistant Vibe (anciennement Le Chat) : assistant conversationnel",
        ),
        ("brique_agents", "Agents IA"),
        ("brique_application", "Application personnalisée"),
    ];
    view! {
        <fieldset class="field" data-champ=BRIQUES_FIELD class:field-has-error=move || form.error_of(BRIQUES_FIELD).is_some()
            aria-describedby=described_by(BRIQUES_FIELD, true, form)>
            <legend>"Briques technologiques"</legend>
            <p class="hint" id=format!("{}-aide", control_id(BRIQUES_FIELD))>"Cochez une ou plusieurs briques, combinées selon vos besoins."</p>
            <FieldErrorLine name=BRIQUES_FIELD/>
            <div class="choices">
                {boxes.into_iter().map(|(name, label)| view! {
                    <div class="choice">
                        <input type="checkbox" id=control_id(name) name=name value="on"
                            checked=form.answers.with_untracked(|a| a.is_checked(name))/>
                        <label for=control_id(name)>{label}</label>
                    </div>
                }).collect_view()}
            </div>
        </fieldset>
    }
}

/// Following an error link moves the focus into the field itself (a plain anchor only scrolls to it).
fn focus_control(ev: &leptos::ev::MouseEvent, id: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(control) = document()
            .get_element_by_id(id)
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
        {
            ev.prevent_default();
            let _ = control.focus();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (ev, id);
}

/// The list of a step's errors at the top of the form, each a link to its field; focused when it appears.
#[component]
pub fn ErrorSummary(
    errors: Signal<Vec<FieldError>>,
    #[prop(optional)] node_ref: Option<NodeRef<leptos::html::Div>>,
) -> impl IntoView {
    let node_ref = node_ref.unwrap_or_default();
    // The slot is always there, so the summary can appear in a hydrated page.
    let summary = move || {
        let errors = errors.get();
        (!errors.is_empty()).then(|| {
            let count = errors.len();
            let title = if count == 1 {
                "Cette étape contient 1 erreur".to_string()
            } else {
                format!("Cette étape contient {count} erreurs")
            };
            view! {
                <div class="error-summary" role="alert" tabindex="-1" aria-labelledby="resume-erreurs-titre" node_ref=node_ref autofocus>
                    <h2 id="resume-erreurs-titre">{title}</h2>
                    <ul>
                        {errors.into_iter().map(|error| {
                            let anchor = anchor_of(&error.field);
                            view! {
                                <li><a href=format!("#{anchor}") on:click=move |ev| focus_control(&ev, &anchor)>{error.message}</a></li>
                            }
                        }).collect_view()}
                    </ul>
                </div>
            }
        })
    };
    view! { <div class="error-summary-slot">{summary}</div> }
}

/// The save state shown under the form (changed only by the browser).
#[derive(Clone, PartialEq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub enum SaveState {
    Idle,
    Saving,
    Saved(i64),
    LocalOnly,
    /// Another tab saved this step since: reload (the typing is kept in the browser).
    Stale,
}
