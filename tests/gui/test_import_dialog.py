"""The import dialog: preview, every problem by row and column, Import only for a clean file."""

from __future__ import annotations

import csv

import pytest
from PySide6.QtCore import Qt

from app.store import importer
from tests.gui.conftest import type_text, unlock_as

HEADER = ["STT", "Họ và tên", "Giới tính", "Năm sinh", "Ngày tiếp nhận", "Nhóm đối tượng"]
NAMES = ["Nguyễn Văn Đức", "Trần Thị Lan", "Lê Văn Hùng", "Phạm Thị Mai", "Võ Văn Bình"]


def _write(path, *, bad_row: int | None = None):
    """40 clients; `bad_row` is the spreadsheet row (the header is row 1) that gets an impossible date."""
    rows = []
    for n in range(40):
        name = f"{NAMES[n % 5]} {'ABCDEFGH'[n // 5]}"
        intake = "31/02/2025" if n + 2 == bad_row else f"{1 + n % 28:02d}/03/2025"
        rows.append([n + 1, name, "Nữ" if "Thị" in name else "Nam", 1980 + n, intake, "nghiện"])
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


@pytest.fixture
def dialog(qtbot, make_controller, closed_register):
    from app.gui.clients.import_dialog import ImportDialog

    root, _ = closed_register
    controller = make_controller(root, "admin")
    main = unlock_as(qtbot, controller)
    made = ImportDialog(controller.session, main)
    made.show()
    qtbot.waitExposed(made)
    return made


def _check(qtbot, dialog, path):
    dialog.file.clear()
    type_text(qtbot, dialog.file, str(path))
    qtbot.mouseClick(dialog.check, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10000)


def _client_count(qtbot, session) -> int:
    found = []
    session.run(lambda reg: reg.conn.execute("SELECT count(*) FROM clients").fetchone()[0], found.append)
    qtbot.waitUntil(lambda: bool(found), timeout=5000)
    return found[0]


def test_a_bad_date_blocks_the_import_and_the_corrected_file_imports_once(qtbot, dialog, tmp_path):
    path = _write(tmp_path / "khach-hang.csv", bad_row=37)
    assert dialog.kind.currentData() == "clients"
    _check(qtbot, dialog, path)
    problems = dialog.problems_model
    assert problems.rowCount() == 1
    cells = [problems.index(0, c).data() for c in range(4)]
    assert cells[:3] == ["37", "Ngày tiếp nhận", "Lỗi"] and "ngày/tháng/năm" in cells[3]
    assert not dialog.import_button.isEnabled()
    assert "1 lỗi" in dialog.summary.text()
    assert dialog.preview_model.rowCount() == 39  # the other rows, as they would be imported
    assert dialog.preview_model.index(0, 1).data() == "mới"
    assert dialog.preview_model.index(0, 2).data() == "Nguyễn Văn Đức A"
    assert dialog.preview_model.index(0, 6).data() == "Người nghiện ma túy"

    _write(path)  # corrected in Excel and saved
    _check(qtbot, dialog, path)
    assert dialog.problems_model.rowCount() == 0
    assert dialog.import_button.isEnabled()
    with qtbot.waitSignal(dialog.session.changed, timeout=10000) as published:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert len(published.args[0]["records"]) == 40 and published.args[0]["import"]["new"] == 40
    assert dialog.result is not None and "đã nhập 40" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()
    assert _client_count(qtbot, dialog.session) == 40

    qtbot.mouseClick(dialog.check, Qt.MouseButton.LeftButton)  # the same file again
    qtbot.waitUntil(lambda: dialog.plan is not None and dialog.result is None, timeout=10000)
    assert dialog.plan.count(importer.PRESENT) == 40
    assert not dialog.import_button.isEnabled()
    assert "đã có trong sổ" in dialog.summary.text()
    assert _client_count(qtbot, dialog.session) == 40


def test_the_wrong_kind_names_the_missing_columns(qtbot, dialog, tmp_path):
    path = _write(tmp_path / "khach-hang.csv")
    _check(qtbot, dialog, path)
    assert dialog.import_button.isEnabled()
    dialog.kind.setCurrentIndex(dialog.kind.findData("referrals"))  # checks the file again
    qtbot.waitUntil(lambda: dialog.plan is not None and dialog.plan.kind.key == "referrals", timeout=10000)
    columns = {dialog.problems_model.index(r, 1).data() for r in range(dialog.problems_model.rowCount())}
    assert {"Dịch vụ / Service", "Ngày giới thiệu / Referral date"} <= columns
    assert not dialog.import_button.isEnabled()


def test_a_file_that_cannot_be_read_says_why(qtbot, dialog, tmp_path):
    path = tmp_path / "so-cu.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    type_text(qtbot, dialog.file, str(path))
    qtbot.mouseClick(dialog.check, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=10000)
    assert "so-cu.xls" in dialog.error.text() and ".xlsx" in dialog.error.text()
    assert not dialog.import_button.isEnabled()


def test_a_file_edited_after_the_check_is_not_imported_unseen(qtbot, dialog, tmp_path):
    path = _write(tmp_path / "khach-hang.csv")
    _check(qtbot, dialog, path)
    assert dialog.import_button.isEnabled()
    with path.open("a", encoding="utf-8") as more:  # someone adds a row in Excel meanwhile
        more.write("41,Đỗ Thị Dung,Nữ,1990,01/04/2025,nghiện\r\n")
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=10000)
    assert "kiểm tra lại" in dialog.error.text() and dialog.result is None
    assert not dialog.import_button.isEnabled()
    assert _client_count(qtbot, dialog.session) == 0
