"""The Groups screen: a self-help group, its members and a meeting with attendance."""

from app.core.clock import today as clock_today  # Vietnam's date, as the program counts it

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from app.gui.common.record_dialog import RecordDialog
from app.gui.common.client_picker import ClientsDialog
from app.gui.groups.dialogs import MeetingDialog
from app.gui.groups.view import GroupsView
from app.store import clients, groups, staff
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


def _pick(qtbot, picker, typed: str) -> None:
    before = len(picker.ids())
    picker.search_box.selectAll()
    type_text(qtbot, picker.search_box, typed)
    qtbot.keyClick(picker.search_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(picker.ids()) == before + 1, timeout=5000)


def test_a_group_with_members_and_a_meeting(qtbot, make_controller, closed_register):
    root, _ = closed_register
    with unlock(root, "admin", PASSPHRASE) as register:
        staff.add(register, {"full_name": "Lê Thị Kiều Oanh", "kind": "volunteer"})
        for name in ("Nguyễn Văn Đức", "Trần Thị Ánh", "Lê Văn An"):
            clients.create(register, {"full_name": name, "sex": "male", "birth_year": 1985, "intake_date": TODAY,
                                      "main_group": "post_rehab"})
    controller = make_controller(root, "admin")
    main = unlock_as(qtbot, controller)
    main.show_screen("groups")
    view = main.screens["groups"]
    assert isinstance(view, GroupsView)
    qtbot.waitUntil(lambda: view.title.text() != "", timeout=5000)
    assert not view.add_members.isEnabled()  # no group yet

    # 1. Create the group.
    qtbot.mouseClick(view.new_group, Qt.MouseButton.LeftButton)
    dialog = _dialog(view, RecordDialog)
    type_text(qtbot, dialog.form.fields["name"], "Nhóm tự lực ấp Mỹ Thạnh")
    type_text(qtbot, dialog.form.fields["meets"], "Chủ nhật tuần 2 và tuần 4")
    _save(qtbot, dialog)
    qtbot.waitUntil(lambda: view.groups.rowCount() == 1 and view.title.text() == "Nhóm tự lực ấp Mỹ Thạnh",
                    timeout=5000)
    qtbot.waitUntil(view.add_members.isEnabled, timeout=5000)  # once the group's members are loaded

    # 2. Two members join.
    qtbot.mouseClick(view.add_members, Qt.MouseButton.LeftButton)
    members = _dialog(view, ClientsDialog)
    _pick(qtbot, members.picker, "nguyen van duc")
    _pick(qtbot, members.picker, "tran thi anh")
    _save(qtbot, members)
    qtbot.waitUntil(lambda: view.members.rowCount() == 2, timeout=5000)
    qtbot.waitUntil(lambda: view.groups.rows[0]["member_count"] == 2, timeout=5000)
    assert view.groups.data(view.groups.index(0, 1)) == "2"
    assert "2 thành viên" in view.summary.text()

    # 3. A meeting: one member ticked present, one non-member picked by name.
    qtbot.mouseClick(view.record_meeting, Qt.MouseButton.LeftButton)
    meeting = _dialog(view, MeetingDialog)
    assert meeting.members.count() == 2
    assert meeting.members.present() == []  # nobody is ticked beforehand
    meeting.members.setFocus()
    meeting.members.setCurrentRow(0)
    qtbot.keyClick(meeting.members, Qt.Key.Key_Space)
    assert len(meeting.members.present()) == 1
    _pick(qtbot, meeting.picker, "le van an")
    type_text(qtbot, meeting.form.fields["topic"], "Chia sẻ kinh nghiệm phòng tái nghiện")
    facilitator = meeting.form.fields["facilitator_id"]
    facilitator.setCurrentIndex(facilitator.findText("Lê Thị Kiều Oanh"))
    _save(qtbot, meeting)
    qtbot.waitUntil(lambda: view.meetings.rowCount() == 1, timeout=5000)
    assert view.meetings.data(view.meetings.index(0, 3)) == "2"
    assert view.meetings.data(view.meetings.index(0, 2)) == "Lê Thị Kiều Oanh"
    qtbot.waitUntil(lambda: view.groups.rows[0]["last_meeting"] == TODAY, timeout=5000)
    view.meetings_view.selectRow(0)
    qtbot.waitUntil(lambda: "Lê Văn An" in view.present_label.text(), timeout=5000)

    # 4. A meeting with nobody present is refused beside the picker.
    qtbot.mouseClick(view.record_meeting, Qt.MouseButton.LeftButton)
    empty = _dialog(view, MeetingDialog)
    _save(qtbot, empty)
    qtbot.waitUntil(lambda: empty.picker.error.isVisibleTo(empty), timeout=5000)
    empty.reject()

    # 5. A member leaves: the count goes down and the former member is still on record.
    view.members_view.selectRow(0)
    left_name = view.members.rows[0]["full_name"]
    qtbot.mouseClick(view.end_member, Qt.MouseButton.LeftButton)
    _save(qtbot, _dialog(view, RecordDialog))
    qtbot.waitUntil(lambda: view.members.rowCount() == 1 and view.groups.rows[0]["member_count"] == 1, timeout=5000)
    view.former_box.setChecked(True)
    qtbot.waitUntil(lambda: view.members.rowCount() == 2, timeout=5000)
    assert any(r["full_name"] == left_name and r["left_date"] == TODAY for r in view.members.rows)

    controller.lock()
    controller.shutdown()
    with unlock(root, "admin", PASSPHRASE) as register:
        (group,) = groups.listing(register.conn)
        (held,) = groups.meetings(register.conn, group["id"])
        assert held["attendee_count"] == 2 and held["topic"] == "Chia sẻ kinh nghiệm phòng tái nghiện"


