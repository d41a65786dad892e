"""Long work shows a real progress bar with counts and can be cancelled without leaving anything half-done.

The import of two bundles is slowed down (each batch of records waits a little, as on a slow USB
stick) so that the bar can be read and Cancel pressed while the first file is being written.
Screenshots go to TUVAN_SCREENSHOTS (a folder) when set.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressBar, QProgressDialog, QPushButton

from app.core import progress as progress_module
from app.gui.common import tasks
from app.sync import export
from tests.gui.test_sync_view import DISTRICT, POINT, _enroll, _import_through_wizard, _open_view, _register


def _dialog(view) -> QProgressDialog | None:
    found = [d for d in view.window().findChildren(QProgressDialog, "work_progress") if d.isVisible()]
    return found[-1] if found else None


def test_an_import_shows_its_counts_and_a_cancel_leaves_the_office_as_it_was(qtbot, make_controller, monkeypatch,
                                                                            tmp_path):
    district = _register(tmp_path, *DISTRICT)
    point = _register(tmp_path, *POINT, clients_count=40)
    _enroll(point, district)
    bundles = [export.export_bundles(point, tmp_path / "usb")[0].path]
    point.close()
    root = district.paths.root
    district.close()
    view = _open_view(qtbot, make_controller, root)
    wizard = _import_through_wizard(qtbot, monkeypatch, view, bundles)

    monkeypatch.setattr(tasks, "PROGRESS_DELAY_MS", 0)
    slow_add = progress_module.Progress.add
    monkeypatch.setattr(progress_module.Progress, "add",
                        lambda self, amount: (time.sleep(0.05), slow_add(self, amount))[1])
    qtbot.mouseClick(wizard.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _dialog(wizard) is not None, timeout=10000)
    dialog = _dialog(wizard)
    bar = dialog.findChild(QProgressBar)
    assert bar.maximum() == tasks.BAR_STEPS
    qtbot.waitUntil(lambda: 0 < bar.value() < tasks.BAR_STEPS and " / " in dialog.labelText(), timeout=10000)
    if os.environ.get("TUVAN_SCREENSHOTS"):
        dialog.grab().save(str(Path(os.environ["TUVAN_SCREENSHOTS"]) / "import-progress.png"))
    assert "Tệp 1/1: " + bundles[0].name in dialog.labelText()
    cancel = dialog.findChild(QPushButton)
    assert cancel.text() == "Hủy"
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.pages.currentIndex() == 2, timeout=20000)
    assert [o.kind for o in wizard.outcomes] == ["cancelled"]
    assert "bạn đã hủy" in wizard.results.item(0).text()
    assert "Bạn đã hủy" in wizard.result_summary.text()
    stored = []
    view.session.run(lambda register: (
        register.conn.execute("SELECT count(*) FROM clients").fetchone()[0],
        register.conn.execute("SELECT count(*) FROM bundles_received").fetchone()[0],
        register.conn.execute("SELECT count(*) FROM quarantine").fetchone()[0]), stored.append)
    qtbot.waitUntil(lambda: stored == [(0, 0, 0)], timeout=10000)
    assert _dialog(wizard) is None

    # The same file imported without a cancel goes in whole.
    monkeypatch.setattr(progress_module.Progress, "add", slow_add)
    wizard.accept()
    wizard = _import_through_wizard(qtbot, monkeypatch, view, bundles)
    qtbot.mouseClick(wizard.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.pages.currentIndex() == 2, timeout=20000)
    assert [o.kind for o in wizard.outcomes] == ["imported"]


def test_the_office_form_can_be_stopped_and_then_prints_nothing_stale(qtbot, make_controller, monkeypatch, tmp_path):
    from app.gui.reports.view import ReportsView
    from app.sync import merge
    from tests.gui.conftest import unlock_as

    district = _register(tmp_path, *DISTRICT)
    point = _register(tmp_path, *POINT, clients_count=20)
    _enroll(point, district)
    bundle = export.export_bundles(point, tmp_path / "usb")[0].path
    point.close()
    merge.apply_import(district, merge.plan_import(district, bundle, bundle.name))
    root = district.paths.root
    district.close()

    controller = make_controller(root, "admin")
    main = unlock_as(qtbot, controller)
    main.show_screen("reports")
    view = main.screens["reports"]
    assert isinstance(view, ReportsView)
    qtbot.waitUntil(lambda: view.shown is not None, timeout=10000)
    assert view.print_button.isEnabled()

    monkeypatch.setattr(tasks, "PROGRESS_DELAY_MS", 0)
    slow_add = progress_module.Progress.add
    monkeypatch.setattr(progress_module.Progress, "add", lambda self, amount: (time.sleep(0.3), slow_add(self, amount))[1])
    view.refresh()
    qtbot.waitUntil(lambda: _dialog(view) is not None, timeout=10000)
    dialog = _dialog(view)
    assert dialog.labelText().startswith("Đang tính số liệu")
    qtbot.mouseClick(dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Đã dừng việc đếm" in view.title.text(), timeout=20000)
    assert view.shown is None and view.model.rowCount() == 0
    assert not view.print_button.isEnabled() and not view.preview_button.isEnabled()
    assert _dialog(view) is None

    monkeypatch.setattr(progress_module.Progress, "add", slow_add)
    view.refresh()
    qtbot.waitUntil(lambda: view.shown is not None, timeout=10000)
    assert view.print_button.isEnabled() and view.model.rowCount() > 0
