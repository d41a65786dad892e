"""The Reports screen: a month's activity form, the records behind each number, closing, print, export.

Forms are made after a month ends, so the screen opens on the previous month.
Every number comes from one `MonthlyReport` made on the worker; print,
preview and the exported files are made from that same report, so what is
printed is what is on the screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QRect, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPageSize
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.clock import local_datetime_text, parse_stamp, today
from app.core.i18n import N_, _, ngettext
from app.core.progress import Cancelled, Progress
from app.core.roles import Permission
from app.core.unit import RegisterRole
from app.core.vocab import METHADONE_STATUSES, OUTREACH_KINDS, REHAB_OUTCOMES, REFERRAL_OUTCOMES
from app.gui.errors import show_error
from app.gui.forms import date_text
from app.gui.printing import print_pdf, render_pdf
from app.gui.session import Session
from app.gui.tables import RowsModel, table_view
from app.gui.widgets import heading
from app.reports import closing, engine
from app.reports.drill_down import RecordLine, describe
from app.reports.form_file import FormFile, FormFileError, forms_folder
from app.reports.monthly import MonthlyReport, choose_form, monthly_report
from app.reports.period import Month
from app.store.files import write_atomic

SECTION_BACKGROUND = QColor("#e8eef6")
PREVIEW_DPI = 300
EXPORT_FORMATS = ("pdf", "xlsx", "csv", "json")
# Contact kinds as a line of the drill-down says them (the catalog labels are written for pickers).
CONTACT_LINES = {
    "office": N_("Counselling at the office"),
    "home": N_("Counselling at home"),
    "group": N_("Group counselling"),
    "community": N_("Community session"),
    "phone": N_("Counselling by phone"),
    "online": N_("Counselling online"),
}


def number(value: int | None) -> str:
    """Vietnamese grouping: 7000 -> '7.000'."""
    return "" if value is None else f"{value:,}".replace(",", ".")


def default_month() -> Month:
    """The month whose form is due: the one that ended last."""
    return Month.of(today()).previous()


def month_title(month: Month) -> str:
    return _("Month {month:02d}/{year}").format(month=month.month, year=month.year)


# --- work done on the register's thread ----------------------------------------------
@dataclass(frozen=True)
class Shown:
    report: MonthlyReport
    frozen: bool  # the numbers are the ones frozen when the month was closed


FIT_COLUMNS_UP_TO = 12   # more number columns than this (an office's points) get fixed widths
LABEL_WIDTH = 340


def load_report(register, month: Month, progress: Progress | None = None) -> Shown:
    report = monthly_report(register, month, progress=progress)
    frozen = report.closure is not None and closing.closed(register.conn, month, report.form)[1] is not None
    return Shown(report, frozen)


def records_of_cell(register, form: FormFile, month: Month, row: str, column: str,
                    origin: str | None) -> list[RecordLine]:
    return describe(register.conn, engine.records_behind(register.conn, form, month, row, column, origin))


def report_bytes(report: MonthlyReport, fmt: str) -> bytes:
    """The report as a file; its makers are imported when first used (reportlab and openpyxl
    are heavy, and the program should open quickly)."""
    if fmt == "pdf":
        from app.reports.form_pdf import form_pdf

        return form_pdf(report)
    from app.reports import form_exports

    return {"xlsx": form_exports.to_xlsx, "csv": form_exports.to_csv, "json": form_exports.to_json}[fmt](report)


def write_report(report: MonthlyReport, fmt: str, path: Path) -> Path:
    write_atomic(path, report_bytes(report, fmt))
    return path


def choose_form_file(register, path: Path) -> tuple[FormFile, str]:
    """Read the file and make it the register's form; a refusal names the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise FormFileError(file=path.name, where=_("file"), reason=str(error)) from None
    return choose_form(register, text, path.name), text


# --- the form as a table ----------------------------------------------------------------
@dataclass(frozen=True)
class ValueColumn:
    header: str
    column: str               # the form's column code
    origin: str | None = None  # district forms: the point; None = the whole register (total)


class FormModel(QAbstractTableModel):
    """Sections and rows of the form; columns: row code, label, then one per ValueColumn."""

    def __init__(self) -> None:
        super().__init__()
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
                    rule=line.cells[cell[1].column])
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