def test_correcting_and_removing_a_meeting(qtbot, make_controller, closed_register, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    root, _ = closed_register
    with unlock(root, "admin", PASSPHRASE) as register:
        ids = {name: clients.create(register, {"full_name": name, "sex": "male", "birth_year": 1985,
                                               "intake_date": TODAY, "main_group": "post_rehab"}).id
               for name in ("Nguyễn Văn Đức", "Trần Thị Ánh", "Lê Văn An")}
        group = groups.create(register, {"name": "Nhóm tự lực ấp Mỹ Thạnh", "founded_date": TODAY}).id
        for name in ("Nguyễn Văn Đức", "Trần Thị Ánh"):
            groups.add_member(register, group, ids[name], TODAY)
        groups.record_meeting(register, group, {"meeting_date": TODAY, "topic": "Chia sẻ"},
                              [ids["Nguyễn Văn Đức"], ids["Lê Văn An"]])
    controller = make_controller(root, "admin")
    main = unlock_as(qtbot, controller)
    main.show_screen("groups")
    view = main.screens["groups"]
    qtbot.waitUntil(lambda: view.meetings.rowCount() == 1, timeout=5000)
    assert not view.edit_meeting.isEnabled() and not view.remove_meeting.isEnabled()

    # The meeting opens as saved: Đức ticked, An (not a member) among the others; Ánh came, An did not.
    view.meetings_view.selectRow(0)
    qtbot.waitUntil(view.edit_meeting.isEnabled, timeout=5000)
    qtbot.mouseClick(view.edit_meeting, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in view.findChildren(MeetingDialog)), timeout=5000)
    meeting = _dialog(view, MeetingDialog)
    assert meeting.form.fields["topic"].text() == "Chia sẻ"
    assert meeting.members.present() == [ids["Nguyễn Văn Đức"]]
    assert [h.full_name for h in meeting.picker.hits()] == ["Lê Văn An"]
    meeting.members.tick_all()
    meeting.picker.chosen.setCurrentRow(0)
    qtbot.mouseClick(meeting.picker.remove_button, Qt.MouseButton.LeftButton)
    _save(qtbot, meeting)
    qtbot.waitUntil(lambda: not meeting.isVisible(), timeout=5000)

    def present() -> str:
        view.meetings_view.selectRow(0)  # the list reloads after the save, and the selection with it
        return view.present_label.text()
    qtbot.waitUntil(lambda: "Trần Thị Ánh" in present(), timeout=5000)
    assert "Lê Văn An" not in view.present_label.text()

    # Removing it asks first; then the group has no meeting.
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kw: QMessageBox.StandardButton.Yes)
    view.meetings_view.selectRow(0)
    qtbot.mouseClick(view.remove_meeting, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.meetings.rowCount() == 0, timeout=5000)
    qtbot.waitUntil(lambda: view.groups.rows[0]["last_meeting"] is None, timeout=5000)
    controller.lock()
    controller.shutdown()
    with unlock(root, "admin", PASSPHRASE) as register:
        assert groups.meetings(register.conn, group) == []
