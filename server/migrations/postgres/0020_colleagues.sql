-- What the agents of a collectivité do for each other. A case's contact handed to another agent of its
-- collectivité: proposed by one of its agents, accepted or declined by the colleague (a newer proposal replaces a
-- pending one); the case's history says who and when.
CREATE TABLE contact_transfers (
    id BIGSERIAL PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    to_agent_id BIGINT NOT NULL REFERENCES agents(id),
    proposed_by BIGINT NOT NULL REFERENCES agents(id),
    proposed_at BIGINT NOT NULL,
    decided_at BIGINT,
    outcome TEXT CHECK (outcome IN ('acceptee', 'refusee', 'remplacee'))
);
CREATE INDEX contact_transfers_case ON contact_transfers(case_id);
CREATE INDEX contact_transfers_to ON contact_transfers(to_agent_id);
-- The colleagues an agent invited to the space by email (at most a few a day; they sign in with ProConnect).
CREATE TABLE agent_invitations (
    id BIGSERIAL PRIMARY KEY,
    collectivite_key TEXT NOT NULL,
    email TEXT NOT NULL,
    invited_by BIGINT NOT NULL REFERENCES agents(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX agent_invitations_collectivite ON agent_invitations(collectivite_key);
CREATE INDEX agent_invitations_by ON agent_invitations(invited_by, created_at);
