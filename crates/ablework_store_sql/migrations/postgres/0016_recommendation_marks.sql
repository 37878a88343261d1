-- What a seeker and their counsellor said about a recommended job
-- (PostgreSQL): the seeker hid it, with a reason; a counsellor recorded a
-- decision. One row per person and posting; either half may be empty.

CREATE TABLE recommendation_marks (
    person_id      BIGINT      NOT NULL REFERENCES persons (id),
    posting_id     BIGINT      NOT NULL REFERENCES job_postings (id),
    hidden_reason  TEXT        CHECK (hidden_reason IN ('not_interested', 'too_far', 'wage_too_low', 'hours', 'access', 'applied_elsewhere', 'other')),
    hidden_note    TEXT        NOT NULL DEFAULT '',
    hidden_by      BIGINT      REFERENCES users (id),
    hidden_at      TIMESTAMPTZ,
    decision       TEXT        CHECK (decision IN ('encourage', 'not_suitable', 'on_hold')),
    decision_note  TEXT        NOT NULL DEFAULT '',
    decided_by     BIGINT      REFERENCES users (id),
    decided_at     TIMESTAMPTZ,
    PRIMARY KEY (person_id, posting_id)
);

-- The postings' revision: every change to a posting, or to an employer a
-- posting shows, moves it on, so an index of open postings kept in memory
-- knows when it is stale. One statement moves it once.
CREATE TABLE job_postings_revision (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    revision  BIGINT  NOT NULL
);
INSERT INTO job_postings_revision (id, revision) VALUES (1, 0);

CREATE FUNCTION job_postings_revise() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE job_postings_revision SET revision = revision + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;
CREATE TRIGGER job_postings_revise AFTER INSERT OR UPDATE OR DELETE ON job_postings
    FOR EACH STATEMENT EXECUTE FUNCTION job_postings_revise();
CREATE TRIGGER job_postings_revise_employer AFTER UPDATE ON employers
    FOR EACH STATEMENT EXECUTE FUNCTION job_postings_revise();
