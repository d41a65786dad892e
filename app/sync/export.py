"""Exporting bundles: every change the district has not acknowledged, signed and encrypted.

Until a receipt says the district has changes up to N, every export sends
the changes after N again (importing twice is harmless), so a lost USB
stick or e-mail never loses data. Bundles are numbered (`seq`) and chained
(`prev_hash` = SHA-256 of the previous bundle file); a bundle whose
compressed payload would pass ~20 MB is split into several.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from app import __version__
from app.core.clock import utc_stamp
from app.core.errors import UserError
from app.core.i18n import N_
from app.core.roles import Permission
from app.store.files import write_atomic
from app.store.records import SYNCED_TABLES
from app.sync import container, identity, payload

SPLIT_BYTES = 20 * 1024 * 1024
LOCAL_COLUMNS = {"seq", "sort_key", "search_terms"}  # derived again by the receiver
BUNDLE_FORMAT = "tuvan-bundle"


class NoDistrictKey(UserError):
    template = N_("No receiving office's key is trusted yet. Import the office's key file and confirm its "
                  "fingerprint first (Sync screen, or tuvan trust).")


class NothingToExport(UserError):
    template = N_("There is nothing new to send: the receiving office has every change up to number {n}.")


@dataclass(frozen=True)
class ExportedBundle:
    path: Path
    seq: int
    first_change: int
    last_change: int
    counts: dict[str, int]
    bytes: int


def acknowledged(conn, districts: list[str]) -> int:
    """The highest change number every recipient has acknowledged (0 until each sent a receipt)."""
    levels = []
    for code in districts:
        row = conn.execute("SELECT max(upto_change) FROM receipts WHERE district = ?", (code,)).fetchone()
        levels.append(row[0] or 0)
    return min(levels) if levels else 0


def _columns(conn, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})") if row[1] not in LOCAL_COLUMNS]


def pending_records(conn, after: int) -> tuple[list[tuple[int, str, tuple]], int, dict[str, list[str]]]:
    """Current state of every record changed after change number `after`:
    ([(latest change_no, table, row values)], last change number, {table: column names}).

    The change log is read once in order; a table most of whose rows changed is then read whole
    (sequential pages), otherwise its changed rows are fetched by id.
    """
    last = conn.execute("SELECT coalesce(max(change_no), 0) FROM change_log").fetchone()[0]
    latest: dict[str, dict[str, int]] = {}
    for change_no, table, row_id in conn.execute(
            "SELECT change_no, table_name, row_id FROM change_log WHERE change_no > ? ORDER BY change_no", (after,)):
        latest.setdefault(table, {})[row_id] = change_no
    found: list[tuple[int, str, tuple]] = []
    columns_of: dict[str, list[str]] = {}
    for table in SYNCED_TABLES:
        columns = _columns(conn, table)
        columns_of[table] = columns
        changed = latest.get(table)
        if not changed:
            continue
        select = ", ".join(columns)
        position = columns.index("id")
        total = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        if len(changed) * 5 >= total:
            cursor = conn.execute(f"SELECT {select} FROM {table}")
            found.extend((changed[row[position]], table, row) for row in cursor if row[position] in changed)
        else:
            ids = list(changed)
            for start in range(0, len(ids), 500):
                batch = ids[start:start + 500]
                cursor = conn.execute(f"SELECT {select} FROM {table} WHERE id IN ({','.join('?' * len(batch))})", batch)
                found.extend((changed[row[position]], table, row) for row in cursor)
    found.sort(key=lambda item: item[0])
    return found, last, columns_of


def _document(unit, seq: int, records: list[tuple[int, str, tuple]], columns_of: dict[str, list[str]],
              relayed: dict[str, str]) -> dict:
    """Records as one column list and value rows per table: compact, and fast to write and read.
    An office adds the names of the units it relays, so the office above can show names, not codes."""
    tables: dict[str, dict] = {}
    for _change, table, row in records:
        tables.setdefault(table, {"columns": columns_of[table], "rows": []})["rows"].append(row)
    about = {"code": unit.code, "name": unit.name, "office_name": unit.office_name, "role": unit.role.value}
    if relayed:
        about["relayed"] = relayed
    return {"format": "tuvan-records", "version": 1, "sender": unit.code, "seq": seq, "unit": about, "tables": tables}


def _parts(records: list, unit, first_seq: int, columns_of: dict, relayed: dict) -> list[tuple[list, bytes, int]]:
    """Split records (in change order) until each compressed part fits the e-mail limit."""
    pending = [records]
    done = []
    while pending:
        part = pending.pop(0)
        compressed, raw = payload.encode(_document(unit, first_seq + len(done), part, columns_of, relayed))
        if len(compressed) > SPLIT_BYTES and len(part) > 1:
            middle = len(part) // 2
            pending[:0] = [part[:middle], part[middle:]]
            continue
        done.append((part, compressed, raw))
    return done


def export_bundles(register, out: Path) -> list[ExportedBundle]:
    """Write the bundle(s) to `out` (a folder, or a file name for the first bundle)."""
    register.require(Permission.CASE_WORK)
    conn = register.conn
    recipients = identity.receiving_offices(conn)
    if not recipients:
        raise NoDistrictKey()
    keys = identity.own_keys(register)
    unit = register.unit()
    after = acknowledged(conn, sorted({r.unit_code for r in recipients}))
    records, last, columns_of = pending_records(conn, after)
    if not records:
        raise NothingToExport(n=after)
    previous = conn.execute("SELECT seq, file_hash FROM bundles_sent ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev_hash = (previous[0] + 1, previous[1]) if previous else (1, None)
    key_change = identity.latest_key_change(conn)
    superseded = unconfirmed(conn)
    first = after + 1
    out = Path(out)
    relayed = identity.served_units(conn) if unit.role.value == "district" else {}
    results = _parts(records, unit, seq, columns_of, relayed)
    exported = []
    for index, (part, compressed, raw) in enumerate(results):
        part_last = last if index == len(results) - 1 else part[-1][0]
        sealed, payload_key = payload.seal(compressed)
        counts: dict[str, int] = {}
        for _change, table, _row in part:
            counts[table] = counts.get(table, 0) + 1
        header = {
            "format": BUNDLE_FORMAT, "version": 1, "program": __version__,
            "sender": {"unit_code": unit.code, "role": unit.role.value, "register_id": register.register_id,
                       "fingerprint": keys.fingerprint},
            "seq": seq, "prev_hash": prev_hash, "changes": {"first": first, "last": part_last},
            "created_at": utc_stamp(), "counts": counts,
            "recipients": [{"fingerprint": r.fingerprint, "unit_code": r.unit_code,
                            "sealed_key": identity.b64(payload.seal_key(payload_key, r.enc_key))}
                           for r in recipients],
            "payload": {"length": len(sealed), "sha256": hashlib.sha256(sealed).hexdigest(),
                        "raw_length": raw, "compression": "zlib", "cipher": "chacha20poly1305",
                        "chunk_size": payload.CHUNK},
        }
        if key_change:
            header["key_change"] = key_change
        if superseded:
            header["supersedes"] = superseded
        data = container.write(header, keys.sign.sign, sealed)
        file_hash = hashlib.sha256(data).hexdigest()
        path = _target(out, unit.code, seq, index)
        _write_numbered(register, path, data, (seq, file_hash, first, part_last, len(part), len(data),
                                               header["created_at"], path.name), superseded)
        superseded = []
        exported.append(ExportedBundle(path, seq, first, part_last, counts, len(data)))
        seq, prev_hash, first = seq + 1, file_hash, part_last + 1
    return exported


def unconfirmed(conn) -> list[int]:
    """Numbers committed as 'writing' whose file may or may not have been written (a power cut)."""
    return [row[0] for row in conn.execute("SELECT seq FROM bundles_sent WHERE state = 'writing' ORDER BY seq")]


def _write_numbered(register, path: Path, data: bytes, row: tuple, superseded: list[int]) -> None:
    """Commit the bundle's number, write the file, then mark it sent.

    The number is committed first so that a file can never exist under a number the register does not
    remember: a power cut after the file reached the disk but before 'sent' leaves the number 'writing',
    and the next export names it as superseded instead of giving the number to another file (which the
    office would see as a fork). A write that fails (full or missing USB stick) gives the number back.
    """
    conn = register.conn
    seq = row[0]
    with register.transaction():
        conn.execute("INSERT INTO bundles_sent (seq, file_hash, first_change, last_change, records, bytes,"
                     " created_at, file_name, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'writing')", row)
        register.audit("bundle.export", "bundles_sent", str(seq), {"records": row[4], "last": row[3]})
    try:
        write_atomic(path, data, mode=0o600)
    except BaseException:
        with register.transaction():
            conn.execute("DELETE FROM bundles_sent WHERE seq = ? AND state = 'writing'", (seq,))
            register.audit("bundle.export_failed", "bundles_sent", str(seq))
        raise
    with register.transaction():
        conn.execute("UPDATE bundles_sent SET state = 'sent' WHERE seq = ?", (seq,))
        if superseded:
            conn.execute(f"UPDATE bundles_sent SET state = 'superseded' WHERE seq IN ({','.join('?' * len(superseded))})",
                         superseded)


def _target(out: Path, unit_code: str, seq: int, index: int) -> Path:
    if out.suffix.lower() == ".tvb" and not out.is_dir():
        return out if index == 0 else out.with_name(f"{out.stem}-{index + 1}{out.suffix}")
    os.makedirs(out, exist_ok=True)
    return out / f"{unit_code}-{seq:05d}.tvb"
