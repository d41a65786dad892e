"""A counsellor's day in the GUI: intake, duplicate warning, home visit, Today, referral outcome, closing."""

from app.core.clock import today as clock_today  # Vietnam's date, as the program counts it
from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app.gui.common.record_dialog import RecordDialog
from app.gui.clients.client_form import NewClientDialog
from app.store import audit
from app.store.register import unlock
from tests.conftest import PASSPHRASE
from tests.gui.conftest import type_text, unlock_as

TODAY = clock_today()


def _dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _fill_client(qtbot, dialog: NewClientDialog, name: str, year: str, hamlet: str, citizen: str = "") -> None:
    form = dialog.form
    type_text(qtbot, form.fields["full_name"], name)
    form.fields["sex"].setCurrentIndex(form.fields["sex"].findData("male"))
    type_text(qtbot, form.fields["birth_year"], year)
    if citizen:
        type_text(qtbot, form.fields["citizen_id"], citizen)
    form.fields["hamlet"].setCurrentText(hamlet)
    form.fields["main_group"].setCurrentIndex(form.fields["main_group"].findData("dependent"))


def _dialog(widget, kind=QDialog):
    found = [d for d in widget.findChildren(kind) if d.isVisible()]
    assert found, f"no open {kind.__name__}"
    return found[-1]


