-- Avis requested by the programme team during qualification from a direction régionale or the prestataire,
-- and the avis they give (favorable, réservé, défavorable, with its text).
CREATE TABLE avis (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    requested_by TEXT NOT NULL,
    requested_at INTEGER NOT NULL,
    opinion TEXT CHECK (opinion IN ('favorable', 'reserve', 'defavorable')),
    body TEXT NOT NULL DEFAULT '',
    given_at INTEGER
);
CREATE INDEX avis_case ON avis(case_id);
