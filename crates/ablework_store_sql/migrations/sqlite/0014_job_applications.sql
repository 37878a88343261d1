-- Job applications (SQLite): a person and a posting, where the application
-- stands, and a row per step with its day and who recorded it, so the
-- history is kept. One application per person and posting. A hire links
-- the employment outcome it recorded.

CREATE TABLE job_applications (
    id          INTEGER PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES persons (id),
    posting_id  INTEGER NOT NULL REFERENCES job_postings (id),
    status      TEXT    NOT NULL CHECK (status IN ('recommended', 'applied', 'interview', 'offer', 'hired', 'declined', 'withdrawn')),
    outcome_id  INTEGER REFERENCES employment_outcomes (id),
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    CONSTRAINT application_exists UNIQUE (person_id, posting_id)
);
CREATE INDEX job_applications_posting ON job_applications (posting_id, status);

CREATE TABLE job_application_steps (
    id              INTEGER PRIMARY KEY,
    application_id  INTEGER NOT NULL REFERENCES job_applications (id),
    status          TEXT    NOT NULL CHECK (status IN ('recommended', 'applied', 'interview', 'offer', 'hired', 'declined', 'withdrawn')),
    happened_on     TEXT    NOT NULL,
    user_id         INTEGER REFERENCES users (id),
    at              TEXT    NOT NULL
);
CREATE INDEX job_application_steps_application ON job_application_steps (application_id, id);
-- Hires per employer and first day of work, for the employer's page.
CREATE INDEX job_application_steps_status_on ON job_application_steps (status, happened_on);
