"""Settings: language, auto-lock, unit names, users, backups, own passphrase."""

import pytest
from PySide6.QtCore import Qt

from app.core.i18n import current_language
from app.store import settings as register_settings
from app.store.register import unlock
from tests.conftest import PASSPHRASE
from tests.gui.conftest import type_text, unlock_as


def _settings(qtbot, controller):
    main = unlock_as(qtbot, controller)
    main.show_screen("settings")
    return main, main.screens["settings"]


def test_switching_to_english_rebuilds_the_window(qtbot, make_controller, closed_register):
    root, _ = closed_register
    controller = make_controller(root, "admin")
    main, view = _settings(qtbot, controller)
    assert main.nav.item(0).text() == "Hôm nay"
    view.general.language.setCurrentIndex(view.general.language.findData("en"))
    qtbot.mouseClick(view.general.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.window is not main, timeout=5000)
    assert current_language() == "en"
    assert controller.window.nav.item(0).text() == "Today"
    assert controller.window.nav.currentItem().text() == "Settings"
    assert controller.config["language"] == "en"


def test_auto_lock_and_unit_names_are_saved_in_the_register(qtbot, make_controller, closed_register):
    root, _ = closed_register
    controller = make_controller(root, "admin")
    main, view = _settings(qtbot, controller)
    view.general.auto_lock.setValue(3)
    qtbot.mouseClick(view.general.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.general.saved.text() != "", timeout=5000)
    unit_panel = view.tabs.widget(1)
    unit_panel.edits["unit_name"].clear()
    type_text(qtbot, unit_panel.edits["unit_name"], "Điểm tư vấn phường Mỹ Phước")
    qtbot.mouseClick(unit_panel.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Mỹ Phước" in main.who.text(), timeout=5000)
    assert "Mỹ Phước" in main.windowTitle()
    controller.lock()
    controller.shutdown()
    with unlock(root, "admin", PASSPHRASE) as register:
        assert register_settings.get(register.conn, "auto_lock_minutes") == 3
        assert register.unit().name == "Điểm tư vấn phường Mỹ Phước"


def test_admin_adds_a_user_who_can_then_unlock(qtbot, make_controller, closed_register):
    from app.gui.settings.users_panel import AddUserDialog, UsersPanel

    root, _ = closed_register
    controller = make_controller(root, "admin")
    main, view = _settings(qtbot, controller)
    panel = view.findChild(UsersPanel)
    view.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    qtbot.mouseClick(panel.add, Qt.MouseButton.LeftButton)
    dialog = panel.findChild(AddUserDialog)
    type_text(qtbot, dialog.full_name, "Trần Thị Lan")
    type_text(qtbot, dialog.login, "lan")
    type_text(qtbot, dialog.fields.first, "lan có mật khẩu dài")
    type_text(qtbot, dialog.fields.second, "lan có mật khẩu dài")
    dialog.submit()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2, timeout=5000)
    assert panel.model.rows[1].full_name == "Trần Thị Lan"
    controller.lock()
    window = controller.window
    window.login.setText("lan")
    main = unlock_as(qtbot, controller, "lan", "lan có mật khẩu dài")
    assert "Tư vấn viên" in main.who.text()


def test_a_reporter_sees_only_reports_and_settings(qtbot, make_controller, closed_register):
    from app.store import users

    root, _ = closed_register
    with unlock(root, "admin", PASSPHRASE) as register:
        users.add_user(register, "hung", "Lê Văn Hùng", "reporter", "hùng có mật khẩu dài")
    controller = make_controller(root, "hung")
    main = unlock_as(qtbot, controller, "hung", "hùng có mật khẩu dài")
    assert main.screen_keys() == ["reports", "settings"]


def test_back_up_now_lists_the_new_backup(qtbot, make_controller, closed_register):
    from app.gui.settings.backup_panel import BackupPanel

    root, _ = closed_register
    controller = make_controller(root, "admin")
    main, view = _settings(qtbot, controller)
    panel = view.findChild(BackupPanel)
    view.tabs.setCurrentWidget(panel)
    qtbot.mouseClick(panel.now, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any("manual" in panel.list.item(i).text() for i in range(panel.list.count())),
                    timeout=5000)
    assert list((root / "backups").glob("*-manual.tvbak"))


def test_changing_own_passphrase_needs_the_current_one(qtbot, make_controller, closed_register):
    from app.gui.settings.view import PassphrasePanel

    root, _ = closed_register
    controller = make_controller(root, "admin")
    main, view = _settings(qtbot, controller)
    panel = view.findChild(PassphrasePanel)
    view.tabs.setCurrentWidget(panel)
    type_text(qtbot, panel.current, "không đúng mật khẩu")
    type_text(qtbot, panel.fields.first, "mật khẩu mới của tôi")
    type_text(qtbot, panel.fields.second, "mật khẩu mới của tôi")
    qtbot.mouseClick(panel.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.error.isVisible(), timeout=5000)
    panel.current.clear()
    type_text(qtbot, panel.current, PASSPHRASE)
    qtbot.mouseClick(panel.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.saved.text() != "", timeout=5000)
    controller.lock()
    controller.shutdown()
    unlock(root, "admin", "mật khẩu mới của tôi").close()


