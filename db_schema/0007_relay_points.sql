-- 0007: relay by the office's own assignment, to any depth (issue 13; docs/bundle-format.md §11).
-- A district's key file only *claims* the units it serves; the receiving office accepts relayed
-- records of a unit only once an officer assigned that unit to the sending office here. A unit is
-- assigned to one sending office at a time, so two offices claiming one point is shown, not merged.
CREATE TABLE relay_points (
    point_code  TEXT PRIMARY KEY,       -- the unit whose records may arrive relayed
    via         TEXT NOT NULL,          -- the directly trusted office that sends them
    point_name  TEXT NOT NULL DEFAULT '',
    assigned_at TEXT NOT NULL,
    assigned_by TEXT
) WITHOUT ROWID;
CREATE INDEX relay_points_via ON relay_points (via);

-- What a district key file claims besides the codes (names, shown when assigning), and the
-- fingerprint the officer compared (version 2 covers unit code, role and point list).
ALTER TABLE trusted_keys ADD COLUMN point_names TEXT NOT NULL DEFAULT '{}';
ALTER TABLE trusted_keys ADD COLUMN confirmed_fingerprint TEXT NOT NULL DEFAULT '';

-- Registers made before this version accepted every point a pinned district listed: those stay
-- assigned (where two districts listed one point, the one pinned first keeps it).
INSERT OR IGNORE INTO relay_points (point_code, via, assigned_at, assigned_by)
    SELECT j.value, k.unit_code, k.pinned_at, k.pinned_by
    FROM trusted_keys AS k, json_each(k.points) AS j
    WHERE k.role = 'district' AND k.active = 1
    ORDER BY k.pinned_at;

-- Which way bundles go between this register and a trusted office: 'up' = we send ours to it (a
-- point's office, or an office above), 'down' = it sends its bundles here (a point, or an office
-- below that relays). Before, every trusted district key received our bundles; an office that had
-- listed points for this register is one below (its points were accepted above).
ALTER TABLE trusted_keys ADD COLUMN direction TEXT NOT NULL DEFAULT 'down' CHECK (direction IN ('up', 'down'));
UPDATE trusted_keys SET direction = 'up'
    WHERE role = 'district' AND unit_code NOT IN (SELECT via FROM relay_points);
