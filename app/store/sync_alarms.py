"""Alarms about a sender's bundle chain (sync_alarms): forks and broken links, until acknowledged."""

from __future__ import annotations


def open_alarms(conn, sender: str) -> list[tuple[int, str, str]]:
    """(seq, kind, raised_at) of `sender`'s alarms not yet acknowledged, by seq."""
    return conn.execute("SELECT seq, kind, raised_at FROM sync_alarms WHERE sender = ? AND acknowledged_at IS NULL"
                        " ORDER BY seq", (sender,)).fetchall()


def chain_alarm_exists(conn, sender: str, seq: int, known_hash: str, other_hash: str) -> bool:
    return conn.execute("SELECT 1 FROM sync_alarms WHERE sender = ? AND seq = ? AND kind = 'chain'"
                        " AND known_hash = ? AND other_hash = ?",
                        (sender, seq, known_hash, other_hash)).fetchone() is not None


def alarm_exists(conn, sender: str, seq: int, other_hash: str) -> bool:
    """Whether any alarm names this file (by its hash) as bundle `seq` of `sender`."""
    return conn.execute("SELECT 1 FROM sync_alarms WHERE sender = ? AND seq = ? AND other_hash = ?",
                        (sender, seq, other_hash)).fetchone() is not None


def acknowledgements(conn, sender: str, seq: int, other_hash: str) -> list[str | None]:
    """acknowledged_at (None: open) of each alarm naming this file as bundle `seq` of `sender`."""
    return [r[0] for r in conn.execute("SELECT acknowledged_at FROM sync_alarms WHERE sender = ? AND seq = ?"
                                       " AND other_hash = ?", (sender, seq, other_hash))]


def raise_alarm(conn, sender: str, seq: int, kind: str, known_hash: str, other_hash: str, raised_at: str) -> None:
    """kind: 'fork' (another file with the same number) or 'chain' (a link does not match)."""
    conn.execute("INSERT INTO sync_alarms (sender, seq, kind, known_hash, other_hash, raised_at)"
                 " VALUES (?, ?, ?, ?, ?, ?)", (sender, seq, kind, known_hash, other_hash, raised_at))


def acknowledge(conn, sender: str, seq: int, at: str, by: str, kind: str | None = None) -> None:
    """Acknowledge the open alarms of bundle `seq` (of one kind only, if given)."""
    conn.execute("UPDATE sync_alarms SET acknowledged_at = ?, acknowledged_by = ? WHERE sender = ? AND seq = ?"
                 + (" AND kind = ?" if kind else "") + " AND acknowledged_at IS NULL",
                 (at, by, sender, seq, *((kind,) if kind else ())))
