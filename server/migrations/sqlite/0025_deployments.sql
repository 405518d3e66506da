-- The passage à l'échelle (§1, §2, étape 5): each collectivité running a published case is a deployment — the
-- pioneer's own, created when its case is published, and each replication, declared by the collectivité (or by
-- the team on its behalf, recorded_by naming who). Months are counted as year × 12 + month − 1 (Paris).
CREATE TABLE deployments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    own_case_id INTEGER REFERENCES cases(id),
    kind TEXT NOT NULL CHECK (kind IN ('pionnier', 'replication')),
    collectivite_key TEXT NOT NULL,
    collectivite_name TEXT NOT NULL,
    region TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('en-projet', 'en-deploiement', 'en-service', 'arrete')),
    status_day INTEGER,
    in_service_month INTEGER,
    stopped_month INTEGER,
    stop_reason TEXT NOT NULL DEFAULT '',
    contact_email TEXT NOT NULL DEFAULT '',
    listed INTEGER NOT NULL DEFAULT 0,
    vibe_agreed INTEGER,
    recorded_by TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (case_id, collectivite_key)
);
CREATE INDEX deployments_collectivite ON deployments(collectivite_key);

-- One report per deployment and month; a correction replaces it and keeps the figures it replaced.
CREATE TABLE usage_reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    deployment_id INTEGER NOT NULL REFERENCES deployments(id),
    month INTEGER NOT NULL,
    regular INTEGER NOT NULL,
    regular_measure TEXT NOT NULL,
    occasional INTEGER NOT NULL,
    occasional_measure TEXT NOT NULL,
    usagers INTEGER NOT NULL,
    usagers_measure TEXT NOT NULL,
    hours INTEGER,
    hours_measure TEXT,
    vibe_seats INTEGER,
    vibe_users INTEGER,
    author TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (deployment_id, month)
);

CREATE TABLE usage_report_revisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id INTEGER NOT NULL REFERENCES usage_reports(id),
    figures TEXT NOT NULL,
    author TEXT NOT NULL,
    replaced_at INTEGER NOT NULL,
    replaced_by TEXT NOT NULL
);
CREATE INDEX usage_report_revisions_report ON usage_report_revisions(report_id, id);

-- The staff a collectivité declared once (regular agents cannot exceed it).
CREATE TABLE collectivite_staff (
    collectivite_key TEXT PRIMARY KEY,
    staff INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL
);

-- The monthly reminder, queued once per deployment and month.
CREATE TABLE deployment_reminders (
    deployment_id INTEGER NOT NULL REFERENCES deployments(id),
    month INTEGER NOT NULL,
    queued_at INTEGER NOT NULL,
    PRIMARY KEY (deployment_id, month)
);

-- Colleagues who asked to be reminded too.
CREATE TABLE deployment_followers (
    deployment_id INTEGER NOT NULL REFERENCES deployments(id),
    agent_id INTEGER NOT NULL REFERENCES agents(id),
    PRIMARY KEY (deployment_id, agent_id)
);

-- The pioneers of the cases already published run them.
INSERT INTO deployments (case_id, kind, collectivite_key, collectivite_name, region, status, contact_email,
    listed, created_at, updated_at)
SELECT c.id, 'pionnier', c.collectivite_key, c.collectivite_name, c.region, 'en-service', c.contact_email, 1,
    p.published_at, p.published_at
FROM publications p JOIN cases c ON c.id = p.case_id WHERE p.withdrawn_at IS NULL;
