"""The main window: a thin shell of navigation, screens and status.

Each screen is its own module; screens not built yet are left empty.
F1, the Help button under the navigation and Help → Help for this screen open
the current screen's help page (app/gui/shell/help_window.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.core.i18n import N_, Translatable, _
from app.core.roles import Permission
from app.core.unit import RegisterRole
from app.gui.shell.help_window import HELP_KEY, HelpWindow, help_button, show_help
from app.gui.common.session import Session
from app.gui.common.widgets import heading


@dataclass(frozen=True)
class Screen:
    key: str
    label: Translatable
    permission: Permission | None
    roles: tuple[RegisterRole, ...] = (RegisterRole.POINT, RegisterRole.DISTRICT)


SCREENS = (
    Screen("today", N_("Today"), Permission.CASE_WORK, (RegisterRole.POINT,)),
    Screen("clients", N_("Clients"), Permission.CASE_WORK),
    Screen("activities", N_("Activities"), Permission.CASE_WORK, (RegisterRole.POINT,)),
    Screen("groups", N_("Groups"), Permission.CASE_WORK, (RegisterRole.POINT,)),
    Screen("reports", N_("Reports"), Permission.VIEW_REPORTS),
    Screen("sync", N_("Sync"), Permission.CASE_WORK),
    Screen("settings", N_("Settings"), None),
)


class EmptyScreen(QWidget):
    """A screen that a later version fills; it shows its title and nothing made up."""

    def __init__(self, title: str) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.addWidget(heading(title))
        layout.addStretch(1)


class MainWindow(QMainWindow):
    lock_requested = Signal()
    backup_requested = Signal()

    def __init__(self, session: Session, screen_factories: dict[str, Callable[[], QWidget]]) -> None:
        super().__init__()
        self.session = session
        self.setWindowTitle(_("Tư Vấn: {unit}").format(unit=session.info.unit.name))
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setIconSize(QSize(0, 0))
        self.nav.setFixedWidth(200)
        self.nav.setStyleSheet(
            "QListWidget { font-size: 11pt; border: none; outline: 0; background: palette(base); }"
            "QListWidget::item { padding: 9px 14px; }"
        )
        self.stack = QStackedWidget()
        self.screens: dict[str, QWidget] = {}
        for screen in SCREENS:
            if screen.permission is not None and not session.can(screen.permission):
                continue
            if session.info.unit.role not in screen.roles:
                continue
            widget = screen_factories.get(screen.key, lambda s=screen: EmptyScreen(_(s.label)))()
            self.screens[screen.key] = widget
            item = QListWidgetItem(_(screen.label))
            item.setData(256, screen.key)
            self.nav.addItem(item)
            self.stack.addWidget(widget)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.nav.setCurrentRow(0)
        self.help_button = help_button(self.show_help)
        side = QWidget()
        side.setFixedWidth(200)
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.nav, 1)
        help_row = QHBoxLayout()
        help_row.setContentsMargins(10, 8, 10, 8)
        help_row.addWidget(self.help_button)
        column.addLayout(help_row)
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(side)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._menus()
        self.who = QLabel()
        self.statusBar().addPermanentWidget(self.who)
        self._show_status()
        session.changed.connect(self._on_changed)
        self.resize(1280, 720)

    def _menus(self) -> None:
        register_menu = self.menuBar().addMenu(_("&Register"))
        lock = QAction(_("&Lock"), self)
        lock.setShortcut(QKeySequence("Ctrl+L"))
        lock.triggered.connect(self.lock_requested)
        register_menu.addAction(lock)
        if self.session.can(Permission.BACKUP):
            backup = QAction(_("&Back up now"), self)
            backup.triggered.connect(self.backup_requested)
            register_menu.addAction(backup)
        register_menu.addSeparator()
        quit_action = QAction(_("&Quit"), self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        register_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu(_("&Help"))
        self.help_action = QAction(_("Help for &this screen"), self)
        self.help_action.setShortcut(HELP_KEY)
        self.help_action.triggered.connect(self.show_help)
        help_menu.addAction(self.help_action)
        help_menu.addSeparator()
        about = QAction(_("&About Tư Vấn"), self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def show_screen(self, key: str) -> None:
        keys = [self.nav.item(i).data(256) for i in range(self.nav.count())]
        self.nav.setCurrentRow(keys.index(key))

    def screen_keys(self) -> list[str]:
        return [self.nav.item(i).data(256) for i in range(self.nav.count())]

    def current_screen(self) -> str | None:
        item = self.nav.currentItem()
        return item.data(256) if item is not None else None

    def show_help(self) -> HelpWindow | None:
        """The current screen's help page, opened at this register's part (point or receiving office)."""
        key = self.current_screen()
        return show_help(self, key, self.session.info.unit.role.value) if key else None

    def _show_status(self) -> None:
        info = self.session.info
        self.who.setText(_("{name}, {role} · {unit}").format(
            name=info.user.full_name, role=info.user.role.label, unit=info.unit.name))
        self.setWindowTitle(_("Tư Vấn: {unit}").format(unit=info.unit.name))

    def _on_changed(self, change: dict) -> None:
        if "settings" in change:
            self._show_status()

    def _about(self) -> None:
        QMessageBox.about(self, _("About Tư Vấn"), _(
            "Tư Vấn {version}\nThe case register of a community addiction consultation point.\n"
            "Every record is kept encrypted on this computer.").format(version=__version__))
