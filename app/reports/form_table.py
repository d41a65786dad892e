"""The monthly form as a table of text and numbers, the same for PDF, XLSX and CSV.

A point's table has one number column per form column. A district's table
has one number column per point and a total; each row then shows one number,
that of its first defined cell in form column order (e.g. "Số lượng" for a
counselling row, "Số người" for a client row), because points × form columns
would not fit on a page. The JSON file keeps every cell of every point.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from app.core.clock import local, parse_stamp
from app.core.i18n import _
from app.reports.form_file import FormFile, Row
from app.reports.month_state import Amendment, Closure
from app.reports.monthly import MonthlyReport
from app.reports.period import Month

TOTAL = "total"  # code of the district's total column


@dataclass(frozen=True)
class Line:
    kind: str                      # "section" or "row"
    code: str
    label: str
    values: tuple[int | None, ...] = ()  # one per value column; None: the form defines no cell there
    column: str | None = None      # district: the form column the numbers come from (a section: its rows' one)
    sub: bool = False              # a "trong đó" row (1.1 under row 1): printed indented under its parent
    says_column: bool = False      # district: the label names its column (its section's rows differ)


@dataclass(frozen=True)
class FormTable:
    codes: tuple[str, ...]       # value columns: form column codes, or point codes + TOTAL
    headings: tuple[str, ...]
    lines: tuple[Line, ...]
    district: bool = False

    @property
    def points(self) -> tuple[str, ...]:
        return self.codes[:-1] if self.district else ()


def district_column(form: FormFile, row: Row) -> str | None:
    """The column a district form shows for `row`: its first defined cell in form column order."""
    return next((c.code for c in form.columns if c.code in row.cells), None)


def _is_sub(form: FormFile, row: Row) -> bool:
    """Row 1.1 is part of row 1 when the form has a row 1 (18.1 … 18.11 without a row 18 are not)."""
    parent = row.code.rpartition(".")[0]
    return bool(parent) and any(r.code == parent for r in form.rows())


def form_table(report: MonthlyReport) -> FormTable:
    form, result = report.form, report.result
    if not report.district:
        codes = tuple(c.code for c in form.columns)
        lines = []
        for section in form.sections:
            lines.append(Line("section", section.code, section.label))
            for row in section.rows:
                lines.append(Line("row", row.code, row.label,
                                  tuple(result.value(row.code, c) if c in row.cells else None for c in codes),
                                  sub=_is_sub(form, row)))
        return FormTable(codes, tuple(c.label for c in form.columns), tuple(lines))
    points = tuple(sorted(result.by_point))
    lines = []
    for section in form.sections:
        columns = [district_column(form, row) for row in section.rows]
        shared = columns[0] if columns and len(set(columns)) == 1 else None  # said once, on the section line
        lines.append(Line("section", section.code, section.label, column=shared))
        for row, column in zip(section.rows, columns):
            values = tuple(result.by_point[p].get(row.code, {}).get(column) if column else None for p in points)
            total = result.value(row.code, column) if column else None
            lines.append(Line("row", row.code, row.label, values + (total,), column, _is_sub(form, row),
                              says_column=shared is None and column is not None))
    return FormTable(points + (TOTAL,), points + (_("Total"),), tuple(lines), district=True)


# --- words and numbers ------------------------------------------------------------

def number_text(value: int | None) -> str:
    """Vietnamese grouping: 7.000, 110.000.000; blank where the form defines no cell."""
    return "" if value is None else f"{value:,}".replace(",", ".")


def month_title(month: Month) -> str:
    return _("Month {month}/{year}").format(month=month.month, year=month.year)


def _formal(day: date) -> tuple[str, str, str]:
    """Decree 30: a leading zero for days below 10 and for months 1 and 2."""
    return f"{day.day:02d}", (f"{day.month:02d}" if day.month < 3 else str(day.month)), str(day.year)


# The first administrative word of a unit name starts its place: "Điểm tư vấn xã Mỹ Hòa" -> "Mỹ Hòa".
_PLACE = re.compile(r"(?:^|\s)(?:xã(?!\s+hội)|phường|thị trấn|thị xã|thành phố|đặc khu|huyện|quận|tỉnh)"
                    r"\s+([^,;()–-]+)", re.IGNORECASE)


def place_of(report: MonthlyReport) -> str:
    """The place printed before the date: the setting, else taken from the unit name, else dots to fill in."""
    if report.place_name.strip():
        return report.place_name.strip()
    match = _PLACE.search(report.unit.name)
    return match.group(1).strip() if match else "……"


def place_and_date(report: MonthlyReport) -> str:
    day, month, year = _formal(date.fromisoformat(report.made_on))
    return _("{place}, {day}/{month}/{year}").format(place=place_of(report), day=day, month=month, year=year)


def closure_text(closure: Closure) -> str:
    moment = local(parse_stamp(closure.closed_at))
    # Neutral on purpose: a month closed with another form shows live numbers, and MonthlyReport does not say which.
    return _("The numbers of {month} were closed on {date} at {time} by {name}.").format(
        month=closure.month.label, date=moment.strftime("%d/%m/%Y"), time=moment.strftime("%H:%M"),
        name=closure.closed_by)


def amendment_cells(report: MonthlyReport, amendment: Amendment) -> dict[str, str]:
    """One amendment in words: month, row (code and label), column, point, closed and current value."""
    form = report.form
    try:
        row = form.row(amendment.row)
        row_text = f"{row.code}. {row.label}"
    except KeyError:  # a row the form no longer has
        row_text = amendment.row
    column = next((c.label for c in form.columns if c.code == amendment.column), amendment.column)
    return {"month": amendment.month.label, "row": row_text, "column": column, "point": amendment.point or "",
            "closed": number_text(amendment.closed_value), "current": number_text(amendment.current_value)}
