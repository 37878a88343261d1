-- Imports uploaded on the web and run in the background (SQLite): the
-- uploaded file sealed by the application until the job ends, the job's
-- state and checkpoint (the last row whose outcome is counted), the
-- rejected rows' reasons, and the sealed error report.

CREATE TABLE import_jobs (
    id              INTEGER PRIMARY KEY,
    kind            TEXT    NOT NULL,
    file_name       TEXT    NOT NULL,
    encoding        TEXT    NOT NULL,
    dry_run         INTEGER NOT NULL,
    user_id         INTEGER NOT NULL REFERENCES users (id),
    district_code   TEXT,
    state           TEXT    NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
    resumed         INTEGER NOT NULL DEFAULT 0,
    checkpoint_row  INTEGER NOT NULL DEFAULT 0,
    read_rows       INTEGER NOT NULL DEFAULT 0,
    inserted        INTEGER NOT NULL DEFAULT 0,
    updated         INTEGER NOT NULL DEFAULT 0,
    unchanged       INTEGER NOT NULL DEFAULT 0,
    rejected        INTEGER NOT NULL DEFAULT 0,
    failure_code    TEXT,
    failure_zh      TEXT,
    failure_en      TEXT,
    content_enc     BLOB,
    report_enc      BLOB,
    created_at      TEXT    NOT NULL,
    started_at      TEXT,
    finished_at     TEXT
);
CREATE INDEX import_jobs_user ON import_jobs (user_id, id);
CREATE INDEX import_jobs_district ON import_jobs (district_code, id);
CREATE INDEX import_jobs_waiting ON import_jobs (id) WHERE state IN ('queued', 'running');

CREATE TABLE import_job_errors (
    job_id          INTEGER NOT NULL REFERENCES import_jobs (id) ON DELETE CASCADE,
    seq             INTEGER NOT NULL,
    row_number      INTEGER NOT NULL,
    field           TEXT    NOT NULL,
    code            TEXT    NOT NULL,
    message_zh      TEXT    NOT NULL,
    message_en      TEXT    NOT NULL,
    PRIMARY KEY (job_id, seq)
);
CREATE INDEX import_job_errors_row ON import_job_errors (job_id, row_number);
