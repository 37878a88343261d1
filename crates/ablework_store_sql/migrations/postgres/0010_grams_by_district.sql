-- The name grams carry the person's district (PostgreSQL). See the SQLite
-- migration of the same number for why.

DROP TRIGGER persons_name_grams ON persons;
DROP FUNCTION person_name_grams_refresh();
DROP TABLE person_name_grams;

CREATE TABLE person_name_grams (
    gram           TEXT   NOT NULL,
    district_code  TEXT   NOT NULL,
    person_id      BIGINT NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    PRIMARY KEY (gram, district_code, person_id)
);

CREATE FUNCTION person_name_grams_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        DELETE FROM person_name_grams
        WHERE district_code = OLD.district_code AND person_id = OLD.id AND gram IN (
            SELECT substr(OLD.name, i, 1) FROM generate_series(1, length(OLD.name)) AS i
            UNION
            SELECT substr(OLD.name, i, 2) FROM generate_series(1, length(OLD.name) - 1) AS i);
    END IF;
    INSERT INTO person_name_grams (gram, district_code, person_id)
    SELECT substr(NEW.name, i, 1), NEW.district_code, NEW.id FROM generate_series(1, length(NEW.name)) AS i
    UNION
    SELECT substr(NEW.name, i, 2), NEW.district_code, NEW.id FROM generate_series(1, length(NEW.name) - 1) AS i
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;

CREATE TRIGGER persons_name_grams AFTER INSERT OR UPDATE OF name, district_code ON persons
FOR EACH ROW EXECUTE FUNCTION person_name_grams_refresh();

INSERT INTO person_name_grams (gram, district_code, person_id)
SELECT substr(p.name, i, 1), p.district_code, p.id FROM persons p, generate_series(1, length(p.name)) AS i
UNION
SELECT substr(p.name, i, 2), p.district_code, p.id FROM persons p, generate_series(1, length(p.name) - 1) AS i
ON CONFLICT DO NOTHING;
