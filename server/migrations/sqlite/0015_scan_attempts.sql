-- How many times the antivirus failed to read a document (an error, not a verdict). At 5 (MAX_SCAN_ATTEMPTS)
-- the document is set aside ("à vérifier"): it stays "en-analyse" in scan_status, so never served, but leaves
-- the waiting queue so the other files go on, and the team is told.
ALTER TABLE documents ADD COLUMN scan_attempts INTEGER NOT NULL DEFAULT 0;
