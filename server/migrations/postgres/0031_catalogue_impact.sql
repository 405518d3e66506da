-- The catalogue sorted by impact (hours saved, then most recent), in this index's order: the same index as on
-- SQLite, where a common search word's matches are then found in a few rows (server/src/sql/catalogue/search.rs).
CREATE INDEX publications_impact ON publications(COALESCE(hours_measured, hours_estimated), published_at)
    WHERE withdrawn_at IS NULL;
