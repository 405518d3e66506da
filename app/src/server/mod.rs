//! What the server functions share on the server side: their context, the session checks, the one access to
//! a case, the mapping of a store outcome to an error, private tokens and the Markdown renderer.

pub mod access;
pub mod context;
pub mod markdown;
pub mod outcome;
pub mod project;
pub mod session;
pub mod tokens;
