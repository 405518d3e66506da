//! Recent results of catalogue searches, kept while the catalogue stays the same.

use app::domain::catalogue::CatalogueQuery;
use app::model::catalogue::SearchResults;

/// Results of recent catalogue searches, by query: the catalogue changes only when the team publishes (or a
/// deployment reports, or the Bibliothèque is imported), while readers repeat the same searches (the home of the
/// catalogue above all). An entry is kept with the catalogue generation it was read at (migration 0029, raised by
/// the database whichever process wrote) and served only while the generation is the same, at most `lifetime`
/// (60 s by default, `IAF_CATALOGUE_CACHE_SECONDS`; zero turns the cache off).
/// When a search was read, at which catalogue generation, and its results.
type Entry = (std::time::Instant, i64, SearchResults);

#[derive(Debug)]
pub struct SearchCache {
    lifetime: std::sync::Mutex<std::time::Duration>,
    entries: std::sync::Mutex<std::collections::HashMap<CatalogueQuery, Entry>>,
}

impl Default for SearchCache {
    fn default() -> Self {
        let seconds = std::env::var("IAF_CATALOGUE_CACHE_SECONDS")
            .ok()
            .and_then(|s| s.parse::<u64>().ok())
            .unwrap_or(60);
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

    /// Whether searches are kept at all.
    pub(crate) fn is_on(&self) -> bool {
        !self.lifetime().is_zero()
    }

    pub(crate) fn get(&self, query: &CatalogueQuery, generation: i64) -> Option<SearchResults> {
        let lifetime = self.lifetime();
        let entries = self.entries.lock().ok()?;
        let (at, read_at, results) = entries.get(query)?;
        (at.elapsed() < lifetime && *read_at == generation).then(|| results.clone())
    }

    pub(crate) fn put(&self, query: &CatalogueQuery, generation: i64, results: &SearchResults) {
        if self.lifetime().is_zero() {
            return;
        }
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= Self::CAPACITY {
                entries.clear();
            }
            entries.insert(query.clone(), (std::time::Instant::now(), generation, results.clone()));
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
    fn recent_searches_are_kept_while_the_generation_stays_and_never_when_off() {
        let cache = SearchCache::default();
        cache.set_lifetime(std::time::Duration::from_secs(60));
        let query = CatalogueQuery::from_pairs([("texte", "marchés")]);
        assert_eq!(cache.get(&query, 1), None);
        cache.put(&query, 1, &results(3));
        assert_eq!(cache.get(&query, 1).map(|r| r.total), Some(3));
        assert_eq!(cache.get(&query, 2), None, "the catalogue changed since");
        assert_eq!(
            cache.get(&query.with_page(2), 1),
            None,
            "another page is another search"
        );
        cache.clear();
        assert_eq!(cache.get(&query, 1), None);
        cache.set_lifetime(std::time::Duration::ZERO);
        assert!(!cache.is_on());
        cache.put(&query, 1, &results(3));
        assert_eq!(cache.get(&query, 1), None);
    }
}
