"""The print dialog opens on the system's own printers, or the user reads why it cannot."""

import sys

from PySide6.QtCore import QTimer
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QApplication, QWidget

from app.gui.printing import print_pdf, printers_set_up
from app.reports.recovery_sheet import recovery_sheet_pdf


def _sheet(unit) -> bytes:
    from datetime import datetime, timezone

    return recovery_sheet_pdf(unit, "admin", "AAAA-BBBB-CCCC-DDDD", datetime.now(timezone.utc))


def test_print_opens_the_print_dialog_or_says_there_is_no_printer(qtbot, unit, _no_modal_boxes):
    parent = QWidget()
    qtbot.addWidget(parent)
    seen = []

    def cancel_the_dialog():
        dialog = QApplication.activeModalWidget()
        seen.append(dialog)
        if dialog is not None:
            dialog.reject()
        elif sys.platform == "win32":  # the native Windows dialog: close it as the user would
            import ctypes

            ctypes.windll.user32.PostMessageW(ctypes.windll.user32.GetForegroundWindow(), 0x0010, 0, 0)

    timer = QTimer(parent, singleShot=True, interval=1500)
    timer.timeout.connect(cancel_the_dialog)
    timer.start()
    assert print_pdf(parent, _sheet(unit), "Phiếu khóa khôi phục") is False
    timer.stop()
    if sys.platform == "win32" and not printers_set_up():
        (kind, args), = _no_modal_boxes  # Windows shows no dialog at all without a printer
        assert kind == "warning" and "chưa cài máy in" in args[2] and "PDF" in args[2]
    else:
        assert _no_modal_boxes == []
        if sys.platform != "win32":
            assert isinstance(seen[0], QPrintDialog) and seen[0].windowTitle() == "Phiếu khóa khôi phục"
