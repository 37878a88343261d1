-- Counts kept beside the records, so that the progress dashboard reads a
-- few thousand rows instead of every outcome and every person
-- (docs/adr/0002-progress-tally.md). See the SQLite migration of the same
-- number for what each table holds.
--
-- The people's tally is small and its counts change with every person
-- written: half of each page is left free so that a count's new version
-- fits beside the old one (a HOT update), which adds nothing to the index
-- and is cleaned up on the page.

CREATE TABLE counted_outcomes (
    person_id      BIGINT  NOT NULL REFERENCES persons (id),
    year           INTEGER NOT NULL,
    started_on     DATE    NOT NULL,
    ended_on       DATE,
    district_code  TEXT    NOT NULL,
    measure        TEXT    NOT NULL,
    form           TEXT    NOT NULL,
    hukou          TEXT    NOT NULL,
    category       TEXT    NOT NULL,
    level          INTEGER NOT NULL,
    sex            TEXT    NOT NULL,
    PRIMARY KEY (person_id, year)
);
CREATE INDEX counted_outcomes_started ON counted_outcomes (started_on, person_id);
CREATE INDEX counted_outcomes_district_started ON counted_outcomes (district_code, started_on, person_id);

CREATE TABLE progress_tally (
    scope       TEXT    NOT NULL,
    started_on  DATE    NOT NULL,
    dimension   TEXT    NOT NULL,
    code        TEXT    NOT NULL,
    n           BIGINT  NOT NULL,
    PRIMARY KEY (scope, dimension, started_on, code)
);

CREATE TABLE progress_tally_by_month (
    scope       TEXT    NOT NULL,
    dimension   TEXT    NOT NULL,
    month       DATE    NOT NULL,
    code        TEXT    NOT NULL,
    n           BIGINT  NOT NULL,
    PRIMARY KEY (scope, dimension, month, code)
);

CREATE TABLE progress_tally_state (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    built  BOOLEAN NOT NULL
);
INSERT INTO progress_tally_state (id, built) VALUES (1, FALSE);

ALTER TABLE persons ADD COLUMN four_ones_done INTEGER NOT NULL DEFAULT 0;
UPDATE persons SET four_ones_done =
      (CASE WHEN EXISTS (SELECT 1 FROM person_checks c WHERE c.person_id = persons.id) THEN 1 ELSE 0 END)
    + (CASE WHEN EXISTS (SELECT 1 FROM assessments a WHERE a.person_id = persons.id AND a.status = 'approved') THEN 2 ELSE 0 END)
    + (CASE WHEN EXISTS (SELECT 1 FROM needs n WHERE n.person_id = persons.id) THEN 4 ELSE 0 END)
    + (CASE WHEN EXISTS (SELECT 1 FROM services s WHERE s.person_id = persons.id) THEN 8 ELSE 0 END);

CREATE INDEX persons_four_ones ON persons (retirement_group, birth_date, district_code, four_ones_done)
WHERE active AND employment_status = 'unemployed';

CREATE TABLE four_ones_tally (
    district_code     TEXT     NOT NULL,
    retirement_group  TEXT     NOT NULL,
    birth_month       DATE     NOT NULL,
    done_mask         INTEGER  NOT NULL,
    n                 BIGINT   NOT NULL,
    PRIMARY KEY (district_code, retirement_group, birth_month, done_mask)
) WITH (fillfactor = 50);

INSERT INTO four_ones_tally (district_code, retirement_group, birth_month, done_mask, n)
SELECT s.scope, p.retirement_group, date_trunc('month', p.birth_date)::date, p.four_ones_done, COUNT(*)
FROM persons p CROSS JOIN LATERAL (VALUES (''), (p.district_code)) AS s (scope)
WHERE p.active AND p.employment_status = 'unemployed'
GROUP BY s.scope, p.retirement_group, date_trunc('month', p.birth_date)::date, p.four_ones_done;

