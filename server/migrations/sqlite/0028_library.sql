-- The Bibliothèque d'IA territoriales imported into the catalogue (app/src/domain/library): each project with
-- its provenance (source, stable key, first and last seen, licence, link to the source), the project as read
-- (`record`, JSON, compared at each import so that a re-import of the same file changes nothing), withdrawn
-- rather than deleted when the source no longer has it; its search text indexed like the publications'. Each
-- import leaves its report (per record, in French) and what the source answered (ETag, Last-Modified).
CREATE TABLE library_imports (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    origin TEXT NOT NULL,
    imported_at INTEGER NOT NULL,
    created INTEGER NOT NULL DEFAULT 0,
    updated INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    withdrawn INTEGER NOT NULL DEFAULT 0,
    refused INTEGER NOT NULL DEFAULT 0,
    report TEXT NOT NULL DEFAULT '{}',
    etag TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT ''
);

CREATE TABLE library_projects (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    key TEXT NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    record TEXT NOT NULL,
    problems TEXT NOT NULL DEFAULT '[]',
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    collectivite_name TEXT NOT NULL,
    collectivite_kind TEXT NOT NULL,
    region TEXT NOT NULL,
    population INTEGER,
    siren TEXT NOT NULL,
    domain TEXT NOT NULL,
    licence TEXT NOT NULL,
    source_url TEXT NOT NULL,
    search_text TEXT NOT NULL,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    seen_in INTEGER NOT NULL REFERENCES library_imports(id),
    updated_at INTEGER NOT NULL,
    withdrawn_at INTEGER,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (source, key)
);
CREATE INDEX library_projects_listed ON library_projects(first_seen, id) WHERE withdrawn_at IS NULL;
CREATE INDEX library_projects_filters ON library_projects(population, collectivite_kind, domain, region)
    WHERE withdrawn_at IS NULL;

CREATE VIRTUAL TABLE library_fts USING fts5(
    search_text, content='library_projects', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER library_fts_insert AFTER INSERT ON library_projects BEGIN
    INSERT INTO library_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER library_fts_delete AFTER DELETE ON library_projects BEGIN
    INSERT INTO library_fts(library_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER library_fts_update AFTER UPDATE OF search_text ON library_projects BEGIN
    INSERT INTO library_fts(library_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO library_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;

-- Deduplication (app/src/domain/library/pairs.rs): a project and a case published here by the same collectivité
-- about the same need, shown as one entry unless the team split them; its decision holds over later imports.
CREATE TABLE library_pairs (
    library_id INTEGER NOT NULL REFERENCES library_projects(id),
    case_id INTEGER NOT NULL REFERENCES cases(id),
    score REAL NOT NULL,
    decision TEXT NOT NULL DEFAULT 'proposee' CHECK (decision IN ('proposee', 'confirmee', 'separee')),
    decided_by TEXT NOT NULL DEFAULT '',
    decided_at INTEGER,
    PRIMARY KEY (library_id, case_id)
);
CREATE INDEX library_pairs_case ON library_pairs(case_id);
