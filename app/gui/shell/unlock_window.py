"""The unlock window: user name and passphrase, or the recovery key."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import UserError
from app.core.i18n import _
from app.gui.common.errors import message_for
from app.gui.shell.help_window import add_help_key, help_button, show_help
from app.gui.common.tasks import TaskRunner
from app.gui.common.widgets import PassphraseFields, error_label, heading, set_error
from app.store.register import Register, unlock, unlock_with_recovery_key
from app.store.throttle import UnlockThrottle


class UnlockWindow(QWidget):
    """Emits `unlocked(register)`; the register was opened on the worker thread."""

    unlocked = Signal(object)

    def __init__(self, runner: TaskRunner, root: Path, login: str = "", unit_name: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.root = Path(root)
        self.setWindowTitle(_("Tư Vấn: unlock the register"))
        self.title = heading(unit_name or _("Case register"))
        self.folder = QLabel(_("Register folder: {path}").format(path=self.root))
        self.folder.setWordWrap(True)
        self.folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.login = QLineEdit(login)
        self.login.setObjectName("login")
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = error_label()
        self.error.setObjectName("unlock_error")
        self.unlock_button = QPushButton(_("Unlock"))
        self.unlock_button.setObjectName("unlock_button")
        self.unlock_button.setDefault(True)
        self.recovery_button = QPushButton(_("Use recovery key…"))
        self.recovery_button.setObjectName("recovery_button")

        form = QFormLayout()
        login_label = QLabel(_("&User name"))
        login_label.setBuddy(self.login)
        pass_label = QLabel(_("&Passphrase"))
        pass_label.setBuddy(self.passphrase)
        form.addRow(login_label, self.login)
        form.addRow(pass_label, self.passphrase)
        self.help_button = help_button(self.show_help)
        add_help_key(self, self.show_help)
        buttons = QHBoxLayout()
        buttons.addWidget(self.help_button)
        buttons.addWidget(self.recovery_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 28)
        layout.addWidget(self.title)
        layout.addWidget(self.folder)
        layout.addSpacing(12)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.setMinimumSize(600, 360)

        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._tick)
        self.unlock_button.clicked.connect(self.try_unlock)
        self.passphrase.returnPressed.connect(self.try_unlock)
        self.login.returnPressed.connect(self.passphrase.setFocus)
        self.recovery_button.clicked.connect(self.open_recovery)
        (self.passphrase if login else self.login).setFocus()
        self._tick()

    # --- unlocking ------------------------------------------------------------
    def try_unlock(self) -> None:
        if not self.unlock_button.isEnabled():
            return
        login = self.login.text().strip() or None
        secret = self.passphrase.text()
        self._busy(True)
        root = self.root
        self.runner.run(lambda: unlock(root, login, secret), self._succeeded, self._failed,
                        progress_parent=self, label=_("Opening the register…"))

    def _succeeded(self, register: Register) -> None:
        self._busy(False)
        self.passphrase.clear()
        set_error(self.error, None)
        self.unlocked.emit(register)

    def _failed(self, error: BaseException) -> None:
        self._busy(False)
        self.passphrase.clear()
        set_error(self.error, message_for(error))
        self._tick()  # a failure may start a waiting time
        self.passphrase.setFocus()

    def _busy(self, busy: bool) -> None:
        for widget in (self.unlock_button, self.login, self.passphrase, self.recovery_button):
            widget.setEnabled(not busy)

    def _tick(self) -> None:
        """Keep the Unlock button disabled while failed attempts make us wait."""
        left = UnlockThrottle(self.root / "unlock-state.json").seconds_left()
        waiting = left > 0
        self.unlock_button.setEnabled(not waiting)
        if waiting:
            self.unlock_button.setText(_("Wait {seconds} s").format(seconds=left))
            if not self._countdown.isActive():
                self._countdown.start()
        else:
            self.unlock_button.setText(_("Unlock"))
            self._countdown.stop()

    def show_help(self):
        return show_help(self, "unlock")

    # --- recovery -----------------------------------------------------------
    def open_recovery(self) -> None:
        dialog = RecoveryDialog(self.runner, self.root, self.login.text().strip(), self)
        dialog.recovered.connect(self.unlocked)
        dialog.open()


class RecoveryDialog(QDialog):
    """Recovery key + new passphrase; on success the register is open."""

    recovered = Signal(object)

    def __init__(self, runner: TaskRunner, root: Path, login: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.root = root
        self.setWindowTitle(_("Use the recovery key"))
        intro = QLabel(_("Type the recovery key from the printed recovery sheet, then choose a new passphrase "
                         "for the user. Dashes and spaces do not matter."))
        intro.setWordWrap(True)
        self.key = QLineEdit()
        self.key.setObjectName("recovery_key")
        self.key.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
        self.login = QLineEdit(login or "admin")
        self.login.setObjectName("recovery_login")
        self.fields = PassphraseFields()
        self.error = error_label()
        self.error.setObjectName("recovery_error")
        form = QFormLayout()
        form.addRow(_("Recovery key"), self.key)
        form.addRow(_("User name"), self.login)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Set passphrase and unlock"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.fields)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.setMinimumWidth(640)

    def submit(self) -> None:
        from app.core.passphrase import check_new

        try:
            secret = check_new(self.fields.passphrase(), self.fields.repeated())
        except UserError as error:
            self.fields.show_error(error.message)
            return
        key, login, root = self.key.text(), self.login.text().strip() or None, self.root
        self.buttons.setEnabled(False)
        self.runner.run(lambda: unlock_with_recovery_key(root, key, login, secret),
                        self._succeeded, self._failed, progress_parent=self)

    def _succeeded(self, register: Register) -> None:
        self.accept()
        self.recovered.emit(register)

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        set_error(self.error, message_for(error))
