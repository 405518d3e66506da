-- Relève periods: dated windows in which the team qualifies the cases filed before each one starts.
CREATE TABLE periods (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX periods_start ON periods(starts_at);
