-- Moves of published cases side by side: raising the catalogue's number locked its one row until each writing
-- transaction's commit, so the moves of every published case, and publications and reports, waited on each
-- other (the moves drill, 20 accounts on 6 cases: 2.3 ms of waiting in each such move). The number is now the
-- sum of 32 rows: each transaction raises the row of its connection (`pg_backend_pid()`), two writers of
-- different cases no longer meet; the sum still grows at every committed change and is read in one statement
-- (server/src/sql/catalogue, `catalogue_generation`), with the time of the latest change.
ALTER TABLE catalogue_generation DROP CONSTRAINT catalogue_generation_id_check;
ALTER TABLE catalogue_generation ADD CONSTRAINT catalogue_generation_slot CHECK (id BETWEEN 1 AND 32);
INSERT INTO catalogue_generation (id, generation, changed_at)
    SELECT slot, 0, (SELECT changed_at FROM catalogue_generation WHERE id = 1) FROM generate_series(2, 32) AS slot;

CREATE OR REPLACE FUNCTION raise_catalogue_generation() RETURNS trigger AS $$
BEGIN
    UPDATE catalogue_generation
        SET generation = generation + 1, changed_at = EXTRACT(EPOCH FROM clock_timestamp())::BIGINT
        WHERE id = 1 + pg_backend_pid() % 32;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION raise_catalogue_generation_for_case() RETURNS trigger AS $$
BEGIN
    IF OLD.replicates IS DISTINCT FROM NEW.replicates
        OR EXISTS (SELECT 1 FROM publications p WHERE p.case_id = NEW.id) THEN
        UPDATE catalogue_generation
            SET generation = generation + 1, changed_at = EXTRACT(EPOCH FROM clock_timestamp())::BIGINT
            WHERE id = 1 + pg_backend_pid() % 32;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
