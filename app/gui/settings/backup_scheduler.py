"""Backups by default: on a schedule while the program runs, and when it closes."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from app.gui.common.session import Session
from app.store import backup

CHECK_EVERY_MS = 10 * 60 * 1000
log = logging.getLogger("tuvan.backup")


class BackupScheduler(QObject):
    """Checks every ten minutes whether a backup is due (the register's 'every N hours')."""

    written = Signal(object)  # ScheduledBackup

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_EVERY_MS)
        self._timer.timeout.connect(self.check)
        self._timer.start()
        QTimer.singleShot(0, self.check)

    def check(self) -> None:
        def work(register):
            return backup.scheduled_backup(register) if backup.backup_due(register.conn) else None

        self.session.run(work, self._done, self._failed)

    def on_close(self) -> None:
        """Queue the backup on close; the worker finishes it before the register is closed."""
        self._timer.stop()
        if self.session.info.settings.get("backup_on_close", True):
            self.session.run(lambda register: backup.scheduled_backup(register, "on-close"), None, self._failed)

    def stop(self) -> None:
        self._timer.stop()

    def _done(self, made) -> None:
        if made is not None:
            self.session.publish({"backups": True})
            self.written.emit(made)

    def _failed(self, error: BaseException) -> None:
        # A failed automatic backup must not interrupt work; the Today screen warns when backups are old.
        log.warning("automatic backup failed: %s", error)
