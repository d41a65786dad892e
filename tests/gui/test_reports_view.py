"""The Reports screen: a past month's form, its records, export, print, closing and amendments."""

import csv
import io
import json
from datetime import date, timedelta

import openpyxl
import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QFont
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewWidget
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from app.core.clock import today
from app.gui.common.record_dialog import RecordDialog
from app.gui.reports.view import ReportsView
from app.reports.period import Month
from app.store import clients, contacts, outreach, users
from app.store.register import unlock
from tests.conftest import PASSPHRASE
from tests.gui.conftest import unlock_as

# Two months back: the screen opens on the previous month, so picking this one is part of the test.
PAST = Month.of(today()).previous().previous()


def _day(n: int) -> str:
    return (date.fromisoformat(PAST.first) + timedelta(days=n - 1)).isoformat()


def _seed(root) -> dict:
    """A few contacts and outreach of PAST, through the repositories as dialogs would write them."""
    with unlock(root, "admin", PASSPHRASE) as register:
        duc = clients.create(register, {"full_name": "Nguyễn Văn Đức", "sex": "male", "birth_year": 1990,
                                        "intake_date": _day(2), "main_group": "dependent"}).id
        anh = clients.create(register, {"full_name": "Trần Thị Ánh", "sex": "female", "birth_year": 1995,
                                        "intake_date": _day(3), "main_group": "high_risk"}).id
        for day in (5, 19):
            contacts.add(register, {"kind": "office", "client_id": duc, "contact_date": _day(day)})
        contacts.add(register, {"kind": "home", "client_id": anh, "contact_date": _day(12)})
        outreach.add(register, {"kind": "leaflets", "activity_date": _day(8), "quantity": 1200})
        outreach.add(register, {"kind": "broadcast", "activity_date": _day(9), "quantity": 3, "minutes": 15})
        users.add_user(register, "lan", "Trần Thị Lan", "counsellor", "lan có mật khẩu dài")
        users.add_user(register, "hung", "Lê Văn Hùng", "reporter", "hùng có mật khẩu dài")
    return {"duc": duc, "anh": anh}


@pytest.fixture
def seeded(closed_register):
    root, _ = closed_register
    return root, _seed(root)


def _open(qtbot, make_controller, root, login="admin", passphrase=PASSPHRASE):
    controller = make_controller(root, login)
    main = unlock_as(qtbot, controller, login, passphrase)
    main.show_screen("reports")
    view = main.screens["reports"]
    assert isinstance(view, ReportsView)
    qtbot.waitUntil(lambda: view.shown is not None and view.shown.report.month == view.month, timeout=10000)
    return controller, main, view


def _pick(qtbot, view: ReportsView, month: Month) -> None:
    while view.month > month:
        qtbot.mouseClick(view.previous_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.shown is not None and view.shown.report.month == month, timeout=10000)


def _index(view: ReportsView, row: str, column: str):
    model = view.model
    line = next(i for i, (kind, item) in enumerate(model.lines) if kind == "row" and item.code == row)
    col = next(i for i, c in enumerate(model.columns) if c.column == column) + 2
    return model.index(line, col)


def _text(view: ReportsView, row: str, column: str) -> str:
    return view.model.data(_index(view, row, column))


def _click(qtbot, view: ReportsView, row: str, column: str) -> None:
    index = _index(view, row, column)
    view.table.scrollTo(index)
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=view.table.visualRect(index).center())


def _pdf_pages(data: bytes) -> int:
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    return document.pageCount()


