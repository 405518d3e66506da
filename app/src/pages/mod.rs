//! One module a page of the site.

pub mod board;
pub mod catalogue;
pub mod deposer;
pub mod follow_up;
pub mod home;
pub mod legal;
pub mod not_found;
pub mod receipt;
pub mod team;
pub mod wizard;
