-- 0005: records an office refused from a bundle it otherwise imported (docs/bundle-format.md §8, §10).
-- One bad record no longer blocks a sender: the bundle's good records are applied, the bad ones are
-- held here for the officer, and the receipt tells the sender which were refused and why.

-- At an office: the refused records, as received (the register is encrypted), with the rule they broke.
CREATE TABLE quarantine (
    id          INTEGER PRIMARY KEY,
    sender      TEXT NOT NULL,                -- the unit whose bundle carried it
    seq         INTEGER NOT NULL,             -- the bundle
    table_name  TEXT NOT NULL,
    record_id   TEXT NOT NULL DEFAULT '',     -- '' when the record had no usable id
    origin      TEXT NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 0,
    field       TEXT NOT NULL DEFAULT '',     -- the field at fault ('' for the whole record)
    reason      TEXT NOT NULL,                -- an English message id, translated when shown
    params      TEXT NOT NULL DEFAULT '{}',   -- its values (JSON)
    record      TEXT NOT NULL DEFAULT '{}',   -- the record as it arrived (JSON)
    received_at TEXT NOT NULL,
    resolved_at TEXT,                         -- a later state of the record was accepted
    UNIQUE (sender, table_name, record_id, version, reason)
);
CREATE INDEX quarantine_open ON quarantine (sender, table_name, record_id) WHERE resolved_at IS NULL;

-- At a point: the records the receiving office refused, as its latest receipt lists them.
CREATE TABLE refused_records (
    district   TEXT NOT NULL,
    table_name TEXT NOT NULL,
    record_id  TEXT NOT NULL,
    version    INTEGER NOT NULL DEFAULT 0,
    field      TEXT NOT NULL DEFAULT '',
    reason     TEXT NOT NULL,
    params     TEXT NOT NULL DEFAULT '{}',
    issued_at  TEXT NOT NULL,                 -- of the receipt that listed it
    PRIMARY KEY (district, table_name, record_id, reason)
) WITHOUT ROWID;
