-- Plans' targets as data: each save of a plan (its period, total and
-- breakdowns by year, district and measure, as JSON) is a new version.
-- The built-in Tianjin plan applies until a version of it is saved here.

CREATE TABLE plan_targets (
    id          TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    body        TEXT    NOT NULL,
    created_at  TEXT    NOT NULL,
    PRIMARY KEY (id, version)
);
