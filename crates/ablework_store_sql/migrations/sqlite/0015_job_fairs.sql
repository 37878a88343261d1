-- Job fairs (SQLite), measure 2: employers' state ownership; fairs with
-- their mode, organiser and the access provisions they offer (JSON text,
-- like postings' lists); the employers taking part with the postings they
-- bring; people registered with their access needs and attendance; and
-- the fair an application was made at.

ALTER TABLE employers ADD COLUMN state_owned INTEGER NOT NULL DEFAULT 0;

CREATE TABLE fairs (
    id              INTEGER PRIMARY KEY,
    title           TEXT    NOT NULL,
    mode            TEXT    NOT NULL CHECK (mode IN ('on_site', 'online')),
    organiser       TEXT    NOT NULL CHECK (organiser IN ('state_assets', 'disability_service', 'public_service')),
    soe_only        INTEGER NOT NULL DEFAULT 0,
    held_on         TEXT    NOT NULL,
    district_code   TEXT    NOT NULL,
    venue           TEXT,
    online_url      TEXT,
    provisions      TEXT    NOT NULL DEFAULT '[]',
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
);
CREATE INDEX fairs_district_held ON fairs (district_code, held_on);
CREATE INDEX fairs_held ON fairs (held_on);

CREATE TABLE fair_employers (
    fair_id         INTEGER NOT NULL REFERENCES fairs (id),
    employer_id     INTEGER NOT NULL REFERENCES employers (id),
    posting_ids     TEXT    NOT NULL DEFAULT '[]',
    joined_at       TEXT    NOT NULL,
    PRIMARY KEY (fair_id, employer_id)
);

CREATE TABLE fair_registrations (
    id              INTEGER PRIMARY KEY,
    fair_id         INTEGER NOT NULL REFERENCES fairs (id),
    person_id       INTEGER NOT NULL REFERENCES persons (id),
    access_needs    TEXT    NOT NULL DEFAULT '[]',
    status          TEXT    NOT NULL CHECK (status IN ('registered', 'attended', 'no_show')),
    registered_on   TEXT    NOT NULL,
    marked_on       TEXT,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    CONSTRAINT fair_registration_exists UNIQUE (fair_id, person_id)
);

ALTER TABLE job_applications ADD COLUMN fair_id INTEGER REFERENCES fairs (id);
CREATE INDEX job_applications_fair ON job_applications (fair_id);
