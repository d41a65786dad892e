"""The records behind a number of the monthly form, described for a list (the drill-down).

`engine.records_behind` says which records a cell counts, as (table, id)
pairs; this module reads what a person needs to recognise each one: its
date, its kind, and the client it concerns. One small query per table and
one for the clients, whatever the number of records.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.reports.metrics import Ref

# Per table: id, the date that places the record in a month, its own kind code,
# a detail (service, group name, participants, quantity …), the client, the origin point.
_QUERIES = {
    "clients": "SELECT c.id, c.intake_date, c.status, '', c.id, c.origin FROM clients c WHERE c.id IN ({ids})",
    "contacts": "SELECT t.id, t.contact_date, t.kind,"
                " CASE t.kind WHEN 'group' THEN (SELECT count(*) FROM contact_participants p"
                "   WHERE p.contact_id = t.id AND p.deleted = 0) WHEN 'community' THEN t.attendee_count END,"
                " t.client_id, t.origin FROM contacts t WHERE t.id IN ({ids})",
    "referrals": "SELECT r.id, r.referred_date, r.service, r.outcome, r.client_id, r.origin"
                 " FROM referrals r WHERE r.id IN ({ids})",
    "rehab_registrations": "SELECT r.id, r.registration_date, r.outcome, '', r.client_id, r.origin"
                           " FROM rehab_registrations r WHERE r.id IN ({ids})",
    "methadone_episodes": "SELECT m.id, m.start_date, m.status, m.site, m.client_id, m.origin"
                          " FROM methadone_episodes m WHERE m.id IN ({ids})",
    "groups": "SELECT g.id, g.founded_date, '', g.name, NULL, g.origin FROM groups g WHERE g.id IN ({ids})",
    "group_meetings": "SELECT t.id, t.meeting_date, '', g.name, NULL, t.origin"
                      " FROM group_meetings t LEFT JOIN groups g ON g.id = t.group_id WHERE t.id IN ({ids})",
    "meeting_attendance": "SELECT a.id, t.meeting_date, '', g.name, a.client_id, a.origin"
                          " FROM meeting_attendance a JOIN group_meetings t ON t.id = a.meeting_id"
                          " LEFT JOIN groups g ON g.id = t.group_id WHERE a.id IN ({ids})",
    "group_members": "SELECT m.id, m.joined_date, '', g.name, m.client_id, m.origin"
                     " FROM group_members m LEFT JOIN groups g ON g.id = m.group_id WHERE m.id IN ({ids})",
    "outreach": "SELECT o.id, o.activity_date, o.kind, o.quantity, NULL, o.origin"
                " FROM outreach o WHERE o.id IN ({ids})",
}
_CHUNK = 500  # well under SQLite's limit on bound parameters


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


def _chunks(ids: list[str]):
    for start in range(0, len(ids), _CHUNK):
        yield ids[start:start + _CHUNK]


def _select(conn, sql: str, ids: list[str]) -> list[tuple]:
    found = []
    for chunk in _chunks(ids):
        found += conn.execute(sql.format(ids=",".join("?" * len(chunk))), chunk).fetchall()
    return found


def _clients(conn, ids: set[str]) -> dict[str, tuple[str, str]]:
    rows = _select(conn, "SELECT id, code, full_name, alias FROM clients WHERE id IN ({ids})", sorted(ids))
    return {row[0]: (row[1], row[2] or row[3] or "") for row in rows}


def describe(conn, refs: list[Ref]) -> list[RecordLine]:
    """The records `refs` name, by date then client code; unknown tables and vanished ids are left out."""
    by_table: dict[str, list[str]] = {}
    for table, record_id in refs:
        by_table.setdefault(table, []).append(record_id)
    found = []
    for table, ids in by_table.items():
        sql = _QUERIES.get(table)
        if sql is not None:
            found += [(table, row) for row in _select(conn, sql, ids)]
    names = _clients(conn, {row[4] for _table, row in found if row[4]})
    lines = []
    for table, (record_id, day, kind, detail, client_id, origin) in found:
        code, name = names.get(client_id, ("", "")) if client_id else ("", "")
        lines.append(RecordLine(table, record_id, day, kind or "", "" if detail is None else str(detail),
                                client_id, code, name, origin))
    return sorted(lines, key=lambda line: (line.day or "", line.client_code, line.id))
