-- The name grams carry the person's district, so that a search within one
-- district (an officer's, or the one a city admin picked) finds and counts
-- its candidates by one index range instead of walking the district: one
-- common character in the largest district is thousands of names among
-- tens of thousands of people.
--
-- A change of name or district replaces the person's grams; the old ones
-- are found by the old name and district, through the primary key.

DROP TRIGGER persons_name_grams_insert;
DROP TRIGGER persons_name_grams_update;
DROP TABLE person_name_grams;

CREATE TABLE person_name_grams (
    gram           TEXT    NOT NULL,
    district_code  TEXT    NOT NULL,
    person_id      INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    PRIMARY KEY (gram, district_code, person_id)
) WITHOUT ROWID;

INSERT OR IGNORE INTO person_name_grams (gram, district_code, person_id)
SELECT substr(p.name, n.n, 1), p.district_code, p.id FROM persons p JOIN name_positions n ON n.n <= length(p.name)
UNION
SELECT substr(p.name, n.n, 2), p.district_code, p.id FROM persons p JOIN name_positions n ON n.n < length(p.name);

CREATE TRIGGER persons_name_grams_insert AFTER INSERT ON persons BEGIN
    INSERT OR IGNORE INTO person_name_grams (gram, district_code, person_id)
    SELECT substr(NEW.name, n, 1), NEW.district_code, NEW.id FROM name_positions WHERE n <= length(NEW.name)
    UNION
    SELECT substr(NEW.name, n, 2), NEW.district_code, NEW.id FROM name_positions WHERE n < length(NEW.name);
END;

CREATE TRIGGER persons_name_grams_update AFTER UPDATE OF name, district_code ON persons BEGIN
    DELETE FROM person_name_grams
    WHERE district_code = OLD.district_code AND person_id = OLD.id AND gram IN (
        SELECT substr(OLD.name, n, 1) FROM name_positions WHERE n <= length(OLD.name)
        UNION
        SELECT substr(OLD.name, n, 2) FROM name_positions WHERE n < length(OLD.name));
    INSERT OR IGNORE INTO person_name_grams (gram, district_code, person_id)
    SELECT substr(NEW.name, n, 1), NEW.district_code, NEW.id FROM name_positions WHERE n <= length(NEW.name)
    UNION
    SELECT substr(NEW.name, n, 2), NEW.district_code, NEW.id FROM name_positions WHERE n < length(NEW.name);
END;
