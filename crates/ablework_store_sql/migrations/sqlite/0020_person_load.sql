-- A load of many people by one process (`ablework import persons` of a
-- large file) sets aside the people's secondary indexes and the trigger
-- that writes their name grams, and rebuilds them once, sorted, when it
-- ends (docs/imports.md). What it set aside is kept here, in the same
-- transaction as the set-aside, so that a load killed half-way is finished
-- by whichever process next opens the database: `after_id` is the last
-- person stored before the load, the people after it have no grams yet;
-- `person_load_deferred` holds the SQL of each index and trigger dropped,
-- exactly as the schema had it.
--
-- SQLite only: PostgreSQL keeps its indexes through a load.

CREATE TABLE person_load (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    after_id  INTEGER NOT NULL
);

CREATE TABLE person_load_deferred (
    name  TEXT PRIMARY KEY,
    sql   TEXT NOT NULL
);
