-- The catalogue sorted by impact (hours saved, then most recent): read in this index's order, a common search
-- word's matches are found in a few rows instead of sorting each of them (server/src/sql/catalogue/search.rs).
CREATE INDEX publications_impact ON publications(COALESCE(hours_measured, hours_estimated), published_at)
    WHERE withdrawn_at IS NULL;
