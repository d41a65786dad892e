"""The monthly form as XLSX (a formatted sheet), CSV and JSON.

XLSX and CSV show the same table as the PDF (app/reports/form_table.py):
per form column for a point, per point plus a total for a district. JSON
keeps everything: every cell, every point's cells, closure and amendments,
keyed by row code and column code, labels in both languages.
"""

from __future__ import annotations

import csv
import io
import json

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.core.i18n import _, current_language
from app.reports.form_table import (FormTable, amendment_cells, closure_text, form_table, month_title,
                                    place_and_date)
from app.reports.monthly import MonthlyReport

# Times New Roman is on every Windows PC; LibreOffice shows it with Liberation Serif (same metrics).
FONT = "Times New Roman"
# Dots between thousands whatever the computer's regional settings ("7.000" means seven thousand in
# Vietnamese, "7,000" would read as seven); exact below a thousand million, which no form cell reaches.
VIETNAMESE_NUMBER = '[>=1000000]#"."###"."###;[>=1000]#"."###;0'
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _number_format() -> str:
    return VIETNAMESE_NUMBER if current_language() == "vi" else "#,##0"


def _column_label(report: MonthlyReport, code: str | None) -> str:
    return next((c.label for c in report.form.columns if c.code == code), "")


# --- XLSX ---------------------------------------------------------------------------

def _put(sheet: Worksheet, row: int, column: int, value, *, bold=False, italic=False, size=12, underline=None,
         align="left", wrap=False, indent=0, last: int | None = None):
    cell = sheet.cell(row=row, column=column, value=value)
    cell.font = Font(name=FONT, size=size, bold=bold, italic=italic, underline=underline)
    cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=wrap, indent=indent)
    if last and last > column:
        sheet.merge_cells(start_row=row, start_column=column, end_row=row, end_column=last)
    return cell


def _xlsx_header(sheet: Worksheet, report: MonthlyReport, last: int) -> int:
    """Unit top left, national title and motto top right, place and date, title. Returns the next row."""
    split = 2  # unit block over columns A-B, the motto block over the value columns
    office = report.office_name or report.unit.office_name
    _put(sheet, 1, 1, office.upper(), align="center", last=split)
    _put(sheet, 2, 1, report.unit.name.upper(), bold=True, align="center", last=split)
    _put(sheet, 1, split + 1, _("SOCIALIST REPUBLIC OF VIET NAM"), bold=True, align="center", last=last)
    _put(sheet, 2, split + 1, _("Independence - Freedom - Happiness"), bold=True, size=13, underline="single",
         align="center", last=last)
    _put(sheet, 3, split + 1, place_and_date(report), italic=True, size=13, align="center", last=last)
    _put(sheet, 5, 1, report.form.title, bold=True, size=14, align="center", last=last)
    _put(sheet, 6, 1, month_title(report.month), bold=True, size=13, align="center", last=last)
    row = 7
    if report.district:
        _put(sheet, row, 1, _("Consolidated from the records of {n} consultation points").format(
            n=len(report.result.by_point)), italic=True, align="center", last=last)
        row += 1
    return row + 1


def _xlsx_table(sheet: Worksheet, report: MonthlyReport, table: FormTable, top: int) -> int:
    last = 2 + len(table.codes)
    headings = [_("No."), _("Indicator"), *table.headings]
    for column, text in enumerate(headings, 1):
        _put(sheet, top, column, text, bold=True, align="center", wrap=True).border = BOX
    sheet.row_dimensions[top].height = 48
    row = top + 1
    number_format = _number_format()
    for line in table.lines:
        if line.kind == "section":
            _put(sheet, row, 1, line.code, bold=True, align="center").border = BOX
            said = f" ({_column_label(report, line.column)})" if line.column else ""
            _put(sheet, row, 2, line.label + said, bold=True, last=last)
            for column in range(2, last + 1):
                sheet.cell(row=row, column=column).border = BOX
            row += 1
            continue
        label = line.label + (f" ({_column_label(report, line.column)})" if line.says_column else "")
        _put(sheet, row, 1, line.code, align="center").border = BOX
        _put(sheet, row, 2, label, wrap=True, indent=2 if line.sub else 0).border = BOX
        for index, value in enumerate(line.values):
            cell = _put(sheet, row, 3 + index, value, align="right")
            cell.number_format = number_format
            cell.border = BOX
        if table.district and table.points and line.values[-1] is not None:
            _total_formula(sheet, row, line.values, len(table.points))
        row += 1
    sheet.freeze_panes = f"C{top + 1}"
    sheet.print_title_rows = f"{top}:{top}"
    return row


def _total_formula(sheet: Worksheet, row: int, values: tuple, points: int) -> None:
    """The total as a SUM over the point columns, unless the register's total differs from that sum
    (a person served by two points counts once in the total): then the register's number, with a note."""
    total = values[-1]
    first, last = get_column_letter(3), get_column_letter(2 + points)
    cell = sheet.cell(row=row, column=3 + points)
    if sum(v or 0 for v in values[:-1]) == total:
        cell.value = f"=SUM({first}{row}:{last}{row})"
    else:
        cell.comment = Comment(_("People served by more than one point count once in the total."), "Tư Vấn")


