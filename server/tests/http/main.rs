//! The server's tests through its real router and store, on SQLite and PostgreSQL, built as one test binary
//! (one link instead of nine on 2 cores). Each module is one area; `common` makes fresh databases.

mod common;

mod access;
mod accounts;
mod agents;
mod ai_act;
mod audit;
mod audit_disk;
mod audit_outbox;
mod backup;
mod board;
mod board_paging;
mod case_routes;
mod catalogue;
mod colleagues;
mod deployments;
mod deployments_data;
mod deployments_team;
mod exchange;
mod hardening;
mod hostile_input;
mod hostile_stored;
mod hostile_templates;
mod hostile_world;
mod intake;
mod library;
mod live;
mod notices;
mod object_storage;
mod open_data_copies;
mod operations;
mod outbox;
mod proconnect;
mod project;
mod publication;
mod scan;
mod security_headers;
mod sign_in;
mod startup;
mod store;
mod team;
mod xss_escaping;
