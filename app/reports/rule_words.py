"""A form cell's counting rule in words, for whoever checks a number on the screen.

The form file names a rule in code (`contacts.count kind=home sex=female`); this says it as a
person reads it ("Counselling contacts … · Counselling at home, Female"). docs/forms.md has each
rule in full."""

from __future__ import annotations

from collections.abc import Callable

from app.core.i18n import N_, _
from app.core.vocab import CLIENT_GROUPS, CLOSING_REASONS, CONTACT_KINDS, OUTREACH_KINDS, SEXES
from app.reports.form_file import Cell

RULES = {
    "clients.new": N_("Clients taken in during the month"),
    "clients.active": N_("Clients under management at the end of the month"),
    "clients.closed": N_("Cases closed during the month"),
    "clients.post_rehab_managed": N_("Clients under post-rehabilitation management at the end of the month"),
    "contacts.count": N_("Counselling contacts: one per individual contact, one per participant of a group session"),
    "contacts.people": N_("People counselled, each client counted once"),
    "contacts.sessions": N_("Group and community sessions held in the month"),
    "contacts.attendees": N_("People present at those sessions"),
    "referrals.made": N_("Referrals made in the month"),
    "referrals.people": N_("People referred, each client counted once"),
    "referrals.completed": N_("Referrals completed in the month, whenever they were made"),
    "referrals.amount": N_("Sum of the amounts of the referrals completed in the month (đồng)"),
    "referrals.pending": N_("Referrals still waiting for an outcome at the end of the month"),
    "rehab.registered": N_("Voluntary rehabilitation registrations in the month"),
    "rehab.decided": N_("Rehabilitation decisions dated in the month"),
    "rehab.completed": N_("Rehabilitation completed in the month"),
    "rehab.dropped_out": N_("Rehabilitation dropped out in the month"),
    "rehab.ongoing": N_("In rehabilitation at the end of the month"),
    "methadone.started": N_("Methadone treatment started in the month"),
    "methadone.on_treatment": N_("On methadone treatment at the end of the month"),
    "methadone.dropped_out": N_("Methadone treatment dropped out in the month"),
    "groups.active": N_("Self-help groups that met in the month"),
    "groups.meetings": N_("Group meetings held in the month"),
    "groups.attendance": N_("Attendances at group meetings, one per person per meeting"),
    "groups.members": N_("Group members at the end of the month"),
    "outreach.count": N_("Outreach activities of the month"),
    "outreach.quantity": N_("How many of them (broadcasts, leaflets, boards …); one when not given"),
    "outreach.minutes": N_("Minutes of them: how many times the minutes of each (broadcast time)"),
    "outreach.attendees": N_("People reached or present"),
}
VALUES = {"sex": SEXES, "group": CLIENT_GROUPS, "reason": CLOSING_REASONS, "outreach": OUTREACH_KINDS}


def _value(name: str, value: str, service_label: Callable[[str], str]) -> str:
    if name == "service":
        return service_label(value)
    if name == "kind":
        return _("individual contacts") if value == "individual" else CONTACT_KINDS.label(value)
    vocabulary = VALUES.get(name)
    return vocabulary.label(value) if vocabulary else value


def rule_text(cell: Cell, service_label: Callable[[str], str] = str) -> str:
    """The rule of `cell` in words; `service_label` names a service of the register's catalog."""
    words = _(RULES[cell.metric]) if cell.metric in RULES else str(cell)
    narrowed = [_value(name, value, service_label) for name, value in cell.filters]
    return " · ".join([words, ", ".join(narrowed)]) if narrowed else words
