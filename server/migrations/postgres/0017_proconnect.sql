-- ProConnect: the sign-ins started (the hash of their `state`, their nonce, the page to return to), taken once
-- within 10 minutes; the identity (issuer, subject) a team account is linked to; the ID token and level of
-- assurance of a session opened with ProConnect (its logout needs the token).
CREATE TABLE proconnect_requests (
    state_hash TEXT PRIMARY KEY,
    nonce TEXT NOT NULL,
    return_to TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE account_identities (
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    linked_at BIGINT NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE UNIQUE INDEX account_identities_account ON account_identities(account_id, issuer);
ALTER TABLE sessions ADD COLUMN id_token TEXT;
ALTER TABLE sessions ADD COLUMN acr TEXT;
