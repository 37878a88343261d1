-- Fast search of people by a fragment of their name and by the last four
-- characters of their ID number within a district (SQLite).
--
-- A name fragment cannot use an ordinary index (it may start anywhere in
-- the name), so every name is also kept as its single characters and its
-- pairs of characters, which suits Chinese names of two to four characters:
-- a search looks up the fragment's first pair (or its only character) and
-- checks the few candidates. Triggers keep the grams in step with the
-- names, in the same transaction as the change.

CREATE TABLE name_positions (n INTEGER PRIMARY KEY);
INSERT INTO name_positions (n) VALUES (1),(2),(3),(4),(5),(6),(7),(8),(9),(10),(11),(12),(13),(14),(15),(16),(17),(18),(19),(20),(21),(22),(23),(24),(25),(26),(27),(28),(29),(30),(31),(32),(33),(34),(35),(36),(37),(38),(39),(40),(41),(42),(43),(44),(45),(46),(47),(48),(49),(50),(51),(52),(53),(54),(55),(56),(57),(58),(59),(60),(61),(62),(63),(64);

CREATE TABLE person_name_grams (
    gram       TEXT    NOT NULL,
    person_id  INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    PRIMARY KEY (gram, person_id)
) WITHOUT ROWID;

INSERT OR IGNORE INTO person_name_grams (gram, person_id)
SELECT substr(p.name, n.n, 1), p.id FROM persons p JOIN name_positions n ON n.n <= length(p.name)
UNION
SELECT substr(p.name, n.n, 2), p.id FROM persons p JOIN name_positions n ON n.n < length(p.name);

CREATE TRIGGER persons_name_grams_insert AFTER INSERT ON persons BEGIN
    INSERT OR IGNORE INTO person_name_grams (gram, person_id)
    SELECT substr(NEW.name, n, 1), NEW.id FROM name_positions WHERE n <= length(NEW.name)
    UNION
    SELECT substr(NEW.name, n, 2), NEW.id FROM name_positions WHERE n < length(NEW.name);
END;

CREATE TRIGGER persons_name_grams_update AFTER UPDATE OF name ON persons BEGIN
    DELETE FROM person_name_grams WHERE person_id = OLD.id;
    INSERT OR IGNORE INTO person_name_grams (gram, person_id)
    SELECT substr(NEW.name, n, 1), NEW.id FROM name_positions WHERE n <= length(NEW.name)
    UNION
    SELECT substr(NEW.name, n, 2), NEW.id FROM name_positions WHERE n < length(NEW.name);
END;

CREATE INDEX persons_district_last4 ON persons (district_code, substr(id_number_masked, 15, 4));
