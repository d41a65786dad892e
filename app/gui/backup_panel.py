"""Backups: back up now, save a copy elsewhere (e.g. a USB stick), see recent backups."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget

from app.core.clock import local_datetime_text, parse_stamp
from app.core.i18n import _
from app.gui.errors import show_error
from app.gui.session import Session
from app.store import backup


def _listing(register) -> list[tuple[str, str, int]]:
    rows = []
    for path in backup.list_backups(register.paths.backups):
        try:
            manifest = backup.read_manifest(path)
            rows.append((path.name, manifest.created_at, path.stat().st_size))
        except Exception:  # a damaged file is listed without its date
            rows.append((path.name, "", path.stat().st_size))
    return rows


class BackupPanel(QWidget):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        explain = QLabel(_("Backups are encrypted and open with the same passphrases and recovery key. "
                           "The newest {n} are kept in the register's folder; also keep a copy on a USB stick "
                           "stored away from this computer.").format(n=session.info.settings["backups_kept"]))
        explain.setWordWrap(True)
        self.now = QPushButton(_("&Back up now"))
        self.now.setObjectName("backup_now")
        self.copy = QPushButton(_("&Save a backup to…"))
        self.status = QLabel()
        self.status.setObjectName("backup_status")
        self.status.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("backup_list")
        buttons = QHBoxLayout()
        buttons.addWidget(self.now)
        buttons.addWidget(self.copy)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(QLabel(_("Recent backups")))
        layout.addWidget(self.list, 1)
        self.now.clicked.connect(self.back_up_now)
        self.copy.clicked.connect(self._save_to)
        session.changed.connect(lambda change: self.refresh() if "backups" in change else None)
        self.refresh()

    def refresh(self) -> None:
        self.session.run(_listing, self._show)

    def _show(self, rows) -> None:
        self.list.clear()
        for name, created, size in rows:
            when = local_datetime_text(parse_stamp(created)) if created else "?"
            self.list.addItem(f"{when}    {size // 1024:,} KB    {name}".replace(",", "."))

    def back_up_now(self) -> None:
        self.now.setEnabled(False)
        self.session.run(backup.backup_now, self._done, self._failed,
                         progress_parent=self, label=_("Backing up…"))

    def _save_to(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Save a backup"), str(Path.home() / "tuvan-sao-luu.tvbak"), _("Tư Vấn backup (*.tvbak)"))
        if path:
            self.session.run(lambda reg: (backup.write_backup(reg, Path(path)), Path(path))[1],
                             self._done, self._failed, progress_parent=self, label=_("Backing up…"))

    def _done(self, path: Path) -> None:
        self.now.setEnabled(True)
        self.status.setText(_("Backup written: {path}").format(path=path))
        self.session.publish({"backups": True})

    def _failed(self, error: BaseException) -> None:
        self.now.setEnabled(True)
        show_error(self, error)
