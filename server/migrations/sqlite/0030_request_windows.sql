-- The request limits' counts (server/src/http/limits.rs) shared by every server process on one database: per
-- kind of request and address, the minute being counted and how many requests it has seen (`seen`), raised in one
-- statement. Old minutes are forgotten by the periodic purge. On SQLite (one process) the counts stay in memory.
CREATE TABLE request_windows (
    bucket TEXT NOT NULL,
    address TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    seen INTEGER NOT NULL,
    PRIMARY KEY (bucket, address)
);
