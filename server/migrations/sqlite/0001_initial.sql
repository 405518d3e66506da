-- IA Factory, first schema (SQLite): drafts of the intake, cases through the five stages, append-only events.
CREATE TABLE drafts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    answers TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    submitted_at INTEGER
);

CREATE TABLE reference_counters (
    year INTEGER PRIMARY KEY,
    last_number INTEGER NOT NULL
);

CREATE TABLE cases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    reference TEXT NOT NULL UNIQUE,
    draft_id INTEGER UNIQUE REFERENCES drafts(id),
    stage TEXT NOT NULL CHECK (stage IN ('remontee', 'qualification', 'cadrage', 'conception', 'diffusion', 'reoriente')),
    version INTEGER NOT NULL DEFAULT 1,
    title TEXT NOT NULL,
    domain TEXT NOT NULL,
    collectivite_key TEXT NOT NULL,
    collectivite_name TEXT NOT NULL,
    collectivite_kind TEXT NOT NULL,
    region TEXT NOT NULL,
    agents INTEGER NOT NULL,
    hours_saved_per_year INTEGER NOT NULL,
    portage_missing TEXT NOT NULL,
    answers TEXT NOT NULL,
    published INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    stage_entered_at INTEGER NOT NULL
);
CREATE INDEX cases_stage ON cases(stage);

CREATE TABLE case_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    from_stage TEXT,
    to_stage TEXT,
    detail TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE INDEX case_events_case ON case_events(case_id, id);

CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
BEGIN
    SELECT RAISE(ABORT, 'case_events is append-only');
END;
CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
BEGIN
    SELECT RAISE(ABORT, 'case_events is append-only');
END;
