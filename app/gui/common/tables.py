"""Read-only tables of records: columns are (header, how to show a row)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

Column = tuple[str, Callable[[dict[str, Any]], Any]]
ROW_ROLE = Qt.ItemDataRole.UserRole + 1


class RowsModel(QAbstractTableModel):
    def __init__(self, columns: list[Column], highlight: Callable[[dict], str | None] | None = None) -> None:
        super().__init__()
        self.columns = columns
        self.rows: list[dict[str, Any]] = []
        self._highlight = highlight
        self._shown: dict[tuple[int, int], Any] = {}

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self._shown = {}
        self.endResetModel()

    def value(self, row: int, column: int) -> Any:
        """What a cell shows, worked out once per set_rows: Qt asks for every cell again on each
        paint and, to fit the columns, for every row (the points of a province, with dates to
        format, took a third of a second to show)."""
        key = (row, column)
        try:
            return self._shown[key]
        except KeyError:
            shown = self._shown[key] = self.columns[column][1](self.rows[row])
            return shown

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section][0]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = self.value(index.row(), index.column())
            return "" if value is None else str(value)
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.ForegroundRole and self._highlight is not None:
            colour = self._highlight(row)
            return QColor(colour) if colour else None
        return None

    def row(self, index: QModelIndex) -> dict[str, Any] | None:
        return self.rows[index.row()] if index.isValid() else None


def table_view(model: RowsModel, name: str, stretch_column: int | None = None) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    compact_rows(view)
    view.setWordWrap(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(stretch_column is None)
    if stretch_column is not None:
        header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
    return view


def selected_row(view: QTableView) -> dict[str, Any] | None:
    rows = view.selectionModel().selectedRows()
    return view.model().row(rows[0]) if rows else None


def compact_rows(view: QTableView) -> None:
    """One line of text per row: more of the list fits a 1366×768 screen."""
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
