//! The pages of the site by area, mirroring `endpoints/`.

pub mod accounts;
pub mod board;
pub mod cadrage;
pub mod case;
pub mod catalogue;
pub mod conception;
pub mod diffusion;
pub mod home;
pub mod indicators;
pub mod intake;
pub mod legal;
pub mod messages;
pub mod not_found;
mod project;
pub mod similar;
pub mod team;
