-- The public catalogue: what the team published of a case (public summary and diffusion kit), a copy of the
-- public facts it is filtered on, its search text (folded, stemmed words) indexed with FTS5, and which published
-- case a new case replicates.
CREATE TABLE publications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL UNIQUE REFERENCES cases(id),
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
    population INTEGER,
    domain TEXT NOT NULL,
    briques TEXT NOT NULL,
    typologie TEXT NOT NULL,
    agents_estimated INTEGER NOT NULL,
    hours_estimated INTEGER NOT NULL,
    agents_measured INTEGER,
    hours_measured INTEGER,
    search_text TEXT NOT NULL,
    published_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    withdrawn_at INTEGER
);
CREATE INDEX publications_published ON publications(published_at, id) WHERE withdrawn_at IS NULL;
CREATE INDEX publications_domain ON publications(domain) WHERE withdrawn_at IS NULL;
CREATE INDEX publications_region ON publications(region) WHERE withdrawn_at IS NULL;
-- A narrow covering index: counting the matches of any filter reads it instead of the wide rows.
CREATE INDEX publications_filters ON publications(population, briques, typologie, collectivite_kind, domain, region)
    WHERE withdrawn_at IS NULL;

CREATE VIRTUAL TABLE publications_fts USING fts5(
    search_text, content='publications', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER publications_fts_insert AFTER INSERT ON publications BEGIN
    INSERT INTO publications_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER publications_fts_delete AFTER DELETE ON publications BEGIN
    INSERT INTO publications_fts(publications_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER publications_fts_update AFTER UPDATE ON publications BEGIN
    INSERT INTO publications_fts(publications_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO publications_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;

ALTER TABLE drafts ADD COLUMN replicates TEXT;
ALTER TABLE cases ADD COLUMN replicates TEXT;
CREATE INDEX cases_replicates ON cases(replicates);
