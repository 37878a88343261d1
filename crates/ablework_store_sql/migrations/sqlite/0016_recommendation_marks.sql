-- What a seeker and their counsellor said about a recommended job (SQLite):
-- the seeker hid it, with a reason; a counsellor recorded a decision. One
-- row per person and posting; either half may be empty.

CREATE TABLE recommendation_marks (
    person_id      INTEGER NOT NULL REFERENCES persons (id),
    posting_id     INTEGER NOT NULL REFERENCES job_postings (id),
    hidden_reason  TEXT    CHECK (hidden_reason IN ('not_interested', 'too_far', 'wage_too_low', 'hours', 'access', 'applied_elsewhere', 'other')),
    hidden_note    TEXT    NOT NULL DEFAULT '',
    hidden_by      INTEGER REFERENCES users (id),
    hidden_at      TEXT,
    decision       TEXT    CHECK (decision IN ('encourage', 'not_suitable', 'on_hold')),
    decision_note  TEXT    NOT NULL DEFAULT '',
    decided_by     INTEGER REFERENCES users (id),
    decided_at     TEXT,
    PRIMARY KEY (person_id, posting_id)
);

-- The postings' revision: every change to a posting, or to an employer a
-- posting shows, moves it on, so an index of open postings kept in memory
-- knows when it is stale.
CREATE TABLE job_postings_revision (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    revision  INTEGER NOT NULL
);
INSERT INTO job_postings_revision (id, revision) VALUES (1, 0);

CREATE TRIGGER job_postings_revise_insert AFTER INSERT ON job_postings
BEGIN UPDATE job_postings_revision SET revision = revision + 1 WHERE id = 1; END;
CREATE TRIGGER job_postings_revise_update AFTER UPDATE ON job_postings
BEGIN UPDATE job_postings_revision SET revision = revision + 1 WHERE id = 1; END;
CREATE TRIGGER job_postings_revise_delete AFTER DELETE ON job_postings
BEGIN UPDATE job_postings_revision SET revision = revision + 1 WHERE id = 1; END;
CREATE TRIGGER job_postings_revise_employer AFTER UPDATE ON employers
BEGIN UPDATE job_postings_revision SET revision = revision + 1 WHERE id = 1; END;
