"""The monthly form as Qt tables: the form's rows and numbers, the records behind one, the amendments."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QRect, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QHeaderView, QTableView

from app.core.i18n import _
from app.gui.common.tables import RowsModel
from app.gui.reports.work import number
from app.reports.monthly import MonthlyReport
from app.reports.rule_words import rule_text

SECTION_BACKGROUND = QColor("#e8eef6")
FIT_COLUMNS_UP_TO = 12   # more number columns than this (an office's points) get fixed widths
LABEL_WIDTH = 340


@dataclass(frozen=True)
class ValueColumn:
    header: str
    column: str               # the form's column code
    origin: str | None = None  # district forms: the point; None = the whole register (total)


class FormModel(QAbstractTableModel):
    """Sections and rows of the form; columns: row code, label, then one per ValueColumn."""

    def __init__(self, service_label: Callable[[str], str] = str) -> None:
        super().__init__()
        self.service_label = service_label  # a service code of the catalog as people read it
        self.report: MonthlyReport | None = None
        self.lines: list[tuple[str, object]] = []  # ("section", Section) | ("row", Row)
        self.columns: list[ValueColumn] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_report(self, report: MonthlyReport | None, columns: list[ValueColumn]) -> None:
        self.beginResetModel()
        self.report, self.columns = report, columns
        self.lines = []
        for section in report.form.sections if report else ():
            self.lines.append(("section", section))
            self.lines += [("row", row) for row in section.rows]
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else 2 + len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (_("No."), _("Indicator"))[section] if section < 2 else self.columns[section - 2].header
        if role == Qt.ItemDataRole.TextAlignmentRole and section >= 2:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def value(self, row_code: str, column: ValueColumn) -> int | None:
        result = self.report.result
        values = result.values if column.origin is None else result.by_point.get(column.origin, {})
        return values.get(row_code, {}).get(column.column)

    def cell(self, index: QModelIndex) -> tuple[str, ValueColumn] | None:
        """(row code, column) of a number the form defines; None for labels, sections and blank cells."""
        if not index.isValid() or index.column() < 2:
            return None
        kind, line = self.lines[index.row()]
        column = self.columns[index.column() - 2]
        if kind != "row" or column.column not in line.cells:
            return None
        return line.code, column

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        kind, line = self.lines[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return line.code
            if col == 1:
                return line.label
            cell = self.cell(index)
            if cell is None:
                return ""
            value = self.value(*cell)
            return number(value if value is not None else 0)
        if role == Qt.ItemDataRole.FontRole and kind == "section":
            return self._bold
        if role == Qt.ItemDataRole.BackgroundRole and kind == "section":
            return SECTION_BACKGROUND
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col >= 2:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            cell = self.cell(index)
            if cell is not None:  # the counting rule, for whoever checks a number
                return _("{rule}\nClick or press Enter to list the records behind this number.").format(
                    rule=rule_text(line.cells[cell[1].column], self.service_label))
        return None


class RecordsModel(RowsModel):
    """The records behind a number; a cell too narrow for its text shows it whole as a tooltip."""

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ToolTipRole:
            return super().data(index, Qt.ItemDataRole.DisplayRole) or None
        return super().data(index, role)


class AmendmentsModel(RowsModel):
    """The amendments list; its last two columns are numbers, aligned as numbers are."""

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() >= self.columnCount() - 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return super().data(index, role)


def fit_columns(table: QTableView, model: FormModel, report: MonthlyReport | None, columns: list[ValueColumn]) -> None:
    """Show `columns` of `report` in `table`, sized to their contents."""
    header = table.horizontalHeader()
    if len(columns) > FIT_COLUMNS_UP_TO:
        # An office of 300 points: sizing 300 columns to their contents asks Qt for every cell's
        # size again and again (1.4 million calls, 3 s). The widths are known: a point's code or
        # the largest number, whichever is wider.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    model.set_report(report, columns)
    if len(columns) > FIT_COLUMNS_UP_TO:
        metrics = table.fontMetrics()
        widest = max((metrics.horizontalAdvance(text) for column in columns
                      for text in (column.header, number(_largest(report, column)))), default=40)
        table.setColumnWidth(0, metrics.horizontalAdvance("TT 99.9") + 12)
        table.setColumnWidth(1, LABEL_WIDTH)
        for index in range(2, 2 + len(columns)):
            table.setColumnWidth(index, widest + 18)
        # Row heights from the label alone (the numbers fit one line): a long label still wraps.
        for row in range(model.rowCount()):
            label = str(model.data(model.index(row, 1)) or "")
            height = metrics.boundingRect(QRect(0, 0, LABEL_WIDTH - 10, 10_000),
                                          int(Qt.TextFlag.TextWordWrap), label).height()
            table.setRowHeight(row, max(23, height + 8))
    else:
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)


def _largest(report: MonthlyReport, column: ValueColumn) -> int:
    values = report.result.by_point.get(column.origin, {}) if column.origin else report.result.values
    return max((cells.get(column.column) or 0 for cells in values.values()), default=0)


def wrap_heading(label: str) -> str:
    """A long column heading on two lines, so number columns stay narrow: 'Số lượng\n(lượt, buổi)'."""
    if len(label) <= 10 or " " not in label:
        return label
    if " (" in label:
        return label.replace(" (", "\n(", 1)
    middle = len(label) // 2
    cut = min((i for i, ch in enumerate(label) if ch == " "), key=lambda i: abs(i - middle))
    return f"{label[:cut]}\n{label[cut + 1:]}"
