//! The browser's WebAssembly module holding the islands of the board pages (app/islands.txt): the app's `hydrate`
//! and its islands' exported functions.
#![cfg(target_arch = "wasm32")]

pub use app::hydrate;
