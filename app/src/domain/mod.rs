//! The programme's rules as plain Rust: no Leptos, no SQL, so the browser, the JS-off form post and the server
//! functions all call the same code.

pub mod access;
pub mod accounts;
pub mod agents;
pub mod ai_act;
pub mod auth;
pub mod avis;
pub mod board;
pub mod cadrage;
pub mod catalogue;
pub mod collectivites;
pub mod csv;
pub mod dates;
pub mod diffusion;
pub mod documents;
pub mod due;
pub mod email;
pub mod gates;
pub mod health;
pub mod history;
pub mod impact;
pub mod indicators;
pub mod intake;
pub mod messages;
pub mod notices;
pub mod periods;
pub mod proconnect;
pub mod qualification;
pub mod reference;
pub mod referentiel;
pub mod registers;
pub mod retention;
pub mod sign_in;
pub mod similar;
pub mod stage;
pub mod text;
