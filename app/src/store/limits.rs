//! What the request limits ask of persistence: a count per kind of request, address and minute that every
//! server process on one PostgreSQL database shares (on SQLite, one process, the counts stay in its memory).

use super::outcome::StoreError;

/// A kind of request limited per address and minute.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Bucket {
    /// Starting a draft and filing it (and what sends email or lays out a PDF).
    Intake,
    /// The collectivité autocompletion and the close cases of the wizard.
    Autocomplete,
}

impl Bucket {
    /// Its name in the database.
    pub fn code(self) -> &'static str {
        match self {
            Bucket::Intake => "depot",
            Bucket::Autocomplete => "recherche",
        }
    }
}

#[async_trait::async_trait]
pub trait LimitStore: Send + Sync {
    /// Counts one request of `bucket` from `address` in the minute that starts at `window` (seconds) and returns
    /// how many that minute has counted, this one included (a new minute starts again at one).
    async fn count_request(&self, bucket: Bucket, address: &str, window: i64) -> Result<i64, StoreError>;
    /// Forgets the counts of the minutes before `before`; how many were forgotten.
    async fn forget_requests(&self, before: i64) -> Result<u64, StoreError>;
}
