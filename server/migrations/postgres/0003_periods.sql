-- Relève periods: dated windows in which the team qualifies the cases filed before each one starts.
CREATE TABLE periods (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX periods_start ON periods(starts_at);
