-- Email that is never lost: every message is written in the transaction of the event that causes it, then
-- delivered by the sender with retries; each attempt is recorded.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id TEXT NOT NULL UNIQUE,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    sent_at INTEGER,
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE sent_at IS NULL;

CREATE TABLE outbox_attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    outbox_id INTEGER NOT NULL REFERENCES outbox(id),
    at INTEGER NOT NULL,
    delivered INTEGER NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX outbox_attempts_message ON outbox_attempts(outbox_id);

-- One-time links of the accounts (invitation, forgotten password): only their SHA-256 is stored.
CREATE TABLE account_tokens (
    token_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    purpose TEXT NOT NULL CHECK (purpose IN ('invitation', 'reinitialisation')),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);
CREATE INDEX account_tokens_account ON account_tokens(account_id);

-- The authentication log read by administrators: who, what, when, from which address.
CREATE TABLE auth_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    email TEXT NOT NULL,
    actor TEXT NOT NULL,
    address TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

ALTER TABLE accounts ADD COLUMN last_sign_in_at INTEGER;
