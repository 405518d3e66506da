//! What JavaScript adds to the thread and the document forms (islands): the messages kept up to date (through
//! the board's live stream on the team's page, by reading the thread every 20 seconds on the follow-up page),
//! and a progress bar with per-file errors checked before sending. Without JavaScript the same forms post as
//! they are and the page shows the server's answer.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::documents::Refusal;
use crate::model::messages::MessageView;

/// Where a thread's updates come from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LiveSource {
    /// The team's case page: the board's live stream, for this case.
    Case(String),
    /// The follow-up page: its private link.
    Link(String),
    /// A case page of the collectivités' space: its reference.
    Agent(String),
}

/// The messages of a thread; with JavaScript they update as new ones arrive, announced to screen readers.
#[cfg_attr(island_LiveMessages, island)]
#[cfg_attr(not(island_LiveMessages), component)]
pub fn LiveMessages(messages: Vec<MessageView>, source: LiveSource) -> impl IntoView {
    let list = RwSignal::new(messages);
    let announce = RwSignal::new(String::new());
    #[cfg(feature = "hydrate")]
    client::follow(source, list, announce);
    #[cfg(not(feature = "hydrate"))]
    let _ = source;
    view! {
        <p class="visually-hidden" role="status">{move || announce.get()}</p>
        {move || view! { <super::MessageList messages=list.get()/> }}
    }
}

/// The progress bar and the refusals of the multipart form `form_id`, rendered by the server and hidden until
/// used, and the island that enhances the form (`UploadEnhance`).
#[component]
pub fn UploadProgress(form_id: String, room: usize) -> impl IntoView {
    view! {
        <div class="upload-progress">
            <div id=PROGRESS_ID hidden=true>
                <label for="progression-envoi">"Envoi des fichiers"</label>
                <progress id="progression-envoi" max="100" value="0">"0 %"</progress>
                <p role="status"></p>
            </div>
            <div id=REFUSALS_ID tabindex="-1"></div>
        </div>
        <UploadEnhance form_id room/>
    }
}

/// Enhances the multipart form `form_id`: files checked before sending (size, count, extension; the server
/// still checks the content), then sent with a progress bar; the page the server answers is then shown. The
/// bar and the refusals are shown in place by the browser's code (`client::enhance_upload`): the island renders
/// nothing of its own, which keeps its module light.
#[cfg_attr(island_UploadEnhance, island)]
#[cfg_attr(not(island_UploadEnhance), component)]
pub fn UploadEnhance(form_id: String, room: usize) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    client::enhance_upload(&form_id, room);
    #[cfg(not(feature = "hydrate"))]
    let _ = (&form_id, room);
}

/// The progress bar's block and the place of the refusals (one document form a page).
const PROGRESS_ID: &str = "envoi-progression";
const REFUSALS_ID: &str = "envoi-refus";

/// The refusals a browser can tell before sending: too large, too many, an extension that is not accepted.
pub fn check_before_sending(files: &[(String, f64)], room: usize) -> Vec<Refusal> {
    use crate::domain::documents::{clean_file_name, extension_of, FileType, MAX_FILE_BYTES};
    files
        .iter()
        .enumerate()
        .filter_map(|(index, (name, size))| {
            let name = clean_file_name(name);
            let accepted = FileType::ALL
                .iter()
                .any(|t| t.extensions().contains(&extension_of(&name).as_str()));
            if *size > MAX_FILE_BYTES as f64 {
                Some(Refusal::TooLarge { name })
            } else if !accepted {
                Some(Refusal::NotAccepted { name })
            } else if index >= room {
                Some(Refusal::TooMany { name })
            } else {
                None
            }
        })
        .collect()
}

#[cfg(feature = "hydrate")]
mod client {
    use leptos::prelude::*;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    use super::LiveSource;
    use crate::model::messages::MessageView;

    /// What the live stream says of a change: which case (`*`: any).
    #[derive(serde::Deserialize)]
    struct Change {
        reference: String,
    }

