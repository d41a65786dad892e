"""Import a spreadsheet: choose the kind and the file, see the preview and every problem, import.

The file is checked on the worker (importer.plan) as soon as it is chosen;
Import is enabled only for a file without problems, and imports it whole
(importer.apply plans again inside the transaction, so a file changed since
the preview is checked again).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.i18n import _, ngettext
from app.core.import_spec import KINDS
from app.gui.common.errors import message_for
from app.gui.common.session import Session
from app.gui.common.widgets import error_label, set_error
from app.store import importer
from app.store.importer import (
    FileChangedSinceCheck,
    ImportPlan,
    ImportRejected,
    ImportResult,
    PlannedRow,
    Problem,
)

PREVIEW_ROWS = 200  # enough to judge the file; the counts cover the rest
_WARNING_COLOUR = QColor("#8a6d00")
_ERROR_COLOUR = QColor("#b00020")


class PreviewModel(QAbstractTableModel):
    """The first rows as they will be imported: row number, what happens, the file's columns."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[PlannedRow] = []
        self.columns: list[tuple[str, str]] = []  # (header as written in the file, field)

    def set_plan(self, plan: ImportPlan | None) -> None:
        self.beginResetModel()
        self.rows = plan.rows[:PREVIEW_ROWS] if plan else []
        self.columns = [(header, column.field) for header, column in plan.headers] if plan else []
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else 2 + len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return (_("Row"), _("Status"), *(header for header, _field in self.columns))[section]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                return str(row.row)
            if index.column() == 1:
                status = _(importer.ACTIONS[row.action])
                return f"{status} ({row.note})" if row.note and row.action != importer.PRESENT else status
            return row.shown.get(self.columns[index.column() - 2][1], "")
        if role == Qt.ItemDataRole.ToolTipRole and row.note:
            return row.note
        return None


