"""Backups: back up now, save a copy elsewhere (e.g. a USB stick), see recent backups."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core.clock import local_datetime_text, parse_stamp
from app.core.i18n import _
from app.core.progress import Cancelled, Progress
from app.gui.common.errors import show_error
from app.gui.common.session import Session
from app.core.roles import Permission
from app.store import backup
from app.store import settings as register_settings


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
    restore_requested = Signal()  # the controller closes the register and restores
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
        admin = session.can(Permission.MANAGE_SETTINGS)
        settings = session.info.settings
        self.folder = QLineEdit(settings.get("backup_folder", ""))
        self.folder.setObjectName("backup_folder")
        self.folder.setPlaceholderText(_("the register's own backups folder"))
        self.folder.setReadOnly(True)
        self.folder_button = QPushButton(_("Choose &folder…"))
        self.hours = QSpinBox()
        self.hours.setObjectName("backup_every_hours")
        self.hours.setRange(1, 720)
        self.hours.setSuffix(" " + _("hours"))
        self.hours.setValue(settings.get("backup_every_hours", 24))
        self.on_close = QCheckBox(_("Also back up when the program closes"))
        self.on_close.setChecked(bool(settings.get("backup_on_close", True)))
        self.save_schedule = QPushButton(_("Save"))
        self.save_schedule.setObjectName("save_backup_schedule")
        self.restore_button = QPushButton(_("&Restore from a backup…"))
        self.restore_button.setObjectName("restore_backup")
        for widget in (self.folder_button, self.hours, self.on_close, self.save_schedule, self.restore_button):
            widget.setEnabled(admin)
        schedule = QFormLayout()
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.folder_button)
        schedule.addRow(_("Automatic backups to"), folder_row)
        every = QHBoxLayout()
        every.addWidget(self.hours)
        every.addWidget(self.on_close)
        every.addStretch(1)
        every.addWidget(self.save_schedule)
        schedule.addRow(_("Back up every"), every)
        buttons = QHBoxLayout()
        buttons.addWidget(self.now)
        buttons.addWidget(self.copy)
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addLayout(schedule)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(QLabel(_("Recent backups")))
        layout.addWidget(self.list, 1)
        self.now.clicked.connect(self.back_up_now)
        self.copy.clicked.connect(self._save_to)
        self.folder_button.clicked.connect(self._choose_folder)
        self.save_schedule.clicked.connect(self._save_schedule)
        self.restore_button.clicked.connect(lambda: self.restore_requested.emit())
        session.changed.connect(lambda change: self.refresh() if "backups" in change else None)
        self.refresh()

    def _choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, _("Choose the folder for automatic backups"),
                                                  self.folder.text() or str(Path.home()))
        if chosen:
            self.folder.setText(chosen)

    def _save_schedule(self) -> None:
        values = {"backup_folder": self.folder.text(), "backup_every_hours": self.hours.value(),
                  "backup_on_close": self.on_close.isChecked()}

        def saved(changed: dict) -> None:
            self.status.setText(_("Saved."))
            if changed:
                self.session.publish({"settings": changed})

        self.session.run(lambda register: register_settings.update(register, values), saved,
                         lambda error: show_error(self, error))

    def refresh(self) -> None:
        self.session.run(_listing, self._show)

    def _show(self, rows) -> None:
        self.list.clear()
        for name, created, size in rows:
            when = local_datetime_text(parse_stamp(created)) if created else "?"
            self.list.addItem(f"{when}    {size // 1024:,} KB    {name}".replace(",", "."))

    def back_up_now(self) -> None:
        self.now.setEnabled(False)
        counts = Progress()
        self.session.run(lambda register: backup.backup_now(register, progress=counts), self._done, self._failed,
                         progress_parent=self, label=_("Backing up…"), counts=counts)

    def _save_to(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Save a backup"), str(Path.home() / "tuvan-sao-luu.tvbak"), _("Tư Vấn backup (*.tvbak)"))
        if path:
            counts = Progress()
            self.session.run(lambda reg: (backup.write_backup(reg, Path(path), progress=counts), Path(path))[1],
                             self._done, self._failed, progress_parent=self, label=_("Backing up…"), counts=counts)

    def _done(self, path: Path) -> None:
        self.now.setEnabled(True)
        self.status.setText(_("Backup written: {path}").format(path=path))
        self.session.publish({"backups": True})

    def _failed(self, error: BaseException) -> None:
        self.now.setEnabled(True)
        if isinstance(error, Cancelled):
            return  # the person stopped it: no backup file was left behind, nothing to report
        show_error(self, error)
