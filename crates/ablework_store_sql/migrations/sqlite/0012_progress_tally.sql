-- Counts kept beside the records, so that the progress dashboard reads a
-- few thousand rows instead of every outcome and every person
-- (docs/adr/0002-progress-tally.md).
--
-- `counted_outcomes`: the outcome credited for each person and calendar
-- year (the first of the year, DOMAIN.md §5), its district being the
-- current one. `progress_tally`: per scope ('' for the city, or a district
-- code), start day and characteristic, how many of those there are. Both
-- are kept by the store in the same transaction as every change to an
-- outcome; `progress_tally_state.built` is false until the store has
-- filled them from the outcomes already recorded, which it does once, when
-- it opens the database.
--
-- `persons.four_ones_done`: which of the four steps a person has done
-- (1 check, 2 an approved assessment, 4 a registered need, 8 a service),
-- kept by the store with each case record. `four_ones_tally`: the active
-- unemployed people per district, retirement group, month of birth and
-- steps done (and per retirement group, month of birth and steps done for
-- the whole city, under the district code ''), kept by triggers on
-- `persons`, so that the "four ones" coverage sums whole months of birth
-- and reads people only for the two months at the edges of working age.
--
-- A counted person's street (as registered today; '' when none is
-- recorded or they have moved out of the district credited) is kept in the
-- district's tally under the dimension 'street'; a trigger moves their
-- counts when their street or district changes.

CREATE TABLE counted_outcomes (
    person_id      INTEGER NOT NULL REFERENCES persons (id),
    year           INTEGER NOT NULL,
    started_on     TEXT    NOT NULL,
    ended_on       TEXT,
    district_code  TEXT    NOT NULL,
    measure        TEXT    NOT NULL,
    form           TEXT    NOT NULL,
    hukou          TEXT    NOT NULL,
    category       TEXT    NOT NULL,
    level          INTEGER NOT NULL,
    sex            TEXT    NOT NULL,
    PRIMARY KEY (person_id, year)
) WITHOUT ROWID;
CREATE INDEX counted_outcomes_started ON counted_outcomes (started_on, person_id);
CREATE INDEX counted_outcomes_district_started ON counted_outcomes (district_code, started_on, person_id);

CREATE TABLE progress_tally (
    scope       TEXT    NOT NULL,
    started_on  TEXT    NOT NULL,
    dimension   TEXT    NOT NULL,
    code        TEXT    NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (scope, dimension, started_on, code)
) WITHOUT ROWID;

CREATE TABLE progress_tally_by_month (
    scope       TEXT    NOT NULL,
    dimension   TEXT    NOT NULL,
    month       TEXT    NOT NULL,
    code        TEXT    NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (scope, dimension, month, code)
) WITHOUT ROWID;

CREATE TABLE progress_tally_state (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    built  INTEGER NOT NULL
);
INSERT INTO progress_tally_state (id, built) VALUES (1, 0);

ALTER TABLE persons ADD COLUMN four_ones_done INTEGER NOT NULL DEFAULT 0;
UPDATE persons SET four_ones_done =
      (CASE WHEN EXISTS (SELECT 1 FROM person_checks c WHERE c.person_id = persons.id) THEN 1 ELSE 0 END)
    + (CASE WHEN EXISTS (SELECT 1 FROM assessments a WHERE a.person_id = persons.id AND a.status = 'approved') THEN 2 ELSE 0 END)
    + (CASE WHEN EXISTS (SELECT 1 FROM needs n WHERE n.person_id = persons.id) THEN 4 ELSE 0 END)
    + (CASE WHEN EXISTS (SELECT 1 FROM services s WHERE s.person_id = persons.id) THEN 8 ELSE 0 END);

CREATE INDEX persons_four_ones ON persons (retirement_group, birth_date, district_code, four_ones_done)
WHERE active AND employment_status = 'unemployed';

CREATE TABLE four_ones_tally (
    district_code     TEXT    NOT NULL,
    retirement_group  TEXT    NOT NULL,
    birth_month       TEXT    NOT NULL,
    done_mask         INTEGER NOT NULL,
    n                 INTEGER NOT NULL,
    PRIMARY KEY (district_code, retirement_group, birth_month, done_mask)
) WITHOUT ROWID;