CREATE FUNCTION four_ones_tally_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.active AND OLD.employment_status = 'unemployed' THEN
        UPDATE four_ones_tally SET n = n - 1
        WHERE district_code IN ('', OLD.district_code) AND retirement_group = OLD.retirement_group
          AND birth_month = date_trunc('month', OLD.birth_date)::date AND done_mask = OLD.four_ones_done;
    END IF;
    IF NEW.active AND NEW.employment_status = 'unemployed' THEN
        INSERT INTO four_ones_tally (district_code, retirement_group, birth_month, done_mask, n)
        VALUES ('', NEW.retirement_group, date_trunc('month', NEW.birth_date)::date, NEW.four_ones_done, 1),
               (NEW.district_code, NEW.retirement_group, date_trunc('month', NEW.birth_date)::date, NEW.four_ones_done, 1)
        ON CONFLICT (district_code, retirement_group, birth_month, done_mask)
        DO UPDATE SET n = four_ones_tally.n + 1;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER persons_four_ones_tally
AFTER INSERT OR UPDATE OF active, employment_status, district_code, retirement_group, birth_date, four_ones_done
ON persons FOR EACH ROW EXECUTE FUNCTION four_ones_tally_refresh();

-- A counted person's street (as registered today; '' when none is recorded
-- or they have moved out of the district credited) is kept in the
-- district's tally under the dimension 'street'; a change of street or
-- district moves their counts.
CREATE FUNCTION counted_street_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE progress_tally SET n = n - 1
    WHERE dimension = 'street' AND (scope, started_on, code) IN (
        SELECT c.district_code, c.started_on,
               CASE WHEN c.district_code = OLD.district_code THEN COALESCE(OLD.street, '') ELSE '' END
        FROM counted_outcomes c WHERE c.person_id = OLD.id);
    UPDATE progress_tally_by_month SET n = n - 1
    WHERE dimension = 'street' AND (scope, month, code) IN (
        SELECT c.district_code, date_trunc('month', c.started_on)::date,
               CASE WHEN c.district_code = OLD.district_code THEN COALESCE(OLD.street, '') ELSE '' END
        FROM counted_outcomes c WHERE c.person_id = OLD.id);
    INSERT INTO progress_tally (scope, dimension, started_on, code, n)
    SELECT c.district_code, 'street', c.started_on,
           CASE WHEN c.district_code = NEW.district_code THEN COALESCE(NEW.street, '') ELSE '' END, 1
    FROM counted_outcomes c WHERE c.person_id = NEW.id
    ON CONFLICT (scope, dimension, started_on, code) DO UPDATE SET n = progress_tally.n + excluded.n;
    INSERT INTO progress_tally_by_month (scope, dimension, month, code, n)
    SELECT c.district_code, 'street', date_trunc('month', c.started_on)::date,
           CASE WHEN c.district_code = NEW.district_code THEN COALESCE(NEW.street, '') ELSE '' END, COUNT(*)
    FROM counted_outcomes c WHERE c.person_id = NEW.id
    GROUP BY 1, 2, 3, 4
    ON CONFLICT (scope, dimension, month, code) DO UPDATE SET n = progress_tally_by_month.n + excluded.n;
    DELETE FROM progress_tally
    WHERE dimension = 'street' AND n = 0 AND (scope, started_on) IN (
        SELECT c.district_code, c.started_on FROM counted_outcomes c WHERE c.person_id = NEW.id);
    DELETE FROM progress_tally_by_month
    WHERE dimension = 'street' AND n = 0 AND (scope, month) IN (
        SELECT c.district_code, date_trunc('month', c.started_on)::date FROM counted_outcomes c WHERE c.person_id = NEW.id);
    RETURN NULL;
END;
$$;

CREATE TRIGGER persons_counted_street AFTER UPDATE OF street, district_code ON persons
FOR EACH ROW EXECUTE FUNCTION counted_street_refresh();
