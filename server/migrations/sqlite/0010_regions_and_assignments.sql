-- Two more roles (direction régionale, prestataire technique), the régions attached to a direction régionale
-- and the prestataire assigned to a case. SQLite cannot change a CHECK constraint: the accounts table is
-- rebuilt, the foreign keys that point to it checked at commit.
PRAGMA defer_foreign_keys = ON;

CREATE TABLE accounts_v2 (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'programme', 'lecture', 'direction-regionale', 'prestataire')),
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    last_sign_in_at INTEGER
);
INSERT INTO accounts_v2 (id, email, name, role, password_hash, disabled, created_at, last_sign_in_at)
    SELECT id, email, name, role, password_hash, disabled, created_at, last_sign_in_at FROM accounts;
DROP TABLE accounts;
ALTER TABLE accounts_v2 RENAME TO accounts;

CREATE TABLE account_regions (
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    region TEXT NOT NULL,
    PRIMARY KEY (account_id, region)
);

CREATE TABLE case_assignments (
    case_id INTEGER PRIMARY KEY REFERENCES cases(id),
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    assigned_at INTEGER NOT NULL
);
CREATE INDEX case_assignments_account ON case_assignments(account_id);
