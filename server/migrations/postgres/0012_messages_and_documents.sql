-- The collectivité in the loop: the private follow-up links of a filed case (several may be valid: the first
-- one, those sent by email; issuing a new link ends them all), the thread between the collectivité and the
-- team, who follows a case, what each member has read, the documents and the emails sent about a case.
CREATE TABLE follow_up_links (
    token_hash TEXT PRIMARY KEY,
    draft_id BIGINT NOT NULL REFERENCES drafts(id),
    created_at BIGINT NOT NULL,
    ended_at BIGINT
);
CREATE INDEX follow_up_links_draft ON follow_up_links(draft_id);
INSERT INTO follow_up_links (token_hash, draft_id, created_at)
    SELECT token_hash, id, COALESCE(submitted_at, updated_at) FROM drafts WHERE submitted_at IS NOT NULL;

ALTER TABLE drafts ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE drafts ADD COLUMN step_versions TEXT NOT NULL DEFAULT '{}';
ALTER TABLE cases ADD COLUMN contact_email TEXT NOT NULL DEFAULT '';
UPDATE cases SET contact_email = lower(trim(COALESCE(answers::json -> 'values' ->> 'contact_email', '')));
ALTER TABLE cases ADD COLUMN last_mover_id BIGINT REFERENCES accounts(id);
CREATE INDEX cases_contact_email ON cases(contact_email);

CREATE TABLE case_messages (
    id BIGSERIAL PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    from_collectivite BIGINT NOT NULL,
    account_id BIGINT REFERENCES accounts(id),
    author_name TEXT NOT NULL,
    author_role TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX case_messages_case ON case_messages(case_id, id);

CREATE TABLE case_followers (
    case_id BIGINT NOT NULL REFERENCES cases(id),
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    PRIMARY KEY (case_id, account_id)
);

CREATE TABLE message_reads (
    case_id BIGINT NOT NULL REFERENCES cases(id),
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    last_read_id BIGINT NOT NULL,
    PRIMARY KEY (case_id, account_id)
);

CREATE TABLE documents (
    id BIGSERIAL PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    draft_id BIGINT REFERENCES drafts(id),
    case_id BIGINT REFERENCES cases(id),
    message_id BIGINT REFERENCES case_messages(id),
    kind TEXT NOT NULL CHECK (kind IN ('deliberation', 'note-cadrage', 'exemple-donnees', 'autre', 'message')),
    file_name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    stored_name TEXT NOT NULL UNIQUE,
    scan_status TEXT NOT NULL CHECK (scan_status IN ('en-analyse', 'sain', 'infecte', 'non-analyse')),
    scan_detail TEXT NOT NULL DEFAULT '',
    uploaded_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX documents_case ON documents(case_id);
CREATE INDEX documents_draft ON documents(draft_id);
CREATE INDEX documents_pending ON documents(scan_status);

ALTER TABLE outbox ADD COLUMN case_id BIGINT REFERENCES cases(id);
CREATE INDEX outbox_case ON outbox(case_id);
