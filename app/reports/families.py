"""One SQL pass per family of metrics: the rows a month's indicators are counted from.

Each loader reads what every metric of its family needs for one month (and
one origin point, or all of them), so a whole form costs a handful of
queries however many cells it has. Deleted records never count.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.reports.period import Month

Rows = list[dict[str, Any]]


@dataclass
class Family:
    rows: Rows = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


SHARE_AFTER = 20_000


def _rows(conn, sql: str, params: dict, *, shared: bool = False) -> Rows:
    """Rows as dicts. With `shared`, a big result (a register of 100,000 clients) makes repeated short
    text (groups, dates, codes) one string object, to stay within the GUI's memory budget; small
    results skip that work."""
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row)) for row in cursor.fetchmany(SHARE_AFTER)]
    if len(rows) < SHARE_AFTER:
        return rows
    strings: dict = {}
    for row in cursor:
        rows.append(dict(zip(names, [strings.setdefault(v, v) if shared and isinstance(v, str) and len(v) < 16
                                     else v for v in row])))
    return rows


def _origin(alias: str, origin: str | None) -> str:
    return f" AND {alias}.origin = :origin" if origin else ""


_GROUP_CACHE: dict = {}


def _group_as_of(conn, day: str, origin: str | None) -> dict[str, str]:
    """Each client's group on `day` from the group history (the group they were in then).

    Several families need it for the same month; one form computation reads it once
    (the cache holds one entry and is keyed by the latest change, so edits invalidate it).
    """
    stamp = conn.execute("SELECT coalesce(max(change_no), 0) FROM change_log").fetchone()[0]
    key = (id(conn), day, origin, stamp)
    if key in _GROUP_CACHE:
        return _GROUP_CACHE[key]
    groups: dict[str, str] = {}
    for client_id, code in conn.execute(
            "SELECT g.client_id, g.group_code FROM client_groups g WHERE g.deleted = 0 AND g.start_date <= :day"
            + _origin("g", origin) + " ORDER BY g.client_id, g.start_date, g.seq", {"day": day, "origin": origin}):
        groups[client_id] = code
    _GROUP_CACHE.clear()
    _GROUP_CACHE[key] = groups
    return groups


def clients(conn, month: Month, origin: str | None) -> Family:
    rows = _rows(conn, "SELECT c.id, c.origin, c.sex, c.main_group, c.intake_date, c.status, c.closed_date,"
                       " c.closing_reason, c.legal_status, c.legal_start, c.legal_end"
                       " FROM clients c WHERE c.deleted = 0 AND c.intake_date <= :last"
                       # cases closed before the month count in no client metric (most of an old register)
                       " AND (c.status != 'closed' OR c.closed_date >= :first OR c.legal_status = 'post_rehab_management')"
                       + _origin("c", origin), {"first": month.first, "last": month.last, "origin": origin},
                 shared=True)
    at_end = _group_as_of(conn, month.last, origin)
    for row in rows:
        row["group"] = at_end.get(row["id"], row["main_group"])
    return Family(rows)


def contacts(conn, month: Month, origin: str | None) -> Family:
    """Every counselling 'lượt' of the month: one per individual contact, one per group-session participant.

    Community sessions (mostly anonymous people) are kept apart with their attendee counts.
    """
    params = {"first": month.first, "last": month.last, "origin": origin}
    group_at = _group_as_of(conn, month.last, origin)
    turns = _rows(conn, """
        SELECT t.id AS contact_id, t.origin, t.kind, t.contact_date, t.client_id, c.sex, c.main_group, 'contacts' AS source
        FROM contacts t JOIN clients c ON c.id = t.client_id AND +c.deleted = 0
        WHERE t.deleted = 0 AND t.client_id IS NOT NULL AND t.contact_date BETWEEN :first AND :last""" + _origin("t", origin)
        + """
        UNION ALL
        SELECT t.id, t.origin, t.kind, t.contact_date, p.client_id, c.sex, c.main_group, 'contact_participants'
        FROM contacts t JOIN contact_participants p ON p.contact_id = t.id AND p.deleted = 0
             JOIN clients c ON c.id = p.client_id AND +c.deleted = 0
        WHERE t.deleted = 0 AND t.kind = 'group' AND t.contact_date BETWEEN :first AND :last"""
        + _origin("t", origin), params)
    for row in turns:
        row["group"] = group_at.get(row["client_id"], row["main_group"])
    sessions = _rows(conn, """
        SELECT t.id AS contact_id, t.origin, t.kind, t.contact_date, t.attendee_count,
               (SELECT count(*) FROM contact_participants p WHERE p.contact_id = t.id AND p.deleted = 0) AS participants
        FROM contacts t WHERE t.deleted = 0 AND t.kind IN ('group', 'community')
          AND t.contact_date BETWEEN :first AND :last""" + _origin("t", origin), params)
    return Family(turns, {"sessions": sessions})


def referrals(conn, month: Month, origin: str | None) -> Family:
    rows = _rows(conn, """
        SELECT r.id, r.origin, r.service, r.client_id, r.referred_date, r.outcome, r.outcome_date, r.amount, c.sex,
               c.main_group
        FROM referrals r JOIN clients c ON c.id = r.client_id AND +c.deleted = 0
        WHERE r.deleted = 0 AND r.referred_date <= :last
          AND (r.referred_date >= :first OR r.outcome = 'pending' OR r.outcome_date >= :first)""" + _origin("r", origin),
                 {"first": month.first, "last": month.last, "origin": origin})
    group_at = _group_as_of(conn, month.last, origin)
    for row in rows:
        row["group"] = group_at.get(row["client_id"], row["main_group"])
    return Family(rows)


def rehab(conn, month: Month, origin: str | None) -> Family:
    return Family(_rows(conn, """
        SELECT r.id, r.origin, r.client_id, r.registration_date, r.decision_date, r.start_date, r.end_date, r.outcome,
               r.outcome_date, c.sex
        FROM rehab_registrations r JOIN clients c ON c.id = r.client_id AND +c.deleted = 0
        WHERE r.deleted = 0 AND r.registration_date <= :last""" + _origin("r", origin),
                        {"last": month.last, "origin": origin}))


def methadone(conn, month: Month, origin: str | None) -> Family:
    return Family(_rows(conn, """
        SELECT m.id, m.origin, m.client_id, m.start_date, m.status, m.end_date, c.sex
        FROM methadone_episodes m JOIN clients c ON c.id = m.client_id AND +c.deleted = 0
        WHERE m.deleted = 0 AND m.start_date <= :last""" + _origin("m", origin),
                        {"last": month.last, "origin": origin}))


def groups(conn, month: Month, origin: str | None) -> Family:
    params = {"first": month.first, "last": month.last, "origin": origin}
    # A group is active in a month when it met in that month (a later "inactive" flag does not rewrite history).
    active = _rows(conn, "SELECT g.id, g.origin, g.name FROM groups g WHERE g.deleted = 0 AND EXISTS (SELECT 1 FROM"
                         " group_meetings t WHERE t.group_id = g.id AND t.deleted = 0"
                         " AND t.meeting_date BETWEEN :first AND :last)" + _origin("g", origin), params)
    meetings = _rows(conn, "SELECT t.id, t.origin, t.group_id, t.meeting_date FROM group_meetings t"
                           " WHERE t.deleted = 0 AND t.meeting_date BETWEEN :first AND :last" + _origin("t", origin),
                     params)
    attendance = _rows(conn, """
        SELECT a.id, t.origin, a.meeting_id, a.client_id, c.sex FROM meeting_attendance a
        JOIN group_meetings t ON t.id = a.meeting_id JOIN clients c ON c.id = a.client_id AND +c.deleted = 0
        WHERE a.deleted = 0 AND t.deleted = 0 AND t.meeting_date BETWEEN :first AND :last""" + _origin("t", origin),
                       params)
    members = _rows(conn, """
        SELECT m.id, m.origin, m.group_id, m.client_id, c.sex FROM group_members m JOIN clients c ON c.id = m.client_id AND +c.deleted = 0
        WHERE m.deleted = 0 AND m.joined_date <= :last AND (m.left_date IS NULL OR m.left_date > :last)"""
                    + _origin("m", origin), params)
    return Family(active, {"meetings": meetings, "attendance": attendance, "members": members})


def outreach(conn, month: Month, origin: str | None) -> Family:
    return Family(_rows(conn, "SELECT o.id, o.origin, o.kind, o.activity_date, o.quantity, o.minutes, o.attendees"
                              " FROM outreach o WHERE o.deleted = 0 AND o.activity_date BETWEEN :first AND :last"
                              + _origin("o", origin), {"first": month.first, "last": month.last, "origin": origin}))


def by_origin(family: Family) -> dict[str, Family]:
    """One family per point, from a family read for all of them (every row names its origin):
    a district form reads the month once instead of once per point."""
    split: dict[str, Family] = {}
    for row in family.rows:
        split.setdefault(row["origin"], Family()).rows.append(row)
    for name, rows in family.extra.items():
        for row in rows:
            split.setdefault(row["origin"], Family()).extra.setdefault(name, []).append(row)
    for part in split.values():
        for name in family.extra:
            part.extra.setdefault(name, [])
    return split


LOADERS: dict[str, Callable[[Any, Month, str | None], Family]] = {
    "clients": clients, "contacts": contacts, "referrals": referrals, "rehab": rehab,
    "methadone": methadone, "groups": groups, "outreach": outreach,
}
