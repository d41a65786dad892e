"""The one place where exceptions become messages for the person."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox, QWidget

from app.core.errors import UserError
from app.core.i18n import _
from app.core.logs import log_dir

log = logging.getLogger("tuvan.gui")


def message_for(error: BaseException) -> str:
    """A UserError's own text; anything else is logged and described briefly."""
    if isinstance(error, UserError):
        return error.message
    log.error("unexpected error", exc_info=(type(error), error, error.__traceback__))
    return _("Something went wrong that the program did not expect. Nothing was saved by the last action. "
             "Details were written to the log file in {path}.").format(path=log_dir())


def show_error(parent: QWidget | None, error: BaseException) -> None:
    text = message_for(error)
    if isinstance(error, UserError):
        QMessageBox.warning(parent, _("Tư Vấn"), text)
    else:
        QMessageBox.critical(parent, _("Tư Vấn"), text)