def test_a_month_on_screen_drilled_exported_printed_closed_and_amended(qtbot, make_controller, seeded, tmp_path,
                                                                       monkeypatch, _no_modal_boxes):
    root, people = seeded
    controller, main, view = _open(qtbot, make_controller, root)
    assert view.month == Month.of(today()).previous()  # forms are made after the month ends
    assert view.next_button.isEnabled()

    # The form of PAST: the right numbers in the right rows, Vietnamese grouping, sections in bold.
    _pick(qtbot, view, PAST)
    assert view.month_label.text() == f"Tháng {PAST.month:02d}/{PAST.year}"
    assert (_text(view, "1", "nguoi"), _text(view, "1", "nam"), _text(view, "1", "nu")) == ("2", "1", "1")
    assert (_text(view, "5", "so_luong"), _text(view, "5", "nguoi"), _text(view, "5", "nam")) == ("2", "1", "1")
    assert (_text(view, "6", "so_luong"), _text(view, "6", "nu")) == ("1", "1")
    assert _text(view, "13", "so_luong") == "3"
    assert _text(view, "30", "so_luong") == "1.200"
    assert (_text(view, "29", "so_luong"), _text(view, "29.1", "so_luong")) == ("3", "45")
    assert _text(view, "5", "hoan_thanh") == ""  # a cell the form leaves blank
    first_section = view.model.index(0, 1)
    assert view.model.data(first_section) == "KHÁCH HÀNG"
    assert isinstance(view.model.data(first_section, Qt.ItemDataRole.FontRole), QFont)
    assert view.model.data(first_section, Qt.ItemDataRole.FontRole).bold()
    assert view.status.text().startswith("Chưa chốt")
    assert not view.amendments_box.isVisible()

    # Clicking a number lists the records behind it; Enter on another number does the same.
    _click(qtbot, view, "5", "so_luong")
    qtbot.waitUntil(lambda: view.records.rowCount() == 2, timeout=10000)
    lines = view.records.rows
    assert [line.day for line in lines] == [_day(5), _day(19)]
    assert {line.client_name for line in lines} == {"Nguyễn Văn Đức"}
    assert "Tư vấn" in view.records.data(view.records.index(0, 1))
    assert "2 " in view.records_title.text()
    index = _index(view, "30", "so_luong")
    view.table.scrollTo(index)
    view.table.setCurrentIndex(index)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.records.rowCount() == 1 and view.records.rows[0].table == "outreach", timeout=10000)
    assert "1.200" in view.records.data(view.records.index(0, 1))

    # Double-clicking a record with a client opens the client's file.
    _click(qtbot, view, "6", "nguoi")
    qtbot.waitUntil(lambda: view.records.rowCount() == 1 and view.records.rows[0].table == "clients", timeout=10000)
    record = view.records_view.visualRect(view.records.index(0, 0)).center()
    qtbot.mouseClick(view.records_view.viewport(), Qt.MouseButton.LeftButton, pos=record)  # Qt wants the press first
    qtbot.mouseDClick(view.records_view.viewport(), Qt.MouseButton.LeftButton, pos=record)
    clients_view = main.screens["clients"]
    qtbot.waitUntil(lambda: clients_view.file.data is not None and clients_view.file.client_id == people["anh"],
                    timeout=10000)
    main.show_screen("reports")

    # Each export button writes its file where the person chose.
    written = {}
    for fmt, button in view.export_buttons.items():
        target = tmp_path / "out" / f"bao-cao.{fmt}"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, t=target, **kw: (str(t), ""))
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda t=target: t.exists(), timeout=15000)
        written[fmt] = target.read_bytes()
        qtbot.waitUntil(lambda t=target: str(t) in view.message.text(), timeout=5000)
    assert written["pdf"].startswith(b"%PDF") and _pdf_pages(written["pdf"]) >= 1
    sheet = openpyxl.load_workbook(io.BytesIO(written["xlsx"])).active
    assert 1200 in [cell.value for row in sheet.iter_rows() for cell in row]
    lines = {line[0]: line for line in csv.reader(io.StringIO(written["csv"].decode("utf-8-sig")))}
    assert lines["30"][2] == "1200" and lines["5"][1] == "Tư vấn cá nhân tại văn phòng Điểm tư vấn"
    data = json.loads(written["json"])
    assert data["month"] == PAST.code and data["values"]["30"]["so_luong"] == 1200
    assert not list((tmp_path / "out").glob("*.part"))  # written atomically: no temporary file left

    # Print preview shows the pages of the same PDF; printing renders them on the printer.
    qtbot.mouseClick(view.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.preview is not None and view.preview.isVisible(), timeout=15000)
    preview = view.preview.findChild(QPrintPreviewWidget)
    qtbot.waitUntil(lambda: preview.pageCount() >= 1, timeout=10000)
    view.preview.close()
    printed = tmp_path / "printed.pdf"

    def accept(dialog):  # the person picks a 300 dpi printer that writes to a file
        dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        dialog.printer().setOutputFileName(str(printed))
        dialog.printer().setResolution(300)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    monkeypatch.setattr("app.gui.common.printing.printers_set_up", lambda: True)  # Wine has none
    qtbot.mouseClick(view.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: printed.exists() and "máy in" in view.message.text(), timeout=15000)
    assert _pdf_pages(printed.read_bytes()) >= 1

    # The chair closes the month after confirming; the status says so and the button is spent.
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *args, **kw: asked.append(args) or QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(view.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.shown.report.closure is not None, timeout=10000)
    assert "giữ nguyên" in asked[0][2] and "điều chỉnh" in asked[0][2]
    assert "Đã chốt" in view.status.text() and "Nguyễn Thị Hồng Nhung" in view.status.text()
    assert not view.close_button.isEnabled()
    assert _text(view, "5", "so_luong") == "2"

    # A contact added later to the closed month: the save is flagged in the status bar ...
    main.show_screen("clients")
    file = clients_view.file
    clients_view.open_client(people["duc"])
    qtbot.waitUntil(lambda: file.data is not None and file.client_id == people["duc"], timeout=10000)
    file.tabs.setCurrentIndex(1)
    qtbot.mouseClick(file.add_contact, Qt.MouseButton.LeftButton)
    dialog = [d for d in file.findChildren(RecordDialog) if d.isVisible()][-1]
    dialog.form.fields["kind"].setCurrentIndex(dialog.form.fields["kind"].findData("office"))
    dialog.form.fields["contact_date"].setText(date.fromisoformat(_day(25)).strftime("%d/%m/%Y"))
    dialog.submit()
    qtbot.waitUntil(lambda: PAST.label in main.statusBar().currentMessage(), timeout=10000)
    assert "điều chỉnh" in main.statusBar().currentMessage()

    # ... the closed month keeps its numbers, and the next month's form lists the amendment.
    main.show_screen("reports")
    qtbot.waitUntil(lambda: view.shown.report.month == PAST and view.shown.report.closure is not None, timeout=10000)
    assert _text(view, "5", "so_luong") == "2"
    qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.shown.report.month == PAST.next(), timeout=10000)
    qtbot.waitUntil(lambda: view.amendments_box.isVisible(), timeout=5000)
    changed = [(a.month, a.row, a.column, a.closed_value, a.current_value) for a in view.amendments.rows]
    assert (PAST, "5", "so_luong", 2, 3) in changed
    assert "2 số liệu điều chỉnh" in view.status.text()  # rows 5 and 13
    assert not [box for box in _no_modal_boxes if box[0] in ("warning", "critical")]
    controller.lock()


