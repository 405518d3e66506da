-- The collectivités' agents signed in with ProConnect: one row per identity (issuer, subject) and collectivité
-- chosen at sign-in; their sessions with the ID token their logout needs; and which space a ProConnect sign-in
-- was started for (the team's or a collectivité's).
CREATE TABLE agents (
    id BIGSERIAL PRIMARY KEY,
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    siren TEXT NOT NULL,
    collectivite_key TEXT NOT NULL,
    collectivite_name TEXT NOT NULL,
    email TEXT NOT NULL,
    given_name TEXT NOT NULL,
    usual_name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_sign_in_at BIGINT NOT NULL,
    UNIQUE (issuer, subject, siren)
);
CREATE INDEX agents_collectivite ON agents(collectivite_key);
CREATE TABLE agent_sessions (
    token_hash TEXT PRIMARY KEY,
    agent_id BIGINT NOT NULL REFERENCES agents(id),
    id_token TEXT NOT NULL,
    acr TEXT NOT NULL,
    idp_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX agent_sessions_agent ON agent_sessions(agent_id);
CREATE INDEX cases_collectivite ON cases(collectivite_key);
ALTER TABLE proconnect_requests ADD COLUMN space TEXT NOT NULL DEFAULT 'equipe';
-- How a party's validation of the cadrage was given: recorded by the team (`equipe`) or by the collectivité's own
-- agent signed in with ProConnect (`proconnect`, with the level of assurance and identity provider).
ALTER TABLE cadrage_validations ADD COLUMN method TEXT NOT NULL DEFAULT 'equipe';
ALTER TABLE cadrage_validations ADD COLUMN acr TEXT NOT NULL DEFAULT '';
ALTER TABLE cadrage_validations ADD COLUMN idp_id TEXT NOT NULL DEFAULT '';
