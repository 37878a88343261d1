-- Employers, their annual quota declarations, and policy presets created
-- by an administrator (SQLite). Decimals are kept as exact text.

CREATE TABLE employers (
    id              INTEGER PRIMARY KEY,
    credit_code     TEXT    NOT NULL UNIQUE,
    name            TEXT    NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('enterprise', 'agency', 'institution', 'social_org')),
    is_school       INTEGER NOT NULL DEFAULT 0,
    staffing_quota  INTEGER CHECK (staffing_quota >= 0),
    staff           INTEGER NOT NULL CHECK (staff >= 0),
    district_code   TEXT    NOT NULL,
    sector          TEXT    NOT NULL,
    active          INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
);
CREATE INDEX employers_district_name ON employers (district_code, name);
CREATE INDEX employers_name ON employers (name);

CREATE TABLE declarations (
    id                   INTEGER PRIMARY KEY,
    employer_id          INTEGER NOT NULL REFERENCES employers (id),
    data_year            INTEGER NOT NULL,
    status               TEXT    NOT NULL CHECK (status IN ('submitted', 'returned', 'approved')),
    declared_on          TEXT    NOT NULL,
    monthly_headcount    TEXT    NOT NULL,
    seasonal             TEXT    NOT NULL,
    total_wages          TEXT    NOT NULL,
    social_average_wage  TEXT    NOT NULL,
    policy_id            TEXT    NOT NULL,
    policy_version       INTEGER NOT NULL,
    headcount            TEXT    NOT NULL,
    counted              TEXT    NOT NULL,
    shortfall            TEXT    NOT NULL,
    levy                 TEXT    NOT NULL,
    updated_at           TEXT    NOT NULL,
    UNIQUE (employer_id, data_year)
);
CREATE INDEX declarations_year_status ON declarations (data_year, status);

CREATE TABLE declaration_employees (
    declaration_id  INTEGER NOT NULL REFERENCES declarations (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    employer_id     INTEGER NOT NULL REFERENCES employers (id),
    data_year       INTEGER NOT NULL,
    person_id       INTEGER NOT NULL REFERENCES persons (id),
    level           INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
    from_month      INTEGER NOT NULL CHECK (from_month BETWEEN 1 AND 12),
    to_month        INTEGER NOT NULL CHECK (to_month BETWEEN from_month AND 12),
    months_mask     INTEGER NOT NULL,
    contract_ok     INTEGER NOT NULL,
    min_wage_ok     INTEGER NOT NULL,
    insured_ok      INTEGER NOT NULL,
    PRIMARY KEY (declaration_id, position),
    UNIQUE (declaration_id, person_id)
);
CREATE INDEX declaration_employees_person_year ON declaration_employees (person_id, data_year);

CREATE TABLE declaration_events (
    id              INTEGER PRIMARY KEY,
    declaration_id  INTEGER NOT NULL REFERENCES declarations (id),
    at              TEXT    NOT NULL,
    user_id         INTEGER REFERENCES users (id),
    action          TEXT    NOT NULL,
    note            TEXT,
    levy            TEXT    NOT NULL
);
CREATE INDEX declaration_events_declaration ON declaration_events (declaration_id, id);

CREATE TABLE policy_presets (
    id          TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    body        TEXT    NOT NULL,
    created_at  TEXT    NOT NULL,
    PRIMARY KEY (id, version)
);
