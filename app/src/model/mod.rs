//! The types that cross the wire between the server functions and the pages, by area; no logic.

pub mod accounts;
pub mod board;
pub mod case;
pub mod catalogue;
pub mod intake;
pub mod messages;
pub mod project;
pub mod similar;
pub mod team;
