-- A number that grows at every change of what the programme's usage figures are computed from (usage reports,
-- deployments, publications), raised by the database itself: a server process keeps those figures while the
-- number stays the same (server/src/sql/deployments/reports.rs), whichever process or command wrote.
CREATE TABLE usage_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL
);
INSERT INTO usage_generation (id, generation) VALUES (1, 0);

CREATE TRIGGER usage_reports_inserted AFTER INSERT ON usage_reports
BEGIN UPDATE usage_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER usage_reports_updated AFTER UPDATE ON usage_reports
BEGIN UPDATE usage_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER usage_reports_deleted AFTER DELETE ON usage_reports
BEGIN UPDATE usage_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER deployments_inserted AFTER INSERT ON deployments
BEGIN UPDATE usage_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER deployments_updated AFTER UPDATE ON deployments
BEGIN UPDATE usage_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER deployments_deleted AFTER DELETE ON deployments
BEGIN UPDATE usage_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER publications_inserted AFTER INSERT ON publications
BEGIN UPDATE usage_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER publications_updated AFTER UPDATE ON publications
BEGIN UPDATE usage_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER publications_deleted AFTER DELETE ON publications
BEGIN UPDATE usage_generation SET generation = generation + 1 WHERE id = 1; END;
