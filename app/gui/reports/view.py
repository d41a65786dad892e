"""The Reports screen: a month's activity form, the records behind each number, closing, print, export.

Forms are made after a month ends, so the screen opens on the previous month.
Every number comes from one `MonthlyReport` made on the worker; print,
preview and the exported files are made from that same report, so what is
printed is what is on the screen.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.clock import today
from app.core.i18n import _
from app.core.progress import Cancelled, Progress
from app.core.roles import Permission
from app.core.unit import RegisterRole
from app.gui.common.errors import show_error
from app.gui.common.printing import preview_dialog, print_pdf
from app.gui.common.session import Session
from app.gui.common.tables import table_view
from app.gui.common.widgets import heading
from app.gui.reports.form_models import AmendmentsModel, FormModel, ValueColumn, fit_columns, wrap_heading
from app.gui.reports.records_panel import RecordsPanel
from app.gui.reports.trends_panel import TrendsPanel
from app.gui.reports.dhis2_dialog import Dhis2Button
from app.gui.reports.work import (Shown, choose_form_file, default_month, load_report, month_title, number, pdf_trends,
                                  report_bytes, status_text, write_report)
from app.reports import closing
from app.reports.form_file import FormFile, forms_folder
from app.reports.monthly import MonthlyReport
from app.reports.period import Month

EXPORT_FORMATS = ("pdf", "xlsx", "csv", "json")


class ReportsView(QWidget):
    open_client = Signal(str)

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.month = default_month()
        self.shown: Shown | None = None
        self._generation = 0
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

        self.model = FormModel(lambda code: session.info.lookups.label("service", code))
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

        self.records_panel = RecordsPanel(session, self.district, self.case_worker)
        self.records_panel.open_client.connect(self.open_client)
        self.records = self.records_panel.model  # what tests and the drill-down read
        self.records_view = self.records_panel.view
        self.records_title = self.records_panel.title

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
        self.dhis2_button = Dhis2Button(session, lambda: self.shown and self.shown.report, self)
        self.with_trends = QCheckBox(_("PDF with the &trends page"))
        self.with_trends.setObjectName("pdf_trends")
        self.with_trends.setToolTip(_("Add a last page with the twelve-month charts to the printed and exported PDF."))
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
        self.trends = TrendsPanel(session, self.district)
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

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.table)
        splitter.addWidget(self.records_panel)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([640, 520])
        form_page = QWidget()
        page = QVBoxLayout(form_page)
        page.setContentsMargins(0, 4, 0, 0)
        page.addWidget(splitter, 1)

        self.amendments_box = QWidget()
        box = QVBoxLayout(self.amendments_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.amendments_title)
        box.addWidget(self.amendments_view)
        self.amendments_box.hide()
        page.addWidget(self.amendments_box)
        self.pages = QTabWidget()
        self.pages.setObjectName("report_pages")
        self.pages.addTab(form_page, _("Monthly form"))
        self.pages.addTab(self.trends, _("Twelve-month trends"))
        layout.addWidget(self.pages, 1)

        buttons = QHBoxLayout()
        for button in (self.preview_button, self.print_button, *self.export_buttons.values(), self.with_trends,
                       self.dhis2_button, None, self.choose_form_button, self.close_button):
            buttons.addWidget(button) if button is not None else buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        # Choosing the form and freezing a month are the chair's work (close_month checks it too).
        self.choose_form_button.setVisible(self.admin)
        self.close_button.setVisible(self.admin)

        order = [self.previous_button, self.next_button, *([self.column_choice] if self.district else []),
                 self.table, self.records_view, self.amendments_view, self.preview_button, self.print_button,
                 *self.export_buttons.values(), self.with_trends, self.dhis2_button, self.choose_form_button,
                 self.close_button]
        for first, second in zip(order, order[1:]):
            QWidget.setTabOrder(first, second)

    def _connect(self) -> None:
        self.previous_button.clicked.connect(lambda: self.show_month(self.month.previous()))
        self.next_button.clicked.connect(lambda: self.show_month(self.month.next()))
        self.column_choice.currentIndexChanged.connect(lambda _index: self._fill_table())
        self.table.clicked.connect(self.drill)
        self.table.activated.connect(self.drill)  # Enter (and double-click) on a number
        self.preview_button.clicked.connect(self.print_preview)
        self.print_button.clicked.connect(self.print_report)
        for fmt, button in self.export_buttons.items():
            button.clicked.connect(lambda _checked=False, f=fmt: self.export(f))
        self.choose_form_button.clicked.connect(self.choose_form)
        self.pages.currentChanged.connect(lambda _index: self._show_trends())
        self.close_button.clicked.connect(self.close_month)

    # --- loading ---------------------------------------------------------------------------
    def show_month(self, month: Month) -> None:
        current = Month.of(today())
        self.month = min(month, current)  # a form of a month that has not begun has nothing to count
        self.month_label.setText(month_title(self.month))
        self.next_button.setEnabled(self.month < current)
        self._drilled = None
        self.records_panel.clear()
        self._show_trends()
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
        self.status.setText(status_text(shown))
        self._fill_column_choice(report)
        self._fill_table()
        self._show_amendments(report)
        self._enable_actions(True)
        if self._drilled is not None:  # the records changed: list the cell's records again
            month, row, column = self._drilled
            self._drilled = None
            self._drill(row, column)

    def show_trends(self, month: Month) -> None:
        """The twelve months to `month` (the Today screen's charts open here)."""
        self.show_month(month)
        self.pages.setCurrentWidget(self.trends)

    def _show_trends(self) -> None:
        """Counted when their page is open, once per month (and again after changes)."""
        if self.pages.currentWidget() is self.trends and self.trends.month != self.month:
            self.trends.show_month(self.month)

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
            return [ValueColumn(wrap_heading(column.label), column.code) for column in report.form.columns]
        chosen = self.column_choice.currentData() or report.form.columns[0].code
        points = sorted(report.result.by_point)
        return [*(ValueColumn(point, chosen, point) for point in points), ValueColumn(_("Total"), chosen)]

    def _fill_table(self) -> None:
        report = self.shown.report if self.shown else None
        fit_columns(self.table, self.model, report, self._value_columns(report) if report else [])

    def _show_amendments(self, report: MonthlyReport) -> None:
        self.amendments.set_rows(report.amendments)
        self.amendments_title.setText("<b>{}</b>".format(_("Amendments to closed months")))
        self.amendments_box.setVisible(bool(report.amendments))

    def _enable_actions(self, enabled: bool) -> None:
        for button in (self.preview_button, self.print_button, *self.export_buttons.values(), self.dhis2_button,
                       self.close_button):
            button.setEnabled(enabled)
        if enabled and self.shown is not None and self.shown.report.closure is not None:
            self.close_button.setEnabled(False)  # already closed: the status line says when and by whom

    def _on_changed(self, change: dict) -> None:
        relevant = (change.get("records") or change.get("month_closed") or change.get("catalogs")
                    or "report_form" in change.get("settings", {}) or "unit_name" in change.get("settings", {}))
        if not relevant:
            return
        self.trends.month = None  # counted again when their page is next open
        self._show_trends()
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
        self._drill(row, column)

    def _drill(self, row: str, column: ValueColumn) -> None:
        self._drilled = (self.month, row, column)
        self.records_panel.load(self.shown, self.month, row, column, self.model.value(row, column))

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
        wanted = self.with_trends.isChecked()
        self.session.run(lambda register: report_bytes(report, "pdf", pdf_trends(register, report, wanted)), then,
                         lambda error: show_error(self, error),
                         progress_parent=self, label=_("Preparing the form for printing…"))

    def print_preview(self) -> None:
        if self.shown is not None:
            self._with_pdf(self._open_preview)

    def _open_preview(self, pdf: bytes) -> QPrintPreviewDialog:
        """A real preview: the pages of the very PDF that is printed or exported."""
        dialog, self._preview_printer = preview_dialog(self, pdf, self._document_title())
        dialog.finished.connect(self._preview_closed)
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
        wanted = self.with_trends.isChecked() and fmt == "pdf"
        self.session.run(lambda register: write_report(report, fmt, target, pdf_trends(register, report, wanted)),
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

