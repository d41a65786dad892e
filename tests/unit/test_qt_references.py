"""The Qt binding keeps Python's reference counts: a GUI session makes millions of Qt calls.

PySide6 6.12.0 on Python 3.11 lost a reference to None on calls such as processEvents() and
QWidget.update(); after a few thousand of them the interpreter aborts ("deallocating None"), which
a counsellor would see as the program vanishing during long work. pyproject.toml keeps such a
version out; this test fails if one comes back.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel

CALLS = 300  # few enough that a leaking binding fails the test instead of aborting the run


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12 on")
def test_frequent_qt_calls_keep_the_reference_count_of_none(qapp):
    label = QLabel("Đang nhập các gói dữ liệu…")
    before = sys.getrefcount(None)
    for n in range(CALLS):
        QCoreApplication.processEvents()
        label.update()
        label.setText(f"{n} / {CALLS}")
    assert abs(sys.getrefcount(None) - before) < CALLS // 10, "the Qt binding drops references to None"
