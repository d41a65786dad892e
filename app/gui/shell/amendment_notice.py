"""A short notice when a saved change alters a month that was already closed.

The change is saved as usual (corrections are never refused); the person is
told that it will show as an amendment on the next monthly form, so nobody
is surprised when the chair sees it there.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QStatusBar

from app.core.i18n import ngettext
from app.gui.common.session import Session

NOTICE_MS = 20_000  # long enough to be read after the dialog closes, gone before the next task


def closed_months_of(change: dict) -> list[str]:
    """Closed months (labels like '10/2026') that the record changes in `change` alter, oldest first."""
    months: set[str] = set()
    for record in change.get("records") or ():
        months.update(getattr(record, "closed_months", ()) or ())
    return sorted(months, key=lambda label: (label[3:], label[:2]))


def notice_text(months: list[str]) -> str:
    return ngettext("This change alters the closed month {months}; it will appear as an amendment on the next form.",
                    "This change alters the closed months {months}; it will appear as amendments on the next form.",
                    len(months)).format(months=", ".join(months))


class AmendmentNotice(QObject):
    """Listens to the session and shows the notice in the main window's status bar."""

    def __init__(self, session: Session, status_bar: QStatusBar) -> None:
        super().__init__(status_bar)  # lives and dies with the window it writes to
        self.status_bar = status_bar
        self.last = ""
        session.changed.connect(self._on_changed)

    def _on_changed(self, change: dict) -> None:
        months = closed_months_of(change)
        if months:
            self.last = notice_text(months)
            self.status_bar.showMessage(self.last, NOTICE_MS)
