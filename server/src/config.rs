//! Configuration read from the environment (documented in the README), with defaults that run on a laptop.

/// Where the data lives and whether to add demonstration content.
#[derive(Clone, Debug)]
pub struct Config {
    /// `sqlite://…` (default, under `data/`) or `postgres://…`.
    pub database_url: String,
    /// Seed demonstration cases into an empty database.
    pub seed_demo: bool,
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/ia-factory.db";

impl Config {
    pub fn from_env() -> Config {
        let database_url = std::env::var("DATABASE_URL")
            .ok()
            .filter(|url| !url.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string());
        let seed_demo = std::env::var("IAF_DEMO_SEED").map(|v| v != "0").unwrap_or(true);
        Config {
            database_url,
            seed_demo,
        }
    }
}
