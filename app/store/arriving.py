"""Arriving records: the scan's temporary tables (sync_arriving, sync_scanned) and version-wins upserts."""

from __future__ import annotations

from collections.abc import Iterator
from operator import itemgetter

from app.store.connection import OperationalError, on_server


def scanned_bundle(conn) -> str | None:
    """The bundle (file hash) whose arriving origins are noted now, if any."""
    if on_server(conn):
        # a failed statement would spoil the caller's transaction there: ask first
        if conn.execute("SELECT to_regclass('pg_temp.sync_scanned')").fetchone()[0] is None:
            return None
    try:
        row = conn.execute("SELECT bundle FROM temp.sync_scanned").fetchone()
    except OperationalError:      # no scan on this connection yet
        return None
    return row[0] if row is not None else None


def start_scan(conn) -> None:
    """Empty temporary tables for one scan (in memory: the connection's temp_store)."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS sync_arriving (tbl TEXT NOT NULL, id TEXT NOT NULL,"
                 " origin TEXT NOT NULL, PRIMARY KEY (tbl, id)) WITHOUT ROWID")
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS sync_scanned (bundle TEXT NOT NULL)")
    conn.execute("DELETE FROM temp.sync_arriving")
    conn.execute("DELETE FROM temp.sync_scanned")


def mark_scanned(conn, bundle: str) -> None:
    """The scan of `bundle` (its file hash) is whole."""
    conn.execute("INSERT INTO temp.sync_scanned (bundle) VALUES (?)", (bundle,))


def note(conn, rows: list[tuple[str, str, str]]) -> None:
    """Note (table, id, origin) of arriving records."""
    conn.executemany("INSERT INTO temp.sync_arriving (tbl, id, origin) VALUES (?, ?, ?)"
                     " ON CONFLICT (tbl, id) DO UPDATE SET origin = excluded.origin", rows)


def arriving_origins(conn, table: str, ids: list[str]) -> Iterator[tuple[str, str]]:
    """(id, origin) of the noted records of `table` among `ids`."""
    for start in range(0, len(ids), 900):
        batch = ids[start:start + 900]
        marks = ",".join("?" * len(batch))
        yield from conn.execute(f"SELECT id, origin FROM temp.sync_arriving WHERE tbl = ?"
                                f" AND id IN ({marks})", [table, *batch])


def versions(conn, table: str, ids: list[str]) -> dict[str, tuple[int, str]]:
    """Id -> (version, origin) of the rows of synced `table` with these ids."""
    found = {}
    for start in range(0, len(ids), 900):
        batch = ids[start:start + 900]
        for row_id, version, origin in conn.execute(
                f"SELECT id, version, origin FROM {table} WHERE id IN ({','.join('?' * len(batch))})", batch):
            found[row_id] = (version, origin)
    return found


def upsert(conn, table: str, rows: list[dict], new: bool = False) -> None:
    """Write rows that all have the same fields, each unless the register holds it at the same or a
    later version; `new`: none of them is here yet, so a plain insert does."""
    columns = sorted(rows[0])
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != "id")
    conn.executemany(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        + ("" if new else f" ON CONFLICT(id) DO UPDATE SET {updates} WHERE excluded.version > {table}.version"),
        [tuple(row[c] for c in columns) for row in rows] if len(columns) < 2 else list(map(itemgetter(*columns), rows)))
