//! IA Factory, the web application of the "Territoires d'IA" programme: pages, server functions and the
//! programme's rules, shared by the server (SSR) and the browser (WASM hydration).
#![recursion_limit = "256"]

pub mod app;
pub mod components;
pub mod domain;
pub mod endpoints;
pub mod error;
#[cfg(test)]
mod house;
pub mod loader;
pub mod model;
pub mod pages;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod store;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Islands mode: the page is the server's HTML; the loader (`loader::HydrateAfterPaint`) then hydrates each
    // island it finds by calling its exported function.
    leptos::mount::hydrate_islands();
}