def _xlsx_after(sheet: Worksheet, report: MonthlyReport, row: int, last: int) -> int:
    if report.closure:
        row += 1
        _put(sheet, row, 1, closure_text(report.closure), italic=True, wrap=True, last=last)
        sheet.row_dimensions[row].height = 32
        row += 1
    if report.amendments:
        row += 1
        _put(sheet, row, 1, _("Corrections to the numbers of closed months"), bold=True, size=13, last=last)
        row += 1
        keys = ["month", "row", "column", *(["point"] if report.district else []), "closed", "current"]
        titles = {"month": _("Month"), "point": _("Point"), "row": _("Indicator"), "column": _("Column"),
                  "closed": _("Number when closed"), "current": _("Number now")}
        for column, key in enumerate(keys, 1):
            _put(sheet, row, column, titles[key], bold=True, align="center", wrap=True).border = BOX
        for amendment in report.amendments:
            row += 1
            cells = amendment_cells(report, amendment) | {"closed": amendment.closed_value,
                                                          "current": amendment.current_value}
            for column, key in enumerate(keys, 1):
                number = key in ("closed", "current")
                cell = _put(sheet, row, column, cells[key], align="right" if number else "left", wrap=key == "row")
                cell.border = BOX
                if number:
                    cell.number_format = _number_format()
        row += 1
    row += 1
    head = _("HEAD OF THE UNIT") if report.district else _("HEAD OF THE CONSULTATION POINT")
    _put(sheet, row, 2, _("PREPARED BY"), bold=True, align="center")
    _put(sheet, row, 3, head, bold=True, align="center", last=last)
    _put(sheet, row + 1, 2, _("(Sign and write full name)"), italic=True, align="center")
    _put(sheet, row + 1, 3, _("(Sign, write full name and stamp)"), italic=True, align="center", last=last)
    return row + 2


def to_xlsx(report: MonthlyReport) -> bytes:
    table = form_table(report)
    book = Workbook()
    sheet = book.active
    sheet.title = report.month.code
    last = 2 + len(table.codes)
    row = _xlsx_table(sheet, report, table, _xlsx_header(sheet, report, last))
    _xlsx_after(sheet, report, row, last)
    sheet.column_dimensions["A"].width = 9
    sheet.column_dimensions["B"].width = 52
    for column in range(3, last + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 14
    # Printed as the PDF is: A4, Decree 30 margins (inches), one page wide.
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if len(table.points) > 4 else "portrait"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left, sheet.page_margins.right = 30 / 25.4, 15 / 25.4
    sheet.page_margins.top, sheet.page_margins.bottom = 20 / 25.4, 20 / 25.4
    book.properties.creator = "Tư Vấn"
    book.properties.title = f"{report.form.title} – {month_title(report.month)}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- CSV ----------------------------------------------------------------------------

def to_csv(report: MonthlyReport) -> bytes:
    """One line per form row: code, label, then the numbers (UTF-8 with BOM so Excel reads Vietnamese).

    A district file also names the form column its numbers come from, then one column per point and
    the total. Numbers are plain integers; a cell the form does not define is empty."""
    table = form_table(report)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    extra = [_("Column")] if table.district else []
    writer.writerow([_("No."), _("Indicator"), *extra, *table.headings])
    for line in table.lines:
        if line.kind != "row":
            continue
        extra = [_column_label(report, line.column)] if table.district else []
        writer.writerow([line.code, line.label, *extra, *("" if v is None else v for v in line.values)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# --- JSON ---------------------------------------------------------------------------

def _closed(report: MonthlyReport) -> dict | None:
    closure = report.closure
    if closure is None:
        return None
    return {"closed_at": closure.closed_at, "closed_by": closure.closed_by, "digest": closure.digest}


def to_json(report: MonthlyReport) -> bytes:
    """Every number keyed by row code and column code; keys in a fixed order so equal reports give equal files."""
    form, result = report.form, report.result
    data = {
        "month": report.month.code,
        "unit": {"code": report.unit.code, "name": report.unit.name, "role": report.unit.role.value},
        "office_name": report.office_name,
        "place_name": report.place_name,
        "made_on": report.made_on,
        "form": {"code": form.code, "version": form.version, "title_vi": form.title_vi, "title_en": form.title_en},
        "columns": [{"code": c.code, "label_vi": c.label_vi, "label_en": c.label_en} for c in form.columns],
        "sections": [{"code": s.code, "label_vi": s.label_vi, "label_en": s.label_en} for s in form.sections],
        "rows": [{"code": r.code, "section": s.code, "label_vi": r.label_vi, "label_en": r.label_en}
                 for s in form.sections for r in s.rows],
        "closed": _closed(report),
        "values": _ordered(form, result.values),
    }
    if report.district:
        data["by_point"] = {point: _ordered(form, result.by_point[point]) for point in sorted(result.by_point)}
    data["amendments"] = [
        {"month": a.month.code, "row": a.row, "column": a.column, "point": a.point,
         "closed_value": a.closed_value, "current_value": a.current_value}
        for a in sorted(report.amendments, key=lambda a: (a.month, a.point or "", _row_index(form, a.row), a.column))]
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _ordered(form, values: dict) -> dict:
    """Rows and columns in form order (not sorted as text: "10" would come before "2")."""
    return {row.code: {c.code: values[row.code][c.code] for c in form.columns if c.code in values.get(row.code, {})}
            for row in form.rows() if row.code in values}


def _row_index(form, code: str) -> int:
    return next((n for n, row in enumerate(form.rows()) if row.code == code), len(form.rows()))

