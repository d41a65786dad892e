"""A form with Save and Cancel whose saving runs on the worker: the base of every record dialog."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from app.core.fields import FieldErrors
from app.core.i18n import _
from app.gui.common.errors import message_for
from app.gui.common.forms import Form
from app.gui.common.session import Session
from app.gui.common.widgets import error_label, set_error


Work = Callable[[Any, dict], Any]


class RecordDialog(QDialog):
    """A form, Save and Cancel; saving runs `work(register, values)` on the worker.

    The result (a Change or a list of them) is published so open views refresh.
    """

    def __init__(self, session: Session, title: str, form: Form, work: Work, parent: QWidget | None = None,
                 save_text: str | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.form = form
        self.work = work
        self.setWindowTitle(title)
        self.error = error_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(save_text or _("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        layout = QVBoxLayout(self)
        layout.addWidget(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.setMinimumWidth(560)

    def values(self) -> dict:
        return self.form.values()

    def submit(self) -> None:
        values = self.values()
        self.buttons.setEnabled(False)
        set_error(self.error, None)
        work = self.work
        self.session.run(lambda register: work(register, values), self._saved, self._failed)

    def _saved(self, result) -> None:
        changes = [c for c in (result if isinstance(result, list) else [result]) if c is not None]
        if changes:
            self.session.publish({"records": changes})
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(error, FieldErrors):
            rest = self.form.show_errors(error.errors)
            set_error(self.error, "; ".join(rest))
        else:
            set_error(self.error, message_for(error))
