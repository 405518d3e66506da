//! The browser's WebAssembly module holding every island (the fallback of a page whose islands no single module
//! holds; built by cargo-leptos): the app's `hydrate` and its islands' exported functions.
#![cfg(target_arch = "wasm32")]

pub use app::hydrate;
