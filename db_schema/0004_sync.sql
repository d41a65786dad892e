-- 0004: sync between points and the district office (DESIGN.md section 4, docs/bundle-format.md).

-- This register's own keys (Ed25519 to sign, X25519 to receive); the register file is encrypted.
CREATE TABLE identity_keys (
    fingerprint  TEXT PRIMARY KEY,
    sign_private BLOB NOT NULL,
    sign_public  BLOB NOT NULL,
    enc_private  BLOB NOT NULL,
    enc_public   BLOB NOT NULL,
    created_at   TEXT NOT NULL,
    retired_at   TEXT,                  -- set when a newer key replaced it
    key_change   TEXT                   -- the signed announcement that introduced this key (JSON)
) WITHOUT ROWID;

-- Other registers' public keys, pinned after the user compared the fingerprint.
CREATE TABLE trusted_keys (
    fingerprint TEXT PRIMARY KEY,
    role        TEXT NOT NULL CHECK (role IN ('point', 'district')),
    unit_code   TEXT NOT NULL,
    unit_name   TEXT NOT NULL DEFAULT '',
    register_id TEXT NOT NULL,
    sign_public BLOB NOT NULL,
    enc_public  BLOB NOT NULL,
    points      TEXT NOT NULL DEFAULT '[]',   -- a district's points, which it may relay records of
    pinned_at   TEXT NOT NULL,
    pinned_by   TEXT,
    replaced_by TEXT,                          -- fingerprint of the key announced to replace it
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
) WITHOUT ROWID;
CREATE INDEX trusted_keys_unit ON trusted_keys (unit_code, active);

-- Bundles this register made (point: the hash chain continues from the last one).
CREATE TABLE bundles_sent (
    seq          INTEGER PRIMARY KEY,
    file_hash    TEXT NOT NULL,
    first_change INTEGER NOT NULL,
    last_change  INTEGER NOT NULL,
    records      INTEGER NOT NULL,
    bytes        INTEGER NOT NULL,
    created_at   TEXT NOT NULL,
    file_name    TEXT NOT NULL
);

-- Bundles this register imported (district): one row per sender and seq.
CREATE TABLE bundles_received (
    sender       TEXT NOT NULL,               -- the sending unit's code
    seq          INTEGER NOT NULL,
    file_hash    TEXT NOT NULL,
    prev_hash    TEXT,
    first_change INTEGER NOT NULL,
    last_change  INTEGER NOT NULL,
    created_at   TEXT NOT NULL,               -- when the point made it
    imported_at  TEXT NOT NULL,
    imported_by  TEXT,
    counts       TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (sender, seq)
) WITHOUT ROWID;

-- Fork alarms: the same bundle number arrived with other contents. The officer must acknowledge.
CREATE TABLE sync_alarms (
    id              INTEGER PRIMARY KEY,
    sender          TEXT NOT NULL,
    seq             INTEGER NOT NULL,
    kind            TEXT NOT NULL,
    known_hash      TEXT NOT NULL,
    other_hash      TEXT NOT NULL,
    raised_at       TEXT NOT NULL,
    acknowledged_at TEXT,
    acknowledged_by TEXT
);

-- Receipts the point imported: the district has every change up to upto_change.
CREATE TABLE receipts (
    district    TEXT NOT NULL,
    upto_change INTEGER NOT NULL,
    last_seq    INTEGER NOT NULL,
    issued_at   TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    PRIMARY KEY (district, issued_at)
) WITHOUT ROWID;

-- The district officer's decisions on cross-point duplicate persons (points' records unchanged).
CREATE TABLE person_links (
    client_a   TEXT NOT NULL,
    client_b   TEXT NOT NULL,
    decision   TEXT NOT NULL CHECK (decision IN ('same', 'different')),
    decided_at TEXT NOT NULL,
    decided_by TEXT,
    PRIMARY KEY (client_a, client_b)
) WITHOUT ROWID;
