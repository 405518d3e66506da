//! The server functions, one file per area: what the pages and the forms posted without JavaScript call.

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
pub mod indicators;
pub mod intake;
pub mod library;
pub mod messages;
pub mod notices;
pub mod periods;
pub mod sign_in;
pub mod similar;
