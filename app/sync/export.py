"""Exporting bundles: every change the district has not acknowledged, signed and encrypted.

Until a receipt says the district has changes up to N, every export sends
the changes after N again (importing twice is harmless), so a lost USB
stick or e-mail never loses data. Bundles are numbered (`seq`) and chained
(`prev_hash` = SHA-256 of the previous bundle file); a bundle whose
compressed payload would pass ~20 MB is split into several. Records are read
and written a batch at a time (app/sync/document_writer.py), so an office
relaying millions of records needs no more memory than a small point.
"""

from __future__ import annotations

import hashlib
import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from app import __version__
from app.core.clock import utc_stamp
from app.core.errors import UserError
from app.core.i18n import N_
from app.core.progress import Progress
from app.core.roles import Permission
from app.store import bundle_log, change_log
from app.store.files import write_atomic
from app.store.records import SYNCED_TABLES
from app.sync import container, identity, payload
from app.sync.document_writer import DocumentPart

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
    levels = [bundle_log.acknowledged_by(conn, code) for code in districts]
    return min(levels) if levels else 0


def _columns(conn, table: str) -> list[str]:
    return [name for name in change_log.columns(conn, table) if name not in LOCAL_COLUMNS]


BATCH = 2000
MAX_RAW = 1 << 30          # a part's document stays far below the reader's 2 GiB


def _latest_changes(conn, after: int, columns_of: dict[str, list[str]]) -> Iterator[tuple[int, str, tuple]]:
    """(latest change number, table, row values) of every record changed after `after`, in change order.

    Streams: the change log is walked in order keeping each record's latest change only, and the
    rows are fetched by id a batch at a time, so memory does not grow with the number of records.
    """
    cursor = change_log.latest_changes(conn, after)
    while batch := cursor.fetchmany(BATCH):
        wanted: dict[str, list[str]] = {}
        for _change, table, row_id in batch:
            if table in columns_of:
                wanted.setdefault(table, []).append(row_id)
        found: dict[tuple[str, str], tuple] = {}
        for table, ids in wanted.items():
            columns = columns_of[table]
            position = columns.index("id")
            for row in change_log.rows_by_id(conn, table, columns, ids):
                found[(table, row[position])] = row
        for change_no, table, row_id in batch:
            row = found.get((table, row_id))
            if row is not None:
                yield change_no, table, row


def _full(part: DocumentPart) -> bool:
    return part.estimate() >= SPLIT_BYTES or part.raw >= MAX_RAW


def export_bundles(register, out: Path, progress: Progress | None = None) -> list[ExportedBundle]:
    """Write the bundle(s) to `out` (a folder, or a file name for the first bundle).

    `progress` counts the changes read (records sent, and changes of records already counted) and
    may cancel between records: bundles already written stay whole and recorded, the rest of the
    changes go in the next export."""
    register.require(Permission.CASE_WORK)
    conn = register.conn
    recipients = identity.receiving_offices(conn)
    if not recipients:
        raise NoDistrictKey()
    keys = identity.own_keys(register)
    unit = register.unit()
    after = acknowledged(conn, sorted({r.unit_code for r in recipients}))
    columns_of = {table: _columns(conn, table) for table in SYNCED_TABLES}
    stream = _latest_changes(conn, after, columns_of)
    first_record = next(stream, None)
    if first_record is None:
        raise NothingToExport(n=after)
    last = change_log.last_change(conn)
    if progress is not None:
        progress.expect(change_log.count_between(conn, after))
        counted = after
    previous = bundle_log.last_sent(conn)
    writer = _Writer(register, Path(out), keys, recipients, identity.latest_key_change(conn), unconfirmed(conn),
                     previous, after + 1)
    relayed = identity.served_units(conn) if unit.role.value == "district" else {}
    head = {"format": "tuvan-records", "version": 1, "sender": unit.code, "seq": 0,
            "unit": {"code": unit.code, "name": unit.name, "office_name": unit.office_name, "role": unit.role.value,
                     **({"relayed": relayed} if relayed else {})}}
    part = DocumentPart(columns_of)
    for number, (change_no, table, row) in enumerate(itertools.chain([first_record], stream)):
        # Cut before adding, so the last part is never empty and ends at the newest change number.
        if number % 64 == 0:
            if progress is not None:
                # Changes between two records were of records sent once, with their latest state.
                done = change_log.count_between(conn, counted, change_no)
                counted = change_no
                progress.add(done)
            if part.records and _full(part):
                writer.write(part, head, part.last_change)
                part = DocumentPart(columns_of)
        part.add(change_no, table, row)
    writer.write(part, head, last)
    return writer.exported


