"""The fixed registry of metrics a form file may name, with their counting rules written as SQL.

A cell in a form file says e.g. `contacts.count kind=home sex=female`. The metric names the rows it
counts (a source of `sources.py` narrowed by a condition on the month, both in SQL), what it counts
of them (rows, distinct clients, or a sum) and which records a drill-down lists; filters narrow it.
docs/forms.md says every rule in words. Nothing here counts in Python: the engine turns these
pieces into one aggregate query per source.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.vocab import CLIENT_GROUPS, CLOSING_REASONS, CONTACT_KINDS, OUTREACH_KINDS, SEXES

Ref = tuple[str, str]  # (table, record id)

INDIVIDUAL = ("office", "home", "phone", "online")
FILTER_VALUES: dict[str, set[str] | None] = {
    "sex": set(SEXES),
    "group": set(CLIENT_GROUPS),
    "kind": set(CONTACT_KINDS) | {"individual"},
    "reason": set(CLOSING_REASONS),
    "service": None,  # a catalog code: checked against the register's catalog when counted
    "outreach": set(OUTREACH_KINDS),
}
FILTER_COLUMNS = {"group": "grp", "reason": "closing_reason", "outreach": "kind"}  # others: the filter's name

ROWS, PEOPLE = "rows", "people"  # count the rows; count the distinct clients among them


@dataclass(frozen=True)
class Metric:
    name: str
    source: str              # a source of sources.py
    filters: frozenset[str]
    where: str               # SQL condition on the source's columns (with :first, :last); "" = every row
    value: str               # ROWS, PEOPLE, or an SQL expression summed over the rows
    ref_table: str           # what a drill-down lists: records of this table …
    ref_key: str             # … whose id is this source column

    @property
    def family(self) -> str:
        return self.name.split(".")[0]


def during(day: str) -> str:
    """The day falls in the month (a missing day never does)."""
    return f"{day} BETWEEN :first AND :last"


def open_at_end(start: str, end: str) -> str:
    """Begun on or before the month's last day and not ended by then (a missing start never began)."""
    return (f"(coalesce({start}, '') != '' AND {start} <= :last"
            f" AND (coalesce({end}, '') = '' OR {end} > :last))")


def _m(name, source, filters, where, value, ref_table, ref_key="id") -> tuple[str, Metric]:
    return name, Metric(name, source, frozenset(filters), where, value, ref_table, ref_key)


_CLOSED_BY_END = "(status IS 'closed' AND coalesce(closed_date, '') <= :last)"

REGISTRY: dict[str, Metric] = dict([
    _m("clients.new", "clients", {"group", "sex"}, during("intake_date"), ROWS, "clients"),
    _m("clients.active", "clients", {"group", "sex"},
       "intake_date <= :last AND (status IS NOT 'closed' OR closed_date > :last)", ROWS, "clients"),
    _m("clients.closed", "clients", {"reason", "sex"}, f"status IS 'closed' AND {during('closed_date')}",
       ROWS, "clients"),
    _m("clients.post_rehab_managed", "clients", {"sex"},
       f"legal_status IS 'post_rehab_management' AND {open_at_end('legal_start', 'legal_end')}"
       f" AND NOT {_CLOSED_BY_END}", ROWS, "clients"),
    # Lượt: one per contact with a named client, one per participant of a group session; người: distinct clients.
    _m("contacts.count", "turns", {"kind", "sex", "group"}, "", ROWS, "contacts", "contact_id"),
    _m("contacts.people", "turns", {"kind", "sex", "group"}, "", PEOPLE, "clients", "client_id"),
    # Buổi / cuộc, and the people present: attendee counts of community sessions, participants of group ones.
    _m("contacts.sessions", "sessions", {"kind"}, "", ROWS, "contacts", "contact_id"),
    _m("contacts.attendees", "sessions", {"kind"}, "",
       "CASE WHEN kind = 'community' THEN coalesce(attendee_count, 0) ELSE participants END", "contacts", "contact_id"),
    _m("referrals.made", "referrals", {"service", "sex", "group"}, during("referred_date"), ROWS, "referrals"),
    _m("referrals.people", "referrals", {"service", "sex"}, during("referred_date"), PEOPLE, "clients", "client_id"),
    _m("referrals.completed", "referrals", {"service", "sex"},
       f"outcome IS 'completed' AND {during('outcome_date')}", ROWS, "referrals"),
    _m("referrals.amount", "referrals", {"service"},
       f"outcome IS 'completed' AND {during('outcome_date')}", "coalesce(amount, 0)", "referrals"),
    _m("referrals.pending", "referrals", {"service"},
       "(outcome IS 'pending' OR coalesce(outcome_date, '') > :last)", ROWS, "referrals"),
    _m("rehab.registered", "rehab", {"sex"}, during("registration_date"), ROWS, "rehab_registrations"),
    _m("rehab.decided", "rehab", {"sex"}, during("decision_date"), ROWS, "rehab_registrations"),
    _m("rehab.completed", "rehab", {"sex"}, f"outcome IS 'completed' AND {during('outcome_date')}",
       ROWS, "rehab_registrations"),
    _m("rehab.dropped_out", "rehab", {"sex"}, f"outcome IS 'dropped_out' AND {during('outcome_date')}",
       ROWS, "rehab_registrations"),
    _m("rehab.ongoing", "rehab", {"sex"},
       open_at_end("coalesce(nullif(start_date, ''), decision_date)",
                   "CASE WHEN outcome IS 'ongoing' THEN NULL ELSE outcome_date END"), ROWS, "rehab_registrations"),
    _m("methadone.started", "methadone", {"sex"}, during("start_date"), ROWS, "methadone_episodes"),
    # An episode marked dropped out or completed counts only with its end date (the form refuses it otherwise).
    _m("methadone.on_treatment", "methadone", {"sex"},
       f"{open_at_end('start_date', 'end_date')} AND (status IS 'on_treatment' OR coalesce(end_date, '') != '')",
       ROWS, "methadone_episodes"),
    _m("methadone.dropped_out", "methadone", {"sex"}, f"status IS 'dropped_out' AND {during('end_date')}",
       ROWS, "methadone_episodes"),
    _m("groups.active", "active_groups", set(), "", ROWS, "groups"),
    _m("groups.meetings", "meetings", set(), "", ROWS, "group_meetings"),
    _m("groups.attendance", "attendance", {"sex"}, "", ROWS, "meeting_attendance"),
    _m("groups.members", "members", {"sex"}, "", PEOPLE, "group_members"),
    _m("outreach.count", "outreach", {"outreach"}, "", ROWS, "outreach"),
    _m("outreach.quantity", "outreach", {"outreach"}, "", "coalesce(quantity, 0)", "outreach"),
    _m("outreach.minutes", "outreach", {"outreach"}, "", "coalesce(quantity, 0) * coalesce(minutes, 0)", "outreach"),
    _m("outreach.attendees", "outreach", {"outreach"}, "", "coalesce(attendees, 0)", "outreach"),
])
