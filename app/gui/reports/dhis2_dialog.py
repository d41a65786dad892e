"""Figures for DHIS2 from the Reports screen: what would be sent (the dry run), then the file
(app/reports/dhis2.py, docs/dhis2.md)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import UserError
from app.core.i18n import _
from app.core.roles import Permission
from app.gui.common.errors import show_error
from app.gui.common.session import Session
from app.gui.reports.work import month_title
from app.reports import dhis2, dhis2_mapping
from app.reports.dhis2 import Dhis2Export
from app.reports.monthly import MonthlyReport
from app.store.files import write_atomic


def dhis2_export_of(register, report: MonthlyReport) -> Dhis2Export:
    """On the register's thread: the register's mapping (checked against the form) applied to the report."""
    return dhis2.dhis2_export(report, dhis2_mapping.current(register.conn, report.form))


def choose_mapping_file(register, path: Path, report: MonthlyReport) -> Dhis2Export:
    """On the register's thread: make the file the register's mapping (a refusal names the file), then
    apply it to the report."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise dhis2_mapping.MappingFileError(file=path.name, where=_("file"), reason=str(error)) from None
    dhis2_mapping.choose(register, text, report.form, path.name)
    return dhis2_export_of(register, report)


class Dhis2Button(QPushButton):
    """Opens the DHIS2 dialog for the report the screen shows."""

    def __init__(self, session: Session, shown_report, parent: QWidget | None = None) -> None:
        super().__init__(_("&DHIS2 file…"), parent)
        self.setObjectName("dhis2_export")
        self.setToolTip(_("The month's figures as a file for DHIS2's data import (ADX or JSON), "
                          "after a look at what would be sent."))
        self.session, self.shown_report = session, shown_report
        self.dialog: Dhis2Dialog | None = None
        self.clicked.connect(self.open)

    def open(self) -> None:
        report = self.shown_report()
        if report is None:
            return
        self.session.run(lambda register: dhis2_export_of(register, report), lambda export: self._show(report, export),
                         lambda error: show_error(self.window(), error), progress_parent=self.window(),
                         label=_("Reading the DHIS2 mapping…"))

    def _show(self, report: MonthlyReport, export: Dhis2Export) -> None:
        self.dialog = Dhis2Dialog(report, export, self.window(), session=self.session)
        self.dialog.open()


class Dhis2Dialog(QDialog):
    def __init__(self, report: MonthlyReport, export: Dhis2Export, parent: QWidget | None = None,
                 session: Session | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dhis2_dialog")
        self.report, self.export, self.session = report, export, session
        self.setWindowTitle(_("Figures for DHIS2: {month}").format(month=month_title(report.month)))
        self.resize(760, 560)
        self.labels = {c.code: c.label for c in report.form.columns}

        self.adx = QRadioButton(_("&ADX (XML)"))
        self.json = QRadioButton(_("&JSON (dataValueSets)"))
        self.adx.setChecked(True)
        formats = QButtonGroup(self)
        for button in (self.adx, self.json):
            formats.addButton(button)
            button.toggled.connect(lambda _on: self._fill())
        self.summary = QPlainTextEdit()
        self.summary.setObjectName("dhis2_summary")
        self.summary.setReadOnly(True)
        self.saved = QLabel()
        self.saved.setObjectName("dhis2_saved")
        self.saved.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(_("&Save the file…"))
        self.save_button.setEnabled(bool(export.values))
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        # The codes are DHIS2's administrators' to give; choosing the file is the register administrator's.
        self.mapping_button = QPushButton(_("Choose the &mapping file…"))
        self.mapping_button.setObjectName("dhis2_mapping")
        self.mapping_button.clicked.connect(self.choose_mapping)
        self.buttons.addButton(self.mapping_button, QDialogButtonBox.ButtonRole.ResetRole)  # shows it: hide after
        self.mapping_button.setVisible(session is not None and session.can(Permission.MANAGE_SETTINGS))

        layout = QVBoxLayout(self)
        intro = QLabel(_("What the file would send to DHIS2 is listed below; nothing is sent from here. Carry the "
                         "file to the computer connected to DHIS2 and import it there with a dry run first."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Format:")))
        row.addWidget(self.adx)
        row.addWidget(self.json)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.summary, 1)
        layout.addWidget(self.saved)
        layout.addWidget(self.buttons)
        self._fill()

    @property
    def format(self) -> str:
        return "adx" if self.adx.isChecked() else "json"

    def _fill(self) -> None:
        self.summary.setPlainText("\n".join(dhis2.summary(self.export, self.format, self.labels)))

    def choose_mapping(self) -> None:
        path, _chosen = QFileDialog.getOpenFileName(self, _("Choose the DHIS2 mapping file"), str(Path.home()),
                                                    _("Mapping files (*.toml)"))
        if not path or self.session is None:
            return
        source, report = Path(path), self.report
        self.session.run(lambda register: choose_mapping_file(register, source, report), self._mapping_chosen,
                         lambda error: show_error(self, error), progress_parent=self,
                         label=_("Checking the mapping file…"))

    def _mapping_chosen(self, export: Dhis2Export) -> None:
        self.export = export
        self.save_button.setEnabled(bool(export.values))
        self._fill()
        self.saved.setText(_("From now on the register sends the cells of this mapping to the DHIS2 data set {data_set}.")
                           .format(data_set=export.data_set))

    def save(self) -> None:
        fmt = self.format
        name = f"dhis2-{self.report.unit.code}-{self.report.month.code}.{fmt}"
        filters = {"adx": _("ADX data (*.adx *.xml)"), "json": _("JSON data (*.json)")}
        path, _chosen = QFileDialog.getSaveFileName(self, _("Save the file for DHIS2"), str(Path.home() / name),
                                                    filters[fmt])
        if not path:
            return
        target = Path(path) if Path(path).suffix else Path(f"{path}.{fmt}")
        content = dhis2.to_adx(self.export) if fmt == "adx" else dhis2.to_json(self.export)
        try:
            write_atomic(target, content, mode=0o600)
        except UserError as error:  # a full disk, a stick taken out: write_atomic names it
            show_error(self, error)
            return
        self.saved.setText(_("Saved: {path}").format(path=target))
