-- The public catalogue: what the team published of a case (public summary and diffusion kit), a copy of the
-- public facts it is filtered on, its search document indexed with a French text-search configuration that
-- ignores accents (unaccent, then the French stemmer), and which published case a new case replicates.
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'fr_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION fr_unaccent (COPY = french);
        ALTER TEXT SEARCH CONFIGURATION fr_unaccent
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
    END IF;
END
$$;

CREATE TABLE publications (
    id BIGSERIAL PRIMARY KEY,
    case_id BIGINT NOT NULL UNIQUE REFERENCES cases(id),
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    problem TEXT NOT NULL,
    solution TEXT NOT NULL,
    documentation TEXT NOT NULL DEFAULT '',
    videos TEXT NOT NULL DEFAULT '[]',
    supports TEXT NOT NULL DEFAULT '[]',
    contact TEXT NOT NULL DEFAULT '',
    hosting TEXT NOT NULL DEFAULT '',
    collectivite_name TEXT NOT NULL,
    collectivite_kind TEXT NOT NULL,
    collectivite_code TEXT NOT NULL,
    collectivite_siren TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL,
    population BIGINT,
    domain TEXT NOT NULL,
    briques TEXT NOT NULL,
    typologie TEXT NOT NULL,
    agents_estimated BIGINT NOT NULL,
    hours_estimated BIGINT NOT NULL,
    agents_measured BIGINT,
    hours_measured BIGINT,
    search_text TEXT NOT NULL,
    search_document TEXT NOT NULL DEFAULT '',
    search_vector tsvector GENERATED ALWAYS AS (to_tsvector('fr_unaccent'::regconfig, search_document)) STORED,
    published_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    withdrawn_at BIGINT
);
CREATE INDEX publications_published ON publications(published_at, id) WHERE withdrawn_at IS NULL;
CREATE INDEX publications_domain ON publications(domain) WHERE withdrawn_at IS NULL;
CREATE INDEX publications_region ON publications(region) WHERE withdrawn_at IS NULL;
-- A narrow covering index: counting the matches of any filter reads it instead of the wide rows.
CREATE INDEX publications_filters ON publications(population, briques, typologie, collectivite_kind, domain, region)
    WHERE withdrawn_at IS NULL;
CREATE INDEX publications_search ON publications USING GIN (search_vector);

ALTER TABLE drafts ADD COLUMN replicates TEXT;
ALTER TABLE cases ADD COLUMN replicates TEXT;
CREATE INDEX cases_replicates ON cases(replicates);
