"""The Activities screen: group and community sessions and outreach of one month, with totals."""

from app.core.clock import today as clock_today  # Vietnam's date, as the program counts it

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from app.gui.activities.view import ActivitiesView, OutreachDialog
from app.gui.common.client_picker import ClientPicker, ClientsDialog
from app.store import clients, contacts, outreach, staff
from app.store.register import unlock
from tests.conftest import PASSPHRASE
from tests.gui.conftest import type_text, unlock_as

TODAY = clock_today().isoformat()


def _dialog(widget, kind=QDialog):
    found = [d for d in widget.findChildren(kind) if d.isVisible()]
    assert found, f"no open {kind.__name__}"
    return found[-1]


def _save(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)


def _pick(qtbot, picker: ClientPicker, typed: str) -> None:
    """Type part of a name without diacritics and press Enter, as a counsellor would."""
    before = len(picker.ids())
    picker.search_box.selectAll()
    type_text(qtbot, picker.search_box, typed)
    qtbot.keyClick(picker.search_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(picker.ids()) == before + 1, timeout=5000)


def _seed(root) -> None:
    with unlock(root, "admin", PASSPHRASE) as register:
        staff.add(register, {"full_name": "Trần Văn Phước", "kind": "counsellor"})
        for name in ("Nguyễn Văn Đức", "Trần Thị Ánh", "Lê Văn An"):
            clients.create(register, {"full_name": name, "sex": "male", "birth_year": 1988, "intake_date": TODAY,
                                      "main_group": "post_rehab"})


def _open(qtbot, make_controller, closed_register) -> tuple:
    root, _ = closed_register
    _seed(root)
    controller = make_controller(root, "admin")
    main = unlock_as(qtbot, controller)
    main.show_screen("activities")
    view = main.screens["activities"]
    assert isinstance(view, ActivitiesView)
    qtbot.waitUntil(lambda: "Chưa có" in view.totals.text(), timeout=5000)  # the month loaded, still empty
    return root, controller, view


def test_a_month_of_sessions_and_outreach(qtbot, make_controller, closed_register):
    root, controller, view = _open(qtbot, make_controller, closed_register)

    # A group session with two participants chosen by typing their names without diacritics.
    qtbot.mouseClick(view.new_group, Qt.MouseButton.LeftButton)
    session_dialog = _dialog(view, ClientsDialog)
    _pick(qtbot, session_dialog.picker, "nguyen van d")
    _pick(qtbot, session_dialog.picker, "tran thi")
    assert [h.full_name for h in session_dialog.picker.hits()] == ["Nguyễn Văn Đức", "Trần Thị Ánh"]
    assert session_dialog.picker.chosen.count() == 2
    topics = session_dialog.form.fields["topics"]
    topics.item(0).setCheckState(Qt.CheckState.Checked)
    type_text(qtbot, session_dialog.form.fields["duration_minutes"], "90")
    _save(qtbot, session_dialog)
    qtbot.waitUntil(lambda: view.sessions.rowCount() == 1, timeout=5000)
    assert view.sessions.rows[0]["participant_count"] == 2, view.sessions.rows
    assert "Ma túy và tác hại của ma túy" in view.sessions.data(view.sessions.index(0, 3))

    # A community session with 37 attendees.
    qtbot.mouseClick(view.new_community, Qt.MouseButton.LeftButton)
    community = _dialog(view)
    type_text(qtbot, community.form.fields["attendee_count"], "37")
    type_text(qtbot, community.form.fields["location"], "Nhà văn hóa ấp Mỹ Thạnh")
    _save(qtbot, community)
    qtbot.waitUntil(lambda: view.sessions.rowCount() == 2, timeout=5000)

    # A broadcast without minutes is refused beside the minutes field; with minutes it is saved.
    qtbot.mouseClick(view.new_outreach, Qt.MouseButton.LeftButton)
    broadcast = _dialog(view, OutreachDialog)
    form = broadcast.form
    assert form.fields["kind"].currentData() == "broadcast"
    _save(qtbot, broadcast)
    qtbot.waitUntil(lambda: form.errors["minutes"].isVisibleTo(broadcast), timeout=5000)
    assert "phút" in form.errors["minutes"].text()
    assert broadcast.focusWidget() is form.fields["minutes"]
    form.fields["quantity"].clear()
    type_text(qtbot, form.fields["quantity"], "3")
    type_text(qtbot, form.fields["minutes"], "15")
    _save(qtbot, broadcast)
    qtbot.waitUntil(lambda: view.outreach.rowCount() == 1, timeout=5000)

    # Leaflets: the form asks for how many leaflets, not minutes or attendees.
    qtbot.mouseClick(view.new_outreach, Qt.MouseButton.LeftButton)
    leaflets = _dialog(view, OutreachDialog)
    kind = leaflets.form.fields["kind"]
    kind.setCurrentIndex(kind.findData("leaflets"))
    assert not leaflets.form.fields["minutes"].isVisibleTo(leaflets)
    assert not leaflets.form.fields["attendees"].isVisibleTo(leaflets)
    leaflets.form.fields["quantity"].clear()
    type_text(qtbot, leaflets.form.fields["quantity"], "700")
    _save(qtbot, leaflets)
    qtbot.waitUntil(lambda: view.outreach.rowCount() == 2, timeout=5000)

    totals = view.totals.text()
    for part in ("Tư vấn nhóm: 1 buổi (2 người tham gia)", "Tư vấn tại cộng đồng: 1 cuộc (37 người dự)",
                 "Phát thanh: 3 lượt (45 phút)", "Tờ rơi: 700"):
        assert part in totals, totals
    rows = {r["kind"]: r for r in view.outreach.rows}
    assert rows["broadcast"]["minutes"] == 15 and rows["leaflets"]["minutes"] is None

    # Another month is empty; coming back shows the same lists.
    qtbot.mouseClick(view.previous_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.outreach.rowCount() == 0 and view.sessions.rowCount() == 0, timeout=5000)
    qtbot.mouseClick(view.this_month_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.outreach.rowCount() == 2, timeout=5000)

    controller.lock()
    controller.shutdown()
    with unlock(root, "admin", PASSPHRASE) as register:
        first = clock_today().replace(day=1).isoformat()
        sessions = contacts.sessions(register.conn, first, TODAY)
        assert sorted((s["kind"], s["participant_count"], s["attendee_count"]) for s in sessions) == [
            ("community", 0, 37), ("group", 2, None)]
        assert {a["kind"]: a["quantity"] for a in outreach.in_period(register.conn, first, TODAY)} == {
            "broadcast": 3, "leaflets": 700}


