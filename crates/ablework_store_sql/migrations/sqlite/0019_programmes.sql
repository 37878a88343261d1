-- The plan's programmes (SQLite), docs/programmes.md: the units taking
-- part, the activities they run or the district pools, the people taking
-- part and the draws on each activity's limit; and the rural bases'
-- criteria, versioned like the policy presets. Amounts are their exact
-- decimal text, as declarations keep theirs; lists are JSON text.

CREATE TABLE programme_units (
    id              INTEGER PRIMARY KEY,
    programme       TEXT    NOT NULL,
    kind            TEXT    NOT NULL,
    name            TEXT    NOT NULL,
    district_code   TEXT    NOT NULL,
    capacity        INTEGER CHECK (capacity > 0),
    accreditation   TEXT    CHECK (accreditation IN ('accredited', 'pending', 'lapsed')),
    accredited_on   TEXT,
    compliant       INTEGER NOT NULL DEFAULT 0,
    reviewed_on     TEXT,
    pilot           INTEGER NOT NULL DEFAULT 0,
    sector          TEXT,
    brands          TEXT    NOT NULL DEFAULT '[]',
    note            TEXT,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
);
CREATE INDEX programme_units_district ON programme_units (district_code, name);
CREATE INDEX programme_units_programme ON programme_units (programme, kind, name);
CREATE INDEX programme_units_name ON programme_units (name, id);

CREATE TABLE programme_activities (
    id              INTEGER PRIMARY KEY,
    unit_id         INTEGER REFERENCES programme_units (id),
    programme       TEXT    NOT NULL,
    kind            TEXT    NOT NULL,
    title           TEXT    NOT NULL,
    district_code   TEXT    NOT NULL,
    starts_on       TEXT    NOT NULL,
    ends_on         TEXT,
    capacity        INTEGER CHECK (capacity > 0),
    limit_amount    TEXT,
    unit_price      TEXT,
    occupation      TEXT,
    mode            TEXT,
    schedule        TEXT,
    provisions      TEXT    NOT NULL DEFAULT '[]',
    source_kind     TEXT,
    source_name     TEXT,
    scope           TEXT,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
);
CREATE INDEX programme_activities_unit ON programme_activities (unit_id, starts_on);
CREATE INDEX programme_activities_district ON programme_activities (district_code, starts_on);
CREATE INDEX programme_activities_programme ON programme_activities (programme, kind, starts_on);

-- `list_key` names the list a person is on, once: `a:<activity id>` for an
-- activity's, `u:<unit id>:<role>` for the unit's own in one role. A merge
-- of two records of a person leaves behind a row whose list the kept
-- record is already on.
CREATE TABLE programme_participants (
    id                  INTEGER PRIMARY KEY,
    unit_id             INTEGER NOT NULL REFERENCES programme_units (id),
    activity_id         INTEGER REFERENCES programme_activities (id),
    person_id           INTEGER NOT NULL REFERENCES persons (id),
    list_key            TEXT    NOT NULL,
    role                TEXT    NOT NULL,
    status              TEXT    NOT NULL CHECK (status IN ('active', 'completed', 'withdrawn')),
    joined_on           TEXT    NOT NULL,
    ended_on            TEXT,
    sessions_attended   INTEGER,
    certificate         TEXT,
    monthly_income      TEXT,
    income_before       TEXT,
    service_id          INTEGER,
    outcome_id          INTEGER REFERENCES employment_outcomes (id),
    created_at          TEXT    NOT NULL,
    updated_at          TEXT    NOT NULL,
    CONSTRAINT programme_participant_exists UNIQUE (list_key, person_id)
);
CREATE INDEX programme_participants_list ON programme_participants (list_key, role, status);
CREATE INDEX programme_participants_unit ON programme_participants (unit_id, activity_id, joined_on);
CREATE INDEX programme_participants_activity ON programme_participants (activity_id, joined_on);
CREATE INDEX programme_participants_person ON programme_participants (person_id);
CREATE INDEX programme_participants_outcome ON programme_participants (outcome_id);

CREATE TABLE programme_draws (
    id              INTEGER PRIMARY KEY,
    activity_id     INTEGER NOT NULL REFERENCES programme_activities (id),
    amount          TEXT    NOT NULL,
    on_date         TEXT    NOT NULL,
    until           TEXT,
    unit_id         INTEGER REFERENCES programme_units (id),
    person_id       INTEGER REFERENCES persons (id),
    purpose         TEXT,
    note            TEXT,
    created_at      TEXT    NOT NULL
);
CREATE INDEX programme_draws_activity ON programme_draws (activity_id, on_date);
CREATE INDEX programme_draws_unit ON programme_draws (unit_id, on_date);
CREATE INDEX programme_draws_person ON programme_draws (person_id);

CREATE TABLE rural_criteria (
    id          TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    body        TEXT    NOT NULL,
    created_at  TEXT    NOT NULL,
    PRIMARY KEY (id, version)
);
