//! The pages of the site by area, mirroring `endpoints/`.

pub mod accounts;
pub mod agents;
pub mod board;
pub mod cadrage;
pub mod case;
pub mod catalogue;
pub mod conception;
pub mod deployments;
pub mod diffusion;
pub mod documents;
pub mod due;
pub mod home;
pub mod indicators;
pub mod intake;
pub mod legal;
pub mod library;
pub mod messages;
pub mod not_found;
pub mod notices;
pub mod periods;
pub mod sign_in;
pub mod similar;
