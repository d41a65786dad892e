"""Restoring a backup: choose the file, open it with a passphrase it knows, see what it holds, restore.

Used from Settings (the open register is closed first) and from the setup
wizard on a new computer. Nothing is replaced until the backup has been
opened and checked; the register it replaces is kept beside it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.clock import local_datetime_text, parse_stamp
from app.core.i18n import _
from app.gui.common.errors import message_for
from app.gui.common.forms import date_text
from app.gui.common.tasks import TaskRunner
from app.gui.common.widgets import error_label, set_error
from app.store import backup


class RestoreDialog(QDialog):
    """Emits `restore_confirmed(path, login, passphrase)` after a successful preview and confirmation."""

    restore_confirmed = Signal(object, object, str)

    def __init__(self, runner: TaskRunner, target: Path, login: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.target = Path(target)
        self.setWindowTitle(_("Restore from a backup"))
        intro = QLabel(_("The backup opens with the passphrases that were valid when it was made. Nothing is "
                         "replaced before it has been opened and checked; the register it replaces is kept "
                         "beside it.\nRestore into: {path}").format(path=self.target))
        intro.setWordWrap(True)
        self.file = QLineEdit()
        self.file.setObjectName("restore_file")
        self.file.setReadOnly(True)
        choose = QPushButton(_("Choose &file…"))
        self.login = QLineEdit(login or "admin")
        self.login.setObjectName("restore_login")
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("restore_passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.check_button = QPushButton(_("&Open and check the backup"))
        self.check_button.setObjectName("check_backup")
        self.preview = QLabel()
        self.preview.setObjectName("backup_preview")
        self.preview.setWordWrap(True)
        self.error = error_label()
        file_row = QHBoxLayout()
        file_row.addWidget(self.file, 1)
        file_row.addWidget(choose)
        form = QFormLayout()
        form.addRow(_("Backup file"), file_row)
        form.addRow(_("&User name"), self.login)
        form.addRow(_("&Passphrase"), self.passphrase)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.restore_button.setText(_("&Restore"))
        self.restore_button.setObjectName("restore_now")
        self.restore_button.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.check_button)
        layout.addWidget(self.preview)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        choose.clicked.connect(self._choose)
        self.check_button.clicked.connect(self.check)
        self.buttons.accepted.connect(self._confirm)
        self.buttons.rejected.connect(self.reject)
        for edit in (self.login, self.passphrase):
            edit.textEdited.connect(lambda _text: self.restore_button.setEnabled(False))
        self.setMinimumWidth(620)

    def _choose(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Choose the backup"), str(Path.home()), _("Tư Vấn backup (*.tvbak)"))
        if path:
            self.file.setText(path)
            self.restore_button.setEnabled(False)

    def check(self) -> None:
        path, login, secret = Path(self.file.text()), self.login.text().strip() or None, self.passphrase.text()
        set_error(self.error, None)
        self.preview.clear()
        self.check_button.setEnabled(False)
        self.runner.run(lambda: backup.preview_backup(path, login, secret), self._previewed, self._failed,
                        progress_parent=self, label=_("Opening the backup…"))

    def _previewed(self, preview: backup.BackupPreview) -> None:
        self.check_button.setEnabled(True)
        counts = preview.counts
        self.preview.setText(_(
            "Backup of {name} ({code}) made on {made}.\nIt holds {clients} clients, {contacts} counselling "
            "contacts, {referrals} referrals and {users} users; the latest contact is of {latest}.").format(
            name=preview.unit_name, code=preview.unit_code,
            made=local_datetime_text(parse_stamp(preview.manifest.created_at)),
            clients=counts.get("clients", 0), contacts=counts.get("contacts", 0),
            referrals=counts.get("referrals", 0), users=counts.get("users", 0),
            latest=date_text(preview.latest_contact) or "—"))
        self.restore_button.setEnabled(True)

    def _failed(self, error: BaseException) -> None:
        self.check_button.setEnabled(True)
        self.restore_button.setEnabled(False)
        set_error(self.error, message_for(error))

    def _confirm(self) -> None:
        answer = QMessageBox.question(self, _("Restore from a backup"), _(
            "Replace the register in {path} with this backup? Changes made after the backup will no longer be "
            "in the register (the replaced register is kept in a folder beside it).").format(path=self.target))
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.accept()
        self.restore_confirmed.emit(Path(self.file.text()), self.login.text().strip() or None, self.passphrase.text())
