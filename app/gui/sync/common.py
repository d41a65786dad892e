"""Small pieces the Sync screen's panels share: labels, dates, file reading, where dialogs start."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import shiboken6
from PySide6.QtCore import QStorageInfo, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QTableView

from app.core.clock import local_date_text, local_datetime_text, parse_stamp
from app.core.errors import UserError
from app.core.i18n import N_, _
from app.core.unit import RegisterRole
from app.gui.common.tables import RowsModel
from app.reports.subject_fields import field_labels
from app.store.records import Change
from app.sync.record_checks import Refusal

GAP_COLOUR = "#8a6d00"
ALARM_COLOUR = "#b00020"
OK_COLOUR = "#2e7d32"

TABLE_LABELS = {
    "staff": N_("Staff and volunteers"),
    "clients": N_("Clients"),
    "client_groups": N_("Client group history"),
    "contacts": N_("Counselling contacts"),
    "contact_participants": N_("Contact participants"),
    "referrals": N_("Referrals"),
    "rehab_registrations": N_("Voluntary rehabilitation"),
    "methadone_episodes": N_("Methadone treatment"),
    "groups": N_("Self-help groups"),
    "group_members": N_("Group members"),
    "group_meetings": N_("Group meetings"),
    "meeting_attendance": N_("Meeting attendance"),
    "outreach": N_("Outreach activities"),
}


class FileUnreadable(UserError):
    template = N_("The file {path} cannot be read ({reason}). Check the USB stick or folder and try again.")


def run(owner, session, work, on_success=None, on_failure=None, **progress):
    """session.run, but answers for a widget that was deleted meanwhile are dropped.

    Work queued on the worker still finishes after its screen is gone (the main
    window is rebuilt on a language change and closed on lock); calling back into
    a deleted widget would raise.
    """
    def guard(callback):
        if callback is None:
            return None
        return lambda value: callback(value) if shiboken6.isValid(owner) else None

    return session.run(work, guard(on_success), guard(on_failure), **progress)


def number(value: int) -> str:
    """Vietnamese grouping: 1.026."""
    return f"{value:,}".replace(",", ".")


class NumbersModel(RowsModel):
    """A RowsModel whose whole-number cells are grouped and right-aligned, so columns of counts line up.

    `bold(row)` marks rows such as a total.
    """

    def __init__(self, columns, highlight=None, bold=None) -> None:
        super().__init__(columns, highlight)
        self._bold = bold

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.FontRole and self._bold is not None and self._bold(self.rows[index.row()]):
            font = QFont()
            font.setBold(True)
            return font
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.TextAlignmentRole):
            value = self.value(index.row(), index.column())
            if isinstance(value, int) and not isinstance(value, bool):
                if role == Qt.ItemDataRole.DisplayRole:
                    return number(value)
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return super().data(index, role)


def fit_rows(view: QTableView, rows: int, *, least: int = 2, most: int = 14) -> None:
    """Make a short table as tall as its rows, so the space below goes to what follows it."""
    shown = max(least, min(rows, most))
    height = view.horizontalHeader().sizeHint().height() + shown * view.verticalHeader().defaultSectionSize()
    view.setFixedHeight(height + 2 * view.frameWidth())


def table_label(table: str) -> str:
    return _(TABLE_LABELS[table]) if table in TABLE_LABELS else table


def field_label(refusal: Refusal) -> str:
    labels = field_labels(refusal.table)
    return _(labels[refusal.field]) if refusal.field in labels else refusal.field


def rule_text(refusal: Refusal) -> str:
    return refusal.rule(field_labels(refusal.table))


def role_label(role: str) -> str:
    try:
        return RegisterRole(role).label
    except ValueError:
        return role


def when(stamp: str | None) -> str:
    """A stored UTC stamp as local dd/mm/yyyy HH:MM ('' when there is none)."""
    if not stamp:
        return ""
    try:
        return local_datetime_text(parse_stamp(stamp))
    except ValueError:
        return str(stamp)[:16]


def day(stamp: str | None) -> str:
    if not stamp:
        return ""
    try:
        return local_date_text(parse_stamp(stamp))
    except ValueError:
        return str(stamp)[:10]


def read_bytes(path: str | Path) -> bytes:
    """Read a file chosen by the person (on the worker: a USB stick can be slow)."""
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise FileUnreadable(path=str(path), reason=error.strerror or type(error).__name__) from None


def readable(path: str | Path) -> None:
    """Raise FileUnreadable unless the chosen file can be opened (a USB stick may have gone)."""
    try:
        with open(path, "rb"):
            pass
    except OSError as error:
        raise FileUnreadable(path=str(path), reason=error.strerror or type(error).__name__) from None


def grouped_lines(fingerprint: str) -> str:
    """Eight groups on two lines of four: easier to read aloud and to compare."""
    groups = fingerprint.split()
    return " ".join(groups[:4]) + "\n" + " ".join(groups[4:])


def imported_changes(tables: set[str]) -> list[Change]:
    """One Change per table a bundle touched, so open screens (clients, reports) refresh themselves."""
    return [Change(table, "", "imported") for table in sorted(tables)]


# --- removable drives -----------------------------------------------------------------------

_MOUNT_PARENTS = ("/media/", "/run/media/", "/mnt/", "/Volumes/")


def likely_removable(root_path: str, *, is_root: bool, read_only: bool, ready: bool,
                     system_root: str, platform: str = sys.platform) -> bool:
    """A volume where a person would put a bundle: a USB stick or another drive, not the system disk.

    On Windows that is any drive but the system one; elsewhere only the folders
    where desktops mount sticks (/media, /run/media, /mnt, /Volumes), so
    /boot, /snap or tmpfs mounts are never offered.
    """
    if is_root or read_only or not ready or not root_path:
        return False
    if platform.startswith("win"):
        return root_path.rstrip("/\\").upper() != system_root.rstrip("/\\").upper()
    path = root_path.rstrip("/") + "/"
    return any(path.startswith(parent) and len(path) > len(parent) for parent in _MOUNT_PARENTS)


@dataclass(frozen=True)
class Volume:
    path: str
    label: str


def removable_volumes() -> list[Volume]:
    system_root = QStorageInfo.root().rootPath()
    found = []
    for volume in QStorageInfo.mountedVolumes():
        if not volume.isValid() or not likely_removable(
                volume.rootPath(), is_root=volume.isRoot(), read_only=volume.isReadOnly(),
                ready=volume.isReady(), system_root=system_root):
            continue
        name = volume.displayName() or volume.rootPath()
        free = volume.bytesAvailable() / 1e9
        label = _("{name} ({path}), {free} GB free").format(
            name=name, path=volume.rootPath(), free=f"{free:.1f}".replace(".", ","))
        found.append(Volume(volume.rootPath(), label))
    return found


def start_folder() -> str:
    """Where file dialogs open: the first USB stick if one is plugged in, else the home folder."""
    volumes = removable_volumes()
    return volumes[0].path if volumes else str(Path.home())
