"""Records named by id, read as one line each for a list (what a report's drill-down shows).

One small query per table and one for the clients' names, whatever the number of records.
"""

from __future__ import annotations

# Per table: id, the date that places the record in a month, its own kind code,
# a detail (service, group name, participants, quantity …), the client, the origin point.
_LINES = {
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


def _chunks(ids: list[str]):
    for start in range(0, len(ids), _CHUNK):
        yield ids[start:start + _CHUNK]


def _select(conn, sql: str, ids: list[str]) -> list[tuple]:
    found = []
    for chunk in _chunks(ids):
        found += conn.execute(sql.format(ids=",".join("?" * len(chunk))), chunk).fetchall()
    return found


def lines(conn, table: str, ids: list[str]) -> list[tuple]:
    """(id, day, kind, detail, client id, origin) of each record of `table` among `ids`; none for a
    table without a line."""
    sql = _LINES.get(table)
    return [] if sql is None else _select(conn, sql, ids)


def client_names(conn, ids: set[str]) -> dict[str, tuple[str, str]]:
    """Client id -> (record code, name or alias) for the clients among `ids`, deleted ones too."""
    rows = _select(conn, "SELECT id, code, full_name, alias FROM clients WHERE id IN ({ids})", sorted(ids))
    return {row[0]: (row[1], row[2] or row[3] or "") for row in rows}
