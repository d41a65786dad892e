"""The bundle log: bundles sent (bundles_sent), bundles received (bundles_received) and receipts (receipts)."""

from __future__ import annotations

# --- sent --------------------------------------------------------------------------

SENT_COLUMNS = "seq, created_at, file_name, first_change, last_change, records"


def last_sent(conn) -> tuple[int, str] | None:
    """(seq, file_hash) of the newest numbered bundle, whatever its state."""
    return conn.execute("SELECT seq, file_hash FROM bundles_sent ORDER BY seq DESC LIMIT 1").fetchone()


def sent_bundle(conn, seq: int | None = None) -> tuple | None:
    """SENT_COLUMNS of bundle `seq`, or of the newest one."""
    where, params = ("WHERE seq = ?", (seq,)) if seq is not None else ("", ())
    return conn.execute(f"SELECT {SENT_COLUMNS} FROM bundles_sent {where} ORDER BY seq DESC LIMIT 1",
                        params).fetchone()


def writing(conn) -> list[int]:
    """Numbers still in state 'writing'."""
    return [row[0] for row in conn.execute("SELECT seq FROM bundles_sent WHERE state = 'writing' ORDER BY seq")]


def number_bundle(conn, row: tuple) -> None:
    """Record a bundle about to be written: (seq, file_hash, first_change, last_change, records, bytes,
    created_at, file_name), state 'writing'."""
    conn.execute("INSERT INTO bundles_sent (seq, file_hash, first_change, last_change, records, bytes,"
                 " created_at, file_name, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'writing')", row)


def give_back(conn, seq: int) -> None:
    """Forget a number whose file was never written."""
    conn.execute("DELETE FROM bundles_sent WHERE seq = ? AND state = 'writing'", (seq,))


def mark_sent(conn, seq: int, superseded: list[int]) -> None:
    """Bundle `seq` is on the disk; the numbers it supersedes are marked so."""
    conn.execute("UPDATE bundles_sent SET state = 'sent' WHERE seq = ?", (seq,))
    if superseded:
        conn.execute(f"UPDATE bundles_sent SET state = 'superseded' WHERE seq IN ({','.join('?' * len(superseded))})",
                     superseded)


def highest_sent_change(conn) -> int:
    return conn.execute("SELECT coalesce(max(last_change), 0) FROM bundles_sent").fetchone()[0]


# --- received ----------------------------------------------------------------------

def received(conn, sender: str) -> list[tuple]:
    """(seq, first_change, last_change, created_at, imported_at, supersedes) of `sender`'s bundles, by seq."""
    return conn.execute("SELECT seq, first_change, last_change, created_at, imported_at, supersedes"
                        " FROM bundles_received WHERE sender = ? ORDER BY seq", (sender,)).fetchall()


def received_hash(conn, sender: str, seq: int) -> str | None:
    """The file hash of `sender`'s bundle `seq` as imported, if it was."""
    row = conn.execute("SELECT file_hash FROM bundles_received WHERE sender = ? AND seq = ?", (sender, seq)).fetchone()
    return row[0] if row else None


def named_before(conn, sender: str, seq: int) -> tuple[str | None] | None:
    """(prev_hash,) of `sender`'s bundle `seq` as imported, None if it was not."""
    return conn.execute("SELECT prev_hash FROM bundles_received WHERE sender = ? AND seq = ?",
                        (sender, seq)).fetchone()


def senders(conn) -> set[str]:
    return {r[0] for r in conn.execute("SELECT DISTINCT sender FROM bundles_received")}


def record_received(conn, sender: str, seq: int, file_hash: str, prev_hash: str | None, first_change: int,
                    last_change: int, created_at: str, imported_at: str, imported_by: str, counts: str,
                    supersedes: str) -> None:
    conn.execute(
        "INSERT INTO bundles_received (sender, seq, file_hash, prev_hash, first_change, last_change,"
        " created_at, imported_at, imported_by, counts, supersedes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (sender, seq) DO UPDATE SET file_hash = excluded.file_hash, prev_hash = excluded.prev_hash,"
        " first_change = excluded.first_change, last_change = excluded.last_change, created_at = excluded.created_at,"
        " imported_at = excluded.imported_at, imported_by = excluded.imported_by, counts = excluded.counts,"
        " supersedes = excluded.supersedes",
        (sender, seq, file_hash, prev_hash, first_change, last_change, created_at, imported_at, imported_by, counts,
         supersedes))


# --- receipts ----------------------------------------------------------------------

def acknowledged_by(conn, district: str) -> int:
    """The highest change number `district`'s receipts acknowledge (0 before its first)."""
    return conn.execute("SELECT max(upto_change) FROM receipts WHERE district = ?", (district,)).fetchone()[0] or 0


def add_receipt(conn, district: str, upto_change: int, last_seq: int, issued_at: str, imported_at: str) -> None:
    conn.execute("INSERT OR IGNORE INTO receipts (district, upto_change, last_seq, issued_at, imported_at)"
                 " VALUES (?, ?, ?, ?, ?)", (district, upto_change, last_seq, issued_at, imported_at))


def latest_receipt(conn) -> tuple[str, int, int, str] | None:
    """(district, upto_change, last_seq, issued_at) of the receipt acknowledging the most."""
    return conn.execute("SELECT district, upto_change, last_seq, issued_at FROM receipts"
                        " ORDER BY upto_change DESC, issued_at DESC LIMIT 1").fetchone()
