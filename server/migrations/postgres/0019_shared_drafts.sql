-- Shared drafts: a draft started in a collectivité's space belongs to that collectivité (`kind:code`), and
-- any of its agents may continue it. Each agent who opens it from the space gets a private link of their own
-- (a row of follow_up_links naming the agent), so that no link is ever stored in clear.
ALTER TABLE drafts ADD COLUMN collectivite_key TEXT;
ALTER TABLE drafts ADD COLUMN started_by BIGINT REFERENCES agents(id);
CREATE INDEX drafts_collectivite ON drafts(collectivite_key);
ALTER TABLE follow_up_links ADD COLUMN agent_id BIGINT REFERENCES agents(id);
