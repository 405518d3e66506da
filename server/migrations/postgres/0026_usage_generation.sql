-- A number that grows at every change of what the programme's usage figures are computed from (usage reports,
-- deployments, publications), raised by the database itself: a server process keeps those figures while the
-- number stays the same (server/src/sql/deployments/reports.rs), whichever process or command wrote.
CREATE TABLE usage_generation (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    generation BIGINT NOT NULL
);
INSERT INTO usage_generation (id, generation) VALUES (1, 0);

CREATE FUNCTION raise_usage_generation() RETURNS trigger AS $$
BEGIN
    UPDATE usage_generation SET generation = generation + 1 WHERE id = 1;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER usage_reports_changed AFTER INSERT OR UPDATE OR DELETE ON usage_reports
    FOR EACH STATEMENT EXECUTE FUNCTION raise_usage_generation();
CREATE TRIGGER deployments_changed AFTER INSERT OR UPDATE OR DELETE ON deployments
    FOR EACH STATEMENT EXECUTE FUNCTION raise_usage_generation();
CREATE TRIGGER publications_changed AFTER INSERT OR UPDATE OR DELETE ON publications
    FOR EACH STATEMENT EXECUTE FUNCTION raise_usage_generation();
