"""Reading an import file's columns: find the header row, turn cells into values, texts for the preview.

The base of the row planner (import_rows.py): it knows the columns of the file and the
register's catalogs and staff, not what a row of each kind becomes. Problems found here are
the file's (a missing or doubled column) or a cell's (no staff member of that name).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from app.core.fields import FieldErrors
from app.core.i18n import _
from app.core.import_spec import (
    CATALOG,
    CATALOG_LIST,
    CHOICE,
    CHOICES,
    CLIENT_REF,
    CLIENT_REFS,
    DATE,
    FLAG,
    INTEGER,
    STAFF,
    Column,
    ImportKind,
    choice_code,
    is_ignored,
    map_items,
    show_date,
)
from app.core.text import fold
from app.store import catalogs, staff
from app.store.import_match import catalog_lookup, pad_zero
from app.store.import_plan import ImportPlan, PlannedRow, Problem
from app.store.sheets import Sheet

HEADER_SCAN_ROWS = 10  # a title or the unit's name may sit above the header row


class ColumnReader:
    """Runs over the sheet's rows and hands each row's cells, by field, to `_<kind>_row` of the subclass."""

    def __init__(self, register, kind: ImportKind, sheet: Sheet) -> None:
        self.register = register
        self.conn = register.conn
        self.kind = kind
        self.sheet = sheet
        self.problems: list[Problem] = []
        self.rows_with_problems: set[int] = set()
        self.warnings: list[Problem] = []
        self.rows: list[PlannedRow] = []
        self.headers: list[tuple[int, str, Column]] = []   # (cell index, header as written, column)
        self.header_row = 1
        self.catalog_codes = {k: catalogs.codes(self.conn, k) for k in ("substance", "service", "topic")}
        self.catalog_lookup = {k: catalog_lookup(self.conn, k) for k in ("substance", "service", "topic")}
        self.catalog_labels = {k: catalogs.labels(self.conn, k) for k in ("substance", "service", "topic")}
        self.staff_names = staff.names(self.conn)
        self.staff_by_name: dict[str, list[str]] = {}
        for staff_id, name in self.staff_names.items():
            self.staff_by_name.setdefault(fold(name), []).append(staff_id)

    # --- header ---------------------------------------------------------------
    def run(self) -> ImportPlan:
        if self._read_header():
            handler = getattr(self, f"_{self.kind.key}_row")
            for number, cells in self.sheet.rows:
                if number <= self.header_row:
                    continue
                raw = {column.field: cells[index] for index, _header, column in self.headers
                       if index < len(cells) and cells[index] not in (None, "")}
                if raw:
                    handler(number, raw)
        return ImportPlan(self.kind, self.sheet.name, self.header_row,
                          [(header, column) for _index, header, column in self.headers],
                          self.rows, self.problems, self.warnings, self.sheet.digest)

    def _read_header(self) -> bool:
        candidates = [(n, cells) for n, cells in self.sheet.rows[:HEADER_SCAN_ROWS * 3]
                      if any(c not in (None, "") for c in cells)][:HEADER_SCAN_ROWS]
        if not candidates:
            self.problems.append(Problem(1, "—", _("the file is empty")))
            return False
        best = max(candidates, key=lambda item: sum(
            1 for c in item[1] if isinstance(c, str) and self.kind.match(c)))  # first of the best
        number, cells = best
        if not any(isinstance(c, str) and self.kind.match(c) for c in cells):
            self.header_row = candidates[0][0]
            self.problems.append(Problem(self.header_row, "—", _(
                "no known column names were found; the first row must name the columns, see the import guide")))
            return False
        self.header_row = number
        taken: dict[str, str] = {}
        for index, cell in enumerate(cells):
            header = str(cell or "").strip()
            if not header or is_ignored(header):
                continue
            column = self.kind.match(header)
            if column is None:
                self.warnings.append(Problem(number, header, _("unknown column; it will not be imported")))
            elif column.field in taken:
                self.problems.append(Problem(number, header, _(
                    "this column holds the same thing as column {other}; keep one of them").format(
                    other=taken[column.field])))
            else:
                taken[column.field] = header
                self.headers.append((index, header, column))
        for column in self.kind.columns:
            if column.required and column.field not in taken:
                self.problems.append(Problem(number, column.both_titles(), _("this column is missing")))
        for group in self.kind.one_of:
            if not any(name in taken for name in group):
                titles = ", ".join(self.kind.column(name).both_titles() for name in group)
                self.problems.append(Problem(number, titles, _("at least one of these columns is needed")))
        return not self.problems

    # --- problems -----------------------------------------------------------------
    def _header_for(self, field_name: str) -> str:
        """The file's header for a record field (or the documented one if the file has none)."""
        for _index, header, column in self.headers:
            if column.field == field_name or field_name in column.feeds:
                return header
        for column in self.kind.columns:
            if column.field == field_name or field_name in column.feeds:
                return column.title()
        return field_name

    def _fail(self, row: int, field_name: str, message: str) -> None:
        self.problems.append(Problem(row, self._header_for(field_name), message))
        self.rows_with_problems.add(row)

    def _warn(self, row: int, field_name: str, message: str) -> None:
        self.warnings.append(Problem(row, self._header_for(field_name), message))

    def _check(self, row: int, rule, values: dict[str, Any], **options) -> dict[str, Any] | None:
        try:
            return rule(values, **options)
        except FieldErrors as errors:
            for field_name, message in errors.errors.items():
                self._fail(row, field_name, message)
            return None

    # --- values ---------------------------------------------------------------------
    def _values(self, row: int, raw: dict[str, Any]) -> dict[str, Any]:
        """Cells turned into what the validation rules take: codes for choices and catalogs, ids for staff."""
        values: dict[str, Any] = {}
        for column in self.kind.columns:
            if column.field not in raw or column.value in (CLIENT_REF, CLIENT_REFS):
                continue
            if column.value == STAFF:
                staff_id = self._staff(row, column.field, str(raw[column.field]).strip())
                if staff_id:
                    values[column.field] = staff_id
                continue
            values[column.field] = self._value(column, raw[column.field])
        return values

    def _staff(self, row: int, field_name: str, name: str) -> str | None:
        found = self.staff_by_name.get(fold(name), [])
        if len(found) == 1:
            return found[0]
        if found:
            self._fail(row, field_name, _("{n} staff members are called {name}; leave the cell empty and choose the "
                                          "person in the program after importing").format(n=len(found), name=name))
        else:
            self._fail(row, field_name, _("no staff member or volunteer called {name}: add them under Settings → "
                                          "Staff and volunteers first, or leave the cell empty").format(name=name))
        return None

    def _value(self, column: Column, cell: Any) -> Any:
        if column.value in (DATE, INTEGER, FLAG) and not isinstance(cell, str):
            return cell
        text = show_date(cell) if isinstance(cell, date) else str(cell).strip()
        if column.field in ("citizen_id", "client_citizen_id"):
            return pad_zero(text, {11: 12, 8: 9})
        if column.field == "phone":
            return pad_zero(text, {9: 10})
        if column.value == CHOICE:
            return choice_code(column.vocabulary, text) or text
        if column.value == CHOICES:
            return map_items(text, lambda item: choice_code(column.vocabulary, item))
        if column.value == CATALOG:
            return self.catalog_lookup[column.catalog].get(fold(text), text)
        if column.value == CATALOG_LIST:
            lookup = self.catalog_lookup[column.catalog]
            return map_items(text, lambda item: lookup.get(fold(item)))
        return text

    def _show(self, cleaned: dict[str, Any], renames: dict[str, str] | None = None) -> dict[str, str]:
        """Text for the preview, per column of the file."""
        shown: dict[str, str] = {}
        for _index, _header, column in self.headers:
            name = (renames or {}).get(column.field, column.field)
            if name not in cleaned or column.value in (CLIENT_REF, CLIENT_REFS):
                continue
            value = cleaned[name]
            if value in (None, "", []):
                shown[column.field] = ""
            elif column.value == DATE:
                shown[column.field] = show_date(value)
            elif column.value == CHOICE:
                shown[column.field] = column.vocabulary.label(value)
            elif column.value == CHOICES:
                shown[column.field] = "; ".join(column.vocabulary.label(v) for v in value)
            elif column.value in (CATALOG, CATALOG_LIST):
                labels = self.catalog_labels[column.catalog]
                items = value if isinstance(value, list) else [value]
                shown[column.field] = "; ".join(labels.get(v, v) for v in items)
            elif column.value == FLAG:
                shown[column.field] = _("Yes") if value else _("No")
            elif column.value == STAFF:
                shown[column.field] = self.staff_names.get(value, str(value))
            else:
                shown[column.field] = str(value)
        return shown
