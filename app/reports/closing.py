"""Closing a month: the chair freezes its numbers; later changes become amendments.

A closed month always prints the numbers it was closed with. Records of a
closed month may still be corrected (nothing is locked away from the
counsellor), but the correction is reported as an amendment on the next
month's form: "row 5 of 10/2026 was 220, is now 221". When that next month
is closed, the amendments it showed are frozen with it, so each correction
is reported once.
"""

from __future__ import annotations

import hashlib
import json

from app.core.clock import today, utc_stamp
from app.core.errors import UserError
from app.core.i18n import N_
from app.core.roles import Permission
from app.reports.form_file import FormFile
from app.reports.month_state import Closure, amendments, chosen_form, closure, current_numbers
from app.reports.period import Month
from app.store import closed_months as closures


class MonthNotOver(UserError):
    template = N_("{month} is not over yet. A month can be closed from its last day on.")


class MonthAlreadyClosed(UserError):
    template = N_("{month} was already closed on {date}.")


def _canonical(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def close_month(register, month: Month, form: FormFile | None = None) -> Closure:
    """Freeze `month` (the chair, i.e. an administrator). Its form then shows the frozen numbers."""
    from app.core.unit import RegisterRole

    register.require(Permission.MANAGE_SETTINGS)
    if today().isoformat() < month.last:
        raise MonthNotOver(month=month.label)
    existing = closure(register.conn, month)
    if existing is not None:
        raise MonthAlreadyClosed(month=month.label, date=existing.closed_at[:10])
    form = form or chosen_form(register.conn)
    district = register.unit().role is RegisterRole.DISTRICT
    result = current_numbers(register.conn, form, month, district)
    reported = [a.__dict__ | {"month": a.month.code} for a in amendments(register.conn, form, month, district)]
    snapshot = _canonical({"values": result.values, "by_point": result.by_point})
    digest = hashlib.sha256((snapshot + _canonical(reported)).encode()).hexdigest()
    stamp = utc_stamp()
    with register.transaction():
        closures.add_closure(register.conn, month.code, form.code, stamp, register.user.id, snapshot,
                             _canonical(reported), digest)
        register.audit("month.close", "month_closures", month.code, {"digest": digest})
    return Closure(month, stamp, register.user.full_name, digest)
