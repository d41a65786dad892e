"""Settings → Register key, second half: escrow with the receiving office (docs/design.md §2).

A point's administrator allows or withdraws the office's help; an office's administrator writes
a temporary passphrase into a point's key-slot file brought on a USB stick.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import UserError
from app.core.i18n import _
from app.core.passphrase import check_new
from app.gui.common.errors import message_for
from app.gui.common.session import Session
from app.gui.common.widgets import PassphraseFields, error_label, set_error
from app.sync import escrow


def _names(offices) -> str:
    return ", ".join(o.unit_name or o.unit_code for o in offices)


class PointEscrowBox(QGroupBox):
    """At a point: may the receiving office help when every passphrase is lost?"""

    def __init__(self, session: Session) -> None:
        super().__init__(_("Help from the receiving office"))
        self.session = session
        explain = QLabel(_(
            "If every passphrase and the recovery sheet are lost, the receiving office can give the administrator "
            "a new passphrase, but only if you allow it here. The office never receives the register: someone "
            "brings it the small file keyslots.json from the register folder. Allow it only if you trust the "
            "office with your clients' data."))
        explain.setWordWrap(True)
        self.status = QLabel()
        self.status.setObjectName("escrow_status")
        self.status.setWordWrap(True)
        self.allow = QPushButton(_("&Allow the office's help"))
        self.allow.setObjectName("escrow_allow")
        self.withdraw = QPushButton(_("&Withdraw it"))
        self.withdraw.setObjectName("escrow_withdraw")
        self.error = error_label()
        buttons = QHBoxLayout()
        buttons.addWidget(self.allow)
        buttons.addWidget(self.withdraw)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        self.allow.clicked.connect(lambda: self._do(escrow.allow))
        self.withdraw.clicked.connect(lambda: self._do(lambda register: escrow.withdraw(register) or []))
        self.refresh()

    def refresh(self) -> None:
        self.session.run(escrow.offices, self._show, lambda error: set_error(self.error, message_for(error)))

    def _show(self, offices) -> None:
        self.status.setText(_("Allowed: {offices} can help.").format(offices=_names(offices)) if offices
                            else _("Not allowed: no office can open this register's key."))
        self.withdraw.setEnabled(bool(offices))

    def _do(self, work) -> None:
        set_error(self.error, None)
        self.session.run(work, self._show, lambda error: set_error(self.error, message_for(error)))


class OfficeRescueBox(QGroupBox):
    """At an office: a temporary passphrase for a point's administrator, written into its keyslots.json."""

    def __init__(self, session: Session) -> None:
        super().__init__(_("Help a point that lost every passphrase"))
        self.session = session
        explain = QLabel(_(
            "Only for points that allowed this office's help. Ask for the file keyslots.json from the point's "
            "register folder (on a USB stick), choose it here with a temporary passphrase, then give the file back: "
            "it goes into the register folder while the program is closed, and the point's administrator "
            "chooses a new passphrase at once."))
        explain.setWordWrap(True)
        self.path = QLineEdit()
        self.path.setObjectName("rescue_file")
        self.path.setPlaceholderText("keyslots.json")
        browse = QPushButton(_("&Choose the file…"))
        self.fields = PassphraseFields()
        self.fields.first_label.setText(_("Temporary passphrase"))
        self.write = QPushButton(_("&Write the temporary passphrase into the file"))
        self.write.setObjectName("rescue_write")
        self.result = QLabel()
        self.result.setObjectName("rescue_result")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error = error_label()
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addLayout(row)
        layout.addWidget(self.fields)
        layout.addWidget(self.write, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.result)
        layout.addWidget(self.error)
        browse.clicked.connect(self._browse)
        self.write.clicked.connect(self.submit)

    def _browse(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("The point's keyslots.json"), str(Path.home()),
                                                    "keyslots.json (*.json)")
        if path:
            self.path.setText(path)

    def submit(self) -> None:
        set_error(self.error, None)
        self.result.clear()
        if not self.path.text().strip():
            set_error(self.error, _("Choose the point's keyslots.json first."))
            return
        try:
            secret = check_new(self.fields.passphrase(), self.fields.repeated())
        except UserError as error:
            self.fields.show_error(error.message)
            return
        path = Path(self.path.text().strip())

        def done(rescue: escrow.Rescue) -> None:
            self.fields.clear()
            self.result.setText(_(
                "Done for {unit}. Give the file back: it replaces keyslots.json in the point's register folder "
                "(program closed); the administrator unlocks with the temporary passphrase and changes it at once."
            ).format(unit=rescue.unit_code or rescue.register_id))

        self.session.run(lambda register: escrow.rescue(register, path, secret), done,
                         lambda error: set_error(self.error, message_for(error)), progress_parent=self)


def escrow_box(session: Session) -> QWidget:
    return PointEscrowBox(session) if session.info.unit.role.value == "point" else OfficeRescueBox(session)
