-- Employment outcomes: a person starting work, the record new-employment
-- counts are made from (SQLite).

CREATE TABLE employment_outcomes (
    id             INTEGER PRIMARY KEY,
    person_id      INTEGER NOT NULL REFERENCES persons (id),
    started_on     TEXT    NOT NULL,
    ended_on       TEXT,
    form           TEXT    NOT NULL,
    measure        TEXT    NOT NULL,
    district_code  TEXT    NOT NULL,
    hukou          TEXT    NOT NULL,
    category       TEXT    NOT NULL,
    level          INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
    sex            TEXT    NOT NULL,
    created_at     TEXT    NOT NULL
);
CREATE INDEX employment_outcomes_started ON employment_outcomes (started_on);
CREATE INDEX employment_outcomes_district_started ON employment_outcomes (district_code, started_on);
CREATE INDEX employment_outcomes_person ON employment_outcomes (person_id, started_on);
