"""A month's numbers as the register holds them: counted now while it is open, frozen once it is
closed, and the amendments later changes to a closed month bring to the next months' forms.

What both closing a month (`closing.py`) and the monthly report (`monthly.py`) read: below both, so
that neither imports the other.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass

from app.reports.engine import FormResult, compute, compute_district
from app.reports.form_file import FormFile, default_form, parse_form
from app.reports.period import Month
from app.store import closed_months as closures
from app.store import settings as register_settings


@dataclass(frozen=True)
class Amendment:
    """A number of a closed month that changed after it was closed."""

    month: Month
    row: str
    column: str
    closed_value: int
    current_value: int
    point: str | None = None  # district forms: which point's number changed


@dataclass(frozen=True)
class Closure:
    month: Month
    closed_at: str
    closed_by: str  # full name of the chair who closed it
    digest: str     # SHA-256 of the frozen numbers


def chosen_form(conn) -> FormFile:
    """The form the administrator chose (stored in the register), else the built-in default."""
    text = register_settings.get(conn, "report_form")
    if not text:
        return default_form()
    return parse_form(tomllib.loads(text), "report_form")


def current_numbers(conn, form: FormFile, month: Month, district: bool, progress=None, reader=None) -> FormResult:
    """The month counted now; `reader` (Register.reader) counts part of it on a second core."""
    if district:
        return compute_district(conn, form, month, progress, reader=reader)
    return compute(conn, form, month, progress=progress, reader=reader)


# --- closed months -----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Frozen:
    closure: Closure
    form_code: str
    values: dict
    by_point: dict
    amendments: list[dict]


def _load(conn, month: Month) -> _Frozen | None:
    row = closures.closure(conn, month.code)
    if row is None:
        return None
    form_code, closed_at, closed_by, snapshot, amendments, digest = row
    data = json.loads(snapshot)
    return _Frozen(Closure(month, closed_at, closed_by, digest), form_code, data["values"], data.get("by_point", {}),
                   json.loads(amendments))


def closure(conn, month: Month) -> Closure | None:
    """The closure of `month`, None while it is open."""
    frozen = _load(conn, month)
    return None if frozen is None else frozen.closure


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
    return [Month.parse(code) for code in closures.closed(conn)]


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
