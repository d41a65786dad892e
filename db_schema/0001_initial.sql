-- 0001: the register itself: identity, settings, users, audit log.
-- Case records, sync and reports add their tables in later migrations.

CREATE TABLE register_info (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Settings that matter to the data (unit names, auto-lock); declared in app/core/settings.py.
CREATE TABLE settings (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,            -- JSON
    updated_at TEXT NOT NULL,
    updated_by TEXT
) WITHOUT ROWID;

CREATE TABLE users (
    id         TEXT PRIMARY KEY,          -- UUIDv7
    login      TEXT NOT NULL UNIQUE,      -- normalized: NFC, lower case
    full_name  TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('admin', 'counsellor', 'reporter')),
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Append-only and hash-chained: hash = SHA-256(prev_hash + canonical entry).
CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    user_id   TEXT,
    action    TEXT NOT NULL,
    entity    TEXT,
    entity_id TEXT,
    detail    TEXT NOT NULL DEFAULT '{}',
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL UNIQUE
);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
