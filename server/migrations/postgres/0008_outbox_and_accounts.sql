-- Email that is never lost: every message is written in the transaction of the event that causes it, then
-- delivered by the sender with retries; each attempt is recorded.
CREATE TABLE outbox (
    id BIGSERIAL PRIMARY KEY,
    message_id TEXT NOT NULL UNIQUE,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    sent_at BIGINT,
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE sent_at IS NULL;

CREATE TABLE outbox_attempts (
    id BIGSERIAL PRIMARY KEY,
    outbox_id BIGINT NOT NULL REFERENCES outbox(id),
    at BIGINT NOT NULL,
    delivered BIGINT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX outbox_attempts_message ON outbox_attempts(outbox_id);

-- One-time links of the accounts (invitation, forgotten password): only their SHA-256 is stored.
CREATE TABLE account_tokens (
    token_hash TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    purpose TEXT NOT NULL CHECK (purpose IN ('invitation', 'reinitialisation')),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX account_tokens_account ON account_tokens(account_id);

-- The authentication log read by administrators: who, what, when, from which address.
CREATE TABLE auth_events (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    email TEXT NOT NULL,
    actor TEXT NOT NULL,
    address TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

ALTER TABLE accounts ADD COLUMN last_sign_in_at BIGINT;
