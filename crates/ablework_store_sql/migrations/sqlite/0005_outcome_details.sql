-- The details of an employment outcome (employer, contract, wage, social
-- insurance, who recorded it) and its follow-ups at 3, 6 and 12 months
-- (SQLite).

ALTER TABLE employment_outcomes ADD COLUMN employer_id INTEGER REFERENCES employers (id);
ALTER TABLE employment_outcomes ADD COLUMN contract_months INTEGER;
ALTER TABLE employment_outcomes ADD COLUMN monthly_wage INTEGER;
ALTER TABLE employment_outcomes ADD COLUMN insured INTEGER;
ALTER TABLE employment_outcomes ADD COLUMN user_id INTEGER REFERENCES users (id);

CREATE TABLE outcome_follow_ups (
    id              INTEGER PRIMARY KEY,
    outcome_id      INTEGER NOT NULL REFERENCES employment_outcomes (id),
    after_months    INTEGER NOT NULL CHECK (after_months IN (3, 6, 12)),
    checked_on      TEXT    NOT NULL,
    still_employed  INTEGER NOT NULL,
    note            TEXT,
    user_id         INTEGER REFERENCES users (id),
    at              TEXT    NOT NULL,
    UNIQUE (outcome_id, after_months)
);