class ProblemsModel(QAbstractTableModel):
    """Problems (which block the import) first, then warnings."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple[bool, Problem]] = []  # (blocks the import, problem)

    def set_plan(self, plan: ImportPlan | None) -> None:
        self.beginResetModel()
        self.items = ([(True, p) for p in plan.problems] + [(False, w) for w in plan.warnings]) if plan else []
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else 4

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return (_("Row"), _("Column"), _("Type"), _("Message"))[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        blocking, problem = self.items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (str(problem.row), problem.column, _("Error") if blocking else _("Warning"),
                    problem.message)[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(_ERROR_COLOUR if blocking else _WARNING_COLOUR)
        return None


def _table(model: QAbstractTableModel, name: str) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class ImportDialog(QDialog):
    """Emits `imported` with the ImportResult after a file was imported."""

    imported = Signal(object)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.plan: ImportPlan | None = None
        self.result: ImportResult | None = None
        self._token = 0  # results of an older check (other file or kind) are dropped
        self.setWindowTitle(_("Import from a spreadsheet"))
        self.resize(900, 600)

        self.kind = QComboBox()
        self.kind.setObjectName("import_kind")
        for key, kind in KINDS.items():
            self.kind.addItem(_(kind.label), key)
        self.file = QLineEdit()
        self.file.setObjectName("import_file")
        self.file.setPlaceholderText(_("a .csv or .xlsx file; the first row names the columns"))
        self.browse = QPushButton(_("&Choose file…"))
        self.check = QPushButton(_("C&heck file"))
        self.check.setObjectName("check_file")
        file_row = QHBoxLayout()
        file_row.addWidget(self.file, 1)
        file_row.addWidget(self.browse)
        file_row.addWidget(self.check)
        file_label = QLabel(_("&File"))
        file_label.setBuddy(self.file)
        form = QFormLayout()
        form.addRow(_("&What the file holds"), self.kind)
        form.addRow(file_label, file_row)

        self.summary = QLabel()
        self.summary.setObjectName("import_summary")
        self.summary.setWordWrap(True)
        self.error = error_label()
        self.preview_model = PreviewModel()
        self.problems_model = ProblemsModel()
        self.preview = _table(self.preview_model, "import_preview")
        self.problems = _table(self.problems_model, "import_problems")
        self.preview_title = QLabel(_("Rows as they will be imported"))
        split = QSplitter(Qt.Orientation.Vertical)
        for title, table in ((self.preview_title, self.preview),
                             (QLabel(_("Problems and warnings")), self.problems)):
            pane = QWidget()
            box = QVBoxLayout(pane)
            box.setContentsMargins(0, 0, 0, 0)
            box.addWidget(title)
            box.addWidget(table)
            split.addWidget(pane)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)

        self.import_button = QPushButton(_("&Import"))
        self.import_button.setObjectName("import_button")
        self.import_button.setEnabled(False)
        self.close_button = QPushButton(_("Close"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

        self.browse.clicked.connect(self.choose_file)
        self.check.clicked.connect(self.check_file)
        self.file.returnPressed.connect(self.check_file)
        self.kind.currentIndexChanged.connect(lambda _index: self.check_file())
        self.import_button.clicked.connect(self.import_file)
        self.close_button.clicked.connect(self.reject)

    # --- choosing and checking -------------------------------------------------------
    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Choose a spreadsheet"), self.file.text(), _("Spreadsheets (*.csv *.xlsx)"))
        if path:
            self.file.setText(path)
            self.check_file()

    def check_file(self) -> None:
        path = self.file.text().strip()
        self._show(None)
        if not path:
            return
        kind = self.kind.currentData()
        self._token += 1
        token = self._token
        self.summary.setText(_("Checking the file…"))
        self.session.run(lambda reg: importer.plan(reg, kind, Path(path)),
                         lambda plan: self._checked(token, plan),
                         lambda error: self._failed(token, error),
                         progress_parent=self, label=_("Checking the file…"))

    def _checked(self, token: int, plan: ImportPlan) -> None:
        if token == self._token:
            self._show(plan)

    def _failed(self, token: int, error: BaseException) -> None:
        if token == self._token:
            self.summary.clear()
            set_error(self.error, message_for(error))

    def _show(self, plan: ImportPlan | None) -> None:
        self.plan = plan
        self.result = None
        self.preview_model.set_plan(plan)
        self.problems_model.set_plan(plan)
        set_error(self.error, None)
        self.summary.setText(_plan_summary(plan) if plan else "")
        total = len(plan.rows) if plan else 0
        self.preview_title.setText(
            _("Rows as they will be imported (the first {n} of {total})").format(n=PREVIEW_ROWS, total=total)
            if total > PREVIEW_ROWS else _("Rows as they will be imported"))
        self.import_button.setEnabled(bool(plan and plan.ok and plan.count(importer.NEW)))

    # --- importing -------------------------------------------------------------------------
    def import_file(self) -> None:
        if not (self.plan and self.plan.ok):
            return
        kind, path, digest = self.kind.currentData(), self.file.text().strip(), self.plan.digest
        self.import_button.setEnabled(False)
        self.check.setEnabled(False)
        self._token += 1  # a check still running must not overwrite the result
        self.session.run(lambda reg: importer.apply(reg, kind, Path(path), checked_digest=digest),
                         self._imported, self._import_failed,
                         progress_parent=self, label=_("Importing…"))

    def _imported(self, result: ImportResult) -> None:
        self.check.setEnabled(True)
        self.result = result
        plan = result.plan
        self.summary.setText(_("{kind}: {new} imported, {present} already in the register, {repeated} repeated "
                               "in the file.").format(kind=_(plan.kind.label), new=plan.count(importer.NEW),
                                                      present=plan.count(importer.PRESENT),
                                                      repeated=plan.count(importer.REPEAT)))
        self.session.publish({"records": result.changes, "import": result.summary()})
        self.imported.emit(result)

    def _import_failed(self, error: BaseException) -> None:
        self.check.setEnabled(True)
        if isinstance(error, ImportRejected):  # the register changed since the preview
            self._show(error.plan)
            set_error(self.error, error.message)
        elif isinstance(error, FileChangedSinceCheck):
            self._show(None)
            set_error(self.error, error.message)
        else:
            set_error(self.error, message_for(error))
            self.import_button.setEnabled(bool(self.plan and self.plan.ok))


def _plan_summary(plan: ImportPlan) -> str:
    if plan.problems:
        return ngettext("{count} problem: nothing can be imported until it is corrected in the file. "
                        "Correct the file, save it and check it again.",
                        "{count} problems: nothing can be imported until they are corrected in the file. "
                        "Correct the file, save it and check it again.", len(plan.problems)).format(
            count=len(plan.problems))
    new = plan.count(importer.NEW)
    if not new:
        return _("Everything in this file is already in the register; there is nothing to import.")
    return _("{new} rows will be imported, {present} are already in the register, {repeated} are repeated "
             "in the file. Nothing is written until you press Import.").format(
        new=new, present=plan.count(importer.PRESENT), repeated=plan.count(importer.REPEAT))
