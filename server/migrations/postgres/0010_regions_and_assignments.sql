-- Two more roles (direction régionale, prestataire technique), the régions attached to a direction régionale
-- and the prestataire assigned to a case.
ALTER TABLE accounts DROP CONSTRAINT accounts_role_check;
ALTER TABLE accounts ADD CONSTRAINT accounts_role_check
    CHECK (role IN ('admin', 'programme', 'lecture', 'direction-regionale', 'prestataire'));

CREATE TABLE account_regions (
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    region TEXT NOT NULL,
    PRIMARY KEY (account_id, region)
);

CREATE TABLE case_assignments (
    case_id BIGINT PRIMARY KEY REFERENCES cases(id),
    account_id BIGINT NOT NULL REFERENCES accounts(id),
    assigned_at BIGINT NOT NULL
);
CREATE INDEX case_assignments_account ON case_assignments(account_id);
