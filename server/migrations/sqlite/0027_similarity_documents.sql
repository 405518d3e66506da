-- Similar projects compare whole texts (TF-IDF, app/src/domain/similar): each project's counted words are kept in
-- one row with the number of the change that wrote it, so that every server process brings its in-memory index
-- up to date by reading only the rows changed since (server/src/sql/similar.rs). Replaces the first 40 words of
-- case_terms / publication_terms: the start-up job indexes every case and publication without a document here
-- (term_count is no longer read).
CREATE TABLE similarity_documents (
    kind TEXT NOT NULL CHECK (kind IN ('cas', 'publication', 'bibliotheque')),
    doc_id INTEGER NOT NULL,
    words TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (kind, doc_id)
);
CREATE INDEX similarity_documents_seq ON similarity_documents(seq);
-- The last change number given; raised in the writing transaction, so that numbers follow the commits.
CREATE TABLE similarity_changes (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last INTEGER NOT NULL
);
INSERT INTO similarity_changes (id, last) VALUES (1, 0);
DROP TABLE case_terms;
DROP TABLE publication_terms;
