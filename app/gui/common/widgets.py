"""Small widgets shared by several screens."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from app.core.i18n import _
from app.core.passphrase import assess

ERROR_STYLE = "color: #b00020;"
_STRENGTH_COLOURS = ("#b00020", "#c77700", "#2e7d32", "#1b5e20")


def error_label() -> QLabel:
    """A red label for a message beside or under a field; empty hides it."""
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def set_error(label: QLabel, text: str | None) -> None:
    label.setText(text or "")
    label.setVisible(bool(text))


def heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.4)
    font.setBold(True)
    label.setFont(font)
    return label


def monospace(label: QLabel, scale: float = 1.6) -> QLabel:
    font = QFont("Liberation Mono")
    font.setStyleHint(QFont.StyleHint.Monospace)
    font.setPointSizeF(label.font().pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    return label


class PassphraseFields(QWidget):
    """New passphrase twice, with a strength bar and a hint that update as you type."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first = QLineEdit()
        self.first.setEchoMode(QLineEdit.EchoMode.Password)
        self.first.setObjectName("new_passphrase")
        self.second = QLineEdit()
        self.second.setEchoMode(QLineEdit.EchoMode.Password)
        self.second.setObjectName("repeat_passphrase")
        self.meter = QProgressBar()
        self.meter.setRange(0, 3)
        self.meter.setTextVisible(False)
        self.meter.setMaximumHeight(8)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.error = error_label()
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.first_label = QLabel(_("New passphrase"))
        self.second_label = QLabel(_("Type it again"))
        form.addRow(self.first_label, self.first)
        strength = QVBoxLayout()
        strength.setSpacing(2)
        strength.addWidget(self.meter)
        strength.addWidget(self.hint)
        form.addRow("", strength)
        form.addRow(self.second_label, self.second)
        form.addRow("", self.error)
        self.first_label.setBuddy(self.first)
        self.second_label.setBuddy(self.second)
        self.first.textChanged.connect(self._update)
        self.second.textChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        strength = assess(self.first.text())
        self.meter.setValue(strength.level if self.first.text() else 0)
        colour = _STRENGTH_COLOURS[strength.level]
        self.meter.setStyleSheet(f"QProgressBar::chunk {{ background: {colour}; }}")
        if not self.first.text():
            self.hint.setText(_("At least 8 characters. Three or four unrelated words are easy to remember and hard to guess."))
        else:
            self.hint.setText(_("Strength: {label}").format(label=strength.label))
        set_error(self.error, None)
        self.changed.emit()

    def passphrase(self) -> str:
        return self.first.text()

    def repeated(self) -> str:
        return self.second.text()

    def show_error(self, text: str) -> None:
        set_error(self.error, text)

    def clear(self) -> None:
        self.first.clear()
        self.second.clear()
