"""The records behind a number of the monthly form, described for a list (the drill-down).

`engine.records_behind` says which records a cell counts, as (table, id)
pairs; this module describes what a person needs to recognise each one: its
date, its kind, and the client it concerns (read by `store.record_lines`).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.reports.metrics import Ref
from app.store import record_lines


@dataclass(frozen=True)
class RecordLine:
    table: str
    id: str
    day: str | None
    kind: str          # the record's own code: contact kind, referral service, outreach kind, status …
    detail: str        # what tells records of one kind apart: outcome, group name, participants, quantity …
    client_id: str | None
    client_code: str
    client_name: str
    origin: str


def describe(conn, refs: list[Ref]) -> list[RecordLine]:
    """The records `refs` name, by date then client code; unknown tables and vanished ids are left out."""
    by_table: dict[str, list[str]] = {}
    for table, record_id in refs:
        by_table.setdefault(table, []).append(record_id)
    found = []
    for table, ids in by_table.items():
        found += [(table, row) for row in record_lines.lines(conn, table, ids)]
    names = record_lines.client_names(conn, {row[4] for _table, row in found if row[4]})
    lines = []
    for table, (record_id, day, kind, detail, client_id, origin) in found:
        code, name = names.get(client_id, ("", "")) if client_id else ("", "")
        lines.append(RecordLine(table, record_id, day, kind or "", "" if detail is None else str(detail),
                                client_id, code, name, origin))
    return sorted(lines, key=lambda line: (line.day or "", line.client_code, line.id))
