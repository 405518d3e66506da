//! The collectivité's pages: the intake's start, the six screens of the wizard, the receipt and the private
//! follow-up page.

#[cfg(feature = "hydrate")]
mod client;
pub mod deposer;
mod documents;
pub mod receipt;
mod summary;
pub mod wizard;
