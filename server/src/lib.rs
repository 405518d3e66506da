//! The IA Factory server: configuration, the SQL store behind `app`'s store interface, the demo seed, the
//! background jobs and the axum application serving pages, server functions and compressed static assets.

pub mod backup;
pub mod config;
pub mod copies;
pub mod db;
pub mod http;
pub mod jobs;
pub mod library_import;
pub mod logging;
pub mod mail;
pub mod odt;
pub mod pdf;
pub mod proconnect;
pub mod scan;
pub mod seal;
pub mod seed;
pub mod sheets;
pub mod shutdown;
pub mod sql;
pub mod startup;
pub mod state;
pub mod storage;
