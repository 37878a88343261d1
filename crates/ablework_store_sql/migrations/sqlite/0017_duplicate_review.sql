-- Duplicate review of people: pairs staff reviewed (not the same person, or
-- merged) and the merges with exactly which rows moved, for undo (SQLite).

CREATE TABLE person_pair_reviews (
    person_a     INTEGER NOT NULL REFERENCES persons (id),
    person_b     INTEGER NOT NULL REFERENCES persons (id),
    decision     TEXT    NOT NULL CHECK (decision IN ('dismissed', 'merged')),
    decided_by   TEXT    NOT NULL,
    decided_at   TEXT    NOT NULL,
    PRIMARY KEY (person_a, person_b),
    CHECK (person_a < person_b)
);

CREATE TABLE person_merges (
    id             INTEGER PRIMARY KEY,
    kept_id        INTEGER NOT NULL REFERENCES persons (id),
    merged_id      INTEGER NOT NULL REFERENCES persons (id),
    -- {"table": [key, ...], ...}: the rows moved from merged_id to kept_id.
    moved          TEXT    NOT NULL,
    merged_active  INTEGER NOT NULL,
    merged_by      TEXT    NOT NULL,
    merged_at      TEXT    NOT NULL,
    undone_by      TEXT,
    undone_at      TEXT
);
CREATE INDEX person_merges_kept ON person_merges (kept_id);
CREATE INDEX person_merges_merged ON person_merges (merged_id);
-- A person is merged into another at most once at a time.
CREATE UNIQUE INDEX person_merges_open ON person_merges (merged_id) WHERE undone_at IS NULL;

-- The keyed look-up hash of a person's mobile number, to find people who
-- share one. Written with every person from now on; rows from before are
-- filled by the application, which holds the key, in batches.
ALTER TABLE persons ADD COLUMN phone_hash TEXT;
CREATE INDEX persons_phone_hash ON persons (phone_hash) WHERE phone_hash IS NOT NULL;
CREATE INDEX persons_phone_unhashed ON persons (id) WHERE phone_hash IS NULL AND phone_enc IS NOT NULL;
-- Same district and birth date: the candidates for the same or a similar name.
CREATE INDEX persons_district_birth ON persons (district_code, birth_date);