class _Writer:
    """Seals, signs, numbers and writes the parts of one export, chaining each to the one before."""

    def __init__(self, register, out: Path, keys, recipients, key_change, superseded: list[int], previous,
                 first: int) -> None:
        self.register, self.out, self.keys, self.recipients = register, out, keys, recipients
        self.key_change, self.superseded = key_change, superseded
        self.seq, self.prev_hash = (previous[0] + 1, previous[1]) if previous else (1, None)
        self.first = first
        self.exported: list[ExportedBundle] = []

    def write(self, part: DocumentPart, head: dict, part_last: int) -> None:
        register, unit = self.register, self.register.unit()
        compressed, raw = part.compressed({**head, "seq": self.seq})
        sealed, payload_key = payload.seal(compressed)
        del compressed
        header = {
            "format": BUNDLE_FORMAT, "version": 1, "program": __version__,
            "sender": {"unit_code": unit.code, "role": unit.role.value, "register_id": register.register_id,
                       "fingerprint": self.keys.fingerprint},
            "seq": self.seq, "prev_hash": self.prev_hash, "changes": {"first": self.first, "last": part_last},
            "created_at": utc_stamp(), "counts": part.counts,
            "recipients": [{"fingerprint": r.fingerprint, "unit_code": r.unit_code,
                            "sealed_key": identity.b64(payload.seal_key(payload_key, r.enc_key))}
                           for r in self.recipients],
            "payload": {"length": len(sealed), "sha256": hashlib.sha256(sealed).hexdigest(),
                        "raw_length": raw, "compression": "zlib", "cipher": "chacha20poly1305",
                        "chunk_size": payload.CHUNK},
        }
        if self.key_change:
            header["key_change"] = self.key_change
        if self.superseded:
            header["supersedes"] = self.superseded
        data = container.write(header, self.keys.sign.sign, sealed)
        del sealed
        file_hash = hashlib.sha256(data).hexdigest()
        path = _target(self.out, unit.code, self.seq, len(self.exported))
        _write_numbered(register, path, data, (self.seq, file_hash, self.first, part_last, part.records, len(data),
                                               header["created_at"], path.name), self.superseded)
        self.superseded = []
        self.exported.append(ExportedBundle(path, self.seq, self.first, part_last, part.counts, len(data)))
        self.seq, self.prev_hash, self.first = self.seq + 1, file_hash, part_last + 1


def unconfirmed(conn) -> list[int]:
    """Numbers committed as 'writing' whose file may or may not have been written (a power cut)."""
    return bundle_log.writing(conn)


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
        bundle_log.number_bundle(conn, row)
        register.audit("bundle.export", "bundles_sent", str(seq), {"records": row[4], "last": row[3]})
    try:
        write_atomic(path, data, mode=0o600)
    except BaseException:
        with register.transaction():
            bundle_log.give_back(conn, seq)
            register.audit("bundle.export_failed", "bundles_sent", str(seq))
        raise
    with register.transaction():
        bundle_log.mark_sent(conn, seq, superseded)


def _target(out: Path, unit_code: str, seq: int, index: int) -> Path:
    if out.suffix.lower() == ".tvb" and not out.is_dir():
        return out if index == 0 else out.with_name(f"{out.stem}-{index + 1}{out.suffix}")
    os.makedirs(out, exist_ok=True)
    return out / f"{unit_code}-{seq:05d}.tvb"
