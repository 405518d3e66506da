//! IA Factory, the web application of the "Territoires d'IA" programme: pages, server functions and the
//! programme's rules, shared by the server (SSR) and the browser (WASM hydration).
#![recursion_limit = "256"]

pub mod api;
pub mod app;
pub mod board;
pub mod catalogue;
pub mod components;
pub mod domain;
pub mod error;
pub mod follow_up;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
pub mod team;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Islands mode: the page is the server's HTML; the loader in `app::HydrateAfterPaint` then hydrates each
    // `#[island]` it finds (the wizard's step form, the board, the move form) by calling its exported function.
    leptos::mount::hydrate_islands();
}
