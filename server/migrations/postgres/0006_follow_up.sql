-- Stages 3 to 5: the versions of the tripartite cadrage document, each party's validation of a version, the
-- phase 4 conditions checked with their evidence, the phase 4 log and the diffusion kit.
CREATE TABLE cadrage_versions (
    case_id BIGINT NOT NULL REFERENCES cases(id),
    number BIGINT NOT NULL,
    document TEXT NOT NULL,
    author TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (case_id, number)
);

CREATE TABLE cadrage_validations (
    case_id BIGINT NOT NULL REFERENCES cases(id),
    version BIGINT NOT NULL,
    party TEXT NOT NULL CHECK (party IN ('collectivite', 'caisse-des-depots', 'prestataire')),
    signatory TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (case_id, version, party),
    FOREIGN KEY (case_id, version) REFERENCES cadrage_versions(case_id, number)
);

CREATE TABLE condition_checks (
    case_id BIGINT NOT NULL REFERENCES cases(id),
    condition_text TEXT NOT NULL,
    evidence TEXT NOT NULL,
    checked_by TEXT NOT NULL,
    checked_at BIGINT NOT NULL,
    PRIMARY KEY (case_id, condition_text)
);

CREATE TABLE phase4_log (
    id BIGSERIAL PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    day TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('iteration', 'test', 'experimentation', 'ajustement')),
    body TEXT NOT NULL,
    author TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX phase4_log_case ON phase4_log(case_id, day, id);

CREATE TABLE diffusion_kits (
    case_id BIGINT PRIMARY KEY REFERENCES cases(id),
    kit TEXT NOT NULL,
    revision BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
