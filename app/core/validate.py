"""Domain rules for each kind of record (docs/domain.md). Pure functions, no storage.

Each function takes the values a person typed (or a spreadsheet row) and
returns cleaned values ready to store, or raises FieldErrors naming every
field that needs attention. `partial=True` checks only the fields given
(an edit of some fields).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from app.core.fields import Checker
from app.core.i18n import _
from app.core.law import Term
from app.core.text import clean
from app.core.vocab import (
    CLIENT_GROUPS,
    CLOSING_REASONS,
    CONTACT_KINDS,
    DETERMINATION_RESULTS,
    HEALTH_ANSWERS,
    INDIVIDUAL_CONTACT_KINDS,
    LEGAL_STATUSES,
    METHADONE_STATUSES,
    OUTREACH_KINDS,
    REFERRAL_OUTCOMES,
    REHAB_OUTCOMES,
    SEXES,
    STAFF_KINDS,
    TREATMENT_HISTORY,
)

EARLIEST = date(1900, 1, 1)


def _today(today: date | None) -> date:
    from app.core.clock import local, utc_now

    return today or local(utc_now()).date()


def client(values: dict[str, Any], *, partial: bool = False, today: date | None = None,
           substances: set[str] | None = None,
           management_for: Callable[[str, date], Term | None] | None = None) -> dict[str, Any]:
    """`management_for(legal status, start)`: the management term the law sets (app/core/law.py),
    which gives a management without an end date its end."""
    today = _today(today)
    check = Checker(values, {})
    need = not partial
    check.text("full_name", maximum=120)
    check.text("alias", maximum=120)
    if need and not clean(str(values.get("full_name") or "")) and not clean(str(values.get("alias") or "")):
        check.fail("full_name", _("write the full name or at least an alias"))
    check.choice("sex", SEXES, required=need)
    birth_year = check.integer("birth_year", required=need, minimum=today.year - 110, maximum=today.year)
    birth_date = check.date("birth_date", not_after=today, not_before=EARLIEST)
    if birth_date and birth_year and birth_date.year != birth_year:
        check.fail("birth_date", _("the year does not match the birth year"))
    check.text("citizen_id", maximum=20)
    citizen = check.cleaned.get("citizen_id")
    if citizen and not (citizen.isdigit() and len(citizen) in (9, 12)):
        check.fail("citizen_id", _("a citizen ID has 12 digits (old ID cards: 9)"))
    check.text("phone", maximum=30)
    for field in ("hamlet", "commune", "province", "old_district", "address", "relationship",
                  "determination_facility", "legal_decision_no", "education", "occupation", "income",
                  "family_support", "consent_scope"):
        check.text(field)
    intake = check.date("intake_date", required=need, not_after=today, not_before=EARLIEST)
    check.choice("main_group", CLIENT_GROUPS, required=need)
    check.codes("substances", substances)
    check.integer("years_of_use", minimum=0, maximum=80)
    check.flag("injecting", allow_unknown=True)
    check.codes("previous_treatments", set(TREATMENT_HISTORY))
    check.date("determination_date", not_after=today, not_before=EARLIEST)
    check.choice("determination_result", DETERMINATION_RESULTS, default="")
    status = check.choice("legal_status", LEGAL_STATUSES, default="none")
    start = check.date("legal_start", not_before=EARLIEST)
    end = check.date("legal_end", not_before=EARLIEST)
    if start and end and end < start:
        check.fail("legal_end", _("ends before it starts"))
    term = management_for(status, start) if management_for and start and status not in (None, "none") else None
    if term is not None and not end and "legal_end" in values:
        check.cleaned["legal_end"] = add_months(start, term.maximum).isoformat()  # the law's term
    for field in ("hiv", "hepatitis", "mental_health"):
        check.choice(field, HEALTH_ANSWERS, default="unknown")
    check.flag("poor_household")
    consent = check.date("consent_date", not_after=today, not_before=EARLIEST)
    withdrawn = check.date("consent_withdrawn", not_after=today, not_before=EARLIEST)
    if consent and withdrawn and withdrawn < consent:
        check.fail("consent_withdrawn", _("withdrawn before it was given"))
    if intake and birth_year and intake.year < birth_year:
        check.fail("intake_date", _("before the client was born"))
    check.long_text("notes")
    for field in ("counsellor_id", "volunteer_id", "related_client_id"):
        if field in values:
            check.cleaned[field] = values[field] or None
    return check.done()


def closing(values: dict[str, Any], *, intake_date: str, today: date | None = None) -> dict[str, Any]:
    today = _today(today)
    check = Checker(values, {})
    check.choice("closing_reason", CLOSING_REASONS, required=True)
    closed = check.date("closed_date", required=True, not_after=today)
    if closed and intake_date and closed.isoformat() < intake_date:
        check.fail("closed_date", _("before the intake date"))
    return check.done()


def group_change(values: dict[str, Any], *, today: date | None = None) -> dict[str, Any]:
    check = Checker(values, {})
    check.choice("group_code", CLIENT_GROUPS, required=True)
    check.date("start_date", required=True, not_after=_today(today), not_before=EARLIEST)
    check.text("note")
    return check.done()


def contact(values: dict[str, Any], *, partial: bool = False, today: date | None = None,
            topics: set[str] | None = None) -> dict[str, Any]:
    today = _today(today)
    check = Checker(values, {})
    need = not partial
    kind = check.choice("kind", CONTACT_KINDS, required=need)
    when = check.date("contact_date", required=need, not_after=today, not_before=EARLIEST)
    check.integer("duration_minutes", minimum=1, maximum=24 * 60)
    check.codes("topics", topics)
    attendees = check.integer("attendee_count", minimum=1, maximum=100_000)
    check.text("location")
    check.long_text("notes")
    follow = check.date("next_follow_up", not_before=EARLIEST)
    if follow and when and follow <= when:
        check.fail("next_follow_up", _("must be after the contact date"))
    if "client_id" in values:
        check.cleaned["client_id"] = values["client_id"] or None
    if "counsellor_id" in values:
        check.cleaned["counsellor_id"] = values["counsellor_id"] or None
    if need and kind in INDIVIDUAL_CONTACT_KINDS and not values.get("client_id"):
        check.fail("client_id", _("choose the client"))
    if need and kind == "community" and not attendees:
        check.fail("attendee_count", _("write how many people attended"))
    return check.done()


def referral(values: dict[str, Any], *, partial: bool = False, today: date | None = None,
             services: set[str] | None = None) -> dict[str, Any]:
    today = _today(today)
    check = Checker(values, {})
    need = not partial
    if need or "service" in values:
        service = str(values.get("service") or "").strip()
        if not service:
            check.fail("service", _("this field is required"))
        elif services is not None and service not in services:
            check.fail("service", _("unknown: {items}").format(items=service))
        check.cleaned["service"] = service
    made = check.date("referred_date", required=need, not_after=today, not_before=EARLIEST)
    check.text("referred_to")
    outcome = check.choice("outcome", REFERRAL_OUTCOMES, default="pending") if (need or "outcome" in values) else None
    outcome_date = check.date("outcome_date", not_after=today, not_before=EARLIEST)
    if outcome and outcome != "pending" and "outcome_date" in values and not outcome_date:
        check.fail("outcome_date", _("write when the outcome was known"))
    if outcome == "pending" and outcome_date:
        check.fail("outcome_date", _("leave empty while the outcome is pending"))
    if made and outcome_date and outcome_date < made:
        check.fail("outcome_date", _("before the referral was made"))
    check.integer("amount", minimum=0, maximum=10_000_000_000)
    check.long_text("notes")
    for field in ("client_id", "counsellor_id"):
        if field in values:
            check.cleaned[field] = values[field] or None
    if need and not values.get("client_id"):
        check.fail("client_id", _("choose the client"))
    return check.done()


def rehab(values: dict[str, Any], *, partial: bool = False, today: date | None = None,
          term_for: Callable[[date], Term | None] | None = None) -> dict[str, Any]:
    """`term_for(registration date)`: the term the law sets (app/core/law.py); a fixed term fills
    an empty field, a range is enforced, and a refusal names the legal basis."""
    today = _today(today)
    check = Checker(values, {})
    need = not partial
    registered = check.date("registration_date", required=need, not_after=today, not_before=EARLIEST)
    check.text("decision_no")
    decided = check.date("decision_date", not_after=today, not_before=EARLIEST)
    start = check.date("start_date", not_before=EARLIEST)
    rule = term_for(registered) if term_for and registered else None
    term = _rehab_term(check, rule, need)
    check.text("provider")
    outcome = check.choice("outcome", REHAB_OUTCOMES, default="ongoing")
    outcome_date = check.date("outcome_date", not_after=today, not_before=EARLIEST)
    check.text("certificate_no")
    certificate = check.date("certificate_date", not_after=today, not_before=EARLIEST)
    if outcome and outcome != "ongoing" and "outcome" in values and not outcome_date:
        if certificate and outcome == "completed":
            check.cleaned["outcome_date"] = certificate.isoformat()
        else:
            check.fail("outcome_date", _("write when the outcome was known"))
    if outcome == "ongoing" and outcome_date:
        check.fail("outcome_date", _("leave empty while the outcome is pending"))
    check.long_text("notes")
    if registered and decided and decided < registered:
        check.fail("decision_date", _("before the registration"))
    begin = start or decided
    if begin and term and not check.errors:
        check.cleaned["end_date"] = add_months(begin, term).isoformat()
    if "client_id" in values:
        check.cleaned["client_id"] = values["client_id"]
    return check.done()


def _rehab_term(check: Checker, rule: Term | None, need: bool) -> int | None:
    empty = str(check.raw("term_months") or "").strip() == "" if check.present("term_months") else True
    if rule is not None and rule.fixed and empty and (need or check.present("term_months")):
        check.cleaned["term_months"] = rule.fixed  # the law sets it: nothing to choose
        return rule.fixed
    if rule is None:
        return check.integer("term_months", required=need, minimum=1, maximum=120)
    term = check.integer("term_months", required=need)
    if term is not None and not rule.minimum <= term <= rule.maximum:
        allowed = (_("{n} months").format(n=rule.fixed) if rule.fixed else
                   _("{low} to {high} months").format(low=rule.minimum, high=rule.maximum))
        check.fail("term_months", _("the law sets {allowed} for this registration ({basis})").format(
            allowed=allowed, basis=rule.basis))
    return term


def methadone(values: dict[str, Any], *, partial: bool = False, today: date | None = None) -> dict[str, Any]:
    today = _today(today)
    check = Checker(values, {})
    need = not partial
    check.text("site", required=need)
    start = check.date("start_date", required=need, not_after=today, not_before=EARLIEST)
    status = check.choice("status", METHADONE_STATUSES, default="on_treatment")
    end = check.date("end_date", not_after=today, not_before=EARLIEST)
    if status and status != "on_treatment" and "status" in values and not end:
        check.fail("end_date", _("write when the treatment ended"))
    if start and end and end < start:
        check.fail("end_date", _("ends before it starts"))
    check.long_text("notes")
    if "client_id" in values:
        check.cleaned["client_id"] = values["client_id"]
    return check.done()


def group(values: dict[str, Any], *, partial: bool = False, today: date | None = None) -> dict[str, Any]:
    check = Checker(values, {})
    check.text("name", required=not partial)
    check.date("founded_date", not_after=_today(today), not_before=EARLIEST)
    check.long_text("rules")
    check.text("meets")
    check.flag("active")
    check.long_text("notes")
    return check.done()


def meeting(values: dict[str, Any], *, today: date | None = None) -> dict[str, Any]:
    check = Checker(values, {})
    check.date("meeting_date", required=True, not_after=_today(today), not_before=EARLIEST)
    check.text("topic")
    check.long_text("notes")
    if "facilitator_id" in values:
        check.cleaned["facilitator_id"] = values["facilitator_id"] or None
    return check.done()


def outreach(values: dict[str, Any], *, partial: bool = False, today: date | None = None) -> dict[str, Any]:
    today = _today(today)
    check = Checker(values, {})
    need = not partial
    kind = check.choice("kind", OUTREACH_KINDS, required=need)
    check.date("activity_date", required=need, not_after=today, not_before=EARLIEST)
    quantity = check.integer("quantity", minimum=1, maximum=1_000_000)
    if quantity is None and (need or "quantity" in values) and "quantity" not in check.errors:
        check.cleaned["quantity"] = 1  # left empty: one activity (the column cannot be empty)
    minutes = check.integer("minutes", minimum=1, maximum=600)
    check.integer("attendees", minimum=0, maximum=1_000_000)
    check.text("location")
    check.long_text("notes")
    if "staff_id" in values:
        check.cleaned["staff_id"] = values["staff_id"] or None
    if kind == "broadcast" and (need or "minutes" in values) and not minutes:
        check.fail("minutes", _("write how many minutes each broadcast lasted"))
    return check.done()


def staff(values: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
    check = Checker(values, {})
    check.text("full_name", required=not partial, maximum=120)
    check.choice("kind", STAFF_KINDS, required=not partial)
    check.text("position")
    check.text("phone", maximum=30)
    check.codes("hamlets")
    check.flag("active")
    if "user_id" in values:
        check.cleaned["user_id"] = values["user_id"] or None
    return check.done()


def add_months(start: date, months: int) -> date:
    """The same day `months` later (clamped to the month's last day)."""
    import calendar

    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
