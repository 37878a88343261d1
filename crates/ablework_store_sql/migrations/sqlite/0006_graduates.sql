-- The graduates' ledger (一人一策): disabled university students and
-- graduates, the steps of each one's plan and the contacts with them
-- (SQLite). A person is in the ledger at most once.

CREATE TABLE students (
    id                   INTEGER PRIMARY KEY,
    person_id            INTEGER NOT NULL UNIQUE REFERENCES persons (id),
    university           TEXT    NOT NULL,
    major                TEXT    NOT NULL,
    degree               TEXT    NOT NULL CHECK (degree IN ('college', 'bachelor', 'master', 'doctor')),
    expected_graduation  TEXT    NOT NULL,
    counsellor_user_id   INTEGER REFERENCES users (id),
    status               TEXT    NOT NULL CHECK (status IN ('studying', 'seeking', 'employed', 'further_study', 'not_seeking')),
    created_at           TEXT    NOT NULL,
    updated_at           TEXT    NOT NULL
);
CREATE INDEX students_graduation ON students (expected_graduation, id);

CREATE TABLE student_plan_steps (
    id           INTEGER PRIMARY KEY,
    student_id   INTEGER NOT NULL REFERENCES students (id),
    due_on       TEXT    NOT NULL,
    description  TEXT    NOT NULL,
    done_on      TEXT,
    user_id      INTEGER REFERENCES users (id),
    at           TEXT    NOT NULL
);
CREATE INDEX student_plan_steps_student ON student_plan_steps (student_id, due_on);

CREATE TABLE student_contacts (
    id            INTEGER PRIMARY KEY,
    student_id    INTEGER NOT NULL REFERENCES students (id),
    contacted_on  TEXT    NOT NULL,
    channel       TEXT    NOT NULL,
    summary       TEXT    NOT NULL,
    user_id       INTEGER REFERENCES users (id),
    at            TEXT    NOT NULL
);
CREATE INDEX student_contacts_student ON student_contacts (student_id, contacted_on);
