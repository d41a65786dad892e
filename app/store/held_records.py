"""Refused records: those an office holds back (quarantine) and those a point's office refused (refused_records)."""

from __future__ import annotations

# --- at the office: quarantine -----------------------------------------------------

HELD_COLUMNS = ("id, sender, seq, received_at, resolved_at, table_name, record_id, origin, version, field, reason,"
                " params, record")


def hold(conn, rows: list[tuple]) -> int:
    """Store (sender, seq, table_name, record_id, origin, version, field, reason, params, record,
    received_at) rows; one already held is ignored. Returns the number newly held."""
    held = 0
    for row in rows:  # one by one: a cursor's rowcount after executemany differs between engines
        held += conn.execute(
            "INSERT INTO quarantine (sender, seq, table_name, record_id, origin, version, field, reason,"
            " params, record, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            row).rowcount
    return held


def resolve(conn, sender: str, table: str, ids: list[str], at: str) -> int:
    """Close `sender`'s open entries for these records of synced `table` that the register now holds
    from the entry's origin at the entry's version or later. Returns how many were closed."""
    closed = 0
    for start in range(0, len(ids), 500):
        batch = ids[start:start + 500]
        closed += conn.execute(
            f"UPDATE quarantine SET resolved_at = ? WHERE resolved_at IS NULL AND sender = ? AND table_name = ?"
            f" AND record_id IN ({','.join('?' * len(batch))}) AND version <= (SELECT t.version FROM {table} t"
            f" WHERE t.id = quarantine.record_id AND t.origin = quarantine.origin)",
            (at, sender, table, *batch)).rowcount
    return closed


def held(conn, sender: str | None = None, *, include_resolved: bool = False) -> list[tuple]:
    """HELD_COLUMNS of the entries (of `sender`; open ones only unless `include_resolved`)."""
    where, params = [], []
    if sender is not None:
        where.append("sender = ?")
        params.append(sender)
    if not include_resolved:
        where.append("resolved_at IS NULL")
    sql = (f"SELECT {HELD_COLUMNS} FROM quarantine" + (" WHERE " + " AND ".join(where) if where else "")
           + " ORDER BY sender, seq, id")
    return conn.execute(sql, params).fetchall()


# --- at the point: refused_records -------------------------------------------------

def latest_refusal_list(conn, district: str) -> str | None:
    """When the list from `district` now stored was issued."""
    return conn.execute("SELECT max(issued_at) FROM refused_records WHERE district = ?", (district,)).fetchone()[0]


def replace_refused(conn, district: str, rows: list[tuple]) -> None:
    """Replace the list from `district` by (district, table_name, record_id, version, field, reason,
    params, issued_at) rows."""
    conn.execute("DELETE FROM refused_records WHERE district = ?", (district,))
    conn.executemany(
        "INSERT OR IGNORE INTO refused_records (district, table_name, record_id, version, field, reason, params,"
        " issued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)


def refused(conn) -> list[tuple]:
    """(district, table_name, record_id, version, field, reason, params, issued_at) of every refusal."""
    return conn.execute("SELECT district, table_name, record_id, version, field, reason, params, issued_at"
                        " FROM refused_records ORDER BY district, table_name, record_id").fetchall()


def states_here(conn, table: str, about: str | None, ids: list[str]) -> dict[str, tuple]:
    """Id -> (version, value of column `about` or None) of the rows of synced `table` with these ids."""
    about = about or "NULL"
    here = {}
    for start in range(0, len(ids), 500):
        batch = ids[start:start + 500]
        for record_id, version, client in conn.execute(
                f"SELECT id, version, {about} FROM {table} WHERE id IN ({','.join('?' * len(batch))})", batch):
            here[record_id] = (version, client)
    return here
