"""The setup wizard: a new register, its unit, the first administrator, the recovery sheet.

Pages check their own fields and show messages beside them. The register is
created on the worker thread when the administrator page is accepted; the
last page shows the recovery key once and offers to print or save it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.core.clock import utc_now
from app.core.errors import InvalidInput, UserError
from app.core.i18n import _
from app.core.passphrase import check_new
from app.core.unit import RegisterRole, Unit, check_login, check_required, make_unit
from app.gui.common.errors import message_for
from app.gui.shell.help_window import add_help_key, show_help
from app.gui.shell.recovery_key_box import RecoveryKeyBox
from app.gui.common.tasks import TaskRunner
from app.gui.common.widgets import PassphraseFields, error_label, set_error
from app.store.register import create_register


class UnitPage(QWizardPage):
    def __init__(self, default_root: Path) -> None:
        super().__init__()
        self.setTitle(_("The unit that keeps this register"))
        self.setSubTitle(_("These names are printed on reports. You can change the names later in Settings."))
        self.point = QRadioButton(_("Consultation point: keeps the case register of its clients"))
        self.district = QRadioButton(_("Receiving office (district role): imports and merges the points' bundles"))
        self.point.setChecked(True)
        self.roles = QButtonGroup(self)
        self.roles.addButton(self.point)
        self.roles.addButton(self.district)
        self.code = QLineEdit()
        self.code.setObjectName("unit_code")
        self.code.setPlaceholderText(_("e.g. MYHOA-01"))
        self.name = QLineEdit()
        self.name.setObjectName("unit_name")
        self.name.setPlaceholderText(_("e.g. Điểm tư vấn, chăm sóc, hỗ trợ điều trị nghiện xã Mỹ Hòa"))
        self.office = QLineEdit()
        self.office.setObjectName("office_name")
        self.office.setPlaceholderText(_("e.g. Ủy ban nhân dân xã Mỹ Hòa"))
        self.folder = QLineEdit(str(default_root))
        self.folder.setObjectName("register_folder")
        browse = QPushButton(_("Choose…"))
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        self.errors = {key: error_label() for key in ("code", "name", "folder")}
        form = QFormLayout(self)
        form.addRow(_("Role"), self.point)
        form.addRow("", self.district)
        form.addRow(_("Unit &code"), self.code)
        form.addRow("", self.errors["code"])
        form.addRow(_("Unit &name"), self.name)
        form.addRow("", self.errors["name"])
        form.addRow(_("Receiving &office"), self.office)
        folder_label = QLabel(_("Register &folder"))
        folder_label.setBuddy(self.folder)
        form.addRow(folder_label, folder_row)
        form.addRow("", self.errors["folder"])
        # Two other ways to start: look around with made-up data, or bring back a backup (a new PC).
        self.demo_button = QPushButton(_("Try the program with &demo data…"))
        self.demo_button.setObjectName("try_demo")
        self.restore_button = QPushButton(_("Restore a &backup instead…"))
        self.restore_button.setObjectName("restore_instead")
        others = QHBoxLayout()
        others.addWidget(self.demo_button)
        others.addWidget(self.restore_button)
        others.addStretch(1)
        form.addRow("", QLabel(""))
        form.addRow(_("Or"), others)

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, _("Choose the folder for the register"), self.folder.text())
        if chosen:
            self.folder.setText(str(Path(chosen) / "register"))

    def unit(self) -> Unit:
        role = RegisterRole.DISTRICT if self.district.isChecked() else RegisterRole.POINT
        return make_unit(role, self.code.text(), self.name.text(), self.office.text())

    def root(self) -> Path:
        return Path(self.folder.text().strip()).expanduser()

    def validatePage(self) -> bool:  # noqa: N802 (Qt name)
        ok = True
        for key, check in (("code", lambda: make_unit("point", self.code.text(), "x")),
                           ("name", lambda: check_required(self.name.text(), _("Unit name")))):
            try:
                check()
                set_error(self.errors[key], None)
            except UserError as error:
                set_error(self.errors[key], error.message)
                ok = False
        root = self.root()
        if not self.folder.text().strip():
            set_error(self.errors["folder"], _("Choose a folder for the register."))
            ok = False
        elif root.exists() and (not root.is_dir() or any(root.iterdir())):
            set_error(self.errors["folder"], _("This folder is not empty. Choose a new or empty folder."))
            ok = False
        else:
            set_error(self.errors["folder"], None)
        return ok


class AdminPage(QWizardPage):
    """The first administrator; accepting this page creates the register."""

    def __init__(self, wizard: "SetupWizard") -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(_("The first administrator"))
        self.setSubTitle(_("The administrator (usually the chair of the point board) adds the other users later."))
        self.full_name = QLineEdit()
        self.full_name.setObjectName("admin_full_name")
        self.login = QLineEdit("admin")
        self.login.setObjectName("admin_login")
        self.fields = PassphraseFields()
        self.errors = {key: error_label() for key in ("full_name", "login", "create")}
        self.errors["create"].setObjectName("create_error")
        form = QFormLayout()
        form.addRow(_("&Full name"), self.full_name)
        form.addRow("", self.errors["full_name"])
        form.addRow(_("&User name"), self.login)
        form.addRow("", self.errors["login"])
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.fields)
        layout.addWidget(self.errors["create"])
        layout.addStretch(1)

    def validatePage(self) -> bool:  # noqa: N802 (Qt name)
        if self._wizard.register is not None:
            return True
        if self._wizard.creating:
            return False
        ok = True
        checks = (("full_name", lambda: check_required(self.full_name.text(), _("Full name"))),
                  ("login", lambda: check_login(self.login.text())))
        for key, check in checks:
            try:
                check()
                set_error(self.errors[key], None)
            except UserError as error:
                set_error(self.errors[key], error.message)
                ok = False
        try:
            check_new(self.fields.passphrase(), self.fields.repeated())
        except UserError as error:
            self.fields.show_error(error.message)
            ok = False
        if ok:
            self._wizard.create(self.full_name.text(), self.login.text(), self.fields.passphrase())
        return False  # the wizard moves on by itself once the register exists

    def show_create_error(self, text: str | None) -> None:
        set_error(self.errors["create"], text)


class RecoveryPage(QWizardPage):
    def __init__(self, wizard: "SetupWizard") -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(_("Recovery key"))
        self.setSubTitle(_("If every passphrase is forgotten, only this key opens the register. "
                           "It is shown only now: print the sheet or write the key down, and keep it locked away."))
        self.box = RecoveryKeyBox(lambda: self._wizard.recovery_sheet())
        self.key, self.confirm = self.box.key, self.box.confirm
        layout = QVBoxLayout(self)
        layout.addWidget(self.box)
        self.box.confirmed.connect(lambda _on: self.completeChanged.emit())

    def initializePage(self) -> None:  # noqa: N802 (Qt name)
        self.key.setText(self._wizard.recovery_key)

    def isComplete(self) -> bool:  # noqa: N802 (Qt name)
        return self.confirm.isChecked()

    def save_to(self, path: Path) -> None:
        self.box.save_to(path)


class SetupWizard(QWizard):
    """Emits `created(register)` when the user finishes; the register is open."""

    created = Signal(object)
    demo_requested = Signal()
    restore_requested = Signal(object)  # the folder to restore into

    def __init__(self, runner: TaskRunner, default_root: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.register = None
        self.recovery_key = ""
        self.creating = False
        self._unit: Unit | None = None
        self.setWindowTitle(_("Tư Vấn: create a register"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setButtonText(QWizard.WizardButton.NextButton, _("&Next >"))
        self.setButtonText(QWizard.WizardButton.BackButton, _("< &Back"))
        self.setButtonText(QWizard.WizardButton.FinishButton, _("&Finish"))
        self.setButtonText(QWizard.WizardButton.CancelButton, _("Cancel"))
        self.setOption(QWizard.WizardOption.HaveHelpButton, True)
        self.setButtonText(QWizard.WizardButton.HelpButton, "?  " + _("Help"))
        self.button(QWizard.WizardButton.HelpButton).setToolTip(_("Help for this screen (F1)"))
        self.helpRequested.connect(self.show_help)
        add_help_key(self, self.show_help)
        self.unit_page = UnitPage(default_root)
        self.admin_page = AdminPage(self)
        self.recovery_page = RecoveryPage(self)
        for page in (self.unit_page, self.admin_page, self.recovery_page):
            self.addPage(page)
        self.unit_page.demo_button.clicked.connect(self.demo_requested)
        self.unit_page.restore_button.clicked.connect(lambda: self.restore_requested.emit(self.unit_page.root()))
        self.setMinimumSize(720, 560)

    def show_help(self):
        return show_help(self, "setup")

    def create(self, full_name: str, login: str, passphrase: str) -> None:
        try:
            unit, root = self.unit_page.unit(), self.unit_page.root()
        except InvalidInput as error:
            self.admin_page.show_create_error(error.message)
            return
        self.creating = True
        self._unit = unit
        self.admin_page.show_create_error(None)
        self.button(QWizard.WizardButton.NextButton).setEnabled(False)
        self.button(QWizard.WizardButton.BackButton).setEnabled(False)
        self.runner.run(
            lambda: create_register(root, unit=unit, admin_login=login,
                                    admin_full_name=full_name, passphrase=passphrase),
            self._created, self._failed, progress_parent=self, label=_("Creating the encrypted register…"))

    def _created(self, result) -> None:
        self.creating = False
        self.register, recovery = result
        self.recovery_key = recovery.formatted()
        self.button(QWizard.WizardButton.NextButton).setEnabled(True)
        self.next()

    def _failed(self, error: BaseException) -> None:
        self.creating = False
        self.button(QWizard.WizardButton.NextButton).setEnabled(True)
        self.button(QWizard.WizardButton.BackButton).setEnabled(True)
        self.admin_page.show_create_error(message_for(error))

    def recovery_sheet(self) -> bytes:
        from app.reports.recovery_sheet import recovery_sheet_pdf

        return recovery_sheet_pdf(self._unit, self.register.register_id, self.recovery_key, utc_now())

    def accept(self) -> None:
        super().accept()
        if self.register is not None:
            self.created.emit(self.register)
