"""The setup wizard, the unlock window, wrong passphrases, recovery and auto-lock."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from app.gui.shell.main_window import MainWindow
from app.gui.shell.setup_wizard import SetupWizard
from app.gui.shell.unlock_window import UnlockWindow
from app.store.register import unlock
from tests.conftest import OtherProgram
from tests.gui.conftest import type_text, unlock_as


def _next(qtbot, wizard):
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)


def test_setup_wizard_creates_a_register_and_opens_it(qtbot, make_controller, tmp_path):
    root = tmp_path / "new" / "register"
    controller = make_controller(root)
    wizard = controller.window
    assert isinstance(wizard, SetupWizard)
    page = wizard.unit_page
    _next(qtbot, wizard)
    assert wizard.currentPage() is page and page.errors["code"].isVisible()  # required fields
    type_text(qtbot, page.code, "myhoa-01")
    type_text(qtbot, page.name, "Điểm tư vấn xã Mỹ Hòa")
    type_text(qtbot, page.office, "Ủy ban nhân dân xã Mỹ Hòa")
    _next(qtbot, wizard)
    admin = wizard.admin_page
    assert wizard.currentPage() is admin
    type_text(qtbot, admin.full_name, "Nguyễn Văn Đức")
    type_text(qtbot, admin.fields.first, "trâu vàng ăn cỏ non")
    type_text(qtbot, admin.fields.second, "trâu vàng ăn cỏ nôn")
    _next(qtbot, wizard)
    assert "không giống nhau" in admin.fields.error.text()
    admin.fields.second.clear()
    type_text(qtbot, admin.fields.second, "trâu vàng ăn cỏ non")
    _next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.recovery_page, timeout=10000)
    key = wizard.recovery_page.key.text()
    assert len(key) == 44 and key.count("-") == 8
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert not finish.isEnabled()  # the key must be acknowledged
    sheet = tmp_path / "sheet.pdf"
    wizard.recovery_page.save_to(sheet)
    assert sheet.read_bytes().startswith(b"%PDF")
    wizard.recovery_page.confirm.setChecked(True)
    assert finish.isEnabled()
    qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(controller.window, MainWindow), timeout=10000)
    main = controller.window
    assert "Điểm tư vấn xã Mỹ Hòa" in main.windowTitle()
    assert "Nguyễn Văn Đức" in main.who.text()
    controller.lock()
    qtbot.waitUntil(lambda: isinstance(controller.window, UnlockWindow))
    controller.shutdown()
    with unlock(root, "admin", "trâu vàng ăn cỏ non") as register:
        assert register.unit().code == "MYHOA-01"


def test_wizard_refuses_a_folder_that_is_not_empty(qtbot, make_controller, tmp_path):
    root = tmp_path / "busy"
    root.mkdir()
    (root / "something.txt").write_text("x")
    controller = make_controller(root)
    page = controller.window.unit_page
    type_text(qtbot, page.code, "AB")
    type_text(qtbot, page.name, "Điểm")
    _next(qtbot, controller.window)
    assert controller.window.currentPage() is page
    assert "không trống" in page.errors["folder"].text()


def test_unlock_window_opens_the_register(qtbot, make_controller, closed_register):
    root, _ = closed_register
    controller = make_controller(root, "admin")
    assert isinstance(controller.window, UnlockWindow)
    main = unlock_as(qtbot, controller)
    assert main.screen_keys()[0] == "today" and "settings" in main.screen_keys()


def test_wrong_passphrase_shows_the_message_and_stays_locked(qtbot, make_controller, closed_register):
    root, _ = closed_register
    controller = make_controller(root, "admin")
    window = controller.window
    type_text(qtbot, window.passphrase, "không phải mật khẩu")
    qtbot.mouseClick(window.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.error.isVisible(), timeout=10000)
    assert "Sai tên người dùng hoặc mật khẩu" in window.error.text()
    assert window.passphrase.text() == ""
    assert controller.window is window


def test_repeated_failures_make_the_unlock_button_wait(qtbot, make_controller, closed_register):
    root, _ = closed_register
    controller = make_controller(root, "admin")
    window = controller.window
    for _ in range(3):
        qtbot.waitUntil(lambda: window.unlock_button.isEnabled(), timeout=10000)
        type_text(qtbot, window.passphrase, "sai")
        qtbot.mouseClick(window.unlock_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.error.isVisible() and window.passphrase.isEnabled(), timeout=10000)
    qtbot.waitUntil(lambda: not window.unlock_button.isEnabled(), timeout=5000)
    assert window.unlock_button.text().startswith("Chờ") and "giây" in window.unlock_button.text()
    qtbot.waitUntil(lambda: window.unlock_button.isEnabled(), timeout=5000)  # the wait runs out
    assert window.unlock_button.text() == "Mở khóa"


def test_recovery_key_dialog_sets_a_passphrase_and_opens(qtbot, make_controller, closed_register):
    root, recovery = closed_register
    controller = make_controller(root, "admin")
    controller.window.open_recovery()
    from app.gui.shell.unlock_window import RecoveryDialog

    dialog = controller.window.findChild(RecoveryDialog)
    type_text(qtbot, dialog.key, recovery.formatted().replace("-", " ").lower())
    type_text(qtbot, dialog.fields.first, "mật khẩu mới sau khi quên")
    type_text(qtbot, dialog.fields.second, "mật khẩu mới sau khi quên")
    dialog.submit()
    qtbot.waitUntil(lambda: isinstance(controller.window, MainWindow), timeout=10000)
    controller.lock()
    controller.shutdown()
    unlock(root, "admin", "mật khẩu mới sau khi quên").close()


def test_idle_auto_lock_returns_to_the_unlock_window(qtbot, make_controller, closed_register):
    root, _ = closed_register
    controller = make_controller(root, "admin")
    controller.idle_timeout_ms = 400
    unlock_as(qtbot, controller)
    with qtbot.waitSignal(controller.locked, timeout=5000):
        pass
    assert isinstance(controller.window, UnlockWindow)
    assert controller.session is None


def test_widgets_cannot_run_sql_on_the_gui_thread(qtbot, make_controller, closed_register):
    import pytest

    from app.store.connection import sqlcipher

    root, _ = closed_register
    controller = make_controller(root, "admin")
    unlock_as(qtbot, controller)
    register = controller.session._register
    with pytest.raises(sqlcipher.ProgrammingError, match="thread"):
        register.conn.execute("SELECT 1")
    done = []
    controller.session.run(lambda reg: reg.conn.execute("SELECT count(*) FROM users").fetchone()[0], done.append)
    qtbot.waitUntil(lambda: done == [1])


def test_a_second_window_on_the_same_register_says_so_and_does_not_start(qtbot, tmp_path, closed_register,
                                                                         _no_modal_boxes):
    from app.gui.shell.controller import AppController
    from app.gui.shell.launch import make_app
    from app.store.machine_config import MachineConfig

    root, _recovery = closed_register
    first = OtherProgram(root, "window")  # another Tư Vấn already shows this register
    try:
        make_app([])
        controller = AppController(MachineConfig(tmp_path / "config.json"), root)
        assert controller.start() is False
        assert controller.window is None  # no unlock window: nobody types a passphrase in vain
        (kind, args), = _no_modal_boxes
        assert kind == "warning" and "đang được mở ở một cửa sổ Tư Vấn khác" in args[2]
    finally:
        first.end()
    controller = AppController(MachineConfig(tmp_path / "config.json"), root)
    try:
        assert controller.start() is True and isinstance(controller.window, UnlockWindow)
    finally:
        controller.shutdown()
        controller.window.close()


def test_the_window_font_has_vietnamese_letters(qtbot):
    """The font the windows use draws every Vietnamese letter (Wine's Tahoma has none: docs/packaging.md)."""
    from PySide6.QtGui import QFontDatabase, QFontInfo, QFontMetrics
    from PySide6.QtWidgets import QApplication

    from app.gui.shell.launch import make_app

    make_app([])
    font = QApplication.font()
    family = QFontInfo(font).family()
    assert QFontDatabase.WritingSystem.Vietnamese in QFontDatabase.writingSystems(family), family
    metrics = QFontMetrics(font)
    assert all(metrics.inFontUcs4(ord(letter)) for letter in "ăâđêôơưẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸ")