def test_a_counsellors_day(qtbot, make_controller, closed_register):
    root, _ = closed_register
    controller = make_controller(root, "admin")
    main = unlock_as(qtbot, controller)
    main.show_screen("clients")
    clients_view = main.screens["clients"]

    # 1. Intake of a new client.
    qtbot.mouseClick(clients_view.new_button, Qt.MouseButton.LeftButton)
    dialog = _dialog(clients_view, NewClientDialog)
    _fill_client(qtbot, dialog, "Nguyễn Văn Đức", "1990", "Ấp Mỹ Thạnh", "089090001234")
    dialog.submit()
    file = clients_view.file
    qtbot.waitUntil(lambda: file.data is not None and file.title.text() == "Nguyễn Văn Đức", timeout=10000)
    first_id = file.client_id
    assert "MYHOA-01-0001" in file.details.text()

    # 2. A near-identical second intake shows the duplicate warning; the counsellor opens the existing file.
    file.back.emit()
    qtbot.mouseClick(clients_view.new_button, Qt.MouseButton.LeftButton)
    dialog = _dialog(clients_view, NewClientDialog)
    _fill_client(qtbot, dialog, "Nguyễn Văn Đứt", "1991", "Ấp Mỹ Thạnh")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.duplicates_box.isVisible(), timeout=10000)
    assert "Nguyễn Văn Đức" in dialog.duplicates.item(0).text()
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: clients_view.stack.currentWidget() is file and file.client_id == first_id)
    qtbot.waitUntil(lambda: file.data is not None and file.data.client["id"] == first_id)

    # 3. A home visit with a follow-up date that is already due.
    file.tabs.setCurrentIndex(1)
    qtbot.mouseClick(file.add_contact, Qt.MouseButton.LeftButton)
    visit = _dialog(file, RecordDialog)
    form = visit.form
    form.fields["kind"].setCurrentIndex(form.fields["kind"].findData("home"))
    form.fields["contact_date"].setText(_dmy(TODAY - timedelta(days=7)))
    type_text(qtbot, form.fields["duration_minutes"], "45")
    type_text(qtbot, form.fields["notes"], "Thăm gia đình, động viên đăng ký cai nghiện tự nguyện.")
    form.fields["next_follow_up"].setText(_dmy(TODAY - timedelta(days=1)))
    visit.submit()
    qtbot.waitUntil(lambda: file.contacts_model.rowCount() == 1, timeout=10000)

    # 4. Today lists the overdue follow-up; activating it opens the file.
    main.show_screen("today")
    today_view = main.screens["today"]
    qtbot.waitUntil(lambda: today_view.follow_ups.rowCount() == 1, timeout=10000)
    assert today_view.follow_ups.rows[0]["full_name"] == "Nguyễn Văn Đức"
    assert "1 " in today_view.summary.text()

    # 5. A referral, then its outcome.
    main.show_screen("clients")
    file.tabs.setCurrentIndex(2)
    qtbot.mouseClick(file.add_referral, Qt.MouseButton.LeftButton)
    referral = _dialog(file, RecordDialog)
    referral.form.fields["service"].setCurrentIndex(referral.form.fields["service"].findData("methadone"))
    type_text(qtbot, referral.form.fields["referred_to"], "Cơ sở điều trị methadone Long Xuyên")
    referral.submit()
    qtbot.waitUntil(lambda: file.referrals_model.rowCount() == 1, timeout=10000)
    qtbot.waitUntil(lambda: today_view.referrals.rowCount() == 1, timeout=10000)
    file.referrals_view.selectRow(0)
    qtbot.mouseClick(file.record_outcome, Qt.MouseButton.LeftButton)
    outcome = _dialog(file, RecordDialog)
    outcome.submit()
    qtbot.waitUntil(lambda: file.referrals_model.rows and file.referrals_model.rows[0]["outcome"] == "completed",
                    timeout=10000)
    qtbot.waitUntil(lambda: today_view.referrals.rowCount() == 0, timeout=10000)

    # 6. A wrong closing date is refused beside the field; then the case is closed.
    qtbot.mouseClick(file.close_button, Qt.MouseButton.LeftButton)
    closing = _dialog(file, RecordDialog)
    closing.form.fields["closing_reason"].setCurrentIndex(closing.form.fields["closing_reason"].findData("completed"))
    closing.form.fields["closed_date"].setText("31/02/2026")
    closing.submit()
    qtbot.waitUntil(lambda: closing.form.errors["closed_date"].text() != "", timeout=10000)
    assert "ngày/tháng/năm" in closing.form.errors["closed_date"].text()
    closing.form.fields["closed_date"].setText(_dmy(TODAY))
    closing.submit()
    qtbot.waitUntil(lambda: file.data.client["status"] == "closed", timeout=10000)
    assert "Đã kết thúc" in file.details.text() and file.reopen_button.isVisibleTo(file)
    qtbot.waitUntil(lambda: today_view.follow_ups.rowCount() == 0, timeout=10000)  # closed cases leave Today

    controller.lock()
    controller.shutdown()
    with unlock(root, "admin", PASSPHRASE) as register:
        assert register.db["clients"].count == 1
        actions = [e["action"] for e in audit.recent(register.conn, 500)]
        assert actions.count("record.view") >= 2  # opening the file is in the access log
        logged = {r[0] for r in register.conn.execute("SELECT DISTINCT table_name FROM change_log")}
        assert {"clients", "contacts", "referrals", "client_groups"} <= logged


def test_search_as_you_type_without_diacritics(qtbot, make_controller, closed_register):
    from app.store import clients

    root, _ = closed_register
    with unlock(root, "admin", PASSPHRASE) as register:
        for name in ("Nguyễn Văn Đức", "Trần Thị Ánh", "Lê Văn An"):
            clients.create(register, {"full_name": name, "sex": "male", "birth_year": 1985,
                                      "intake_date": TODAY.isoformat(), "main_group": "suspected"})
    controller = make_controller(root, "admin")
    main = unlock_as(qtbot, controller)
    main.show_screen("clients")
    view = main.screens["clients"]
    qtbot.waitUntil(lambda: view.model.rowCount() == 3, timeout=5000)
    assert [view.model.hit(i).full_name for i in range(3)] == ["Lê Văn An", "Trần Thị Ánh", "Nguyễn Văn Đức"]
    type_text(qtbot, view.search_box, "nguyen van d")
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5000)
    assert view.model.hit(0).full_name == "Nguyễn Văn Đức"
    qtbot.keyClick(view.search_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.file.data is not None, timeout=5000)
    assert view.file.title.text() == "Nguyễn Văn Đức"
