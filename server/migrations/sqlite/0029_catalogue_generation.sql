-- A number that grows at every change of what the public catalogue and its open data are made of (publications,
-- deployments and their usage reports, the cases' stage once published and the replications counted, the
-- Bibliothèque's imported projects and their pairs), raised by the database itself with the time of the change:
-- every server process serves its copies of the open data and its recent searches while the number stays the
-- same (server/src/http/copies.rs), whichever process or command wrote, and answers `304` to a reader who has
-- the copy of this number.
CREATE TABLE catalogue_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL,
    changed_at INTEGER NOT NULL
);
INSERT INTO catalogue_generation (id, generation, changed_at) VALUES (1, 0, CAST(strftime('%s', 'now') AS INTEGER));

CREATE TRIGGER catalogue_publications_inserted AFTER INSERT ON publications
BEGIN UPDATE catalogue_generation SET generation = generation + 1, changed_at = CAST(strftime('%s', 'now') AS INTEGER) WHERE id = 1; END;
CREATE TRIGGER catalogue_publications_updated AFTER UPDATE ON publications
BEGIN UPDATE catalogue_generation SET generation = generation + 1, changed_at = CAST(strftime('%s', 'now') AS INTEGER) WHERE id = 1; END;
CREATE TRIGGER catalogue_publications_deleted AFTER DELETE ON publications
BEGIN UPDATE catalogue_generation SET generation = generation + 1, changed_at = CAST(strftime('%s', 'now') AS INTEGER) WHERE id = 1; END;
CREATE TRIGGER catalogue_deployments_inserted AFTER INSERT ON deployments
BEGIN UPDATE catalogue_generation SET generation = generation + 1, changed_at = CAST(strftime('%s', 'now') AS INTEGER) WHERE id = 1; END;
CREATE TRIGGER catalogue_deployments_updated AFTER UPDATE ON deployments
BEGIN UPDATE catalogue_generation SET generation = generation + 1, changed_at = CAST(strftime('%s', 'now') AS INTEGER) WHERE id = 1; END;
CREATE TRIGGER catalogue_deployments_deleted AFTER DELETE ON deployments
BEGIN UPDATE catalogue_generation SET generation = generation + 1, changed_at = CAST(strftime('%s', 'now') AS INTEGER) WHERE id = 1; END;
CREATE TRIGGER catalogue_usage_reports_inserted AFTER INSERT ON usage_reports
BEGIN UPDATE catalogue_generation SET generation = generation + 1, changed_at = CAST(strftime('%s', 'now') AS INTEGER) WHERE id = 1; END;
CREATE TRIGGER catalogue_usage_reports_updated AFTER UPDATE ON usage_reports
BEGIN UPDATE catalogue_generation SET generation = generation + 1, changed_at = CAST(strftime('%s', 'now') AS INTEGER) WHERE id = 1; END;
CREATE TRIGGER catalogue_usage_reports_deleted AFTER DELETE ON usage_reports
BEGIN UPDATE catalogue_generation SET generation = generation + 1, changed_at = CAST(strftime('%s', 'now') AS INTEGER) WHERE id = 1; END;
CREATE TRIGGER catalogue_library_projects_inserted AFTER INSERT ON library_projects
BEGIN UPDATE catalogue_generation SET generation = generation + 1, changed_at = CAST(strftime('%s', 'now') AS INTEGER) WHERE id = 1; END;
CREATE TRIGGER catalogue_library_projects_updated AFTER UPDATE ON library_projects
BEGIN UPDATE catalogue_generation SET generation = generation + 1, changed_at = CAST(strftime('%s', 'now') AS INTEGER) WHERE id = 1; END;
CREATE TRIGGER catalogue_library_projects_deleted AFTER DELETE ON library_projects
BEGIN UPDATE catalogue_generation SET generation = generation + 1, changed_at = CAST(strftime('%s', 'now') AS INTEGER) WHERE id = 1; END;
CREATE TRIGGER catalogue_library_pairs_inserted AFTER INSERT ON library_pairs
BEGIN UPDATE catalogue_generation SET generation = generation + 1, changed_at = CAST(strftime('%s', 'now') AS INTEGER) WHERE id = 1; END;
CREATE TRIGGER catalogue_library_pairs_updated AFTER UPDATE ON library_pairs
BEGIN UPDATE catalogue_generation SET generation = generation + 1, changed_at = CAST(strftime('%s', 'now') AS INTEGER) WHERE id = 1; END;
CREATE TRIGGER catalogue_library_pairs_deleted AFTER DELETE ON library_pairs
BEGIN UPDATE catalogue_generation SET generation = generation + 1, changed_at = CAST(strftime('%s', 'now') AS INTEGER) WHERE id = 1; END;
-- A case counts in the replications of the case it replicates; a published case shows its stage.
CREATE TRIGGER catalogue_cases_inserted AFTER INSERT ON cases WHEN NEW.replicates IS NOT NULL
BEGIN UPDATE catalogue_generation SET generation = generation + 1, changed_at = CAST(strftime('%s', 'now') AS INTEGER) WHERE id = 1; END;
CREATE TRIGGER catalogue_cases_deleted AFTER DELETE ON cases WHEN OLD.replicates IS NOT NULL
BEGIN UPDATE catalogue_generation SET generation = generation + 1, changed_at = CAST(strftime('%s', 'now') AS INTEGER) WHERE id = 1; END;
CREATE TRIGGER catalogue_cases_updated AFTER UPDATE ON cases
WHEN OLD.replicates IS NOT NEW.replicates
    OR (OLD.stage IS NOT NEW.stage AND EXISTS (SELECT 1 FROM publications p WHERE p.case_id = NEW.id))
BEGIN UPDATE catalogue_generation SET generation = generation + 1, changed_at = CAST(strftime('%s', 'now') AS INTEGER) WHERE id = 1; END;
