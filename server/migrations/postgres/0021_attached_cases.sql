-- A case appears in its collectivité's space once attached to it: at filing when it was filed from a draft
-- shared in that space, or later when an agent of the same collectivité confirms its private link once
-- (who and when are kept). A case filed by private link alone stays out of the space until then.
ALTER TABLE cases ADD COLUMN attached_at BIGINT;
ALTER TABLE cases ADD COLUMN attached_by BIGINT REFERENCES agents(id);
UPDATE cases SET attached_at = created_at, attached_by = (SELECT d.started_by FROM drafts d WHERE d.id = cases.draft_id)
WHERE draft_id IN (SELECT d.id FROM drafts d WHERE d.collectivite_key = cases.collectivite_key);