INSERT INTO four_ones_tally (district_code, retirement_group, birth_month, done_mask, n)
SELECT district_code, retirement_group, date(birth_date, 'start of month'), four_ones_done, COUNT(*)
FROM persons WHERE active AND employment_status = 'unemployed'
GROUP BY district_code, retirement_group, date(birth_date, 'start of month'), four_ones_done;
INSERT INTO four_ones_tally (district_code, retirement_group, birth_month, done_mask, n)
SELECT '', retirement_group, date(birth_date, 'start of month'), four_ones_done, COUNT(*)
FROM persons WHERE active AND employment_status = 'unemployed'
GROUP BY retirement_group, date(birth_date, 'start of month'), four_ones_done;

CREATE TRIGGER persons_four_ones_tally_insert AFTER INSERT ON persons
WHEN NEW.active AND NEW.employment_status = 'unemployed'
BEGIN
    INSERT INTO four_ones_tally (district_code, retirement_group, birth_month, done_mask, n)
    VALUES ('', NEW.retirement_group, date(NEW.birth_date, 'start of month'), NEW.four_ones_done, 1),
           (NEW.district_code, NEW.retirement_group, date(NEW.birth_date, 'start of month'), NEW.four_ones_done, 1)
    ON CONFLICT (district_code, retirement_group, birth_month, done_mask) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER persons_four_ones_tally_update
AFTER UPDATE OF active, employment_status, district_code, retirement_group, birth_date, four_ones_done ON persons
BEGIN
    UPDATE four_ones_tally SET n = n - 1
    WHERE OLD.active AND OLD.employment_status = 'unemployed'
      AND district_code IN ('', OLD.district_code) AND retirement_group = OLD.retirement_group
      AND birth_month = date(OLD.birth_date, 'start of month') AND done_mask = OLD.four_ones_done;
    INSERT INTO four_ones_tally (district_code, retirement_group, birth_month, done_mask, n)
    SELECT s.scope, NEW.retirement_group, date(NEW.birth_date, 'start of month'), NEW.four_ones_done, 1
    FROM (SELECT '' AS scope UNION ALL SELECT NEW.district_code) AS s
    WHERE NEW.active AND NEW.employment_status = 'unemployed'
    ON CONFLICT (district_code, retirement_group, birth_month, done_mask) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER persons_counted_street AFTER UPDATE OF street, district_code ON persons BEGIN
    UPDATE progress_tally SET n = n - 1
    WHERE dimension = 'street' AND (scope, started_on, code) IN (
        SELECT c.district_code, c.started_on,
               CASE WHEN c.district_code = OLD.district_code THEN COALESCE(OLD.street, '') ELSE '' END
        FROM counted_outcomes c WHERE c.person_id = OLD.id);
    UPDATE progress_tally_by_month SET n = n - 1
    WHERE dimension = 'street' AND (scope, month, code) IN (
        SELECT c.district_code, date(c.started_on, 'start of month'),
               CASE WHEN c.district_code = OLD.district_code THEN COALESCE(OLD.street, '') ELSE '' END
        FROM counted_outcomes c WHERE c.person_id = OLD.id);
    INSERT INTO progress_tally (scope, dimension, started_on, code, n)
    SELECT c.district_code, 'street', c.started_on,
           CASE WHEN c.district_code = NEW.district_code THEN COALESCE(NEW.street, '') ELSE '' END, 1
    FROM counted_outcomes c WHERE c.person_id = NEW.id
    ON CONFLICT (scope, dimension, started_on, code) DO UPDATE SET n = n + 1;
    INSERT INTO progress_tally_by_month (scope, dimension, month, code, n)
    SELECT c.district_code, 'street', date(c.started_on, 'start of month'),
           CASE WHEN c.district_code = NEW.district_code THEN COALESCE(NEW.street, '') ELSE '' END, COUNT(*)
    FROM counted_outcomes c WHERE c.person_id = NEW.id
    GROUP BY 1, 2, 3, 4
    ON CONFLICT (scope, dimension, month, code) DO UPDATE SET n = n + excluded.n;
    DELETE FROM progress_tally
    WHERE dimension = 'street' AND n = 0 AND (scope, started_on) IN (
        SELECT c.district_code, c.started_on FROM counted_outcomes c WHERE c.person_id = NEW.id);
    DELETE FROM progress_tally_by_month
    WHERE dimension = 'street' AND n = 0 AND (scope, month) IN (
        SELECT c.district_code, date(c.started_on, 'start of month') FROM counted_outcomes c WHERE c.person_id = NEW.id);
END;