def test_the_recovery_sheet_prints_through_qt(qtbot, tmp_path, unit):
    from PySide6.QtPrintSupport import QPrinter

    from app.core.clock import utc_now
    from app.gui.common.printing import render_pdf
    from app.reports.recovery_sheet import recovery_sheet_pdf

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    pages = render_pdf(printer, recovery_sheet_pdf(unit, "id", "ABCD-EFGH", utc_now()))
    assert pages == 1
    assert (tmp_path / "printed.pdf").stat().st_size > 10_000


def test_changing_the_register_key_locks_and_shows_the_new_recovery_key(qtbot, make_controller, closed_register,
                                                                        monkeypatch, tmp_path):
    from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

    from app.core.errors import WrongPassphrase, WrongRecoveryKey
    from app.gui.shell.unlock_window import UnlockWindow
    from app.store import users
    from app.store.register import unlock_with_recovery_key

    root, old_recovery = closed_register
    with unlock(root, "admin", PASSPHRASE) as register:
        users.add_user(register, "lan", "Trần Thị Lan", "counsellor", "mật khẩu của Lan rất dài")
    controller = make_controller(root, "admin")
    _main, view = _settings(qtbot, controller)
    panel = view.rekey
    view.tabs.setCurrentWidget(panel.parentWidget())

    # A wrong passphrase is refused beside the button and nothing changes.
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kw: QMessageBox.StandardButton.Yes)
    type_text(qtbot, panel.passphrase, "không đúng mật khẩu")
    qtbot.mouseClick(panel.start, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.error.isVisibleTo(panel) and panel.start.isEnabled(), timeout=5000)
    assert "mật khẩu" in panel.error.text()

    panel.passphrase.clear()
    type_text(qtbot, panel.passphrase, PASSPHRASE)
    qtbot.mouseClick(panel.start, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(controller.window, UnlockWindow) and controller.recovery_dialog is not None
                    and controller.recovery_dialog.isVisible(), timeout=15000)
    dialog = controller.recovery_dialog
    key = dialog.box.key.text()
    assert "lan" in dialog.intro.text() and "khóa khôi phục mới" in dialog.intro.text()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()  # only once the key is kept
    dialog.reject()
    assert dialog.isVisible()
    dialog.box.save_to(tmp_path / "phieu.pdf")
    assert (tmp_path / "phieu.pdf").read_bytes().startswith(b"%PDF")
    dialog.box.confirm.setChecked(True)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)

    controller.shutdown()
    with pytest.raises(WrongRecoveryKey):
        unlock_with_recovery_key(root, old_recovery.formatted(), "admin", "một mật khẩu mới tinh")
    with pytest.raises(WrongPassphrase):
        unlock(root, "lan", "mật khẩu của Lan rất dài")
    unlock_with_recovery_key(root, key, "admin", "một mật khẩu mới tinh").close()


def test_a_point_allows_escrow_and_its_office_writes_a_temporary_passphrase(qtbot, make_controller, tmp_path):
    import shutil

    from app.core.unit import make_unit
    from app.gui.settings.escrow_panel import OfficeRescueBox, PointEscrowBox
    from app.store.register import create_register
    from app.store.register_folder import SLOTS_NAME
    from app.sync import identity

    point, _ = create_register(tmp_path / "point", unit=make_unit("point", "MYHOA-01", "Điểm tư vấn xã Mỹ Hòa"),
                               admin_login="admin", admin_full_name="Quản Trị", passphrase=PASSPHRASE)
    district, _ = create_register(tmp_path / "district", unit=make_unit("district", "LX-CA", "Công an Long Xuyên"),
                                  admin_login="admin", admin_full_name="Cán Bộ", passphrase=PASSPHRASE)
    for a, b in ((point, district), (district, point)):
        other = identity.own_identity(b)
        identity.pin(a, other, other.confirmation)
    roots = point.paths.root, district.paths.root
    point.close()
    district.close()

    controller = make_controller(roots[0], "admin")
    _main, view = _settings(qtbot, controller)
    box = view.escrow
    assert isinstance(box, PointEscrowBox)
    qtbot.waitUntil(lambda: "Chưa cho phép" in box.status.text(), timeout=5000)
    assert not box.withdraw.isEnabled()
    view.tabs.setCurrentWidget(box.parentWidget())
    qtbot.mouseClick(box.allow, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Công an Long Xuyên" in box.status.text(), timeout=5000)
    assert box.withdraw.isEnabled()
    controller.shutdown()
    usb = tmp_path / "usb"
    usb.mkdir()
    shutil.copy(roots[0] / SLOTS_NAME, usb / SLOTS_NAME)

    office = make_controller(roots[1], "admin")
    _main, view = _settings(qtbot, office)
    rescue = view.escrow
    assert isinstance(rescue, OfficeRescueBox)
    view.tabs.setCurrentWidget(rescue.parentWidget())
    qtbot.mouseClick(rescue.write, Qt.MouseButton.LeftButton)  # no file yet: said beside the button
    assert "keyslots.json" in rescue.error.text()
    rescue.path.setText(str(usb / SLOTS_NAME))
    type_text(qtbot, rescue.fields.first, "mật khẩu tạm do huyện đặt")
    type_text(qtbot, rescue.fields.second, "mật khẩu tạm do huyện đặt")
    qtbot.mouseClick(rescue.write, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "MYHOA-01" in rescue.result.text(), timeout=10000)
    office.shutdown()
    shutil.copy(usb / SLOTS_NAME, roots[0] / SLOTS_NAME)
    unlock(roots[0], "admin", "mật khẩu tạm do huyện đặt").close()
