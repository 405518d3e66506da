-- IA Factory, first schema (PostgreSQL): drafts of the intake, cases through the five stages, append-only events.
CREATE TABLE drafts (
    id BIGSERIAL PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    answers TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    submitted_at BIGINT
);

CREATE TABLE reference_counters (
    year BIGINT PRIMARY KEY,
    last_number BIGINT NOT NULL
);

CREATE TABLE cases (
    id BIGSERIAL PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    draft_id BIGINT UNIQUE REFERENCES drafts(id),
    stage TEXT NOT NULL CHECK (stage IN ('remontee', 'qualification', 'cadrage', 'conception', 'diffusion', 'reoriente')),
    version BIGINT NOT NULL DEFAULT 1,
    title TEXT NOT NULL,
    domain TEXT NOT NULL,
    collectivite_key TEXT NOT NULL,
    collectivite_name TEXT NOT NULL,
    collectivite_kind TEXT NOT NULL,
    region TEXT NOT NULL,
    agents BIGINT NOT NULL,
    hours_saved_per_year BIGINT NOT NULL,
    portage_missing TEXT NOT NULL,
    answers TEXT NOT NULL,
    published BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    stage_entered_at BIGINT NOT NULL
);
CREATE INDEX cases_stage ON cases(stage);

CREATE TABLE case_events (
    id BIGSERIAL PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    from_stage TEXT,
    to_stage TEXT,
    detail TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX case_events_case ON case_events(case_id, id);

CREATE FUNCTION case_events_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'case_events is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER case_events_no_change BEFORE UPDATE OR DELETE ON case_events
    FOR EACH ROW EXECUTE FUNCTION case_events_append_only();
