-- Avis requested by the programme team during qualification from a direction régionale or the prestataire,
-- and the avis they give (favorable, réservé, défavorable, with its text).
CREATE TABLE avis (
    id BIGSERIAL PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    requested_by TEXT NOT NULL,
    requested_at BIGINT NOT NULL,
    opinion TEXT CHECK (opinion IN ('favorable', 'reserve', 'defavorable')),
    body TEXT NOT NULL DEFAULT '',
    given_at BIGINT
);
CREATE INDEX avis_case ON avis(case_id);
