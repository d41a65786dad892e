"""The one-worker task runner: answers reach the view that asked, or nowhere if it is gone."""

import threading

from PySide6.QtWidgets import QLabel

from app.gui.common.tasks import TaskRunner


def test_an_answer_for_a_closed_view_is_dropped_quietly(qtbot):
    failures = []
    runner = TaskRunner(failures.append)
    label = QLabel()
    release = threading.Event()
    runner.run(lambda: release.wait(5) and "xong", label.setText)
    label.deleteLater()
    qtbot.waitUntil(lambda: _deleted(label), timeout=5000)
    release.set()
    qtbot.waitUntil(lambda: not runner.busy, timeout=5000)  # delivered without raising
    seen = []
    runner.run(lambda: 1 / 0, seen.append, lambda error: seen.append(type(error).__name__))
    qtbot.waitUntil(lambda: seen == ["ZeroDivisionError"], timeout=5000)
    assert failures == []
    runner.shutdown()


def _deleted(widget) -> bool:
    from shiboken6 import isValid

    return not isValid(widget)