def test_a_counsellor_reads_the_form_but_cannot_close_it_or_change_it(qtbot, make_controller, seeded):
    root, _people = seeded
    controller, main, view = _open(qtbot, make_controller, root, "lan", "lan có mật khẩu dài")
    assert not view.close_button.isVisibleTo(view) and not view.choose_form_button.isVisibleTo(view)
    assert view.export_buttons["pdf"].isVisibleTo(view)
    _pick(qtbot, view, PAST)
    _click(qtbot, view, "5", "so_luong")
    qtbot.waitUntil(lambda: view.records.rowCount() == 2, timeout=10000)
    assert "Nguyễn Văn Đức" in view.records.data(view.records.index(0, 3))
    controller.lock()


def test_someone_who_only_reads_reports_sees_client_codes_not_names(qtbot, make_controller, seeded):
    root, _people = seeded
    controller, main, view = _open(qtbot, make_controller, root, "hung", "hùng có mật khẩu dài")
    _pick(qtbot, view, PAST)
    _click(qtbot, view, "5", "so_luong")
    qtbot.waitUntil(lambda: view.records.rowCount() == 2, timeout=10000)
    shown = [view.records.data(view.records.index(0, c)) for c in range(view.records.columnCount())]
    assert "Nguyễn Văn Đức" not in " ".join(shown) and "MYHOA-01-0001" in shown
    controller.lock()


