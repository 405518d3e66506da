//! Browser-only: the parts of a step that follow what the person types — step 1's search results, step 2's close
//! cases, step 5's AI Act pre-assessment — asked of the server, which renders them, and put in place (so the
//! step's WebAssembly holds none of their views); an answer to older typing is dropped.

use gloo_timers::callback::Timeout;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::collectivite::{COUNT_ID, RESULTS_ID, SEARCH_ID};
use crate::components::ai_act::AI_ACT_PLACE_ID;
use crate::components::WizardForm;
use crate::domain::ai_act::AiActAnswers;
use crate::domain::intake::step_fields;
use crate::endpoints::intake::partie_etape;
use crate::model::intake::{StepFragment, StepPart};
use crate::pages::similar::{SIMILAR_PLACE_ID, SIMILAR_STATUS_ID};

/// One part of the step: which, where it goes, its live region (if it has its own), the last question asked, the
/// question waiting for a pause in the typing, and the HTML shown.
#[derive(Clone, Copy)]
struct Part {
    which: StepPart,
    place: &'static str,
    status: Option<&'static str>,
    latest: StoredValue<u64>,
    pending: StoredValue<Option<Timeout>, LocalStorage>,
    shown: StoredValue<String>,
}

impl Part {
    fn new(which: StepPart, place: &'static str, status: Option<&'static str>) -> Part {
        Part {
            which,
            place,
            status,
            latest: StoredValue::new(0),
            pending: StoredValue::new_local(None),
            shown: StoredValue::new(String::new()),
        }
    }

    /// Asks for the part from `fields` after `delay` ms without a newer question (at once for 0), then puts the
    /// answer in place.
    fn refresh(self, token: String, fields: Vec<(String, String)>, delay: u32) {
        self.latest.update_value(|n| *n += 1);
        let asked = self.latest.get_value();
        let run = move || {
            leptos::task::spawn_local(async move {
                if let Ok(fragment) = partie_etape(token, self.which, fields).await {
                    if asked == self.latest.get_value() {
                        self.put(fragment);
                    }
                }
            })
        };
        if delay == 0 {
            self.pending.set_value(None);
            run();
        } else {
            self.pending.set_value(Some(Timeout::new(delay, run)));
        }
    }

    fn put(self, fragment: StepFragment) {
        if let Some(status) = self.status.and_then(|id| document().get_element_by_id(id)) {
            if status.text_content().as_deref() != Some(fragment.announce.as_str()) {
                status.set_text_content(Some(&fragment.announce));
            }
        }
        if self.shown.with_value(|shown| *shown == fragment.html) {
            return;
        }
        if let Some(place) = document().get_element_by_id(self.place) {
            place.set_inner_html(&fragment.html);
        }
        self.shown.set_value(fragment.html);
    }
}

/// The named answers of `form`, as the server function reads them.
fn fields_of(form: WizardForm, names: impl Iterator<Item = &'static str>) -> Vec<(String, String)> {
    form.answers.with_untracked(|answers| {
        names
            .map(|name| (name.to_string(), answers.get(name).to_string()))
            .collect()
    })
}

/// What the step's island calls on each `input` and `keydown` that reaches it: step 1's search follows the
/// typing (250 ms after the last key), and Enter in the search box searches at once.
#[derive(Clone, Copy)]
pub struct Live {
    search: Part,
    token: StoredValue<String>,
}

/// From hydration on: the parts of `form`'s step follow its answers (each effect keeps what it last saw, and
/// asks again only when that changes).
pub fn keep_live(form: WizardForm, token: String) -> Live {
    let live = Live {
        search: Part::new(StepPart::Collectivites, RESULTS_ID, Some(COUNT_ID)),
        token: StoredValue::new(token),
    };
    match form.step {
        1 => {
            // A choice the results do not show (a copy restored from the browser) is searched again.
            Effect::new(move |_| {
                let key = form.answers.with(|a| a.get("collectivite").to_string());
                let selector = format!("#{RESULTS_ID} input[value=\"{key}\"]");
                if !key.is_empty() && document().query_selector(&selector).ok().flatten().is_none() {
                    live.search(form, 0);
                }
            });
        }
        2 => {
            let similar = Part::new(StepPart::CasProches, SIMILAR_PLACE_ID, Some(SIMILAR_STATUS_ID));
            const NEED: [&str; 3] = ["titre", "probleme", "solution"];
            Effect::new(move |seen: Option<Vec<(String, String)>>| {
                form.answers.track();
                let need = fields_of(form, NEED.into_iter());
                if seen.as_ref() != Some(&need) {
                    similar.refresh(live.token.get_value(), need.clone(), 600);
                }
                need
            });
        }
        5 => {
            let assessment = Part::new(StepPart::PreEvaluation, AI_ACT_PLACE_ID, None);
            Effect::new(move |seen: Option<(AiActAnswers, bool)>| {
                let answered = form.answers.with(|a| (a.ai_act(), a.personal_data()));
                if seen.is_some_and(|seen| seen != answered) {
                    let fields = fields_of(form, step_fields(5).map(|spec| spec.name));
                    assessment.refresh(live.token.get_value(), fields, 150);
                }
                answered
            });
        }
        _ => {}
    }
    live
}

impl Live {
    /// The search box's text, searched after `delay` ms (the choice made kept first in the results).
    fn search(self, form: WizardForm, delay: u32) {
        let q = document()
            .get_element_by_id(SEARCH_ID)
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
            .map(|input| input.value())
            .unwrap_or_default();
        let mut fields = fields_of(form, ["collectivite"].into_iter());
        fields.push(("recherche".to_string(), q));
        self.search.refresh(self.token.get_value(), fields, delay);
    }

    fn in_search_box(ev: &web_sys::Event) -> bool {
        ev.target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|element| element.id() == SEARCH_ID)
    }

    pub fn on_input(self, form: WizardForm, ev: &leptos::ev::Event) {
        if form.step == 1 && Self::in_search_box(ev) {
            self.search(form, 250);
        }
    }

    pub fn on_keydown(self, form: WizardForm, ev: &leptos::ev::KeyboardEvent) {
        if form.step == 1 && ev.key() == "Enter" && Self::in_search_box(ev) {
            ev.prevent_default();
            self.search(form, 0);
        }
    }
}
