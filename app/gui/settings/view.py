"""Settings: language and auto-lock, the unit's names, users, backups, own passphrase."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import UserError
from app.core.i18n import _
from app.core.passphrase import check_new
from app.core.roles import Permission
from app.gui.settings.backup_panel import BackupPanel
from app.gui.settings.catalogs_panel import CatalogsPanel
from app.gui.common.errors import message_for
from app.gui.settings.escrow_panel import escrow_box
from app.gui.settings.law_panel import LawPanel
from app.gui.settings.rekey_panel import RekeyPanel
from app.gui.common.session import Session
from app.gui.settings.staff_panel import StaffPanel
from app.gui.settings.users_panel import UsersPanel
from app.gui.common.widgets import PassphraseFields, error_label, heading, set_error
from app.store import settings as register_settings
from app.store import users

LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}


def _saved_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet("color: #2e7d32;")
    return label


class GeneralPanel(QWidget):
    def __init__(self, session: Session, language: str, on_language: Callable[[str], None]) -> None:
        super().__init__()
        self.session = session
        self.on_language = on_language
        self.language = QComboBox()
        self.language.setObjectName("language")
        for code, name in LANGUAGE_NAMES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(list(LANGUAGE_NAMES).index(language))
        self.auto_lock = QSpinBox()
        self.auto_lock.setObjectName("auto_lock_minutes")
        self.auto_lock.setRange(1, 240)
        self.auto_lock.setSuffix(" " + _("minutes"))
        self.auto_lock.setValue(session.info.settings["auto_lock_minutes"])
        self.auto_lock.setEnabled(session.can(Permission.MANAGE_SETTINGS))
        self.save = QPushButton(_("Save"))
        self.save.setObjectName("save_general")
        self.error = error_label()
        self.saved = _saved_label()
        form = QFormLayout(self)
        form.addRow(_("&Language"), self.language)
        form.addRow(_("&Lock after"), self.auto_lock)
        form.addRow("", QLabel(_("The register locks itself when nobody uses the program for this long.")))
        buttons = QHBoxLayout()
        buttons.addWidget(self.save)
        buttons.addWidget(self.saved, 1)
        form.addRow("", buttons)
        form.addRow("", self.error)
        self.save.clicked.connect(self.submit)

    def submit(self) -> None:
        set_error(self.error, None)
        language = self.language.currentData()
        minutes = self.auto_lock.value()

        def saved(changed: dict) -> None:
            self.saved.setText(_("Saved."))
            if changed:
                self.session.publish({"settings": changed})
            self.on_language(language)

        if self.session.can(Permission.MANAGE_SETTINGS):
            self.session.run(lambda reg: register_settings.update(reg, {"auto_lock_minutes": minutes}),
                             saved, lambda error: set_error(self.error, message_for(error)))
        else:
            saved({})


class UnitPanel(QWidget):
    FIELDS = ("unit_name", "office_name", "unit_address", "place_name")

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        info = session.info
        editable = session.can(Permission.MANAGE_SETTINGS)
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout(self)
        form.addRow(_("Role"), QLabel(info.unit.role.label))
        form.addRow(_("Unit code"), QLabel(info.unit.code))
        labels = {"unit_name": _("Unit &name"), "office_name": _("Receiving &office"),
                  "unit_address": _("&Address"), "place_name": _("&Place name on forms")}
        for name in self.FIELDS:
            edit = QLineEdit(str(info.settings.get(name, "")))
            edit.setObjectName(name)
            edit.setReadOnly(not editable)
            self.edits[name] = edit
            form.addRow(labels[name], edit)
        form.addRow("", QLabel(_("Place name example: Long Xuyên (printed as “Long Xuyên, ngày … tháng … năm …”).")))
        self.save = QPushButton(_("Save"))
        self.save.setObjectName("save_unit")
        self.save.setEnabled(editable)
        self.error = error_label()
        self.saved = _saved_label()
        buttons = QHBoxLayout()
        buttons.addWidget(self.save)
        buttons.addWidget(self.saved, 1)
        form.addRow("", buttons)
        form.addRow("", self.error)
        self.save.clicked.connect(self.submit)

    def submit(self) -> None:
        values = {name: edit.text() for name, edit in self.edits.items()}
        if not values["unit_name"].strip():
            set_error(self.error, _("Unit name: this field is required"))
            return
        set_error(self.error, None)

        def saved(changed: dict) -> None:
            self.saved.setText(_("Saved."))
            if changed:
                self.session.publish({"settings": changed})

        self.session.run(lambda reg: register_settings.update(reg, values), saved,
                         lambda error: set_error(self.error, message_for(error)))


class PassphrasePanel(QWidget):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.current = QLineEdit()
        self.current.setObjectName("current_passphrase")
        self.current.setEchoMode(QLineEdit.EchoMode.Password)
        self.fields = PassphraseFields()
        self.save = QPushButton(_("Change passphrase"))
        self.save.setObjectName("change_passphrase")
        self.error = error_label()
        self.saved = _saved_label()
        form = QFormLayout()
        form.addRow(_("&Current passphrase"), self.current)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Signed in as {login}.").format(login=session.info.user.login)))
        layout.addLayout(form)
        layout.addWidget(self.fields)
        row = QHBoxLayout()
        row.addWidget(self.save)
        row.addWidget(self.saved, 1)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.save.clicked.connect(self.submit)

    def submit(self) -> None:
        set_error(self.error, None)
        self.saved.clear()
        try:
            new = check_new(self.fields.passphrase(), self.fields.repeated())
        except UserError as error:
            self.fields.show_error(error.message)
            return
        current = self.current.text()

        def done(_user) -> None:
            self.current.clear()
            self.fields.clear()
            self.saved.setText(_("Passphrase changed. Use the new one next time you unlock."))

        self.session.run(lambda reg: users.change_own_passphrase(reg, current, new), done,
                         lambda error: set_error(self.error, message_for(error)), progress_parent=self)


class SettingsView(QWidget):
    def __init__(self, session: Session, language: str, on_language: Callable[[str], None],
                 on_rekeyed: Callable[..., None] = lambda *_args: None) -> None:
        super().__init__()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("settings_tabs")
        self.general = GeneralPanel(session, language, on_language)
        self.tabs.addTab(self.general, _("General"))
        self.tabs.addTab(UnitPanel(session), _("Unit"))
        if session.can(Permission.CASE_WORK):
            self.tabs.addTab(StaffPanel(session), _("Staff and volunteers"))
        if session.can(Permission.MANAGE_SETTINGS):
            self.tabs.addTab(CatalogsPanel(session), _("Catalogs"))
        if session.can(Permission.MANAGE_USERS):
            self.tabs.addTab(UsersPanel(session), _("Users"))
        if session.can(Permission.BACKUP):
            self.tabs.addTab(BackupPanel(session), _("Backups"))
        self.tabs.addTab(LawPanel(session), _("Legal terms"))
        self.tabs.addTab(PassphrasePanel(session), _("My passphrase"))
        if session.can(Permission.MANAGE_USERS):
            self.rekey = RekeyPanel(session, on_rekeyed)
            self.escrow = escrow_box(session)
            keys = QWidget()
            keys.setObjectName("KeysPanel")
            column = QVBoxLayout(keys)
            column.addWidget(self.rekey)
            column.addWidget(self.escrow)
            column.addStretch(1)
            self.tabs.addTab(keys, _("Register key"))
        layout = QVBoxLayout(self)
        layout.addWidget(heading(_("Settings")))
        layout.addWidget(self.tabs, 1)
