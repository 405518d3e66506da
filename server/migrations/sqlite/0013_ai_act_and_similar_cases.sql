-- The AI Act at intake and similar cases: the level pre-assessed from the filed answers and the one the team
-- confirms at qualification (with the reason that sets aside a "prohibited" pre-assessment); the words of each
-- case's need (title, problem, solution; folded and stemmed as in the catalogue) and of each publication to find
-- the cases close to a new need; the confirmed level and its obligations as published. Cases filed before keep the default until the
-- startup job derives both from their answers (terms_indexed = 0).
ALTER TABLE cases ADD COLUMN ai_act_level TEXT NOT NULL DEFAULT 'minimal'
    CHECK (ai_act_level IN ('minimal', 'transparence', 'haut-risque', 'interdit'));
ALTER TABLE cases ADD COLUMN ai_act_confirmed TEXT
    CHECK (ai_act_confirmed IN ('minimal', 'transparence', 'haut-risque', 'interdit'));
ALTER TABLE cases ADD COLUMN ai_act_override TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN term_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN terms_indexed INTEGER NOT NULL DEFAULT 0;
CREATE INDEX cases_terms_pending ON cases(terms_indexed);

CREATE TABLE case_terms (
    term TEXT NOT NULL,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    PRIMARY KEY (term, case_id)
);
CREATE INDEX case_terms_case ON case_terms(case_id);
-- The words of each publication's own text: a collectivité finds published cases by what was published, never
-- by the words of their private intake.
CREATE TABLE publication_terms (
    term TEXT NOT NULL,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    PRIMARY KEY (term, case_id)
);
CREATE INDEX publication_terms_case ON publication_terms(case_id);

ALTER TABLE publications ADD COLUMN ai_act_level TEXT NOT NULL DEFAULT '';
ALTER TABLE publications ADD COLUMN ai_act_obligations TEXT NOT NULL DEFAULT '[]';
ALTER TABLE publications ADD COLUMN public_facing INTEGER NOT NULL DEFAULT 0;
