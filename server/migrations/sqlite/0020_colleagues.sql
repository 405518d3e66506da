-- What the agents of a collectivité do for each other. A case's contact handed to another agent of its
-- collectivité: proposed by one of its agents, accepted or declined by the colleague (a newer proposal replaces a
-- pending one); the case's history says who and when.
CREATE TABLE contact_transfers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    to_agent_id INTEGER NOT NULL REFERENCES agents(id),
    proposed_by INTEGER NOT NULL REFERENCES agents(id),
    proposed_at INTEGER NOT NULL,
    decided_at INTEGER,
    outcome TEXT CHECK (outcome IN ('acceptee', 'refusee', 'remplacee'))
);
CREATE INDEX contact_transfers_case ON contact_transfers(case_id);
CREATE INDEX contact_transfers_to ON contact_transfers(to_agent_id);
-- The colleagues an agent invited to the space by email (at most a few a day; they sign in with ProConnect).
CREATE TABLE agent_invitations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    collectivite_key TEXT NOT NULL,
    email TEXT NOT NULL,
    invited_by INTEGER NOT NULL REFERENCES agents(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX agent_invitations_collectivite ON agent_invitations(collectivite_key);
CREATE INDEX agent_invitations_by ON agent_invitations(invited_by, created_at);
