"""Choosing clients by name as you type: participants, group members, people at a meeting.

`ClientPicker` is a search box over the register's client search (run on the
worker), a list of matches and a list of the people chosen so far. Keyboard
first: type a few letters (diacritics not needed), Up/Down to move in the
matches, Enter to add one; Delete removes the chosen one under the cursor.

`ClientsDialog` is a RecordDialog with a picker under or beside its form:
Save runs `work(register, values)` where `values["clients"]` holds the chosen ids.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.fields import FieldErrors
from app.core.i18n import _
from app.gui.common.record_dialog import RecordDialog, Work
from app.gui.common.forms import Form
from app.gui.common.session import Session
from app.gui.common.widgets import error_label, set_error
from app.store import search
from app.store.search import ClientHit

SEARCH_DELAY_MS = 150
MATCHES = 30
CLIENTS = "clients"  # the key of the chosen ids in a ClientsDialog's values

HIT_ROLE = Qt.ItemDataRole.UserRole


def hit_text(hit: ClientHit) -> str:
    """One line that tells two people of the same name apart: code, birth year, hamlet."""
    details = " · ".join(str(p) for p in (hit.code, hit.birth_year, hit.hamlet) if p)
    return f"{hit.display_name}   {details}"


class ClientPicker(QWidget):
    """Search, matches and the people chosen; only active cases are offered."""

    changed = Signal()

    def __init__(self, session: Session, *, multiple: bool = True, exclude: Iterable[str] = (),
                 chosen_label: str | None = None, parent: QWidget | None = None) -> None:
        """`chosen_label` names the people chosen, e.g. "Partic&ipants: {n}"."""
        super().__init__(parent)
        self.session = session
        self.multiple = multiple
        self.chosen_label = chosen_label or _("C&hosen: {n}")
        self.exclude = set(exclude)
        self._chosen: list[ClientHit] = []
        self._matches: list[ClientHit] = []
        self._generation = 0
        self._answered = 0
        self._add_when_answered = False

        self.search_box = QLineEdit()
        self.search_box.setObjectName("picker_search")
        self.search_box.setPlaceholderText(_("Name, alias, code or phone; diacritics not needed"))
        self.search_box.setClearButtonEnabled(True)
        self.matches = QListWidget()
        self.matches.setObjectName("picker_matches")
        self.chosen = QListWidget()
        self.chosen.setObjectName("picker_chosen")
        self.add_button = QPushButton(_("Add →"))
        self.remove_button = QPushButton(_("Remove from the list"))
        self.chosen_caption = QLabel()
        self.error = error_label()
        self.error.setObjectName("picker_error")
        find_caption = QLabel(_("&Find a client"))
        find_caption.setBuddy(self.search_box)
        self.chosen_caption.setBuddy(self.chosen)

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(find_caption, 0, 0)
        grid.addWidget(self.chosen_caption, 0, 1)
        grid.addWidget(self.search_box, 1, 0)
        grid.addWidget(self.matches, 2, 0)
        grid.addWidget(self.chosen, 1, 1, 2, 1)
        grid.addWidget(self.add_button, 3, 0, Qt.AlignmentFlag.AlignLeft)
        grid.addWidget(self.remove_button, 3, 1, Qt.AlignmentFlag.AlignLeft)
        grid.addWidget(self.error, 4, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        # Tab goes down the left column, then down the right one.
        for first, second in ((self.search_box, self.matches), (self.matches, self.add_button),
                              (self.add_button, self.chosen), (self.chosen, self.remove_button)):
            QWidget.setTabOrder(first, second)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.search_box.textChanged.connect(lambda _text: self._timer.start())
        for widget in (self.search_box, self.matches, self.chosen):
            widget.installEventFilter(self)
        self.matches.itemDoubleClicked.connect(self._add_item)
        self.add_button.clicked.connect(self._add_current)
        self.remove_button.clicked.connect(self._remove_current)
        self._show_chosen()
        self.refresh()

    # --- reading and setting ----------------------------------------------------
    def ids(self) -> list[str]:
        return [hit.id for hit in self._chosen]

    def hits(self) -> list[ClientHit]:
        return list(self._chosen)

    def choose(self, hit: ClientHit) -> None:
        if any(h.id == hit.id for h in self._chosen):
            return
        self._chosen = [*self._chosen, hit] if self.multiple else [hit]
        set_error(self.error, None)
        self._show_chosen()
        self._show_matches(self._matches)
        self.changed.emit()

    def show_error(self, text: str | None) -> None:
        set_error(self.error, text)
        if text:
            self.search_box.setFocus()

    # --- searching ----------------------------------------------------------------
    def refresh(self) -> None:
        """Search for the text typed; answers to earlier keystrokes are dropped."""
        self._timer.stop()
        self._generation += 1
        generation, text = self._generation, self.search_box.text()
        self.session.run(lambda register: search.search(register.conn, text, limit=MATCHES, include_closed=False),
                         lambda hits: self._answered_with(generation, hits))

    @property
    def searching(self) -> bool:
        return self._timer.isActive() or self._answered != self._generation

    def _answered_with(self, generation: int, hits: list[ClientHit]) -> None:
        if generation != self._generation:
            return
        self._answered = generation
        self._show_matches(hits)
        if self._add_when_answered:
            self._add_when_answered = False
            self._add_current()

    def _show_matches(self, hits: list[ClientHit]) -> None:
        self._matches = hits
        taken = self.exclude | set(self.ids())
        self.matches.clear()
        for hit in hits:
            if hit.id in taken:
                continue
            item = QListWidgetItem(hit_text(hit))
            item.setToolTip(hit_text(hit))
            item.setData(HIT_ROLE, hit)
            self.matches.addItem(item)
        self.matches.setCurrentRow(0)

    # --- choosing -----------------------------------------------------------------
    def _add_current(self) -> None:
        if self.searching:  # Enter pressed before the answer for the last keystroke came back
            self._add_when_answered = True
            return
        item = self.matches.currentItem() or self.matches.item(0)
        if item is not None:
            self._add_item(item)

    def _add_item(self, item: QListWidgetItem) -> None:
        self.choose(item.data(HIT_ROLE))
        # Ready for the next name: the typed text is selected, so typing replaces it.
        self.search_box.setFocus()
        self.search_box.selectAll()

    def _remove_current(self) -> None:
        row = self.chosen.currentRow()
        if 0 <= row < len(self._chosen):
            del self._chosen[row]
            self._show_chosen()
            self._show_matches(self._matches)
            self.chosen.setCurrentRow(min(row, self.chosen.count() - 1))
            self.changed.emit()

    def _show_chosen(self) -> None:
        self.chosen.clear()
        for hit in self._chosen:
            self.chosen.addItem(hit_text(hit))
            self.chosen.item(self.chosen.count() - 1).setToolTip(hit_text(hit))
        self.chosen_caption.setText(self.chosen_label.format(n=len(self._chosen)))
        self.remove_button.setEnabled(bool(self._chosen))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if event.type() != QEvent.Type.KeyPress:
            return False
        key = event.key()
        if watched in (self.search_box, self.matches) and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            # Enter chooses a client; it must not reach the dialog, whose default button would save.
            self._add_current()
            return True
        if watched is self.search_box and key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.matches.count():
            step = 1 if key == Qt.Key.Key_Down else -1
            self.matches.setCurrentRow(max(0, min(self.matches.count() - 1, self.matches.currentRow() + step)))
            return True
        if watched is self.chosen and key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self._remove_current()
            return True
        return False


def check_chosen(chosen: list[str], message: str, validation: Callable[[], Any]) -> None:
    """Runs on the worker before saving: the form's problems and an empty choice, reported together."""
    errors: dict[str, str] = {}
    try:
        validation()
    except FieldErrors as error:
        errors.update(error.errors)
    if not chosen:
        errors[CLIENTS] = message
    if errors:
        raise FieldErrors(errors)


