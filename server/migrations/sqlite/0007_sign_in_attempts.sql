-- Sign-in attempts counted per client address and per account in a window, in the database so that every
-- server process shares them; rows of ended windows are purged.
CREATE TABLE sign_in_attempts (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    window_start INTEGER NOT NULL
);
CREATE INDEX sign_in_attempts_window ON sign_in_attempts(window_start);