def test_the_chair_chooses_a_form_file_and_a_wrong_one_is_refused(qtbot, make_controller, seeded, tmp_path,
                                                                 monkeypatch, _no_modal_boxes):
    from app.reports.form_file import forms_folder

    root, _people = seeded
    controller, main, view = _open(qtbot, make_controller, root)
    text = (forms_folder() / "point-monthly.toml").read_text(encoding="utf-8")
    wrong = tmp_path / "sai.toml"
    wrong.write_text(text.replace('"contacts.count kind=home"', '"contacts.counted kind=home"'), encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kw: (str(wrong), ""))
    qtbot.mouseClick(view.choose_form_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(_no_modal_boxes) == 1, timeout=10000)
    assert "sai.toml" in _no_modal_boxes[0][1][2] and "contacts.counted" in _no_modal_boxes[0][1][2]

    edited = tmp_path / "tinh.toml"
    edited.write_text(text.replace('code = "point-monthly"', 'code = "tinh-an-giang"'), encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kw: (str(edited), ""))
    qtbot.mouseClick(view.choose_form_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.shown.report.form.code == "tinh-an-giang", timeout=10000)
    assert "tinh-an-giang" in view.title.text() and "tinh-an-giang" in view.message.text()

    # The month that is still running cannot be closed: the reason is shown, nothing is frozen.
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kw: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.shown.report.month == Month.of(today()), timeout=10000)
    assert not view.next_button.isEnabled()
    qtbot.mouseClick(view.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(_no_modal_boxes) == 2, timeout=10000)
    assert _no_modal_boxes[1][0] == "warning" and Month.of(today()).label in _no_modal_boxes[1][1][2]
    controller.lock()


def test_a_district_form_has_a_column_per_point_and_the_total(qtbot, make_controller, tmp_path):
    from app.core.unit import make_unit
    from app.store.register import create_register

    district = make_unit("district", "LONGXUYEN", "Phòng Y tế phường Long Xuyên",
                         "Ủy ban nhân dân phường Long Xuyên")
    register, _recovery = create_register(tmp_path / "district", unit=district, admin_login="admin",
                                          admin_full_name="Phạm Thị Thu", passphrase=PASSPHRASE)
    clients.create(register, {"full_name": "Võ Văn Kiệt", "sex": "male", "birth_year": 1980,
                              "intake_date": _day(4), "main_group": "dependent"})
    root = register.paths.root
    register.close()
    controller, main, view = _open(qtbot, make_controller, root)
    _pick(qtbot, view, PAST)
    assert view.column_choice.isVisibleTo(view) and view.column_choice.count() == 5
    view.column_choice.setCurrentIndex(view.column_choice.findData("nguoi"))
    assert [c.header for c in view.model.columns] == ["LONGXUYEN", "Tổng cộng"]
    assert [view.model.data(view.model.index(_index(view, "1", "nguoi").row(), c)) for c in (2, 3)] == ["1", "1"]
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.table.visualRect(view.model.index(_index(view, "1", "nguoi").row(), 2)).center())
    qtbot.waitUntil(lambda: view.records.rowCount() == 1, timeout=10000)
    assert view.records.rows[0].origin == "LONGXUYEN" and "LONGXUYEN" in view.records_title.text()
    controller.lock()
