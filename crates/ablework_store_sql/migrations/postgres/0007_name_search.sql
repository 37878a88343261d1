-- Fast search of people by a fragment of their name and by the last four
-- characters of their ID number within a district (PostgreSQL). See the
-- SQLite migration of the same number for the idea.

CREATE TABLE person_name_grams (
    gram       TEXT   NOT NULL,
    person_id  BIGINT NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    PRIMARY KEY (gram, person_id)
);

CREATE FUNCTION person_name_grams_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM person_name_grams WHERE person_id = NEW.id;
    INSERT INTO person_name_grams (gram, person_id)
    SELECT substr(NEW.name, i, 1), NEW.id FROM generate_series(1, length(NEW.name)) AS i
    UNION
    SELECT substr(NEW.name, i, 2), NEW.id FROM generate_series(1, length(NEW.name) - 1) AS i
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;

CREATE TRIGGER persons_name_grams AFTER INSERT OR UPDATE OF name ON persons
FOR EACH ROW EXECUTE FUNCTION person_name_grams_refresh();

INSERT INTO person_name_grams (gram, person_id)
SELECT substr(p.name, i, 1), p.id FROM persons p, generate_series(1, length(p.name)) AS i
UNION
SELECT substr(p.name, i, 2), p.id FROM persons p, generate_series(1, length(p.name) - 1) AS i
ON CONFLICT DO NOTHING;

CREATE INDEX persons_district_last4 ON persons (district_code, substr(id_number_masked, 15, 4));
