"""Keyboard-first forms: labelled fields, a message beside each field, values as a dict.

A `Form` knows its fields by the names the repositories use, so a
`FieldErrors` from app/core/validate lands beside the right field and the
first field with a problem gets the focus.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.core import clock
from app.core.fields import parse_date
from app.core.i18n import _
from app.gui.common.widgets import error_label, set_error

Choices = Iterable[tuple[str, str]]


def date_text(iso: str | None) -> str:
    """'2026-11-30' -> '30/11/2026' (how dates are shown and typed)."""
    if not iso:
        return ""
    try:
        return parse_date(iso).strftime("%d/%m/%Y")
    except ValueError:
        return str(iso)


class DateField(QLineEdit):
    """A date typed as dd/mm/yyyy; '+' or 'h' (hôm nay) fills in today."""

    def __init__(self) -> None:
        super().__init__()
        self.setPlaceholderText(_("dd/mm/yyyy"))
        self.setToolTip(_("Type the date as dd/mm/yyyy. Press + for today."))
        self.setMaximumWidth(140)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt name)
        if event.text() in ("+", "h", "H") and not self.text():
            self.setText(clock.today().strftime("%d/%m/%Y"))
            return
        super().keyPressEvent(event)


class CodeList(QListWidget):
    """Several codes chosen from a list, with check boxes (Space toggles)."""

    def __init__(self, choices: Choices) -> None:
        super().__init__()
        for code, label in choices:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.addItem(item)
        self.setMaximumHeight(min(140, 22 * max(self.count(), 2) + 6))

    def codes(self) -> list[str]:
        return [self.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.count())
                if self.item(i).checkState() == Qt.CheckState.Checked]

    def set_codes(self, codes: Iterable[str]) -> None:
        wanted = set(codes or [])
        for i in range(self.count()):
            item = self.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in wanted
                               else Qt.CheckState.Unchecked)


class Form(QWidget):
    """Sections of labelled fields laid out in `columns` columns."""

    edited = Signal()

    def __init__(self, columns: int = 1, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fields: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self._kinds: dict[str, str] = {}
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._columns = columns
        self._sections = 0
        self._form: QFormLayout | None = None

    # --- building -------------------------------------------------------------
    def section(self, title: str | None = None) -> "Form":
        box = QGroupBox(title) if title else QWidget()
        self._form = QFormLayout(box)
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        row, column = divmod(self._sections, self._columns)
        self._grid.addWidget(box, row, column, Qt.AlignmentFlag.AlignTop)
        self._sections += 1
        return self

    def _add(self, name: str, label: str, widget: QWidget, kind: str) -> QWidget:
        if self._form is None:
            self.section()
        widget.setObjectName(name)
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(1)
        column.addWidget(widget)
        message = error_label()
        message.setObjectName(f"{name}_error")
        column.addWidget(message)
        caption = QLabel(label)
        caption.setBuddy(widget)
        self._form.addRow(caption, holder)
        self.fields[name], self.errors[name], self._kinds[name] = widget, message, kind
        return widget

    def note(self, text: str) -> QLabel:
        """A line of explanation under the fields so far (the legal basis of a term …)."""
        if self._form is None:
            self.section()
        label = QLabel(text)
        label.setWordWrap(True)
        label.setObjectName("form_note")
        label.setStyleSheet("color: #555;")
        self._form.addRow(label)
        return label

    def text(self, name: str, label: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        edit.textEdited.connect(self.edited)
        return self._add(name, label, edit, "text")

    def long_text(self, name: str, label: str) -> QPlainTextEdit:
        edit = QPlainTextEdit()
        edit.setTabChangesFocus(True)
        edit.setMaximumHeight(90)
        edit.textChanged.connect(self.edited)
        return self._add(name, label, edit, "long_text")

    def date(self, name: str, label: str) -> DateField:
        edit = DateField()
        edit.textEdited.connect(self.edited)
        return self._add(name, label, edit, "date")

    def number(self, name: str, label: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setMaximumWidth(160)
        edit.setPlaceholderText(placeholder)
        edit.textEdited.connect(self.edited)
        return self._add(name, label, edit, "text")

    def choice(self, name: str, label: str, choices: Choices, *, empty: str | None = "",
               editable: bool = False) -> QComboBox:
        combo = QComboBox()
        combo.setEditable(editable)
        if empty is not None:
            combo.addItem(empty, "")
        for code, text in choices:
            combo.addItem(text, code)
        combo.currentIndexChanged.connect(self.edited)
        return self._add(name, label, combo, "editable" if editable else "choice")

    def codes(self, name: str, label: str, choices: Choices) -> CodeList:
        widget = CodeList(choices)
        widget.itemChanged.connect(self.edited)
        return self._add(name, label, widget, "codes")

    def flag(self, name: str, label: str) -> QCheckBox:
        box = QCheckBox()
        box.toggled.connect(self.edited)
        return self._add(name, label, box, "flag")

    # --- values ---------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for name, widget in self.fields.items():
            kind = self._kinds[name]
            if kind in ("text", "date"):
                result[name] = widget.text()
            elif kind == "long_text":
                result[name] = widget.toPlainText()
            elif kind == "choice":
                result[name] = widget.currentData()
            elif kind == "editable":
                result[name] = widget.currentText()
            elif kind == "codes":
                result[name] = widget.codes()
            elif kind == "flag":
                result[name] = widget.isChecked()
        return result

    def set_values(self, values: dict[str, Any]) -> None:
        for name, value in values.items():
            widget, kind = self.fields.get(name), self._kinds.get(name)
            if widget is None:
                continue
            if kind == "date":
                widget.setText(date_text(value))
            elif kind == "text":
                widget.setText("" if value is None else str(value))
            elif kind == "long_text":
                widget.setPlainText(value or "")
            elif kind == "choice":
                index = widget.findData("" if value is None else value)
                widget.setCurrentIndex(max(index, 0))
            elif kind == "editable":
                widget.setCurrentText(value or "")
            elif kind == "codes":
                widget.set_codes(value or [])
            elif kind == "flag":
                widget.setChecked(bool(value))
        self.clear_errors()

    def show_errors(self, errors: dict[str, str]) -> list[str]:
        """Put each message beside its field; returns the messages for fields not on this form."""
        self.clear_errors()
        elsewhere = []
        first = None
        for name, message in errors.items():
            if name in self.errors:
                set_error(self.errors[name], message)
                first = first or self.fields[name]
            else:
                elsewhere.append(message)
        if first is not None:
            first.setFocus()
        return elsewhere

    def clear_errors(self) -> None:
        for label in self.errors.values():
            set_error(label, None)
