//! Recent results of catalogue searches, kept a few seconds and emptied by a publication.

use app::domain::catalogue::CatalogueQuery;
use app::model::catalogue::SearchResults;

/// Results of recent catalogue searches, by query: the catalogue changes only when the team publishes, while
/// readers repeat the same searches (the home of the catalogue above all). An entry lives `lifetime` (10 s by
/// default, `IAF_CATALOGUE_CACHE_SECONDS`); a publication in this process empties the cache at once (other
/// processes on the same PostgreSQL database see it within the lifetime).
#[derive(Debug)]
pub struct SearchCache {
    lifetime: std::sync::Mutex<std::time::Duration>,
    entries: std::sync::Mutex<std::collections::HashMap<CatalogueQuery, (std::time::Instant, SearchResults)>>,
}

impl Default for SearchCache {
    fn default() -> Self {
        let seconds = std::env::var("IAF_CATALOGUE_CACHE_SECONDS")
            .ok()
            .and_then(|s| s.parse::<u64>().ok())
            .unwrap_or(10);
        SearchCache {
            lifetime: std::sync::Mutex::new(std::time::Duration::from_secs(seconds)),
            entries: Default::default(),
        }
    }
}

impl SearchCache {
    /// At most this many distinct searches are kept.
    const CAPACITY: usize = 1_000;

    /// Changes the lifetime of entries (zero turns the cache off, as the search benchmark does).
    pub fn set_lifetime(&self, lifetime: std::time::Duration) {
        if let Ok(mut current) = self.lifetime.lock() {
            *current = lifetime;
        }
        self.clear();
    }

    fn lifetime(&self) -> std::time::Duration {
        self.lifetime.lock().map(|l| *l).unwrap_or_default()
    }

    pub(crate) fn get(&self, query: &CatalogueQuery) -> Option<SearchResults> {
        let lifetime = self.lifetime();
        let entries = self.entries.lock().ok()?;
        let (at, results) = entries.get(query)?;
        (at.elapsed() < lifetime).then(|| results.clone())
    }

    pub(crate) fn put(&self, query: &CatalogueQuery, results: &SearchResults) {
        if self.lifetime().is_zero() {
            return;
        }
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= Self::CAPACITY {
                entries.clear();
            }
            entries.insert(query.clone(), (std::time::Instant::now(), results.clone()));
        }
    }

    pub fn clear(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn results(total: i64) -> SearchResults {
        SearchResults {
            total,
            library: 0,
            items: Vec::new(),
            regions: Vec::new(),
            twins: Vec::new(),
        }
    }

    #[test]
    fn recent_searches_are_kept_until_cleared_and_never_when_off() {
        let cache = SearchCache::default();
        cache.set_lifetime(std::time::Duration::from_secs(60));
        let query = CatalogueQuery::from_pairs([("texte", "marchés")]);
        assert_eq!(cache.get(&query), None);
        cache.put(&query, &results(3));
        assert_eq!(cache.get(&query).map(|r| r.total), Some(3));
        assert_eq!(cache.get(&query.with_page(2)), None, "another page is another search");
        cache.clear();
        assert_eq!(cache.get(&query), None);
        cache.set_lifetime(std::time::Duration::ZERO);
        cache.put(&query, &results(3));
        assert_eq!(cache.get(&query), None);
    }
}