class ClientsDialog(RecordDialog):
    """A form, optionally another widget (`above` the picker), and a client picker."""

    def __init__(self, session: Session, title: str, form: Form, work: Work, parent: QWidget | None = None, *,
                 picker: ClientPicker | None = None, above: QWidget | None = None, beside: bool = False,
                 save_text: str | None = None) -> None:
        """`beside` puts the form left of the picker: a long form and a picker do not fit
        one above the other on a 1366×768 screen."""
        super().__init__(session, title, form, work, parent, save_text)
        self.picker = picker or ClientPicker(session)
        people = QWidget()
        column = QVBoxLayout(people)
        column.setContentsMargins(0, 0, 0, 0)
        if above is not None:
            column.addWidget(above, 1)
        column.addWidget(self.picker, 1)
        layout = self.layout()
        if beside:
            layout.removeWidget(form)
            row = QHBoxLayout()
            row.addWidget(form)
            row.addSpacing(12)
            row.addWidget(people, 1)  # the lists get the width: names, codes and hamlets are long
            layout.insertLayout(0, row, 1)
            self.setMinimumWidth(1200)
        else:
            layout.insertWidget(1, people, 1)
            self.setMinimumWidth(820)
        # The picker was added after the buttons; Save and Cancel still come last on Tab.
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        QWidget.setTabOrder(self.picker.remove_button, save)
        QWidget.setTabOrder(save, cancel)

    def values(self) -> dict:
        return {**self.form.values(), CLIENTS: self.picker.ids()}

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, FieldErrors) and CLIENTS in error.errors:
            self.picker.show_error(error.errors[CLIENTS])
            rest = {k: v for k, v in error.errors.items() if k != CLIENTS}
            error = FieldErrors(rest) if rest else None
        if error is None:
            self.buttons.setEnabled(True)
            return
        super()._failed(error)
