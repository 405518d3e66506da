-- A number that grows at every change of what the public catalogue and its open data are made of (publications,
-- deployments and their usage reports, the cases' stage once published and the replications counted, the
-- Bibliothèque's imported projects and their pairs), raised by the database itself with the time of the change:
-- every server process serves its copies of the open data and its recent searches while the number stays the
-- same (server/src/http/copies.rs), whichever process or command wrote, and answers `304` to a reader who has
-- the copy of this number.
CREATE TABLE catalogue_generation (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    generation BIGINT NOT NULL,
    changed_at BIGINT NOT NULL
);
INSERT INTO catalogue_generation (id, generation, changed_at) VALUES (1, 0, EXTRACT(EPOCH FROM now())::BIGINT);

CREATE FUNCTION raise_catalogue_generation() RETURNS trigger AS $$
BEGIN
    UPDATE catalogue_generation
        SET generation = generation + 1, changed_at = EXTRACT(EPOCH FROM clock_timestamp())::BIGINT
        WHERE id = 1;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER catalogue_publications_changed AFTER INSERT OR UPDATE OR DELETE ON publications
    FOR EACH STATEMENT EXECUTE FUNCTION raise_catalogue_generation();
CREATE TRIGGER catalogue_deployments_changed AFTER INSERT OR UPDATE OR DELETE ON deployments
    FOR EACH STATEMENT EXECUTE FUNCTION raise_catalogue_generation();
CREATE TRIGGER catalogue_usage_reports_changed AFTER INSERT OR UPDATE OR DELETE ON usage_reports
    FOR EACH STATEMENT EXECUTE FUNCTION raise_catalogue_generation();
CREATE TRIGGER catalogue_library_projects_changed AFTER INSERT OR UPDATE OR DELETE ON library_projects
    FOR EACH STATEMENT EXECUTE FUNCTION raise_catalogue_generation();
CREATE TRIGGER catalogue_library_pairs_changed AFTER INSERT OR UPDATE OR DELETE ON library_pairs
    FOR EACH STATEMENT EXECUTE FUNCTION raise_catalogue_generation();

-- A case counts in the replications of the case it replicates; a published case shows its stage. A move of a
-- case that is not published leaves the number alone (boards do not wait on this row).
CREATE FUNCTION raise_catalogue_generation_for_case() RETURNS trigger AS $$
BEGIN
    IF OLD.replicates IS DISTINCT FROM NEW.replicates
        OR EXISTS (SELECT 1 FROM publications p WHERE p.case_id = NEW.id) THEN
        UPDATE catalogue_generation
            SET generation = generation + 1, changed_at = EXTRACT(EPOCH FROM clock_timestamp())::BIGINT
            WHERE id = 1;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER catalogue_cases_inserted AFTER INSERT ON cases
    FOR EACH ROW WHEN (NEW.replicates IS NOT NULL) EXECUTE FUNCTION raise_catalogue_generation();
CREATE TRIGGER catalogue_cases_deleted AFTER DELETE ON cases
    FOR EACH ROW WHEN (OLD.replicates IS NOT NULL) EXECUTE FUNCTION raise_catalogue_generation();
CREATE TRIGGER catalogue_cases_updated AFTER UPDATE ON cases
    FOR EACH ROW WHEN (OLD.stage IS DISTINCT FROM NEW.stage OR OLD.replicates IS DISTINCT FROM NEW.replicates)
    EXECUTE FUNCTION raise_catalogue_generation_for_case();
