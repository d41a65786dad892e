"""Refused records: held at the office (quarantine), listed in receipts, shown at the sender.

An office applies a bundle's acceptable records and holds the others here with the rule they
broke, so one bad record no longer blocks a point's sync. The receipt lists the open ones; the
point sees them on its Sync screen, corrects them, and the corrected state (a higher version)
arrives with its next bundle and resolves the entry.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.clock import utc_stamp
from app.store import held_records
from app.store.files import write_atomic
from app.store.records import REFERENCES, SYNCED_TABLES
from app.sync.record_checks import Refusal, shown

MAX_IN_RECEIPT = 500          # keeps a receipt's header far below its 256 KiB limit
MAX_RECORD_TEXT = 200_000     # a held record's JSON is cut beyond this (the rule is what matters)


@dataclass(frozen=True)
class Held:
    """A record an office holds back."""
    id: int
    sender: str
    seq: int
    refusal: Refusal
    received_at: str
    resolved_at: str | None


def _record_text(record: dict | None) -> str:
    # ASCII escapes: a hostile record may hold lone surrogates, which UTF-8 (and SQLite) cannot store.
    text = json.dumps(record if record is not None else {}, default=str)
    return text if len(text) <= MAX_RECORD_TEXT else json.dumps({"cut": text[:MAX_RECORD_TEXT]})


def hold(conn, sender: str, seq: int, refusals: list[Refusal]) -> int:
    """Store refusals (inside the caller's transaction). The same refusal of the same state is
    stored once, however often the sender resends it. Returns the number newly held."""
    now = utc_stamp()
    return held_records.hold(conn, [(sender, seq, shown(r.table, 40), r.record_id, r.origin, r.version, r.field[:40],
                                     str(r.reason), json.dumps(r.params, ensure_ascii=False), _record_text(r.record),
                                     now) for r in refusals])


def resolve(conn, sender: str, arrived: dict[str, list[str]]) -> int:
    """Close the entries of `sender` whose record the register now holds in the same or a later
    state from its own origin (it arrived corrected). Returns how many were closed."""
    now = utc_stamp()
    closed = 0
    for table, ids in arrived.items():
        if table in SYNCED_TABLES:   # the table's name goes into the statement
            closed += held_records.resolve(conn, sender, table, ids, now)
    return closed


def _refusal(row) -> Refusal:
    table, record_id, origin, version, field_name, reason, params, record = row
    try:
        values = json.loads(params)
    except ValueError:
        values = {}
    try:
        record_value = json.loads(record)
    except ValueError:
        record_value = None
    return Refusal(table, record_id, origin, version, field_name, reason,
                   values if isinstance(values, dict) else {}, record_value if isinstance(record_value, dict) else None)


def held(conn, sender: str | None = None, *, include_resolved: bool = False) -> list[Held]:
    return [Held(r[0], r[1], r[2], _refusal(r[5:]), r[3], r[4])
            for r in held_records.held(conn, sender, include_resolved=include_resolved)]


CSV_COLUMNS = ("sender", "bundle", "table", "record_id", "origin", "version", "field", "rule", "what_to_do",
               "received_at")


def write_csv(entries: list[Held], path: Path, labels=None) -> None:
    """The quarantine list for a spreadsheet (UTF-8 with BOM, so Excel for Windows reads Vietnamese).
    `labels(table)` gives the forms' names of a table's fields."""
    import io

    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        r = entry.refusal
        writer.writerow((entry.sender, entry.seq, r.table, r.record_id, r.origin, r.version, r.field,
                         r.rule(labels(r.table) if labels else None),
                         r.advice(), entry.received_at))
    write_atomic(Path(path), ("\ufeff" + out.getvalue()).encode("utf-8"))


# --- in receipts -----------------------------------------------------------------------------------

def for_receipt(conn, sender: str) -> tuple[list[dict], int]:
    """The open refusals of `sender` as receipt entries (at most MAX_IN_RECEIPT), and their number."""
    entries = held(conn, sender)
    listed = [{"table": e.refusal.table, "id": e.refusal.record_id, "version": e.refusal.version,
               "field": e.refusal.field, "reason": str(e.refusal.reason),
               "params": {k: v for k, v in e.refusal.params.items() if isinstance(v, (str, int))}}
              for e in entries[:MAX_IN_RECEIPT]]
    return listed, len(entries)


def _text(value: Any, limit: int = 200) -> bool:
    return isinstance(value, str) and len(value) <= limit


def receipt_entries(value: Any) -> list[Refusal] | None:
    """The refusals a receipt lists, or None if the member is malformed (then the receipt is refused)."""
    if not isinstance(value, list) or len(value) > MAX_IN_RECEIPT:
        return None
    found = []
    for entry in value:
        if not isinstance(entry, dict):
            return None
        params = entry.get("params", {})
        version = entry.get("version", 0)
        if not (all(_text(entry.get(k)) for k in ("table", "id", "field", "reason"))
                and isinstance(version, int) and not isinstance(version, bool) and 0 <= version < 2 ** 63
                and isinstance(params, dict) and len(params) <= 10
                and all(_text(k, 40) and (_text(v) or (isinstance(v, int) and not isinstance(v, bool)))
                        for k, v in params.items())):
            return None
        found.append(Refusal(entry["table"], entry["id"], "", version, entry["field"], entry["reason"], params))
    return found


@dataclass(frozen=True)
class RefusedHere:
    """At a point: a record the receiving office refused."""
    district: str
    refusal: Refusal
    issued_at: str
    current_version: int | None      # the record's version here now (None: not in this register)
    client_id: str | None = None     # the client file the record belongs to, to open it

    @property
    def corrected(self) -> bool:
        """Changed since the office refused it: the new state goes with the next bundle."""
        return self.current_version is not None and self.current_version > self.refusal.version


def store_refused(conn, district: str, entries: list[Refusal], issued_at: str) -> None:
    """Replace the list from `district` by a newer receipt's (inside the caller's transaction)."""
    latest = held_records.latest_refusal_list(conn, district)
    if latest is not None and latest > issued_at:
        return  # an older receipt imported late: its list is out of date
    held_records.replace_refused(conn, district, [
        (district, r.table, r.record_id, r.version, r.field, str(r.reason), json.dumps(r.params, ensure_ascii=False),
         issued_at) for r in entries])


def refused_here(conn) -> list[RefusedHere]:
    rows = held_records.refused(conn)
    # The records' state here, one query per table: (version now, the client file it belongs to).
    here: dict[tuple[str, str], tuple] = {}
    for table in {row[1] for row in rows} & set(SYNCED_TABLES):
        about = "id" if table == "clients" else "client_id" if "client_id" in REFERENCES[table] else None
        ids = [row[2] for row in rows if row[1] == table]
        for record_id, state in held_records.states_here(conn, table, about, ids).items():
            here[(table, record_id)] = state
    found = []
    for district, table, record_id, version, field_name, reason, params, issued_at in rows:
        current, client = here.get((table, record_id), (None, None))
        try:
            values = json.loads(params)
        except ValueError:
            values = {}
        refusal = Refusal(table, record_id, "", version, field_name, reason, values if isinstance(values, dict) else {})
        found.append(RefusedHere(district, refusal, issued_at, current, client))
    return found
