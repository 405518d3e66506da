-- The board: bricks copied out of the answers for filtering, the qualification grid, decision and interview
-- notes, the recorded validation of a stage, who last changed a case, and the team's comments.
ALTER TABLE cases ADD COLUMN briques TEXT NOT NULL DEFAULT '';
UPDATE cases SET briques = trim(both ',' from
    (CASE WHEN answers::json -> 'values' ->> 'brique_vibe' IS NOT NULL THEN 'vibe,' ELSE '' END) ||
    (CASE WHEN answers::json -> 'values' ->> 'brique_agents' IS NOT NULL THEN 'agents,' ELSE '' END) ||
    (CASE WHEN answers::json -> 'values' ->> 'brique_application' IS NOT NULL THEN 'application,' ELSE '' END));
ALTER TABLE cases ADD COLUMN decision TEXT CHECK (decision IN ('qualifie', 'non-qualifie'));
ALTER TABLE cases ADD COLUMN destination TEXT CHECK (destination IN ('ingenierie', 'guichet-cofinancement'));
ALTER TABLE cases ADD COLUMN interview_notes TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN validated_stage TEXT;
ALTER TABLE cases ADD COLUMN updated_by TEXT NOT NULL DEFAULT '';

CREATE TABLE case_scores (
    case_id BIGINT NOT NULL REFERENCES cases(id),
    criterion TEXT NOT NULL CHECK (criterion IN ('replicabilite', 'alignement', 'impact', 'portage', 'faisabilite')),
    score BIGINT CHECK (score BETWEEN 0 AND 3),
    comment TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (case_id, criterion)
);

CREATE TABLE case_comments (
    id BIGSERIAL PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    author TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX case_comments_case ON case_comments(case_id, id);
