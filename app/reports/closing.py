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
from dataclasses import dataclass

from app.core.clock import today, utc_stamp
from app.core.errors import UserError
from app.core.i18n import N_
from app.core.roles import Permission
from app.reports.engine import FormResult
from app.reports.form_file import FormFile
from app.reports.monthly import Amendment, Closure, current_numbers
from app.reports.period import Month

class MonthNotOver(UserError):
    template = N_("{month} is not over yet. A month can be closed from its last day on.")


class MonthAlreadyClosed(UserError):
    template = N_("{month} was already closed on {date}.")


@dataclass(frozen=True)
class _Frozen:
    closure: Closure
    form_code: str
    values: dict
    by_point: dict
    amendments: list[dict]


def _canonical(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _load(conn, month: Month) -> _Frozen | None:
    row = conn.execute(
        "SELECT m.form_code, m.closed_at, coalesce(u.full_name, m.closed_by), m.snapshot, m.amendments, m.digest"
        " FROM month_closures m LEFT JOIN users u ON u.id = m.closed_by WHERE m.month = ?", (month.code,)).fetchone()
    if row is None:
        return None
    form_code, closed_at, closed_by, snapshot, amendments, digest = row
    data = json.loads(snapshot)
    return _Frozen(Closure(month, closed_at, closed_by, digest), form_code, data["values"], data.get("by_point", {}),
                   json.loads(amendments))


def closed(conn, month: Month, form: FormFile) -> tuple[Closure | None, FormResult | None]:
    """The closure of `month` and its frozen numbers (None, None when the month is open)."""
    frozen = _load(conn, month)
    if frozen is None:
        return None, None
    if frozen.form_code != form.code:
        return frozen.closure, None  # closed with another form: this form's numbers are live
    return frozen.closure, FormResult(form, month, None, frozen.values, frozen.by_point)


def frozen_amendments(conn, month: Month) -> list[Amendment]:
    """The amendments the closed `month` reported when it was closed."""
    frozen = _load(conn, month)
    return [] if frozen is None else [
        Amendment(Month.parse(a["month"]), a["row"], a["column"], a["closed_value"], a["current_value"], a.get("point"))
        for a in frozen.amendments]


def closed_months(conn) -> list[Month]:
    return [Month.parse(row[0]) for row in conn.execute("SELECT month FROM month_closures ORDER BY month")]


def _baseline(conn, month: Month, before: Month) -> tuple[dict, dict] | None:
    """Numbers of closed `month` as last reported: frozen values updated by amendments
    that closed months after it (and before `before`) already reported."""
    frozen = _load(conn, month)
    if frozen is None:
        return None
    values = {row: dict(cells) for row, cells in frozen.values.items()}
    by_point = {p: {row: dict(cells) for row, cells in v.items()} for p, v in frozen.by_point.items()}
    for later in closed_months(conn):
        if month < later < before:
            for item in _load(conn, later).amendments:
                if item["month"] == month.code:
                    target = by_point.setdefault(item["point"], {}) if item.get("point") else values
                    target.setdefault(item["row"], {})[item["column"]] = item["current_value"]
    return values, by_point


def amendments(conn, form: FormFile, month: Month, district: bool) -> list[Amendment]:
    """Changes to closed months before `month` not yet reported by a closed form."""
    found: list[Amendment] = []
    for earlier in closed_months(conn):
        if not earlier < month:
            continue
        frozen = _load(conn, earlier)
        if frozen.form_code != form.code:
            continue
        values, by_point = _baseline(conn, earlier, month)
        now = current_numbers(conn, form, earlier, district)
        found += _differences(earlier, values, now.values, None)
        for point, point_values in now.by_point.items():
            found += _differences(earlier, by_point.get(point, {}), point_values, point)
    return found


def _differences(month: Month, before: dict, after: dict, point: str | None) -> list[Amendment]:
    changes = []
    for row, cells in after.items():
        for column, value in cells.items():
            old = before.get(row, {}).get(column, 0)
            if old != value:
                changes.append(Amendment(month, row, column, old, value, point))
    return changes


def close_month(register, month: Month, form: FormFile | None = None) -> Closure:
    """Freeze `month` (the chair, i.e. an administrator). Its form then shows the frozen numbers."""
    from app.reports.monthly import chosen_form
    from app.core.unit import RegisterRole

    register.require(Permission.MANAGE_SETTINGS)
    if today().isoformat() < month.last:
        raise MonthNotOver(month=month.label)
    existing = _load(register.conn, month)
    if existing is not None:
        raise MonthAlreadyClosed(month=month.label, date=existing.closure.closed_at[:10])
    form = form or chosen_form(register.conn)
    district = register.unit().role is RegisterRole.DISTRICT
    result = current_numbers(register.conn, form, month, district)
    reported = [a.__dict__ | {"month": a.month.code} for a in amendments(register.conn, form, month, district)]
    snapshot = _canonical({"values": result.values, "by_point": result.by_point})
    digest = hashlib.sha256((snapshot + _canonical(reported)).encode()).hexdigest()
    stamp = utc_stamp()
    with register.transaction():
        register.conn.execute(
            "INSERT INTO month_closures (month, form_code, closed_at, closed_by, snapshot, amendments, digest)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (month.code, form.code, stamp, register.user.id, snapshot, _canonical(reported), digest))
        register.audit("month.close", "month_closures", month.code, {"digest": digest})
    return Closure(month, stamp, register.user.full_name, digest)
