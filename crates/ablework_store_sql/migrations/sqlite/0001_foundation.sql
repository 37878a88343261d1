-- AbleWork foundation: accounts, sessions, API tokens, login throttling,
-- people and the hash-chained audit log (SQLite).

CREATE TABLE users (
    id               INTEGER PRIMARY KEY,
    username         TEXT    NOT NULL UNIQUE,
    password_hash    TEXT    NOT NULL,
    role             TEXT    NOT NULL CHECK (role IN ('city_admin', 'district_officer', 'employer', 'institution', 'seeker')),
    district_code    TEXT,
    organisation_id  INTEGER,
    person_id        INTEGER,
    active           INTEGER NOT NULL DEFAULT 1,
    created_at       TEXT    NOT NULL
);

CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token  TEXT NOT NULL,
    lang        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL UNIQUE,
    prefix      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE login_failures (
    id   INTEGER PRIMARY KEY,
    key  TEXT NOT NULL,
    at   TEXT NOT NULL
);
CREATE INDEX login_failures_key_at ON login_failures (key, at);

CREATE TABLE persons (
    id                  INTEGER PRIMARY KEY,
    name                TEXT    NOT NULL,
    id_number_enc       BLOB    NOT NULL,
    id_number_hash      TEXT    NOT NULL UNIQUE,
    id_number_masked    TEXT    NOT NULL,
    certificate_enc     BLOB    NOT NULL,
    certificate_masked  TEXT    NOT NULL,
    sex                 TEXT    NOT NULL,
    birth_date          TEXT    NOT NULL,
    category            TEXT    NOT NULL,
    level               INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
    district_code       TEXT    NOT NULL,
    street              TEXT,
    hukou               TEXT,
    phone_enc           BLOB,
    phone_masked        TEXT,
    education           TEXT,
    employment_status   TEXT    NOT NULL,
    retirement_group    TEXT    NOT NULL,
    registered_on       TEXT    NOT NULL,
    active              INTEGER NOT NULL DEFAULT 1,
    created_at          TEXT    NOT NULL,
    updated_at          TEXT    NOT NULL
);
CREATE INDEX persons_district_registered ON persons (district_code, registered_on);
CREATE INDEX persons_registered ON persons (registered_on);
CREATE INDEX persons_name ON persons (name);

-- The head of the audit chain: one row, updated first in every audited
-- transaction so that appends are serialised.
CREATE TABLE audit_head (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    seq        INTEGER NOT NULL,
    last_hash  TEXT    NOT NULL
);
INSERT INTO audit_head (id, seq, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_log (
    seq            INTEGER PRIMARY KEY,
    at             TEXT    NOT NULL,
    actor_user_id  INTEGER,
    actor          TEXT    NOT NULL,
    action         TEXT    NOT NULL,
    entity         TEXT    NOT NULL,
    entity_id      TEXT,
    request_id     TEXT,
    detail         TEXT    NOT NULL,
    prev_hash      TEXT    NOT NULL,
    hash           TEXT    NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor, seq);
CREATE INDEX audit_log_action ON audit_log (action, seq);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, seq);

-- The audit log is append-only. The triggers stop honest mistakes; the hash
-- chain detects deliberate tampering by someone who removes them.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
