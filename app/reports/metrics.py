"""The fixed registry of metrics a form file may name, with their counting rules.

A cell in a form file says e.g. `contacts.count kind=home sex=female`. The
metric decides what is counted (docs/forms.md says it in words); filters
narrow it. Each metric returns its number and the records behind it, so the
screen can show a cell's records.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.core.vocab import CLIENT_GROUPS, CLOSING_REASONS, CONTACT_KINDS, OUTREACH_KINDS, SEXES
from app.reports.families import Family
from app.reports.period import Month

Ref = tuple[str, str]  # (table, record id)
Result = tuple[int, list[Ref]]

INDIVIDUAL = ("office", "home", "phone", "online")
FILTER_VALUES: dict[str, set[str] | None] = {
    "sex": set(SEXES),
    "group": set(CLIENT_GROUPS),
    "kind": set(CONTACT_KINDS) | {"individual"},
    "reason": set(CLOSING_REASONS),
    "service": None,  # a catalog code: checked against the register's catalog when counted
    "outreach": set(OUTREACH_KINDS),
}


@dataclass(frozen=True)
class Metric:
    name: str
    family: str
    filters: frozenset[str]
    count: Callable[[Family, Month, dict[str, str]], Result]


def _match(row: dict, filters: dict[str, str], **columns: str) -> bool:
    """Apply the filters that name a row column (sex, group, service …)."""
    for name, value in filters.items():
        column = columns.get(name, name)
        if name == "kind" and value == "individual":
            if row.get("kind") not in INDIVIDUAL:
                return False
        elif str(row[column]) != value:
            return False
    return True


class _Refs:
    """The records behind a number, listed only when someone asks (a drill-down), not for every cell."""

    __slots__ = ("rows", "table", "key", "table_key")

    def __init__(self, rows, table, key, table_key) -> None:
        self.rows, self.table, self.key, self.table_key = rows, table, key, table_key

    def __iter__(self):
        seen: dict[Ref, None] = {}
        for row in self.rows:
            seen[(row[self.table_key] if self.table_key else self.table, row[self.key])] = None
        return iter(seen)


def _refs(rows: list[dict], table: str = "", key: str = "id", table_key: str | None = None) -> _Refs:
    return _Refs(rows, table, key, table_key)


def _subset(family: Family, key: str, keep: Callable[[dict], bool]) -> list[dict]:
    """The rows a metric's dates select, computed once per family: a form asks the same
    metric for many cells (by group, by sex), and only the filters differ."""
    cache = family.extra.setdefault("_subsets", {})
    if key not in cache:
        cache[key] = [r for r in family.rows if keep(r)]
    return cache[key]


def _select(family: Family, key: str, rows: list[dict], filters: dict[str, str], **columns: str) -> list[dict]:
    """`rows` narrowed by one filter at a time; each narrowing is kept, so "group=dependent sex=male"
    starts from the "group=dependent" rows another cell already selected."""
    cache = family.extra.setdefault("_selected", {})
    done: tuple = (key,)
    for name, value in sorted(filters.items()):
        done += ((name, value),)
        if done not in cache:
            column = columns.get(name, name)
            if name == "kind" and value == "individual":
                cache[done] = [r for r in rows if r["kind"] in INDIVIDUAL]
            else:
                cache[done] = [r for r in rows if r[column] == value]
        rows = cache[done]
    return rows


def _during(day: str | None, month: Month) -> bool:
    return month.contains(day)


def _open_at_end(start: str | None, end: str | None, month: Month) -> bool:
    return bool(start) and start <= month.last and (not end or end > month.last)


# --- clients -----------------------------------------------------------------

def clients_new(family, month, filters) -> Result:
    rows = _select(family, "new", _subset(family, "new", lambda r: _during(r["intake_date"], month)), filters)
    return len(rows), _refs(rows, "clients")


def clients_active(family, month, filters) -> Result:
    active = _subset(family, "active", lambda r: _open_at_end(
        r["intake_date"], r["closed_date"] if r["status"] == "closed" else None, month))
    rows = _select(family, "active", active, filters)
    return len(rows), _refs(rows, "clients")


def clients_closed(family, month, filters) -> Result:
    closed = _subset(family, "closed", lambda r: r["status"] == "closed" and _during(r["closed_date"], month))
    rows = _select(family, "closed", closed, filters, reason="closing_reason")
    return len(rows), _refs(rows, "clients")


def clients_post_rehab(family, month, filters) -> Result:
    """Under post-rehab management at the end of the month: started, not ended, case still open."""
    rows = [r for r in family.rows if r["legal_status"] == "post_rehab_management"
            and _open_at_end(r["legal_start"], r["legal_end"], month)
            and not (r["status"] == "closed" and (r["closed_date"] or "") <= month.last)
            and _match(r, filters)]
    return len(rows), _refs(rows, "clients")


# --- contacts ----------------------------------------------------------------

def _turns(family, filters) -> list[dict]:
    return _select(family, "turns", family.rows, filters)


def contacts_count(family, month, filters) -> Result:
    """Lượt: one per contact with a named client; one per participant of a group session."""
    rows = _turns(family, filters)
    return len(rows), _refs(rows, key="contact_id", table="contacts")


def contacts_people(family, month, filters) -> Result:
    """Người: distinct clients among those lượt."""
    rows = _turns(family, filters)
    return len({r["client_id"] for r in rows}), _refs(rows, key="client_id", table="clients")


def _sessions(family, filters) -> list[dict]:
    kind = filters.get("kind")
    return [s for s in family.extra["sessions"] if kind in (None, s["kind"])]


def contacts_sessions(family, month, filters) -> Result:
    """Buổi / cuộc: group sessions at the office and community sessions."""
    rows = _sessions(family, filters)
    return len(rows), _refs(rows, key="contact_id", table="contacts")


def contacts_attendees(family, month, filters) -> Result:
    """People present: attendee counts of community sessions, participants of group sessions."""
    rows = _sessions(family, filters)
    total = sum((s["attendee_count"] or 0) if s["kind"] == "community" else s["participants"] for s in rows)
    return total, _refs(rows, key="contact_id", table="contacts")


# --- referrals ---------------------------------------------------------------

def _made(family, month) -> list[dict]:
    return _subset(family, "made", lambda r: _during(r["referred_date"], month))


def _completed(family, month) -> list[dict]:
    return _subset(family, "completed", lambda r: r["outcome"] == "completed" and _during(r["outcome_date"], month))


def referrals_made(family, month, filters) -> Result:
    rows = _select(family, "made", _made(family, month), filters)
    return len(rows), _refs(rows, "referrals")


def referrals_people(family, month, filters) -> Result:
    rows = _select(family, "made", _made(family, month), filters)
    return len({r["client_id"] for r in rows}), _refs(rows, key="client_id", table="clients")


def referrals_completed(family, month, filters) -> Result:
    rows = _select(family, "completed", _completed(family, month), filters)
    return len(rows), _refs(rows, "referrals")


def referrals_amount(family, month, filters) -> Result:
    rows = _select(family, "completed", _completed(family, month), filters)
    return sum(r["amount"] or 0 for r in rows), _refs(rows, "referrals")


def referrals_pending(family, month, filters) -> Result:
    rows = [r for r in family.rows if (r["outcome"] == "pending" or (r["outcome_date"] or "") > month.last)
            and _match(r, filters)]
    return len(rows), _refs(rows, "referrals")


# --- treatment -----------------------------------------------------------------

def _rehab(predicate) -> Callable:
    def count(family, month, _filters) -> Result:
        rows = [r for r in family.rows if predicate(r, month) and _match(r, _filters)]
        return len(rows), _refs(rows, "rehab_registrations")
    return count


def _methadone(predicate) -> Callable:
    def count(family, month, filters) -> Result:
        rows = [r for r in family.rows if predicate(r, month) and _match(r, filters)]
        return len(rows), _refs(rows, "methadone_episodes")
    return count


# --- self-help groups ----------------------------------------------------------

def groups_active(family, month, filters) -> Result:
    return len(family.rows), _refs(family.rows, "groups")

def groups_meetings(family, month, filters) -> Result:
    rows = family.extra["meetings"]
    return len(rows), _refs(rows, "group_meetings")


def groups_attendance(family, month, filters) -> Result:
    rows = [r for r in family.extra["attendance"] if _match(r, filters)]
    return len(rows), _refs(rows, "meeting_attendance")


def groups_members(family, month, filters) -> Result:
    rows = [r for r in family.extra["members"] if _match(r, filters)]
    return len({r["client_id"] for r in rows}), _refs(rows, "group_members")


# --- outreach --------------------------------------------------------------------

def _outreach(value: Callable[[dict], int]) -> Callable:
    def count(family, month, filters) -> Result:
        kind = filters.get("outreach")
        rows = [r for r in family.rows if kind in (None, r["kind"])]
        return sum(value(r) for r in rows), _refs(rows, "outreach")
    return count


def _metric(name, family, filters, count) -> tuple[str, Metric]:
    return name, Metric(name, family, frozenset(filters), count)


REGISTRY: dict[str, Metric] = dict([
    _metric("clients.new", "clients", {"group", "sex"}, clients_new),
    _metric("clients.active", "clients", {"group", "sex"}, clients_active),
    _metric("clients.closed", "clients", {"reason", "sex"}, clients_closed),
    _metric("clients.post_rehab_managed", "clients", {"sex"}, clients_post_rehab),
    _metric("contacts.count", "contacts", {"kind", "sex", "group"}, contacts_count),
    _metric("contacts.people", "contacts", {"kind", "sex", "group"}, contacts_people),
    _metric("contacts.sessions", "contacts", {"kind"}, contacts_sessions),
    _metric("contacts.attendees", "contacts", {"kind"}, contacts_attendees),
    _metric("referrals.made", "referrals", {"service", "sex", "group"}, referrals_made),
    _metric("referrals.people", "referrals", {"service", "sex"}, referrals_people),
    _metric("referrals.completed", "referrals", {"service", "sex"}, referrals_completed),
    _metric("referrals.amount", "referrals", {"service"}, referrals_amount),
    _metric("referrals.pending", "referrals", {"service"}, referrals_pending),
    _metric("rehab.registered", "rehab", {"sex"}, _rehab(lambda r, m: _during(r["registration_date"], m))),
    _metric("rehab.decided", "rehab", {"sex"}, _rehab(lambda r, m: _during(r["decision_date"], m))),
    _metric("rehab.completed", "rehab", {"sex"},
            _rehab(lambda r, m: r["outcome"] == "completed" and _during(r["outcome_date"], m))),
    _metric("rehab.dropped_out", "rehab", {"sex"},
            _rehab(lambda r, m: r["outcome"] == "dropped_out" and _during(r["outcome_date"], m))),
    _metric("rehab.ongoing", "rehab", {"sex"},
            _rehab(lambda r, m: _open_at_end(r["start_date"] or r["decision_date"],
                                             r["outcome_date"] if r["outcome"] != "ongoing" else None, m))),
    _metric("methadone.started", "methadone", {"sex"}, _methadone(lambda r, m: _during(r["start_date"], m))),
    _metric("methadone.on_treatment", "methadone", {"sex"},
            _methadone(lambda r, m: _open_at_end(r["start_date"], r["end_date"], m)
                       and (r["status"] == "on_treatment" or bool(r["end_date"])))),
    _metric("methadone.dropped_out", "methadone", {"sex"},
            _methadone(lambda r, m: r["status"] == "dropped_out" and _during(r["end_date"], m))),
    _metric("groups.active", "groups", set(), groups_active),
    _metric("groups.meetings", "groups", set(), groups_meetings),
    _metric("groups.attendance", "groups", {"sex"}, groups_attendance),
    _metric("groups.members", "groups", {"sex"}, groups_members),
    _metric("outreach.count", "outreach", {"outreach"}, _outreach(lambda r: 1)),
    _metric("outreach.quantity", "outreach", {"outreach"}, _outreach(lambda r: r["quantity"] or 0)),
    _metric("outreach.minutes", "outreach", {"outreach"}, _outreach(lambda r: (r["quantity"] or 0) * (r["minutes"] or 0))),
    _metric("outreach.attendees", "outreach", {"outreach"}, _outreach(lambda r: r["attendees"] or 0)),
])