    fn update(list: RwSignal<Vec<MessageView>>, announce: RwSignal<String>, messages: Vec<MessageView>) {
        let before = list.with_untracked(Vec::len);
        if messages.len() > before {
            let new = messages.len() - before;
            announce.set(if new == 1 {
                "Un nouveau message est arrivé.".into()
            } else {
                format!("{new} nouveaux messages sont arrivés.")
            });
        }
        if list.with_untracked(|current| *current != messages) {
            list.set(messages);
        }
    }

    pub fn follow(source: LiveSource, list: RwSignal<Vec<MessageView>>, announce: RwSignal<String>) {
        match source {
            LiveSource::Case(reference) => {
                let Ok(events) = web_sys::EventSource::new("/equipe/flux") else {
                    return;
                };
                let on_change = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                    let data = event.data().as_string().unwrap_or_default();
                    let changed = serde_json::from_str::<Change>(&data)
                        .map(|change| change.reference)
                        .unwrap_or_default();
                    if changed == reference || changed == "*" {
                        let reference = reference.clone();
                        leptos::task::spawn_local(async move {
                            if let Ok(thread) = crate::endpoints::messages::fil_equipe(reference).await {
                                update(list, announce, thread.messages);
                            }
                        });
                    }
                });
                let _ = events.add_event_listener_with_callback("changement", on_change.as_ref().unchecked_ref());
                on_change.forget();
                let events = StoredValue::new_local(events);
                on_cleanup(move || events.with_value(|e| e.close()));
            }
            LiveSource::Link(token) => poll(
                move || {
                    let token = token.clone();
                    async move {
                        crate::endpoints::messages::fil_suivi(token)
                            .await
                            .ok()
                            .map(|thread| thread.messages)
                    }
                },
                list,
                announce,
            ),
            LiveSource::Agent(reference) => poll(
                move || {
                    let reference = reference.clone();
                    async move {
                        crate::endpoints::agents::dossier_collectivite(reference)
                            .await
                            .ok()
                            .map(|case| case.thread.messages)
                    }
                },
                list,
                announce,
            ),
        }
    }

    /// Reads the thread every 20 seconds (the pages without the team's live stream).
    fn poll<F, Fut>(read: F, list: RwSignal<Vec<MessageView>>, announce: RwSignal<String>)
    where
        F: Fn() -> Fut + 'static,
        Fut: std::future::Future<Output = Option<Vec<MessageView>>> + 'static,
    {
        let interval = gloo_timers::callback::Interval::new(20_000, move || {
            let thread = read();
            leptos::task::spawn_local(async move {
                if let Some(messages) = thread.await {
                    update(list, announce, messages);
                }
            });
        });
        let interval = StoredValue::new_local(Some(interval));
        on_cleanup(move || interval.update_value(|i| drop(i.take())));
    }

    /// The progress bar shown at `percent`, or hidden (`None`).
    fn show_progress(percent: Option<u32>) {
        let Some(block) = document().get_element_by_id(super::PROGRESS_ID) else {
            return;
        };
        let _ = match percent {
            Some(_) => block.remove_attribute("hidden"),
            None => block.set_attribute("hidden", ""),
        };
        let Some(p) = percent else {
            return;
        };
        if let Some(bar) = document().get_element_by_id("progression-envoi") {
            let _ = bar.set_attribute("value", &p.to_string());
            bar.set_text_content(Some(&format!("{p} %")));
        }
        if let Ok(Some(status)) = block.query_selector("[role=status]") {
            status.set_text_content(Some(&if p >= 100 {
                "Envoi terminé, vérification des fichiers…".to_string()
            } else {
                format!("Envoi en cours : {} %", p / 10 * 10)
            }));
        }
    }

    /// The refusals listed in an alert that takes the focus (none: the alert removed).
    fn show_refusals(messages: &[String]) {
        let Some(place) = document().get_element_by_id(super::REFUSALS_ID) else {
            return;
        };
        place.set_text_content(None);
        if messages.is_empty() {
            return;
        }
        let element = |tag: &str| document().create_element(tag).ok();
        let (Some(alert), Some(heading), Some(list)) = (element("div"), element("h3"), element("ul")) else {
            return;
        };
        alert.set_class_name("alert alert-error error-summary");
        let _ = alert.set_attribute("role", "alert");
        heading.set_text_content(Some("Rien n'a été envoyé"));
        for message in messages {
            if let Some(item) = element("li") {
                item.set_text_content(Some(message));
                let _ = list.append_child(&item);
            }
        }
        let _ = alert.append_child(&heading);
        let _ = alert.append_child(&list);
        let _ = place.append_child(&alert);
        if let Some(place) = place.dyn_ref::<web_sys::HtmlElement>() {
            let _ = place.focus();
        }
    }

    pub fn enhance_upload(form_id: &str, room: usize) {
        let Some(form) = document()
            .get_element_by_id(form_id)
            .and_then(|e| e.dyn_into::<web_sys::HtmlFormElement>().ok())
        else {
            return;
        };
        let target = form.clone();
        let on_submit = Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
            let form = target.clone();
            let files: Vec<(String, f64)> = form
                .query_selector("input[type=file]")
                .ok()
                .flatten()
                .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
                .and_then(|input| input.files())
                .map(|list| {
                    (0..list.length())
                        .filter_map(|i| list.get(i))
                        .map(|file| (file.name(), file.size()))
                        .collect()
                })
                .unwrap_or_default();
            if files.is_empty() {
                // Nothing to show progress for: the form posts as it does without JavaScript.
                return;
            }
            event.prevent_default();
            let refused: Vec<String> = super::check_before_sending(&files, room)
                .iter()
                .map(|r| r.message())
                .collect();
            show_refusals(&refused);
            if refused.is_empty() {
                send(&form);
            }
        });
        let _ = form.add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
        on_submit.forget();
    }

    fn send(form: &web_sys::HtmlFormElement) {
        let (Ok(data), Ok(request)) = (web_sys::FormData::new_with_form(form), web_sys::XmlHttpRequest::new()) else {
            return;
        };
        if request.open("POST", &form.action()).is_err() {
            return;
        }
        let fail = move |messages: Vec<String>| {
            show_progress(None);
            show_refusals(&messages);
        };
        if let Ok(upload) = request.upload() {
            let on_progress = Closure::<dyn Fn(web_sys::ProgressEvent)>::new(move |event: web_sys::ProgressEvent| {
                if event.length_computable() && event.total() > 0.0 {
                    show_progress(Some(((event.loaded() / event.total()) * 100.0).round() as u32));
                }
            });
            upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
            on_progress.forget();
        }
        let answered = request.clone();
        let on_load = Closure::<dyn Fn(web_sys::Event)>::new(move |_event: web_sys::Event| {
            let status = answered.status().unwrap_or_default();
            if (200..300).contains(&status) {
                let _ = window().location().assign(&answered.response_url());
            } else {
                // A refusal is answered as plain text to a request that does not ask for a page: one line a file.
                let text = answered.response_text().ok().flatten().unwrap_or_default();
                fail(
                    if text.is_empty() || text.len() > 4_000 || text.trim_start().starts_with('<') {
                        vec![
                            "L'envoi a été refusé par le serveur : rien n'a été enregistré. Réessayez dans un instant."
                                .into(),
                        ]
                    } else {
                        text.lines()
                            .filter(|line| !line.trim().is_empty())
                            .map(str::to_string)
                            .collect()
                    },
                );
            }
        });
        request.set_onload(Some(on_load.as_ref().unchecked_ref()));
        on_load.forget();
        let on_error = Closure::<dyn Fn(web_sys::Event)>::new(move |_event: web_sys::Event| {
            fail(vec![
                "L'envoi a échoué : vérifiez votre connexion puis réessayez. Rien n'a été enregistré.".into(),
            ]);
        });
        request.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
        show_progress(Some(0));
        let _ = request.send_with_opt_form_data(Some(&data));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browser_refuses_before_sending_what_is_too_large_too_many_or_of_another_type() {
        let files = vec![
            ("a.pdf".to_string(), 1_000.0),
            ("gros.pdf".to_string(), 21.0 * 1024.0 * 1024.0),
            ("script.exe".to_string(), 10.0),
            ("b.pdf".to_string(), 10.0),
        ];
        let codes: Vec<&str> = check_before_sending(&files, 3).iter().map(Refusal::code).collect();
        assert_eq!(codes, ["taille", "type", "nombre"]);
        assert!(check_before_sending(&files[..1], 1).is_empty());
    }
}