def test_editing_and_removing_an_outreach_activity(qtbot, make_controller, closed_register, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    root, controller, view = _open(qtbot, make_controller, closed_register)
    qtbot.mouseClick(view.new_outreach, Qt.MouseButton.LeftButton)
    dialog = _dialog(view, OutreachDialog)
    kind = dialog.form.fields["kind"]
    kind.setCurrentIndex(kind.findData("school"))
    type_text(qtbot, dialog.form.fields["attendees"], "480")
    type_text(qtbot, dialog.form.fields["location"], "Trường THCS Mỹ Hòa")
    _save(qtbot, dialog)
    qtbot.waitUntil(lambda: view.outreach.rowCount() == 1, timeout=5000)

    view.outreach_view.selectRow(0)
    qtbot.mouseClick(view.edit_outreach, Qt.MouseButton.LeftButton)
    edit = _dialog(view, OutreachDialog)
    assert edit.form.fields["attendees"].text() == "480"
    edit.form.fields["attendees"].clear()
    type_text(qtbot, edit.form.fields["attendees"], "512")
    _save(qtbot, edit)
    qtbot.waitUntil(lambda: view.outreach.rows and view.outreach.rows[0]["attendees"] == 512, timeout=5000)
    assert "512 học sinh" in view.totals.text()

    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kw: QMessageBox.StandardButton.Yes)
    view.outreach_view.selectRow(0)
    qtbot.mouseClick(view.remove_outreach, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.outreach.rowCount() == 0, timeout=5000)


def test_correcting_a_group_session_and_its_participants(qtbot, make_controller, closed_register):
    root, controller, view = _open(qtbot, make_controller, closed_register)
    qtbot.mouseClick(view.new_group, Qt.MouseButton.LeftButton)
    dialog = _dialog(view, ClientsDialog)
    _pick(qtbot, dialog.picker, "nguyen van d")
    _pick(qtbot, dialog.picker, "tran thi")
    type_text(qtbot, dialog.form.fields["duration_minutes"], "60")
    _save(qtbot, dialog)
    qtbot.waitUntil(lambda: view.sessions.rowCount() == 1, timeout=5000)
    assert not view.edit_session.isEnabled()  # nothing selected yet

    # Opening it again shows what was saved; Ánh did not come after all, An did.
    view.sessions_view.selectRow(0)
    qtbot.mouseClick(view.edit_session, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in view.findChildren(ClientsDialog)
                                if d is not dialog), timeout=5000)
    edit = _dialog(view, ClientsDialog)
    assert edit.windowTitle() == "Buổi tư vấn nhóm"
    assert edit.form.fields["duration_minutes"].text() == "60"
    assert [h.full_name for h in edit.picker.hits()] == ["Nguyễn Văn Đức", "Trần Thị Ánh"]
    edit.picker.chosen.setCurrentRow(1)
    qtbot.mouseClick(edit.picker.remove_button, Qt.MouseButton.LeftButton)
    _pick(qtbot, edit.picker, "le van an")
    edit.form.fields["duration_minutes"].clear()
    type_text(qtbot, edit.form.fields["duration_minutes"], "75")
    _save(qtbot, edit)
    qtbot.waitUntil(lambda: view.sessions.rows and view.sessions.rows[0]["duration_minutes"] == 75, timeout=5000)
    assert view.sessions.rows[0]["participant_count"] == 2
    assert "Tư vấn nhóm: 1 buổi (2 người tham gia)" in view.totals.text()

    controller.lock()
    controller.shutdown()
    with unlock(root, "admin", PASSPHRASE) as register:
        session = contacts.sessions(register.conn, TODAY, TODAY)[0]
        names = sorted(clients.get(register.conn, c)["full_name"]
                       for c in contacts.participants(register.conn, session["id"]))
        assert names == ["Lê Văn An", "Nguyễn Văn Đức"]
