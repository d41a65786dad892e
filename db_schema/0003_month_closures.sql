-- 0003: closed months. The chair freezes a month's numbers; later edits show as amendments.

CREATE TABLE month_closures (
    month       TEXT PRIMARY KEY,          -- YYYY-MM
    form_code   TEXT NOT NULL,
    closed_at   TEXT NOT NULL,
    closed_by   TEXT NOT NULL,             -- user id
    snapshot    TEXT NOT NULL,             -- canonical JSON of the numbers as closed
    amendments  TEXT NOT NULL DEFAULT '[]',-- amendments this month's form reported (JSON)
    digest      TEXT NOT NULL              -- SHA-256 of snapshot + amendments
) WITHOUT ROWID;

CREATE TRIGGER month_closures_frozen BEFORE UPDATE ON month_closures
BEGIN
    SELECT RAISE(ABORT, 'a closed month is frozen');
END;
