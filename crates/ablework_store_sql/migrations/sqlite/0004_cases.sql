-- The "four ones" case of a person: checks, assessments with a
-- supervisor's decision, registered needs, services and consents (SQLite).
-- Lists of codes are kept as JSON text.

CREATE TABLE person_checks (
    id          INTEGER PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES persons (id),
    checked_on  TEXT    NOT NULL,
    fields      TEXT    NOT NULL,
    source      TEXT    NOT NULL,
    note        TEXT,
    user_id     INTEGER REFERENCES users (id),
    at          TEXT    NOT NULL
);
CREATE INDEX person_checks_person ON person_checks (person_id, id);

CREATE TABLE assessments (
    id              INTEGER PRIMARY KEY,
    person_id       INTEGER NOT NULL REFERENCES persons (id),
    assessed_on     TEXT    NOT NULL,
    functions       TEXT    NOT NULL,
    capacity        TEXT    NOT NULL,
    skills          TEXT    NOT NULL,
    forms           TEXT    NOT NULL,
    accommodations  TEXT    NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('submitted', 'returned', 'approved')),
    user_id         INTEGER REFERENCES users (id),
    at              TEXT    NOT NULL,
    reviewer_id     INTEGER REFERENCES users (id),
    reviewed_at     TEXT,
    review_note     TEXT
);
CREATE INDEX assessments_person ON assessments (person_id, id);
CREATE INDEX assessments_status ON assessments (status, id);

CREATE TABLE needs (
    id                INTEGER PRIMARY KEY,
    person_id         INTEGER NOT NULL REFERENCES persons (id),
    registered_on     TEXT    NOT NULL,
    occupations       TEXT    NOT NULL,
    form              TEXT,
    districts         TEXT    NOT NULL,
    commute_minutes   INTEGER,
    hours             TEXT    NOT NULL,
    wage_expectation  INTEGER,
    accommodations    TEXT    NOT NULL,
    willing_to_train  INTEGER NOT NULL,
    user_id           INTEGER REFERENCES users (id),
    at                TEXT    NOT NULL
);
CREATE INDEX needs_person ON needs (person_id, id);

CREATE TABLE services (
    id         INTEGER PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES persons (id),
    kind       TEXT    NOT NULL,
    served_on  TEXT    NOT NULL,
    result     TEXT    NOT NULL,
    note       TEXT,
    user_id    INTEGER REFERENCES users (id),
    at         TEXT    NOT NULL
);
CREATE INDEX services_person ON services (person_id, id);

CREATE TABLE consents (
    id            INTEGER PRIMARY KEY,
    person_id     INTEGER NOT NULL REFERENCES persons (id),
    purpose       TEXT    NOT NULL,
    given         INTEGER NOT NULL,
    effective_on  TEXT    NOT NULL,
    by_person     INTEGER NOT NULL,
    user_id       INTEGER REFERENCES users (id),
    at            TEXT    NOT NULL
);
CREATE INDEX consents_person ON consents (person_id, purpose, id);
