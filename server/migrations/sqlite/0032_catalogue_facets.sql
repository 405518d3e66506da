-- The catalogue's filters inside its full-text index: each published case's domain, typologie, kind of
-- collectivité, région and briques as words of a second column (`facets`), so that a search with words and
-- filters intersects the words' matches with the filters' in the index instead of reading each matching row
-- (server/src/sql/catalogue/search.rs, `facet_phrase`: the same letters, the same characters left out).
ALTER TABLE publications ADD COLUMN facets TEXT GENERATED ALWAYS AS (
    'd' || replace(replace(replace(replace(domain, '-', ''), ' ', ''), '''', ''), '’', '')
    || ' t' || replace(replace(replace(replace(typologie, '-', ''), ' ', ''), '''', ''), '’', '')
    || ' c' || replace(replace(replace(replace(collectivite_kind, '-', ''), ' ', ''), '''', ''), '’', '')
    || ' r' || replace(replace(replace(replace(region, '-', ''), ' ', ''), '''', ''), '’', '')
    || ' b' || replace(replace(replace(replace(replace(trim(briques, ','), '-', ''), ' ', ''), '''', ''), '’', ''),
        ',', ' b')
) VIRTUAL;

DROP TRIGGER publications_fts_insert;
DROP TRIGGER publications_fts_delete;
DROP TRIGGER publications_fts_update;
DROP TABLE publications_fts;
CREATE VIRTUAL TABLE publications_fts USING fts5(
    search_text, facets, content='publications', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER publications_fts_insert AFTER INSERT ON publications BEGIN
    INSERT INTO publications_fts(rowid, search_text, facets) VALUES (new.id, new.search_text, new.facets);
END;
CREATE TRIGGER publications_fts_delete AFTER DELETE ON publications BEGIN
    INSERT INTO publications_fts(publications_fts, rowid, search_text, facets)
        VALUES ('delete', old.id, old.search_text, old.facets);
END;
CREATE TRIGGER publications_fts_update AFTER UPDATE ON publications BEGIN
    INSERT INTO publications_fts(publications_fts, rowid, search_text, facets)
        VALUES ('delete', old.id, old.search_text, old.facets);
    INSERT INTO publications_fts(rowid, search_text, facets) VALUES (new.id, new.search_text, new.facets);
END;
INSERT INTO publications_fts(publications_fts) VALUES ('rebuild');
