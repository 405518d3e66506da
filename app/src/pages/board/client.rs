//! The board's browser behaviour, and its empty twin on the server.

#[cfg(feature = "hydrate")]
mod browser {
    //! Browser-only behaviour of the board: pointer drag, focus placement, the dialog's fields and the stream of
    //! changes from the server.

    use leptos::prelude::*;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    use crate::domain::board::COLUMNS;
    use crate::pages::board::state::BoardState;

    fn document() -> Option<web_sys::Document> {
        web_sys::window()?.document()
    }

    /// Puts `path` in the address bar in place of the current address (a reload shows the same board).
    pub fn replace_address(path: &str) {
        if let Ok(history) = leptos::prelude::window().history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path));
        }
    }

    /// Focuses the handle of a card (its reference's link for a reader who cannot move it) once it is in the
    /// page (it may be re-rendered a moment later).
    pub fn focus_handle(reference: &str) {
        let selector = format!("[data-handle=\"{reference}\"], #carte-{reference} .card-reference");
        let attempt = move || {
            document()
                .and_then(|d| d.query_selector(&selector).ok().flatten())
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                .map(|e| e.focus().is_ok())
                .unwrap_or(false)
        };
        leptos::task::spawn_local(async move {
            for _ in 0..20 {
                gloo_timers::future::TimeoutFuture::new(30).await;
                if attempt() {
                    return;
                }
            }
        });
    }

    /// Keeps Tab and Shift+Tab inside the modal dialog `dialog_id`: from its last control to its first, and back.
    pub fn keep_focus_inside(dialog_id: &'static str, event: &leptos::ev::KeyboardEvent) {
        if event.key() != "Tab" {
            return;
        }
        let Some(controls) = document().and_then(|d| {
            d.query_selector_all(&format!(
                "#{dialog_id} select:not([disabled]), #{dialog_id} input:not([type=hidden]):not([disabled]), \
                 #{dialog_id} textarea:not([disabled]), #{dialog_id} button:not([disabled]), #{dialog_id} a[href]"
            ))
            .ok()
        }) else {
            return;
        };
        let count = controls.length();
        let (Some(first), Some(last)) = (controls.item(0), controls.item(count.saturating_sub(1))) else {
            return;
        };
        let active = document().and_then(|d| d.active_element());
        let is = |node: &web_sys::Node| active.as_ref().is_some_and(|a| a.is_same_node(Some(node)));
        let wrap_to = match (event.shift_key(), is(&first), is(&last)) {
            (true, true, _) => Some(last),
            (false, _, true) => Some(first),
            _ => None,
        };
        if let Some(target) = wrap_to.and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok()) {
            event.prevent_default();
            let _ = target.focus();
        }
    }

    pub fn focus_first_field(dialog_id: &'static str) {
        leptos::task::spawn_local(async move {
            gloo_timers::future::TimeoutFuture::new(0).await;
            if let Some(field) = document()
                .and_then(|d| d.query_selector(&format!("#{dialog_id} select")).ok().flatten())
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = field.focus();
            }
        });
    }

    pub fn reason_and_destination(form: NodeRef<leptos::html::Form>) -> (String, Option<String>) {
        let Some(form) = form.get_untracked() else {
            return (String::new(), None);
        };
        let Ok(data) = web_sys::FormData::new_with_form(&form) else {
            return (String::new(), None);
        };
        let reason = data.get("raison").as_string().unwrap_or_default();
        let destination = data.get("destination").as_string().filter(|d| !d.is_empty());
        (reason, destination)
    }

    /// Listens to `/equipe/flux` and calls `refresh` for every change.
    pub fn listen_to_changes(refresh: impl Fn() + 'static) {
        let Ok(source) = web_sys::EventSource::new("/equipe/flux") else {
            return;
        };
        let on_change = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |_event: web_sys::MessageEvent| refresh());
        let _ = source.add_event_listener_with_callback("changement", on_change.as_ref().unchecked_ref());
        on_change.forget();
        // Lets end-to-end tests know the board listens.
        let on_open = Closure::<dyn Fn(web_sys::Event)>::new(move |_event: web_sys::Event| {
            let _ = js_sys::Reflect::set(&leptos::prelude::window(), &"__iafLive".into(), &true.into());
        });
        let _ = source.add_event_listener_with_callback("open", on_open.as_ref().unchecked_ref());
        on_open.forget();
        let source = StoredValue::new_local(source);
        on_cleanup(move || source.with_value(|s| s.close()));
    }

    /// The column under a point of the screen.
    fn column_at(x: f64, y: f64) -> Option<usize> {
        let document = document()?;
        let columns = document.query_selector_all("[data-column]").ok()?;
        (0..columns.length()).find_map(|i| {
            let element = columns.item(i)?.dyn_into::<web_sys::Element>().ok()?;
            let rect = element.get_bounding_client_rect();
            let inside = x >= rect.left() && x < rect.right() && y >= rect.top() && y < rect.bottom();
            if inside {
                element.get_attribute("data-column")?.parse().ok()
            } else {
                None
            }
        })
    }

    /// The drag of one card with a pointer: mouse and pen at once, touch after a hold of 400 ms.
    struct PointerDrag {
        start: (f64, f64),
        origin: usize,
        armed: bool,
        dragging: bool,
    }

    pub fn pointer_down(event: &web_sys::PointerEvent, reference: &str, state: BoardState) {
        if event.button() != 0 || state.keyboard.get_untracked().is_some() {
            return;
        }
        let Some(handle) = event
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
        else {
            return;
        };
        let Some(card) = document().and_then(|d| d.get_element_by_id(&format!("carte-{reference}"))) else {
            return;
        };
        let Some(card) = card.dyn_into::<web_sys::HtmlElement>().ok() else {
            return;
        };
        let origin = card
            .closest("[data-column]")
            .ok()
            .flatten()
            .and_then(|c| c.get_attribute("data-column"))
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let touch = event.pointer_type() == "touch";
        let _ = handle.set_pointer_capture(event.pointer_id());
        let drag = std::rc::Rc::new(std::cell::RefCell::new(PointerDrag {
            start: (event.client_x() as f64, event.client_y() as f64),
            origin,
            armed: !touch,
            dragging: false,
        }));
        if touch {
            let drag = drag.clone();
            let card = card.clone();
            gloo_timers::callback::Timeout::new(400, move || {
                drag.borrow_mut().armed = true;
                let _ = card.class_list().add_1("is-armed");
            })
            .forget();
        }
        let reset = {
            let card = card.clone();
            move || {
                let _ = card.style().remove_property("transform");
                let _ = card.class_list().remove_2("is-dragging", "is-armed");
                state.pointer_target.set(None);
            }
        };
        let on_move = {
            let drag = drag.clone();
            let card = card.clone();
            Closure::<dyn Fn(web_sys::PointerEvent)>::new(move |event: web_sys::PointerEvent| {
                let mut drag = drag.borrow_mut();
                let (dx, dy) = (
                    event.client_x() as f64 - drag.start.0,
                    event.client_y() as f64 - drag.start.1,
                );
                if !drag.armed {
                    return;
                }
                if !drag.dragging && dx.hypot(dy) < 4.0 {
                    return;
                }
                drag.dragging = true;
                let _ = card.class_list().add_1("is-dragging");
                let _ = card
                    .style()
                    .set_property("transform", &format!("translate({dx}px, {dy}px)"));
                let target = column_at(event.client_x() as f64, event.client_y() as f64);
                state.pointer_target.set(target.filter(|t| *t != drag.origin));
            })
        };
        let on_up = {
            let drag = drag.clone();
            let reference = reference.to_string();
            let reset = reset.clone();
            Closure::<dyn Fn(web_sys::PointerEvent)>::new(move |event: web_sys::PointerEvent| {
                let drag = drag.borrow();
                let target = column_at(event.client_x() as f64, event.client_y() as f64);
                reset();
                if drag.dragging {
                    if let Some(target) = target.filter(|t| *t != drag.origin) {
                        state.request_move(&reference, COLUMNS[target]);
                    }
                }
            })
        };
        let on_cancel = Closure::<dyn Fn(web_sys::PointerEvent)>::new(move |_event: web_sys::PointerEvent| reset());
        listen_for_one_drag(&handle, on_move, on_up, on_cancel);
    }

    /// Listens on `handle` to one drag's moves, its end and its cancellation; every listener is removed on the
    /// first pointerup or pointercancel.
    fn listen_for_one_drag(
        handle: &web_sys::HtmlElement,
        on_move: Closure<dyn Fn(web_sys::PointerEvent)>,
        on_up: Closure<dyn Fn(web_sys::PointerEvent)>,
        on_cancel: Closure<dyn Fn(web_sys::PointerEvent)>,
    ) {
        let _ = handle.add_event_listener_with_callback("pointermove", on_move.as_ref().unchecked_ref());
        // The listeners live for this one drag: removed on the first pointerup or pointercancel.
        let remove = {
            let handle = handle.clone();
            let on_move = on_move.as_ref().clone();
            let on_up_fn = on_up.as_ref().clone();
            let on_cancel_fn = on_cancel.as_ref().clone();
            move || {
                let _ = handle.remove_event_listener_with_callback("pointermove", on_move.unchecked_ref());
                let _ = handle.remove_event_listener_with_callback("pointerup", on_up_fn.unchecked_ref());
                let _ = handle.remove_event_listener_with_callback("pointercancel", on_cancel_fn.unchecked_ref());
            }
        };
        let remove_after_up = remove.clone();
        let cleanup_up =
            Closure::<dyn Fn(web_sys::PointerEvent)>::new(move |_e: web_sys::PointerEvent| remove_after_up());
        let cleanup_cancel = Closure::<dyn Fn(web_sys::PointerEvent)>::new(move |_e: web_sys::PointerEvent| remove());
        let once = web_sys::AddEventListenerOptions::new();
        once.set_once(true);
        let _ = handle.add_event_listener_with_callback("pointerup", on_up.as_ref().unchecked_ref());
        let _ = handle.add_event_listener_with_callback("pointercancel", on_cancel.as_ref().unchecked_ref());
        let _ = handle.add_event_listener_with_callback_and_add_event_listener_options(
            "pointerup",
            cleanup_up.as_ref().unchecked_ref(),
            &once,
        );
        let _ = handle.add_event_listener_with_callback_and_add_event_listener_options(
            "pointercancel",
            cleanup_cancel.as_ref().unchecked_ref(),
            &once,
        );
        on_move.forget();
        on_up.forget();
        on_cancel.forget();
        cleanup_up.forget();
        cleanup_cancel.forget();
    }
}

#[cfg(not(feature = "hydrate"))]
mod server_side {
    //! On the server the board has no browser behaviour.

    use leptos::prelude::*;

    use crate::pages::board::state::BoardState;

    pub fn focus_handle(_reference: &str) {}
    pub fn replace_address(_path: &str) {}
    pub fn focus_first_field(_dialog_id: &'static str) {}
    pub fn keep_focus_inside(_dialog_id: &'static str, _event: &leptos::ev::KeyboardEvent) {}
    pub fn reason_and_destination(_form: NodeRef<leptos::html::Form>) -> (String, Option<String>) {
        (String::new(), None)
    }
    pub fn listen_to_changes(_refresh: impl Fn() + 'static) {}
    pub fn pointer_down(_event: &leptos::ev::PointerEvent, _reference: &str, _state: BoardState) {}
}

#[cfg(feature = "hydrate")]
pub use browser::*;
#[cfg(not(feature = "hydrate"))]
pub use server_side::*;
