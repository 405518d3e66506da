-- The roles whose members no longer sign in with a password (ProConnect only), as an administrator decided,
-- with when and by whom; and the one break-glass administrator whose password keeps working whatever is decided.
CREATE TABLE password_sign_in_off (
    role TEXT PRIMARY KEY,
    since INTEGER NOT NULL,
    decided_by TEXT NOT NULL
);
ALTER TABLE accounts ADD COLUMN break_glass INTEGER NOT NULL DEFAULT 0;
