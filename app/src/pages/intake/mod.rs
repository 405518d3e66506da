//! The collectivité's pages: the intake's start, the six screens of the wizard, the receipt and the private
//! follow-up page.

#[cfg(feature = "hydrate")]
mod client;
pub mod collectivite;
pub mod deposer;
mod documents;
#[cfg(feature = "hydrate")]
mod dom;
#[cfg(feature = "hydrate")]
mod live;
mod places;
pub mod receipt;
mod summary;
pub mod wizard;
