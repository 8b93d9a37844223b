-- 0001_init.sql: the first workspace schema (docs/policies.md, "The workspace"). Applied in one transaction.
-- Dates are YYYY-MM-DD; timestamps are UTC ISO 8601 (YYYY-MM-DDTHH:MM:SSZ).

-- One `events add` of one file; every event revision points to the ingest that stored it.
CREATE TABLE ingests (
    id         INTEGER PRIMARY KEY,
    created    TEXT    NOT NULL,
    source     TEXT    NOT NULL,               -- the file as the user named it
    format     TEXT    NOT NULL CHECK (format IN ('csv', 'jsonl')),
    events     INTEGER NOT NULL CHECK (events >= 0),
    new_events INTEGER NOT NULL DEFAULT 0,
    revised    INTEGER NOT NULL DEFAULT 0,
    unchanged  INTEGER NOT NULL DEFAULT 0
);

-- Policy events (measures: docs/dataset.md, measures.csv) and their revisions. body is the
-- canonical JSON of the measure (sorted keys); content_hash is FNV-1a 64 of body, shown to users
-- as a fingerprint.
CREATE TABLE events (
    id           TEXT    NOT NULL,
    revision     INTEGER NOT NULL CHECK (revision >= 1),
    content_hash TEXT    NOT NULL,
    body         TEXT    NOT NULL,
    ingest_id    INTEGER NOT NULL REFERENCES ingests(id),
    line         INTEGER,                      -- line of the event in its file
    created      TEXT    NOT NULL,
    PRIMARY KEY (id, revision)
) WITHOUT ROWID;
CREATE INDEX events_by_ingest ON events(ingest_id);

-- Watch rules: a list of materials, or a BOM's lines (items: JSON array of objects with material,
-- stage, product, part, supplier_country, kg_per_unit).
CREATE TABLE watch_rules (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL UNIQUE,
    created      TEXT    NOT NULL,
    kind         TEXT    NOT NULL CHECK (kind IN ('materials', 'bom')),
    items        TEXT    NOT NULL,
    source       TEXT    NOT NULL DEFAULT '',  -- the BOM file, for kind 'bom'
    destination  TEXT    NOT NULL DEFAULT '',  -- ISO3, '' = any destination
    min_severity TEXT    NOT NULL CHECK (min_severity IN ('low', 'medium', 'high'))
);

-- Alerts raised by `watch run`. One alert per (rule, measure, change, date): raised once.
CREATE TABLE alerts (
    id         INTEGER PRIMARY KEY,
    rule_id    INTEGER NOT NULL REFERENCES watch_rules(id) ON DELETE CASCADE,
    measure_id TEXT    NOT NULL,
    change     TEXT    NOT NULL CHECK (change IN ('started', 'ended', 'suspended', 'resumed')),
    date       TEXT    NOT NULL,               -- first day of the new status
    severity   TEXT    NOT NULL CHECK (severity IN ('low', 'medium', 'high')),
    share      REAL,                           -- share of the supply touched, 0-1; NULL = not applicable
    basis      TEXT    NOT NULL DEFAULT '',    -- how the share was estimated
    materials  TEXT    NOT NULL DEFAULT '',    -- ';'-list of the rule's materials it touches
    message    TEXT    NOT NULL,
    as_of      TEXT    NOT NULL,               -- the date of the run that raised it
    created    TEXT    NOT NULL,
    UNIQUE (rule_id, measure_id, change, date)
);
CREATE INDEX alerts_by_rule ON alerts(rule_id);

-- Simulation runs (docs/scenarios.md, "Outputs"): what was run on which data, for replay and comparison.
CREATE TABLE runs (
    id           INTEGER PRIMARY KEY,
    created      TEXT    NOT NULL,
    scenario     TEXT    NOT NULL,
    seed         INTEGER NOT NULL,             -- the 64-bit seed, stored as its signed bit pattern
    params       TEXT    NOT NULL CHECK (json_valid(params)),
    summary      TEXT    NOT NULL CHECK (json_valid(summary)),
    dataset_hash TEXT    NOT NULL,
    version      TEXT    NOT NULL
);
