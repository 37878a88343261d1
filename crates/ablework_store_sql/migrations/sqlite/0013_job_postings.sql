-- Job postings (SQLite): what an employer offers, with the functional
-- demands of the work and the accommodations it provides. Skills, demands
-- and accommodations are small JSON arrays of stable codes, as the case
-- records keep their lists; `demands` holds `[demand, level]` pairs.

CREATE TABLE job_postings (
    id                     INTEGER PRIMARY KEY,
    employer_id            INTEGER NOT NULL REFERENCES employers (id),
    title                  TEXT    NOT NULL,
    occupation             TEXT    NOT NULL,
    district_code          TEXT    NOT NULL,
    address                TEXT    NOT NULL,
    remote_possible        INTEGER NOT NULL DEFAULT 0,
    hours                  TEXT    NOT NULL CHECK (hours IN ('full_time', 'part_time', 'flexible')),
    monthly_wage           INTEGER NOT NULL CHECK (monthly_wage >= 0),
    education_required     TEXT,
    skills_required        TEXT    NOT NULL,
    demands                TEXT    NOT NULL,
    accommodations         TEXT    NOT NULL,
    reserved_for_disabled  INTEGER NOT NULL DEFAULT 0,
    posts                  INTEGER NOT NULL CHECK (posts >= 1),
    is_open                INTEGER NOT NULL DEFAULT 1,
    created_at             TEXT    NOT NULL,
    updated_at             TEXT    NOT NULL
);
CREATE INDEX job_postings_district_open ON job_postings (district_code, is_open, created_at);
CREATE INDEX job_postings_open_created ON job_postings (is_open, created_at);
CREATE INDEX job_postings_employer ON job_postings (employer_id, created_at);
