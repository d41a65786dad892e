"""The monthly report a unit prints: its form, its numbers, its header facts, its amendments.

Every output (screen, PDF, XLSX, CSV, JSON) is made from a `MonthlyReport`,
so they always show the same numbers.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field

from app.core.clock import today
from app.core.toml_files import toml_problem
from app.core.unit import RegisterRole, Unit
from app.reports import month_state
from app.reports.engine import FormResult
from app.reports.form_file import FormFile, parse_form
from app.reports.month_state import Amendment, Closure, chosen_form, current_numbers
from app.reports.period import Month
from app.store import settings as register_settings


@dataclass(frozen=True)
class MonthlyReport:
    result: FormResult
    unit: Unit
    office_name: str
    place_name: str
    made_on: str                     # ISO date printed as "…, ngày dd tháng mm năm yyyy"
    closure: Closure | None = None   # set when this month is closed: the numbers shown are the frozen ones
    amendments: list[Amendment] = field(default_factory=list)

    @property
    def form(self) -> FormFile:
        return self.result.form

    @property
    def month(self) -> Month:
        return self.result.month

    @property
    def district(self) -> bool:
        return self.unit.role is RegisterRole.DISTRICT


def choose_form(register, toml_text: str, file_name: str = "report_form") -> FormFile:
    """Check a form file and make it this register's form (administrators)."""
    from app.core.i18n import N_
    from app.reports.form_file import FormFileError

    try:
        data = tomllib.loads(toml_text)
    except tomllib.TOMLDecodeError as error:
        raise FormFileError(file=file_name, where=N_("file"), reason=toml_problem(error)) from None
    form = parse_form(data, file_name)  # a district prints the points' form with a column per point
    register_settings.update(register, {"report_form": toml_text})
    return form


def monthly_report(register, month: Month, form: FormFile | None = None, progress=None) -> MonthlyReport:
    """The month's form as it prints; `progress` (app.core.progress) shows the counting and may cancel it."""
    conn = register.conn
    unit = register.unit()
    form = form or chosen_form(conn)
    district = unit.role is RegisterRole.DISTRICT
    closure, frozen = month_state.closed(conn, month, form)
    if frozen is not None:
        # A closed month prints as it was closed: its numbers and the amendments it reported then.
        result, amendments = frozen, month_state.frozen_amendments(conn, month)
    else:
        result, amendments = current_numbers(conn, form, month, district, progress, register.reader), None
    return MonthlyReport(
        result=result,
        unit=unit,
        office_name=register_settings.get(conn, "office_name"),
        place_name=register_settings.get(conn, "place_name"),
        made_on=today().isoformat(),
        closure=closure,
        amendments=amendments if amendments is not None else month_state.amendments(conn, form, month, district),
    )
