"""Showing a recovery key once: the key, print or save the sheet, and "I have kept it".

Used by the setup wizard and after re-keying the register (which makes a new recovery key).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.i18n import _
from app.gui.common.errors import message_for
from app.gui.common.printing import print_pdf
from app.gui.common.widgets import monospace


class RecoveryKeyBox(QWidget):
    """`sheet()` makes the printable PDF; `confirmed` says the person has kept the key."""

    confirmed = Signal(bool)

    def __init__(self, sheet: Callable[[], bytes], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sheet = sheet
        self.key = monospace(QLabel())
        self.key.setObjectName("recovery_key_label")
        self.print_button = QPushButton(_("&Print the recovery sheet…"))
        self.save_button = QPushButton(_("&Save the sheet as PDF…"))
        self.saved = QLabel()
        self.saved.setWordWrap(True)
        self.confirm = QCheckBox(_("I have printed the sheet or written the key down, and will keep it safe"))
        self.confirm.setObjectName("confirm_recovery")
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.key)
        layout.addSpacing(8)
        layout.addLayout(buttons)
        layout.addWidget(self.saved)
        layout.addStretch(1)
        layout.addWidget(self.confirm)
        self.confirm.toggled.connect(self.confirmed)
        self.print_button.clicked.connect(lambda: print_pdf(self, self._sheet(), _("Recovery sheet")))
        self.save_button.clicked.connect(self._save)

    def _save(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Save the recovery sheet"), str(Path.home() / "phieu-khoa-khoi-phuc.pdf"), "PDF (*.pdf)")
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> None:
        from app.store.files import write_atomic

        try:
            write_atomic(path, self._sheet())
            self.saved.setText(_("Saved to {path}. Print it, then delete the file.").format(path=path))
        except OSError as error:
            self.saved.setText(message_for(error))


class RecoveryKeyDialog(QDialog):
    """The new recovery key after re-keying: it closes only once the person says it is kept."""

    def __init__(self, key: str, sheet: Callable[[], bytes], intro: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("New recovery key"))
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.box = RecoveryKeyBox(sheet)
        self.box.key.setText(key)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Done"))
        self.buttons.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.box, 1)
        layout.addWidget(self.buttons)
        self.box.confirmed.connect(self.buttons.setEnabled)
        self.buttons.accepted.connect(self.accept)
        self.setMinimumWidth(640)

    def reject(self) -> None:
        if self.box.confirm.isChecked():  # Esc or the window's close button only after confirming
            super().reject()
