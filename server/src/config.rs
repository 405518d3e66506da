//! Configuration read from the environment (documented in the README), with defaults that run on a laptop.

/// Where the data lives, where the site is published and whether to add demonstration content.
#[derive(Clone, Debug)]
pub struct Config {
    /// `sqlite://…` (default, under `data/`) or `postgres://…`.
    pub database_url: String,
    /// `IAF_DEMO=1`: add the demonstration cases and accounts (only `scripts/run.sh` asks for them).
    pub seed_demo: bool,
    /// `IAF_PUBLIC_URL`, the site's public address, empty when unset.
    pub public_url: String,
    /// `IAF_PROXY=1`: a reverse proxy in front gives the client's address in `X-Forwarded-For`.
    pub behind_proxy: bool,
    /// `IAF_SMTP_URL` (`smtp://…`, `smtps://…`), empty to write each message as a file instead.
    pub smtp_url: String,
    /// `IAF_CLE_COURRIELS`, 64 hexadecimal digits sealing the outbox's private links (required with SMTP).
    pub outbox_key: String,
    /// `IAF_EXPEDITEUR`, the programme's sender address.
    pub sender: String,
    /// `IAF_COURRIELS_DIR`, where messages are written without SMTP.
    pub emails_dir: String,
    /// `IAF_PIECES_DIR`, where documents are stored (outside the site's root), `data/pieces` by default.
    pub documents_dir: String,
    /// `IAF_CLAMAV`, the ClamAV daemon's Unix socket; empty: no scan (documents marked "non analysé").
    pub clamav_socket: String,
    /// `IAF_METRIQUES_ADDR`, the address of the Prometheus metrics (e.g. `127.0.0.1:9464`); empty: none.
    pub metrics_addr: String,
}

pub const DEFAULT_DOCUMENTS_DIR: &str = "data/pieces";

pub const DEFAULT_SENDER: &str = "IA Factory <ne-pas-repondre@ia-factory.localhost>";
pub const DEFAULT_EMAILS_DIR: &str = "data/courriels";

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/ia-factory.db";

impl Config {
    pub fn from_env() -> Config {
        let var = |name: &str| std::env::var(name).unwrap_or_default().trim().to_string();
        let database_url = Some(var("DATABASE_URL"))
            .filter(|url| !url.is_empty())
            .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string());
        Config {
            database_url,
            seed_demo: var("IAF_DEMO") == "1",
            public_url: var("IAF_PUBLIC_URL"),
            behind_proxy: var("IAF_PROXY") == "1",
            smtp_url: var("IAF_SMTP_URL"),
            outbox_key: var("IAF_CLE_COURRIELS"),
            sender: Some(var("IAF_EXPEDITEUR"))
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| DEFAULT_SENDER.into()),
            emails_dir: Some(var("IAF_COURRIELS_DIR"))
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| DEFAULT_EMAILS_DIR.into()),
            documents_dir: Some(var("IAF_PIECES_DIR"))
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| DEFAULT_DOCUMENTS_DIR.into()),
            clamav_socket: var("IAF_CLAMAV"),
            metrics_addr: var("IAF_METRIQUES_ADDR"),
        }
    }

    /// Whether the site is served to the public over HTTPS (production).
    pub fn is_public(&self) -> bool {
        self.site().is_https()
    }

    /// Where the site is served (`IAF_PUBLIC_URL`).
    pub fn site(&self) -> app::server::context::Site {
        app::server::context::Site::new(&self.public_url)
    }
}

/// `IAF_QUOTA_BROUILLONS_MO`'s default: what all unfiled drafts may hold together, in MB.
pub const DEFAULT_DRAFTS_QUOTA_MB: i64 = 2048;

/// `IAF_QUOTA_BROUILLONS_MO` in bytes: what the documents of all unfiled drafts may hold together.
pub fn drafts_quota_bytes() -> i64 {
    std::env::var("IAF_QUOTA_BROUILLONS_MO")
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok())
        .filter(|mb| *mb > 0)
        .unwrap_or(DEFAULT_DRAFTS_QUOTA_MB)
        .saturating_mul(1024 * 1024)
}

/// `IAF_RESERVE_DISQUE_MO`'s default: the free space uploads must leave on the documents' filesystem, in MB.
pub const DEFAULT_DISK_RESERVE_MB: u64 = 512;

/// `IAF_RESERVE_DISQUE_MO` in bytes.
pub fn disk_reserve_bytes() -> u64 {
    std::env::var("IAF_RESERVE_DISQUE_MO")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(DEFAULT_DISK_RESERVE_MB)
        .saturating_mul(1024 * 1024)
}
