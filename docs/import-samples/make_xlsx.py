"""Write the XLSX samples from the CSV samples (the CSV files are the ones to edit).

Run from the project folder: .venv/bin/python docs/import-samples/make_xlsx.py
Dates become real date cells and numbers real numbers, as a point's own workbook has them;
citizen IDs and phone numbers stay text so their leading zero is kept.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from app.core.fields import parse_date  # noqa: E402
from app.core.import_spec import DATE, INTEGER, KINDS  # noqa: E402


def convert(kind_key: str) -> None:
    kind = KINDS[kind_key]
    with (HERE / f"{kind_key}.csv").open(encoding="utf-8-sig", newline="") as source:
        rows = list(csv.reader(source))
    book = Workbook()
    sheet = book.active
    sheet.title = {"clients": "Khách hàng", "contacts": "Lượt tư vấn", "referrals": "Chuyển gửi",
                   "activities": "Hoạt động"}[kind_key]
    columns = [kind.match(header) for header in rows[0]]
    sheet.append(rows[0])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in rows[1:]:
        sheet.append([_cell(column, value) for column, value in zip(columns, values)])
    for index, column in enumerate(columns, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        width = max(len(str(row[index - 1])) for row in rows if index - 1 < len(row))
        sheet.column_dimensions[letter].width = min(max(width + 2, 8), 45)
        for cell in sheet[letter][1:]:
            if column is not None and column.value == DATE and cell.value:
                cell.number_format = "DD/MM/YYYY"
            elif column is not None and column.field == "amount" and isinstance(cell.value, int):
                cell.number_format = "#,##0"
    sheet.freeze_panes = "A2"
    book.save(HERE / f"{kind_key}.xlsx")


def _cell(column, value: str):
    if value == "":
        return None
    if column is not None and column.value == DATE:
        return parse_date(value)
    if (column is None or column.value == INTEGER) and re.fullmatch(r"\d{1,3}(\.\d{3})*|\d+", value):
        return int(value.replace(".", ""))
    return value


if __name__ == "__main__":
    for key in KINDS:
        convert(key)
