-- A follow-up link unused for 12 months ends: when it was last used (NULL: never since this column came, its
-- creation counts). The authentication log says what changed (role, régions, case given to a prestataire).
ALTER TABLE follow_up_links ADD COLUMN last_used_at BIGINT;
ALTER TABLE auth_events ADD COLUMN detail TEXT NOT NULL DEFAULT '';
