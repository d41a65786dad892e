"""Reading the change log (change_log) for export and the outbox, and the synced tables' columns."""

from __future__ import annotations

from collections.abc import Iterator


def columns(conn, table: str) -> list[str]:
    """The table's column names, in schema order."""
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


def last_change(conn) -> int:
    return conn.execute("SELECT coalesce(max(change_no), 0) FROM change_log").fetchone()[0]


def count_between(conn, after: int, upto: int | None = None) -> int:
    """Changes numbered after `after` (and up to `upto`)."""
    if upto is None:
        return conn.execute("SELECT count(*) FROM change_log WHERE change_no > ?", (after,)).fetchone()[0]
    return conn.execute("SELECT count(*) FROM change_log WHERE change_no > ? AND change_no <= ?",
                        (after, upto)).fetchone()[0]


def records_changed_after(conn, after: int) -> dict[str, int]:
    """Table -> records changed after change `after` (counted, rows not loaded)."""
    return dict(conn.execute("SELECT table_name, count(DISTINCT row_id) FROM change_log WHERE change_no > ?"
                             " GROUP BY table_name", (after,)).fetchall())


def latest_changes(conn, after: int):
    """A cursor of (change_no, table_name, row_id): each record's latest change after `after`, in
    change order. Walks the log by its primary key; the change_log_row index answers "is there a
    later one?", so nothing is sorted or held in memory."""
    return conn.execute(
        "SELECT c.change_no, c.table_name, c.row_id FROM change_log AS c WHERE c.change_no > ? AND NOT EXISTS"
        " (SELECT 1 FROM change_log AS later WHERE later.table_name = c.table_name AND later.row_id = c.row_id"
        " AND later.change_no > c.change_no) ORDER BY c.change_no", (after,))


def rows_by_id(conn, table: str, columns: list[str], ids: list[str], batch: int = 500) -> Iterator[tuple]:
    """The `columns` of the table's rows with these ids (any order; missing ids are skipped)."""
    for start in range(0, len(ids), batch):
        part = ids[start:start + batch]
        yield from conn.execute(f"SELECT {', '.join(columns)} FROM {table}"
                                f" WHERE id IN ({','.join('?' * len(part))})", part)
