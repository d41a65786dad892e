"""The print dialog opens on the system's own printers, or the user reads why it cannot."""

import os
import sys

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QApplication, QWidget

from app.gui.common.printing import print_pdf, printers_set_up
from app.reports.recovery_sheet import recovery_sheet_pdf

WINDOWS = sys.platform == "win32"
# `make windows-test` gives the Win32-window run a printer (packaging/windows/wine.py, test_printer).
TEST_PRINTER = os.environ.get("TUVAN_TEST_PRINTER")


def _sheet(unit) -> bytes:
    from datetime import datetime, timezone

    return recovery_sheet_pdf(unit, "admin", "AAAA-BBBB-CCCC-DDDD", datetime.now(timezone.utc))


def _cancel_native_print_dialog() -> dict | None:
    """Find Windows' own print dialog among this thread's windows, read it, press Cancel."""
    import ctypes
    from ctypes import wintypes

    user32 = ctypes.windll.user32
    user32.GetWindowTextW.argtypes = (wintypes.HWND, wintypes.LPWSTR, ctypes.c_int)
    user32.GetClassNameW.argtypes = (wintypes.HWND, wintypes.LPWSTR, ctypes.c_int)
    user32.PostMessageW.argtypes = (wintypes.HWND, wintypes.UINT, wintypes.WPARAM, wintypes.LPARAM)

    def text(hwnd, read=user32.GetWindowTextW) -> str:
        buffer = ctypes.create_unicode_buffer(256)
        read(hwnd, buffer, 256)
        return buffer.value

    def windows(enumerate_, owner) -> list:
        found = []
        callback = ctypes.WINFUNCTYPE(wintypes.BOOL, wintypes.HWND, wintypes.LPARAM)(
            lambda hwnd, _: found.append(hwnd) or True)
        enumerate_(owner, callback, 0)
        return found

    for hwnd in windows(user32.EnumThreadWindows, ctypes.windll.kernel32.GetCurrentThreadId()):
        if text(hwnd, user32.GetClassNameW) == "#32770" and user32.IsWindowVisible(hwnd):
            children = [text(child) for child in windows(user32.EnumChildWindows, hwnd)]
            user32.PostMessageW(hwnd, 0x0111, 2, 0)  # WM_COMMAND IDCANCEL: the Cancel button
            return {"title": text(hwnd), "texts": children}
    return None


@pytest.mark.skipif(WINDOWS, reason="Qt's own print dialog; Windows shows its native one (tests below)")
def test_print_opens_qts_print_dialog(qtbot, unit, _no_modal_boxes):
    parent = QWidget()
    qtbot.addWidget(parent)
    seen = []

    def cancel():
        seen.append(QApplication.activeModalWidget())
        if seen[-1] is not None:
            seen[-1].reject()

    QTimer.singleShot(1000, parent, cancel)  # with `parent` as context: dropped if the test is over
    assert print_pdf(parent, _sheet(unit), "Phiếu khóa khôi phục") is False
    assert _no_modal_boxes == []
    assert isinstance(seen[0], QPrintDialog) and seen[0].windowTitle() == "Phiếu khóa khôi phục"


@pytest.mark.skipif(not WINDOWS, reason="Windows' native print dialog")
def test_print_on_windows_opens_the_native_dialog_or_says_there_is_no_printer(qtbot, unit, _no_modal_boxes):
    parent = QWidget()
    qtbot.addWidget(parent)
    dialogs = []

    def look():  # the native dialog runs its own message loop; Qt timers still fire inside it
        dialog = _cancel_native_print_dialog()
        if dialog is not None:
            dialogs.append(dialog)
            poll.stop()

    poll = QTimer(parent, interval=200)
    poll.timeout.connect(look)
    poll.start()

    def give_up():  # a dialog not found must fail the test, not hang it
        poll.stop()
        if not dialogs:
            import ctypes

            ctypes.windll.user32.PostMessageW(ctypes.windll.user32.GetForegroundWindow(), 0x0010, 0, 0)

    deadline = QTimer(parent, singleShot=True, interval=20000)  # parented: dies with the test
    deadline.timeout.connect(give_up)
    deadline.start()
    assert print_pdf(parent, _sheet(unit), "Phiếu khóa khôi phục") is False
    poll.stop()
    deadline.stop()
    if TEST_PRINTER:
        assert printers_set_up()
        (dialog,) = dialogs
        assert _no_modal_boxes == []
        # The dialog offers the printer the machine has (Wine's dialog lists it by name).
        assert any(TEST_PRINTER in text for text in dialog["texts"]), dialog
    elif not printers_set_up():
        assert dialogs == []
        (kind, args), = _no_modal_boxes  # Windows shows no dialog at all without a printer
        assert kind == "warning" and "chưa cài máy in" in args[2] and "PDF" in args[2]
    else:  # a real Windows PC with printers of its own
        assert len(dialogs) == 1 and _no_modal_boxes == []
