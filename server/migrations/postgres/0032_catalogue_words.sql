-- A narrow copy of each published case for the catalogue's searches with words: its date, hours, filters and
-- search vector, without the texts. At 100,000 cases it takes 73 MB against the 391 MB of `publications`, and stays
-- in PostgreSQL's buffers: « courrier » visited 8,240 pages of `publications` (two rows to a page) read from the
-- system's cache, it visits 5,770 pages of this copy (server/src/sql/catalogue/search.rs).
-- The publications' trigger keeps it, in the same transaction as each change.
CREATE TABLE publication_words (
    id BIGINT PRIMARY KEY REFERENCES publications(id) ON DELETE CASCADE,
    published_at BIGINT NOT NULL,
    withdrawn_at BIGINT,
    hours_estimated BIGINT NOT NULL,
    hours_measured BIGINT,
    population BIGINT,
    domain TEXT NOT NULL,
    region TEXT NOT NULL,
    collectivite_kind TEXT NOT NULL,
    typologie TEXT NOT NULL,
    briques TEXT NOT NULL,
    search_vector tsvector NOT NULL
);

CREATE FUNCTION copy_publication_words() RETURNS trigger AS $$
BEGIN
    INSERT INTO publication_words (id, published_at, withdrawn_at, hours_estimated, hours_measured, population,
            domain, region, collectivite_kind, typologie, briques, search_vector)
        VALUES (NEW.id, NEW.published_at, NEW.withdrawn_at, NEW.hours_estimated, NEW.hours_measured, NEW.population,
            NEW.domain, NEW.region, NEW.collectivite_kind, NEW.typologie, NEW.briques, NEW.search_vector)
        ON CONFLICT (id) DO UPDATE SET published_at = EXCLUDED.published_at, withdrawn_at = EXCLUDED.withdrawn_at,
            hours_estimated = EXCLUDED.hours_estimated, hours_measured = EXCLUDED.hours_measured,
            population = EXCLUDED.population, domain = EXCLUDED.domain, region = EXCLUDED.region,
            collectivite_kind = EXCLUDED.collectivite_kind, typologie = EXCLUDED.typologie,
            briques = EXCLUDED.briques, search_vector = EXCLUDED.search_vector;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER publication_words_copied AFTER INSERT OR UPDATE ON publications
    FOR EACH ROW EXECUTE FUNCTION copy_publication_words();

INSERT INTO publication_words (id, published_at, withdrawn_at, hours_estimated, hours_measured, population, domain,
        region, collectivite_kind, typologie, briques, search_vector)
    SELECT id, published_at, withdrawn_at, hours_estimated, hours_measured, population, domain, region,
        collectivite_kind, typologie, briques, search_vector
    FROM publications;

CREATE INDEX publication_words_search ON publication_words USING GIN (search_vector);
-- The searches with words read this copy only: the wide table's index of words goes.
DROP INDEX publications_search;
