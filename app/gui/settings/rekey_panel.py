"""Settings → Register key: a new data key after a suspected compromise (administrators)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from app.core.clock import utc_now
from app.core.i18n import _
from app.core.progress import Progress
from app.gui.common.errors import message_for
from app.gui.common.session import Session
from app.gui.common.widgets import error_label, set_error
from app.store import rekey


class RekeyPanel(QGroupBox):
    """When the key has changed the register is closed: `on_rekeyed(key, sheet, intro)` locks the
    program and shows the new recovery key (RecoveryKeyDialog) over the unlock window."""

    def __init__(self, session: Session, on_rekeyed: Callable[[str, Callable[[], bytes], str], None]) -> None:
        super().__init__(_("Change the register's key"))
        self.session = session
        self.on_rekeyed = on_rekeyed
        intro = QLabel(_(
            "Change the register's key when you think someone has a copy of the register together with a "
            "passphrase or the recovery key: a lost USB stick with a backup, a stolen computer, a passphrase "
            "written on a note.\n\n"
            "Afterwards the register opens only with your passphrase and a new recovery key; the old recovery key "
            "stops working and the other users need a new passphrase from you (Settings → Users). "
            "Copies made before the change (old backups, a stolen copy) still open with the old passphrases: "
            "collect or destroy them. A backup is made first, and the program locks when it is done."))
        intro.setWordWrap(True)
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("rekey_passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.start = QPushButton(_("Change the register's &key…"))
        self.start.setObjectName("rekey_start")
        self.error = error_label()
        self.passphrase.setMaximumWidth(360)
        form = QFormLayout()
        form.addRow(_("Your &passphrase"), self.passphrase)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.start, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.error)
        self.start.clicked.connect(self.submit)
        self.passphrase.returnPressed.connect(self.submit)

    def submit(self) -> None:
        set_error(self.error, None)
        secret = self.passphrase.text()
        if not secret:
            set_error(self.error, _("Type your passphrase: it stays the one that opens the register."))
            self.passphrase.setFocus()
            return
        answer = QMessageBox.question(
            self, _("Change the register's key"),
            _("Change the key now? Other users will need new passphrases and the old recovery key will stop "
              "working."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.start.setEnabled(False)
        counts = Progress()
        self.session.run(lambda register: rekey.rekey(register, secret, counts), self._done, self._failed,
                         progress_parent=self, label=_("Changing the register's key…"), counts=counts)

    def _failed(self, error: BaseException) -> None:
        self.start.setEnabled(True)
        set_error(self.error, message_for(error))

    def _done(self, result: rekey.RekeyResult) -> None:
        self.passphrase.clear()
        info = self.session.info
        key = result.recovery_key.formatted()

        def sheet() -> bytes:
            from app.reports.recovery_sheet import recovery_sheet_pdf

            return recovery_sheet_pdf(info.unit, info.register_id, key, utc_now())

        intro = _("The register has a new key. This is its new recovery key; the old one no longer works.")
        if result.need_passphrase:
            intro += "\n" + _("Give these users a new passphrase (Settings → Users): {logins}").format(
                logins=", ".join(result.need_passphrase))
        self.on_rekeyed(key, sheet, intro)
