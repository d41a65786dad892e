-- Law 120/2025/QH15 (in force 2026-07-01) sets 24 months for a first voluntary rehabilitation and 36
-- for a later one; the 6-12 months of the 2021 law were a CHECK of this table. The terms are now
-- rules of the law file (resources/law/terms.toml, app/core/law.py), checked when a record is
-- saved; the table keeps only a sane range. SQLite cannot change a CHECK in place: the table is
-- copied whole (same columns, same rows, same seq) and its triggers and indexes made again.

CREATE TABLE rehab_registrations_new (
    seq        INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,       -- UUIDv7
    origin     TEXT NOT NULL,              -- unit code of the point that created it
    version    INTEGER NOT NULL,           -- hybrid logical clock, grows on every change
    updated_at TEXT NOT NULL,
    updated_by TEXT,
    deleted    INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    client_id         TEXT NOT NULL,
    registration_date TEXT NOT NULL,
    decision_no       TEXT NOT NULL DEFAULT '',
    decision_date     TEXT,
    start_date        TEXT,
    term_months       INTEGER NOT NULL CHECK (term_months BETWEEN 1 AND 120),
    end_date          TEXT,
    provider          TEXT NOT NULL DEFAULT '',
    outcome           TEXT NOT NULL DEFAULT 'ongoing',
    outcome_date      TEXT,                 -- when it was completed, dropped out or moved
    certificate_no    TEXT NOT NULL DEFAULT '',
    certificate_date  TEXT,
    notes             TEXT NOT NULL DEFAULT ''
);

INSERT INTO rehab_registrations_new SELECT * FROM rehab_registrations;
DROP TABLE rehab_registrations;  -- dropping fires no trigger: the no-delete rule is not broken
ALTER TABLE rehab_registrations_new RENAME TO rehab_registrations;

CREATE TRIGGER rehab_registrations_log_insert AFTER INSERT ON rehab_registrations
BEGIN
    INSERT INTO change_log (table_name, row_id, version) VALUES ('rehab_registrations', NEW.id, NEW.version);
END;
CREATE TRIGGER rehab_registrations_log_update AFTER UPDATE ON rehab_registrations WHEN NEW.version != OLD.version
BEGIN
    INSERT INTO change_log (table_name, row_id, version) VALUES ('rehab_registrations', NEW.id, NEW.version);
END;
CREATE TRIGGER rehab_registrations_no_delete BEFORE DELETE ON rehab_registrations
BEGIN
    SELECT RAISE(ABORT, 'records are never deleted: set deleted = 1');
END;

CREATE INDEX rehab_client ON rehab_registrations (client_id);
CREATE INDEX rehab_end ON rehab_registrations (end_date);
