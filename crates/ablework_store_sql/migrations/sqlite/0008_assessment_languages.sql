-- The languages and ways of communicating an assessment records (sign
-- language, braille, …), as JSON text (SQLite).

ALTER TABLE assessments ADD COLUMN languages TEXT NOT NULL DEFAULT '[]';