# --- the screen ---------------------------------------------------------------------------
class ReportsView(QWidget):
    open_client = Signal(str)

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.month = default_month()
        self.shown: Shown | None = None
        self._generation = 0
        self._drill_generation = 0
        self._drilled: tuple | None = None  # (month, row, ValueColumn) listed in the records panel
        self._stale = False
        self.district = session.info.unit.role is RegisterRole.DISTRICT
        self.admin = session.can(Permission.MANAGE_SETTINGS)
        # Client names are personal data: people who only read reports see codes (and cannot open files).
        self.case_worker = session.can(Permission.CASE_WORK)

        self.previous_button = QPushButton(_("◀ &Previous month"))
        self.month_label = heading("")
        self.month_label.setObjectName("reports_month")
        self.next_button = QPushButton(_("&Next month ▶"))
        self.title = QLabel()
        self.title.setObjectName("report_title")
        self.title.setWordWrap(True)
        self.status = QLabel()
        self.status.setObjectName("report_status")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.column_choice = QComboBox()
        self.column_choice.setObjectName("report_column")
        self.column_label = QLabel(_("Form &column:"))
        self.column_label.setBuddy(self.column_choice)

        self.model = FormModel()
        self.table = QTableView()
        self.table.setObjectName("report_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        # A long label wraps onto a second line rather than losing its end (a form has ~70 rows: cheap).
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setMinimumSectionSize(23)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(48)

        self.records_title = QLabel(_("Records behind a number"))
        self.records_title.setObjectName("records_title")
        self.records_title.setWordWrap(True)
        self.records_note = QLabel()
        self.records_note.setObjectName("records_note")
        self.records_note.setWordWrap(True)
        record_columns = [
            (_("Date"), lambda r: date_text(r.day)),
            (_("Kind"), self._record_kind),
            (_("Code"), lambda r: r.client_code),
        ]
        if self.case_worker:
            record_columns.append((_("Client"), lambda r: r.client_name))
        if self.district:
            record_columns.insert(0, (_("Point"), lambda r: r.origin))
        self.records = RecordsModel(record_columns)
        self.records_view = table_view(self.records, "records_table", stretch_column=len(record_columns) - 1)
        self.records_view.setWordWrap(False)
        # The kind can be long ("Group counselling (12 participants)"): a fixed width leaves room for names.
        kind_column = 2 if self.district else 1
        self.records_view.horizontalHeader().setSectionResizeMode(kind_column, QHeaderView.ResizeMode.Interactive)
        self.records_view.horizontalHeader().resizeSection(kind_column, 170)

        self.amendments_title = QLabel()
        self.amendments_title.setObjectName("amendments_title")
        amendment_columns = [
            (_("Month"), lambda a: a.month.label),
            (_("Row"), lambda a: a.row),
            (_("Indicator"), self._row_label),
            (_("Column"), self._column_label),
            (_("When closed"), lambda a: number(a.closed_value)),
            (_("Now"), lambda a: number(a.current_value)),
        ]
        if self.district:
            amendment_columns.insert(3, (_("Point"), lambda a: a.point or _("Total")))
        self.amendments = AmendmentsModel(amendment_columns)
        self.amendments_view = table_view(self.amendments, "amendments_table", stretch_column=2)
        self.amendments_view.setMaximumHeight(150)

        self.preview_button = QPushButton(_("Print pre&view…"))
        self.print_button = QPushButton(_("&Print…"))
        self.export_buttons = {fmt: QPushButton(_("Export {format}…").format(format=fmt.upper()))
                               for fmt in EXPORT_FORMATS}
        self.choose_form_button = QPushButton(_("Choose &form file…"))
        self.close_button = QPushButton(_("&Close this month…"))
        self.close_button.setObjectName("close_month")
        self.message = QLabel()
        self.message.setObjectName("report_message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()  # shown when an action has something to say (where a file went …)
        self.preview: QPrintPreviewDialog | None = None
        self._preview_printer: QPrinter | None = None
        self._layout()
        self._connect()
        session.changed.connect(self._on_changed)
        self.show_month(self.month)

    # --- building ----------------------------------------------------------------------
    def _layout(self) -> None:
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(heading(_("Reports")))
        top.addStretch(1)
        for widget in (self.previous_button, self.month_label, self.next_button):
            top.addWidget(widget)
        layout.addLayout(top)
        layout.addWidget(self.title)
        layout.addWidget(self.status)
        if self.district:
            row = QHBoxLayout()
            row.addWidget(self.column_label)
            row.addWidget(self.column_choice)
            row.addStretch(1)
            layout.addLayout(row)

        panel = QWidget()
        side = QVBoxLayout(panel)
        side.setContentsMargins(6, 0, 0, 0)
        side.addWidget(self.records_title)
        side.addWidget(self.records_note)
        side.addWidget(self.records_view, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.table)
        splitter.addWidget(panel)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([640, 520])
        layout.addWidget(splitter, 1)

        self.amendments_box = QWidget()
        box = QVBoxLayout(self.amendments_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.amendments_title)
        box.addWidget(self.amendments_view)
        self.amendments_box.hide()
        layout.addWidget(self.amendments_box)

        buttons = QHBoxLayout()
        for button in (self.preview_button, self.print_button, *self.export_buttons.values()):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.choose_form_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        # Choosing the form and freezing a month are the chair's work (close_month checks it too).
        self.choose_form_button.setVisible(self.admin)
        self.close_button.setVisible(self.admin)

        order = [self.previous_button, self.next_button, *([self.column_choice] if self.district else []),
                 self.table, self.records_view, self.amendments_view, self.preview_button, self.print_button,
                 *self.export_buttons.values(), self.choose_form_button, self.close_button]
        for first, second in zip(order, order[1:]):
            QWidget.setTabOrder(first, second)

    def _connect(self) -> None:
        self.previous_button.clicked.connect(lambda: self.show_month(self.month.previous()))
        self.next_button.clicked.connect(lambda: self.show_month(self.month.next()))
        self.column_choice.currentIndexChanged.connect(lambda _index: self._fill_table())
        self.table.clicked.connect(self.drill)
        self.table.activated.connect(self.drill)  # Enter (and double-click) on a number
        self.records_view.activated.connect(self._open_record)  # Enter and double-click
        self.preview_button.clicked.connect(self.print_preview)
        self.print_button.clicked.connect(self.print_report)
        for fmt, button in self.export_buttons.items():
            button.clicked.connect(lambda _checked=False, f=fmt: self.export(f))
        self.choose_form_button.clicked.connect(self.choose_form)
        self.close_button.clicked.connect(self.close_month)

    # --- loading ---------------------------------------------------------------------------
    def show_month(self, month: Month) -> None:
        current = Month.of(today())
        self.month = min(month, current)  # a form of a month that has not begun has nothing to count
        self.month_label.setText(month_title(self.month))
        self.next_button.setEnabled(self.month < current)
        self._drilled = None
        self._clear_records()
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True  # counted when the screen is first shown: a big register costs memory and time

    def refresh(self) -> None:
        self._stale = False
        self._generation += 1
        generation, month = self._generation, self.month
        self._enable_actions(False)
        counts = Progress()
        self.session.run(lambda register: load_report(register, month, counts),
                         lambda shown: self._show(generation, shown), lambda error: self._failed(generation, error),
                         progress_parent=self, label=_("Counting the numbers of the form…"), counts=counts)

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        if isinstance(error, Cancelled):
            # No numbers rather than another month's: printing stays off until the month is counted.
            self.shown = None
            self._fill_table()
            self.amendments_box.setVisible(False)
            self.status.setText("")
            self.title.setText(_("Counting stopped. Choose the month again to count its form."))
            return
        show_error(self, error)

    def _show(self, generation: int, shown: Shown) -> None:
        if generation != self._generation:
            return  # the person moved on to another month meanwhile
        self.shown = shown
        report = shown.report
        self.title.setText(_("{title} · {unit} · form {code}, version {version}").format(
            title=report.form.title, unit=report.unit.name, code=report.form.code, version=report.form.version))
        self.status.setText(self._status_text(shown))
        self._fill_column_choice(report)
        self._fill_table()
        self._show_amendments(report)
        self._enable_actions(True)
        if self._drilled is not None:  # the records changed: list the cell's records again
            month, row, column = self._drilled
            self._drilled = None
            self._load_records(row, column)

    def _status_text(self, shown: Shown) -> str:
        report = shown.report
        closure = report.closure
        if closure is None:
            text = _("Open: the numbers are counted from the records as they are now. "
                     "An administrator can close the month once it has ended.")
        else:
            when = local_datetime_text(parse_stamp(closure.closed_at))
            if shown.frozen:
                text = _("Closed on {date} by {name}: these are the numbers frozen then; "
                         "later corrections appear as amendments on the next form.").format(
                    date=when, name=closure.closed_by)
            else:
                text = _("Closed on {date} by {name} with another form; this form's numbers are counted "
                         "from the records as they are now.").format(date=when, name=closure.closed_by)
        if report.amendments:
            text += " " + ngettext("This form reports {n} amendment to a closed month (listed below).",
                                   "This form reports {n} amendments to closed months (listed below).",
                                   len(report.amendments)).format(n=len(report.amendments))
        return text

    def _fill_column_choice(self, report: MonthlyReport) -> None:
        """District forms: one column per point plus the total, for the form column chosen here."""
        if not self.district:
            return
        chosen = self.column_choice.currentData()
        codes = [column.code for column in report.form.columns]
        self.column_choice.blockSignals(True)
        self.column_choice.clear()
        for column in report.form.columns:
            self.column_choice.addItem(column.label, column.code)
        self.column_choice.setCurrentIndex(codes.index(chosen) if chosen in codes else 0)
        self.column_choice.blockSignals(False)

    def _value_columns(self, report: MonthlyReport) -> list[ValueColumn]:
        if not self.district:
            return [ValueColumn(_wrap(column.label), column.code) for column in report.form.columns]
        chosen = self.column_choice.currentData() or report.form.columns[0].code
        points = sorted(report.result.by_point)
        return [*(ValueColumn(point, chosen, point) for point in points), ValueColumn(_("Total"), chosen)]

    def _fill_table(self) -> None:
        report = self.shown.report if self.shown else None
        columns = self._value_columns(report) if report else []
        header = self.table.horizontalHeader()
        if len(columns) > FIT_COLUMNS_UP_TO:
            # An office of 300 points: sizing 300 columns to their contents asks Qt for every cell's
            # size again and again (1.4 million calls, 3 s). The widths are known: a point's code or
            # the largest number, whichever is wider.
            header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
            self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.model.set_report(report, columns)
        if len(columns) > FIT_COLUMNS_UP_TO:
            metrics = self.table.fontMetrics()
            widest = max((metrics.horizontalAdvance(text) for column in columns
                          for text in (column.header, number(self._largest(report, column)))), default=40)
            self.table.setColumnWidth(0, metrics.horizontalAdvance("TT 99.9") + 12)
            self.table.setColumnWidth(1, LABEL_WIDTH)
            for index in range(2, 2 + len(columns)):
                self.table.setColumnWidth(index, widest + 18)
            # Row heights from the label alone (the numbers fit one line): a long label still wraps.
            for row in range(self.model.rowCount()):
                label = str(self.model.data(self.model.index(row, 1)) or "")
                height = metrics.boundingRect(QRect(0, 0, LABEL_WIDTH - 10, 10_000),
                                              int(Qt.TextFlag.TextWordWrap), label).height()
                self.table.setRowHeight(row, max(23, height + 8))
        else:
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
            self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

    @staticmethod
    def _largest(report: MonthlyReport, column: ValueColumn) -> int:
        values = report.result.by_point.get(column.origin, {}) if column.origin else report.result.values
        return max((cells.get(column.column) or 0 for cells in values.values()), default=0)

    def _show_amendments(self, report: MonthlyReport) -> None:
        self.amendments.set_rows(report.amendments)
        self.amendments_title.setText("<b>{}</b>".format(_("Amendments to closed months")))
        self.amendments_box.setVisible(bool(report.amendments))

    def _enable_actions(self, enabled: bool) -> None:
        for button in (self.preview_button, self.print_button, *self.export_buttons.values(), self.close_button):
            button.setEnabled(enabled)
        if enabled and self.shown is not None and self.shown.report.closure is not None:
            self.close_button.setEnabled(False)  # already closed: the status line says when and by whom

    def _on_changed(self, change: dict) -> None:
        relevant = (change.get("records") or change.get("month_closed") or change.get("catalogs")
                    or "report_form" in change.get("settings", {}) or "unit_name" in change.get("settings", {}))
        if not relevant:
            return
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True  # counted again when the screen is shown, not after every save elsewhere

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        if self._stale:
            self.refresh()

    # --- drill-down ------------------------------------------------------------------------------
    def drill(self, index: QModelIndex) -> None:
        cell = self.model.cell(index)
        if cell is None or self.shown is None:
            return
        row, column = cell
        if self._drilled == (self.month, row, column):
            return  # a click followed by its double-click: already listed
        self._load_records(row, column)

    def _load_records(self, row: str, column: ValueColumn) -> None:
        report = self.shown.report
        month, form = self.month, report.form
        self._drilled = (month, row, column)
        self._drill_generation += 1
        generation = self._drill_generation
        self.records_title.setText(self._records_caption(row, column, None))
        self.session.run(lambda register: records_of_cell(register, form, month, row, column.column, column.origin),
                         lambda lines: self._show_records(generation, row, column, lines),
                         lambda error: show_error(self, error),
                         progress_parent=self, label=_("Finding the records…"))

    def _show_records(self, generation: int, row: str, column: ValueColumn, lines: list[RecordLine]) -> None:
        if generation != self._drill_generation:
            return
        self.records.set_rows(lines)
        self.records_title.setText(self._records_caption(row, column, len(lines)))
        notes = []
        value = self.model.value(row, column) if self.shown is not None else None
        if self.shown is not None and self.shown.frozen:
            notes.append(_("The month is closed: these are the records as they are now, "
                           "which may differ from the frozen number."))
        elif value is not None and value != len(lines):
            notes.append(_("The number is {value}: it adds up what each record counts (participants of a group "
                           "session, attendees, quantities), so it can differ from the number of records.").format(
                value=number(value)))
        if self.case_worker and any(line.client_id for line in lines):
            notes.append(_("Double-click a record (or press Enter) to open the client's file."))
        self.records_note.setText(" ".join(notes))

    def _records_caption(self, row: str, column: ValueColumn, count: int | None) -> str:
        form = self.shown.report.form
        label = next((c.label for c in form.columns if c.code == column.column), column.column)
        where = _("Row {row}, {column}").format(row=row, column=label)
        if column.origin:
            where += f", {column.origin}"
        if count is None:
            return f"<b>{where}</b>"
        return "<b>{}</b><br>{}".format(where, ngettext("{n} record", "{n} records", count).format(n=number(count)))

    def _clear_records(self) -> None:
        self._drill_generation += 1
        self.records.set_rows([])
        self.records_title.setText("<b>{}</b>".format(_("Records behind a number")))
        self.records_note.setText(_("Click a number of the form (or press Enter on it) to list the records it counts."))

    def _open_record(self, index: QModelIndex) -> None:
        line = self.records.row(index)
        if line is not None and line.client_id and self.case_worker:
            self.open_client.emit(line.client_id)

    def _record_kind(self, line: RecordLine) -> str:
        lookups = self.session.info.lookups
        if line.table == "clients":
            return _("Client file (date of intake)")
        if line.table == "contacts":
            kind = _(CONTACT_LINES.get(line.kind, line.kind))
            if line.kind == "group" and line.detail:
                kind += " " + _("({n} participants)").format(n=number(int(line.detail)))
            elif line.kind == "community" and line.detail:
                kind += " " + _("({n} attendees)").format(n=number(int(line.detail)))
            return kind
        if line.table == "referrals":
            return _("Referral: {service} ({outcome})").format(
                service=lookups.label("service", line.kind), outcome=REFERRAL_OUTCOMES.label(line.detail))
        if line.table == "rehab_registrations":
            return _("Voluntary rehabilitation ({outcome})").format(outcome=REHAB_OUTCOMES.label(line.kind))
        if line.table == "methadone_episodes":
            return _("Methadone treatment ({status})").format(status=METHADONE_STATUSES.label(line.kind))
        if line.table == "groups":
            return _("Self-help group: {name}").format(name=line.detail)
        if line.table == "group_meetings":
            return _("Meeting of {name}").format(name=line.detail)
        if line.table == "meeting_attendance":
            return _("Attended a meeting of {name}").format(name=line.detail)
        if line.table == "group_members":
            return _("Member of {name}").format(name=line.detail)
        if line.table == "outreach":
            return f"{OUTREACH_KINDS.label(line.kind)} ({number(int(line.detail or 0))})"
        return line.table

    def _row_label(self, amendment) -> str:
        try:
            return self.shown.report.form.row(amendment.row).label
        except KeyError:
            return ""

    def _column_label(self, amendment) -> str:
        form = self.shown.report.form
        return next((c.label for c in form.columns if c.code == amendment.column), amendment.column)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # --- print and export -------------------------------------------------------------------------
    def _document_title(self) -> str:
        return _("Monthly report {month}").format(month=self.shown.report.month.label)

    def _with_pdf(self, then) -> None:
        report = self.shown.report
        self.session.run(lambda register: report_bytes(report, "pdf"), then, lambda error: show_error(self, error),
                         progress_parent=self, label=_("Preparing the form for printing…"))

    def print_preview(self) -> None:
        if self.shown is not None:
            self._with_pdf(self._open_preview)

    def _open_preview(self, pdf: bytes) -> QPrintPreviewDialog:
        """A real preview: the pages of the very PDF that is printed or exported."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        # Pages are painted as images: 300 dpi prints sharp text, while the printer's own
        # resolution (up to 1200 dpi) would make an image of half a gigabyte per page.
        printer.setResolution(PREVIEW_DPI)
        printer.setDocName(self._document_title())
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setFullPage(True)  # the PDF carries the Decree 30 margins itself
        self._preview_printer = printer  # QPrinter is no QObject: the dialog does not keep it alive
        dialog = QPrintPreviewDialog(printer, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowTitle(self._document_title())
        dialog.paintRequested.connect(lambda target: render_pdf(target, pdf))
        dialog.finished.connect(self._preview_closed)
        dialog.resize(1000, 720)
        self.preview = dialog
        dialog.open()
        return dialog

    def _preview_closed(self, _result: int) -> None:
        self.preview = None

    def print_report(self) -> None:
        if self.shown is not None:
            self._with_pdf(self._print)

    def _print(self, pdf: bytes) -> None:
        if print_pdf(self, pdf, self._document_title()):
            self._say(_("The form was sent to the printer."))

    def export(self, fmt: str) -> None:
        if self.shown is None:
            return
        report = self.shown.report
        filters = {"pdf": _("PDF document (*.pdf)"), "xlsx": _("Excel workbook (*.xlsx)"),
                   "csv": _("CSV table (*.csv)"), "json": _("JSON data (*.json)")}
        name = f"bao-cao-{report.unit.code}-{report.month.code}.{fmt}"
        path, _chosen = QFileDialog.getSaveFileName(self, _("Export the monthly report"), str(Path.home() / name),
                                                    filters[fmt])
        if not path:
            return
        target = Path(path) if path.lower().endswith(f".{fmt}") else Path(f"{path}.{fmt}")
        self.session.run(lambda register: write_report(report, fmt, target),
                         lambda written: self._say(_("Saved: {path}").format(path=written)),
                         lambda error: show_error(self, error), progress_parent=self, label=_("Exporting…"))

    # --- administrators ---------------------------------------------------------------------------
    def confirm_close(self, month: Month) -> bool:
        answer = QMessageBox.question(
            self, _("Close this month"),
            _("Close {month}?\n\nIts numbers will be frozen as they are now and this form will always print them. "
              "Records of the month can still be corrected; each correction will then appear as an amendment "
              "on the next month's form.").format(month=month.label),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def close_month(self) -> None:
        month = self.month
        if self.shown is None or not self.confirm_close(month):
            return
        self.session.run(lambda register: closing.close_month(register, month),
                         lambda closure: self.session.publish({"month_closed": closure.month.code}),
                         lambda error: show_error(self, error), progress_parent=self, label=_("Closing the month…"))

    def choose_form(self) -> None:
        path, _chosen = QFileDialog.getOpenFileName(self, _("Choose the form file"), str(forms_folder()),
                                                    _("Form files (*.toml)"))
        if not path:
            return
        source = Path(path)
        self.session.run(lambda register: choose_form_file(register, source), self._form_chosen,
                         lambda error: show_error(self, error), progress_parent=self,
                         label=_("Checking the form file…"))

    def _form_chosen(self, chosen: tuple[FormFile, str]) -> None:
        form, text = chosen
        self._say(_("From now on the monthly report uses the form “{title}” ({code}).").format(
            title=form.title, code=form.code))
        self.session.publish({"settings": {"report_form": text}})


def _wrap(label: str) -> str:
    """A long column heading on two lines, so number columns stay narrow: 'Số lượng\n(lượt, buổi)'."""
    if len(label) <= 10 or " " not in label:
        return label
    if " (" in label:
        return label.replace(" (", "\n(", 1)
    middle = len(label) // 2
    cut = min((i for i, ch in enumerate(label) if ch == " "), key=lambda i: abs(i - middle))
    return f"{label[:cut]}\n{label[cut + 1:]}"
