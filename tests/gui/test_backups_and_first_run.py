"""Backups by default, the Today warning, restore from the GUI, and the first-run choices."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.gui.shell.main_window import MainWindow
from app.gui.settings.restore_dialog import RestoreDialog
from app.gui.shell.unlock_window import UnlockWindow
from app.store import backup, clients
from app.store.register import unlock
from tests.conftest import PASSPHRASE
from tests.gui.conftest import type_text, unlock_as


def _client(register, name):
    clients.create(register, {"full_name": name, "sex": "male", "birth_year": 1990,
                              "intake_date": "2026-01-05", "main_group": "dependent"})


def test_unlocking_backs_up_when_due_and_closing_backs_up_again(qtbot, make_controller, closed_register):
    root, _ = closed_register
    controller = make_controller(root, "admin")
    unlock_as(qtbot, controller)
    qtbot.waitUntil(lambda: len(list((root / "backups").glob("*-scheduled.tvbak"))) == 1, timeout=10000)
    controller.shutdown()
    assert len(list((root / "backups").glob("*-on-close.tvbak"))) == 1


def test_today_warns_when_backups_are_old_until_backed_up(qtbot, make_controller, closed_register, monkeypatch):
    monkeypatch.setattr(backup, "backup_due", lambda conn, now=None: False)  # the schedule is not due
    root, _ = closed_register
    controller = make_controller(root, "admin")
    main = unlock_as(qtbot, controller)
    today = main.screens["today"]
    qtbot.waitUntil(lambda: today.backup_row.isVisibleTo(today), timeout=5000)
    assert "chưa từng được sao lưu" in today.backup_warning.text()
    qtbot.mouseClick(today.backup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not today.backup_row.isVisibleTo(today), timeout=5000)


def test_restore_from_settings_brings_back_the_backup(qtbot, make_controller, closed_register, monkeypatch, tmp_path):
    root, _ = closed_register
    with unlock(root, "admin", PASSPHRASE) as register:
        _client(register, "Lê Văn An")
        made = backup.write_backup(register, tmp_path / "usb" / "sao-luu.tvbak")
        assert made
        _client(register, "Võ Văn Bé")  # made after the backup: gone after the restore
    controller = make_controller(root, "admin")
    main = unlock_as(qtbot, controller)
    main.show_screen("settings")
    controller.open_restore()
    dialog = main.findChild(RestoreDialog)
    dialog.file.setText(str(tmp_path / "usb" / "sao-luu.tvbak"))
    type_text(qtbot, dialog.passphrase, "sai mật khẩu")
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.text() != "", timeout=10000)
    assert not dialog.restore_button.isEnabled()
    dialog.passphrase.clear()
    type_text(qtbot, dialog.passphrase, PASSPHRASE)
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.restore_button.isEnabled(), timeout=10000)
    assert "1 khách hàng" in dialog.preview.text()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(controller.window, UnlockWindow), timeout=10000)
    controller.shutdown()
    with unlock(root, "admin", PASSPHRASE) as register:
        assert [r[0] for r in register.conn.execute("SELECT full_name FROM clients")] == ["Lê Văn An"]
    assert list(root.parent.glob("register.before-restore-*"))


def test_first_run_offers_the_demo_register(qtbot, make_controller, tmp_path):
    controller = make_controller(tmp_path / "nothing-here" / "register")
    wizard = controller.window
    qtbot.mouseClick(wizard.unit_page.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(controller.window, UnlockWindow), timeout=30000)
    window = controller.window
    assert window.login.text() == "admin" and "demo-register" in str(window.root)
    type_text(qtbot, window.passphrase, "demo-tuvan-2026")
    qtbot.mouseClick(window.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(controller.window, MainWindow), timeout=10000)
    clients_view = controller.window.screens["clients"]
    qtbot.waitUntil(lambda: clients_view.model.total > 100, timeout=10000)
