//! The types that cross the wire between the server functions and the pages, by area; no logic.

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
pub mod intake;
pub mod library;
pub mod messages;
pub mod periods;
pub mod sign_in;
pub mod similar;
