"""GUI fixtures: a controller over a register in tmp_path, driven offscreen."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from tests.conftest import PASSPHRASE, PERSON


@pytest.fixture(autouse=True)
def _no_modal_boxes(monkeypatch):
    """Message boxes would block a headless run; record them instead."""
    shown = []
    for name in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, name, lambda *args, _n=name, **kw: shown.append((_n, args)))
    return shown


@pytest.fixture
def make_controller(qtbot, tmp_path):
    from app.gui.shell.controller import AppController
    from app.gui.shell.launch import make_app
    from app.store.machine_config import MachineConfig

    made = []

    def make(root, login=""):
        make_app([])
        controller = AppController(MachineConfig(tmp_path / "config.json"), root, login)
        made.append(controller)
        controller.start()
        return controller

    yield make
    for controller in made:  # the controller owns its windows (older ones are already deleted)
        window = controller.window
        controller.shutdown()
        if window is not None:
            window.close()
            window.deleteLater()


@pytest.fixture
def closed_register(tmp_path, unit):
    from app.store.register import create_register

    register, recovery = create_register(tmp_path / "register", unit=unit, admin_login="admin",
                                         admin_full_name=PERSON, passphrase=PASSPHRASE)
    root = register.paths.root
    register.close()
    return root, recovery


def unlock_as(qtbot, controller, login="admin", passphrase=PASSPHRASE):
    from PySide6.QtCore import Qt

    from app.gui.shell.main_window import MainWindow

    window = controller.window
    window.login.setText(login)
    type_text(qtbot, window.passphrase, passphrase)
    qtbot.mouseClick(window.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(controller.window, MainWindow), timeout=10000)
    return controller.window


def type_text(qtbot, widget, text: str) -> None:
    """Type like a person: ASCII as key presses, Vietnamese as an input-method commit
    (how Unikey/EVKey deliver composed letters; QTest can only press ASCII keys)."""
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    widget.setFocus()
    if text.isascii():
        qtbot.keyClicks(widget, text)
        return
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)
