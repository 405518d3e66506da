//! The IA Factory server: configuration, the SQL store behind `app`'s store interface, the demo seed and the
//! axum router serving pages, server functions and compressed static assets.

pub mod catalogue;
pub mod config;
pub mod db;
pub mod follow_up;
pub mod limits;
pub mod live;
pub mod odt;
pub mod open_data;
pub mod privacy;
pub mod routes;
pub mod seed;
pub mod store;
