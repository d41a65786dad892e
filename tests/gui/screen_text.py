"""What a person can read on a window, and the English words among it: shared by the screen and
dialog checks of issue 16, point 4."""

from __future__ import annotations

import html
import re

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from app.core.i18n import _
from tests.english import english_words

# Logins people chose (admin, the demo's lan and hung): names, not words of the program.
DATA = {"admin", "lan", "hung"}
ROWS = 40  # cells read per table: enough to meet every kind of value the demo writes


def _plain(text: str) -> str:
    text = re.sub(r"<[^>]+>", " ", text or "")
    return html.unescape(text).replace("&&", "&").replace("&", "")


def _model_texts(view: QAbstractItemView) -> list[str]:
    model = view.model()
    if model is None:
        return []
    try:
        columns = model.columnCount(QModelIndex())
    except TypeError:  # a list model keeps columnCount private: it has one column
        columns = 1
    rows = model.rowCount(QModelIndex())
    headers = [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(columns)]
    # A catalog's English names and the codes are shown on purpose (an administrator edits them).
    kept = [c for c in range(columns) if headers[c] not in (_("English name"), _("Code"))]
    texts = list(headers)
    for row in range(min(rows, ROWS)):
        for column in kept:
            index = model.index(row, column)
            texts += [str(model.data(index) or ""), str(model.data(index, 3) or "")]  # display, tooltip
    return texts


def texts_of(window: QWidget) -> list[str]:
    """What a person can read in `window` and its children, hidden tabs included."""
    found = [window.windowTitle()]
    for widget in [window, *window.findChildren(QWidget)]:
        found.append(widget.toolTip())
        if isinstance(widget, QLabel):
            found.append(widget.text())
        elif isinstance(widget, QAbstractButton):
            found.append(widget.text())
        elif isinstance(widget, QGroupBox):
            found.append(widget.title())
        elif isinstance(widget, QTabWidget):
            found += [widget.tabText(i) for i in range(widget.count())]
        elif isinstance(widget, QComboBox):
            found += [widget.itemText(i) for i in range(widget.count())]
        elif isinstance(widget, QLineEdit):
            found += [widget.placeholderText()]
        elif isinstance(widget, QTextEdit):
            found += [widget.toPlainText(), widget.placeholderText()]
        if isinstance(widget, QAbstractItemView):
            found += _model_texts(widget)
    for action in window.findChildren(QAction):  # menus and tool bars
        found += [action.text(), action.toolTip()]
    return [_plain(t) for t in found if t]


def english_on(window: QWidget) -> dict[str, list[str]]:
    """English words on `window`, each with a text it was in."""
    where: dict[str, list[str]] = {}
    for text in texts_of(window):
        for word in english_words(text, DATA):
            where.setdefault(word, []).append(text[:120])
    return where


def english_in(text: str) -> list[str]:
    """English words in one text (a question asked, a file dialog's caption)."""
    return sorted(english_words(_plain(text), DATA))
