//! The browser's WebAssembly module holding the islands of one step of the wizard (app/islands.txt): the app's
//! `hydrate` and its islands' exported functions.
#![cfg(target_arch = "wasm32")]

pub use app::hydrate;
