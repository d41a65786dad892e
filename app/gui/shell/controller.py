"""Which window is showing: setup wizard, unlock window or main window.

Holds the task runner and the current session; passes them to windows
through their constructors (no global application object).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from app.core.errors import RegisterInWindow
from app.core.i18n import _, current_language, set_language
from app.core.progress import Progress
from app.gui.activities.view import ActivitiesView
from app.gui.common.errors import show_error
from app.gui.shell.idle import IdleWatcher
from app.gui.settings.backup_panel import BackupPanel
from app.gui.settings.backup_scheduler import BackupScheduler
from app.gui.clients.view import ClientsView
from app.gui.groups.view import GroupsView
from app.gui.shell.main_window import MainWindow
from app.gui.settings.restore_dialog import RestoreDialog
from app.gui.common.session import Session, describe
from app.gui.shell.recovery_key_box import RecoveryKeyDialog
from app.gui.settings.view import SettingsView
from app.gui.shell.setup_wizard import SetupWizard
from app.gui.sync.view import SyncView
from app.gui.common.tasks import TaskRunner
from app.gui.today.view import TodayView
from app.gui.shell.unlock_window import UnlockWindow
from app.store import backup
from app.store.machine_config import MachineConfig
from app.store.register_folder import RegisterPaths
from app.store.register_lock import Claim, claim_window
from app.sync import merge


class AppController(QObject):
    locked = Signal()
    opened = Signal()

    def __init__(self, config: MachineConfig, root: Path, login: str = "", parent: QObject | None = None):
        super().__init__(parent)
        self.config = config
        self.root = Path(root)
        self.login = login or config["last_login"]
        self.runner = TaskRunner(lambda error: show_error(self.window, error), self)
        self.idle = IdleWatcher(self)
        self.idle.idle.connect(self.lock)
        self.session: Session | None = None
        self.backups: BackupScheduler | None = None
        self.window: QWidget | None = None
        self.idle_timeout_ms: int | None = None  # tests shorten it; None = the register setting
        self.recovery_dialog: RecoveryKeyDialog | None = None  # after re-keying
        self.window_claim: Claim | None = None  # this window's register; one window per register

    # --- windows --------------------------------------------------------------
    def start(self) -> bool:
        """Show the first window; False (after saying why) when another window has the register."""
        from PySide6.QtWidgets import QMessageBox

        try:
            self._claim(self.root)
        except RegisterInWindow as error:
            QMessageBox.warning(None, _("Tư Vấn"), error.message)
            return False
        if RegisterPaths(self.root).exists():
            self.show_unlock()
        else:
            self.show_setup()
        return True

    def _claim(self, root: Path) -> None:
        """Hold the window claim of `root` (raises RegisterInWindow); give up the previous one."""
        claim = claim_window(root)
        old, self.window_claim = self.window_claim, claim
        if old is not None:
            old.release()

    def _replace(self, window: QWidget) -> None:
        old, self.window = self.window, window
        window.show()
        if old is not None:
            old.hide()
            old.deleteLater()

    def show_setup(self) -> None:
        wizard = SetupWizard(self.runner, self.root)
        wizard.created.connect(self._created)
        wizard.demo_requested.connect(self.open_demo)
        wizard.restore_requested.connect(self._restore_into)
        wizard.rejected.connect(lambda: self._wizard_cancelled(wizard))
        self._replace(wizard)

    def _wizard_cancelled(self, wizard: SetupWizard) -> None:
        if wizard.register is not None:  # created, then closed before finishing
            register, wizard.register = wizard.register, None
            self.runner.run(register.close)

    def _created(self, register) -> None:
        self.root = register.paths.root
        self._claim(self.root)
        self._opened(register)

    def show_unlock(self) -> None:
        window = UnlockWindow(self.runner, self.root, self.login, self.config["last_unit_name"])
        window.unlocked.connect(self._opened)
        self._replace(window)

    def _opened(self, register) -> None:
        self.runner.run(lambda: describe(register), lambda info: self._show_main(register, info))

    def _show_main(self, register, info) -> None:
        self.session = Session(self.runner, register, info, self)
        self.login = info.user.login
        self.config.set(last_register=str(info.root), last_login=info.user.login,
                        last_unit_name=info.unit.name)
        self._build_main()
        self.backups = BackupScheduler(self.session, self)
        self.idle.start(self.idle_timeout_ms or info.settings["auto_lock_minutes"] * 60_000)
        self.session.changed.connect(self._on_changed)
        self.opened.emit()

    def _build_main(self) -> None:
        from app.gui.shell.amendment_notice import AmendmentNotice
        from app.gui.reports.view import ReportsView

        session = self.session
        window = MainWindow(session, {
            "today": lambda: TodayView(session),
            "clients": lambda: ClientsView(session),
            "activities": lambda: ActivitiesView(session),
            "groups": lambda: GroupsView(session),
            "reports": lambda: ReportsView(session),
            "sync": lambda: SyncView(session),
            "settings": lambda: SettingsView(session, current_language(), self.change_language, self.after_rekey),
        })
        window.lock_requested.connect(self.lock)
        for panel in window.findChildren(BackupPanel):
            panel.restore_requested.connect(self.open_restore)
        window.backup_requested.connect(self.back_up)
        AmendmentNotice(session, window.statusBar())  # owned by the status bar it writes to
        if "clients" in window.screens:
            clients_view = window.screens["clients"]

            def open_client(client_id: str) -> None:
                window.show_screen("clients")
                clients_view.open_client(client_id)

            for screen in window.screens.values():  # screens that list clients open their files
                if screen is not clients_view and hasattr(screen, "open_client"):
                    screen.open_client.connect(open_client)
        if "today" in window.screens and "reports" in window.screens:
            reports_view = window.screens["reports"]

            def open_trends(month) -> None:
                window.show_screen("reports")
                reports_view.show_trends(month)

            window.screens["today"].open_trends.connect(open_trends)
        self._replace(window)

    # --- actions --------------------------------------------------------------
    def lock(self) -> None:
        """Close the register and go back to the unlock window."""
        self.idle.stop()
        if self.session is None:
            return
        session, self.session = self.session, None
        self._stop_backups()
        session.close()
        merge.forget_kept()   # a checked bundle's records, decrypted in memory
        self.show_unlock()
        self.locked.emit()

    def after_rekey(self, key: str, sheet, intro: str) -> None:
        """The register was re-keyed and closed: lock, then show its new recovery key once."""
        self.lock()
        self.recovery_dialog = RecoveryKeyDialog(key, sheet, intro, self.window)
        self.recovery_dialog.open()

    def back_up(self) -> None:
        if self.session is not None:
            counts = Progress()
            self.session.run(lambda register: backup.backup_now(register, progress=counts),
                             lambda path: self.session and self.session.publish({"backups": True}),
                             progress_parent=self.window, label=_("Backing up…"), counts=counts)

    def _restore_into(self, root) -> None:
        try:
            self._claim(Path(root))
        except RegisterInWindow as error:
            show_error(self.window, error)
            return
        self.root = Path(root)
        self.open_restore()

    def open_demo(self) -> None:
        """First run: a register of made-up data to look around in, opened at the unlock window."""
        from PySide6.QtWidgets import QMessageBox

        from app.store.machine_config import default_register
        from app.demo import writer as demo

        root = default_register().parent / "demo-register"

        def work():
            register, *_rest = demo.open_or_create_demo(root)
            register.close()
            return root

        def done(opened) -> None:
            try:
                self._claim(opened)
            except RegisterInWindow as error:
                show_error(self.window, error)
                return
            self.root, self.login = opened, "admin"
            self.show_unlock()
            QMessageBox.information(self.window, _("Tư Vấn"), _(
                "The demo register holds made-up clients and activities of a year. Users: admin (administrator), "
                "lan (counsellor), hung (reporter); every demo user's passphrase is {passphrase}.").format(
                passphrase=demo.DEMO_PASSPHRASE))

        self.runner.run(work, done, progress_parent=self.window, label=_("Making the demo register…"))

    def open_restore(self) -> None:
        dialog = RestoreDialog(self.runner, self.root, self.login, self.window)
        dialog.restore_confirmed.connect(self.restore)
        dialog.open()

    def restore(self, path, login, passphrase: str) -> None:
        """Close the open register (if any), restore the checked backup into its folder, then unlock."""
        from PySide6.QtWidgets import QMessageBox

        from app.gui.common.errors import message_for

        root = self.root
        if self.session is not None:
            self.lock()

        def done(result) -> None:
            text = _("The backup of {made} was restored. Unlock with a passphrase that was valid then.").format(
                made=result.manifest.created_at[:10])
            if result.previous is not None:
                text += "\n" + _("The register it replaced was kept in {path}.").format(path=result.previous)
            self.show_unlock()
            QMessageBox.information(self.window, _("Tư Vấn"), text)

        def failed(error: BaseException) -> None:
            QMessageBox.warning(self.window, _("Tư Vấn"), message_for(error))

        counts = Progress()
        self.runner.run(lambda: backup.restore_backup(path, root, login, passphrase, progress=counts), done, failed,
                        progress_parent=self.window, label=_("Restoring the backup…"), counts=counts)

    def change_language(self, language: str) -> None:
        if language == current_language():
            return
        set_language(language)
        self.config.set(language=language)
        if self.session is not None:
            self._build_main()  # rebuilt in the new language
            self.window.show_screen("settings")

    def _on_changed(self, change: dict) -> None:
        settings = change.get("settings", {})
        if "auto_lock_minutes" in settings and self.idle_timeout_ms is None:
            self.idle.start(settings["auto_lock_minutes"] * 60_000)
        if "unit_name" in settings:
            self.config.set(last_unit_name=settings["unit_name"])

    def shutdown(self) -> None:
        self.idle.stop()
        if isinstance(self.window, SetupWizard) and self.window.register is not None:
            self.runner.run(self.window.register.close)  # created, but the wizard was never finished
        if self.session is not None:
            if self.backups is not None:
                self.backups.on_close()
                self.backups = None
            self.session.close()
            self.session = None
        self.runner.shutdown()
        if self.window_claim is not None:  # after the worker closed the register
            self.window_claim.release()
            self.window_claim = None

    def _stop_backups(self) -> None:
        if self.backups is not None:
            self.backups.stop()
            self.backups.deleteLater()
            self.backups = None
