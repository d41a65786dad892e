"""Settings: staff and volunteers with the hamlets they cover; catalogs edited by an administrator."""

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from app.gui.common.record_dialog import RecordDialog
from app.gui.settings.catalogs_panel import CatalogsPanel
from app.gui.settings.staff_panel import StaffPanel
from app.store import catalogs, clients, staff, users
from app.store.register import unlock
from tests.conftest import PASSPHRASE
from tests.gui.conftest import type_text, unlock_as

HAMLETS = ("Ấp Mỹ Thạnh", "Ấp Mỹ Phú", "Ấp Bình Khánh")


def _dialog(widget, kind=QDialog):
    found = [d for d in widget.findChildren(kind) if d.isVisible()]
    assert found, f"no open {kind.__name__}"
    return found[-1]


def _save(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)


def _settings(qtbot, controller, login="admin", passphrase=PASSPHRASE):
    main = unlock_as(qtbot, controller, login, passphrase)
    main.show_screen("settings")
    return main, main.screens["settings"]


def _tick(code_list, labels) -> None:
    for i in range(code_list.count()):
        if code_list.item(i).text() in labels:
            code_list.item(i).setCheckState(Qt.CheckState.Checked)


def test_a_volunteer_covering_two_hamlets(qtbot, make_controller, closed_register):
    root, _ = closed_register
    with unlock(root, "admin", PASSPHRASE) as register:
        for name in HAMLETS:
            catalogs.save_item(register, "hamlet", name)
    controller = make_controller(root, "admin")
    main, view = _settings(qtbot, controller)
    panel = view.findChild(StaffPanel)
    view.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(panel.add.isEnabled, timeout=5000)
    qtbot.mouseClick(panel.add, Qt.MouseButton.LeftButton)
    dialog = _dialog(panel, RecordDialog)
    form = dialog.form
    type_text(qtbot, form.fields["full_name"], "Lê Thị Kiều Oanh")
    assert form.fields["kind"].currentData() == "volunteer"
    type_text(qtbot, form.fields["position"], "Đội trưởng")
    _tick(form.fields["hamlets"], HAMLETS[:2])
    _save(qtbot, dialog)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=5000)
    assert panel.model.data(panel.model.index(0, 4)) == "Ấp Mỹ Thạnh, Ấp Mỹ Phú"
    # Forms opened from now on offer her as a volunteer.
    qtbot.waitUntil(lambda: ("Lê Thị Kiều Oanh" in dict(controller.session.info.lookups.volunteers).values()),
                    timeout=5000)

    # She leaves: marked as no longer working, not deleted.
    panel.table.selectRow(0)
    qtbot.mouseClick(panel.edit, Qt.MouseButton.LeftButton)
    edit = _dialog(panel, RecordDialog)
    assert edit.form.fields["hamlets"].codes() == list(HAMLETS[:2])
    edit.form.fields["active"].setChecked(False)
    _save(qtbot, edit)
    qtbot.waitUntil(lambda: panel.model.rows and not panel.model.rows[0]["active"], timeout=5000)
    qtbot.waitUntil(lambda: not controller.session.info.lookups.volunteers, timeout=5000)
    controller.lock()
    controller.shutdown()
    with unlock(root, "admin", PASSPHRASE) as register:
        (person,) = staff.listing(register.conn, active_only=False)
        assert person["hamlets"] == list(HAMLETS[:2]) and person["kind"] == "volunteer"


def test_a_new_topic_appears_in_the_contact_dialog(qtbot, make_controller, closed_register):
    root, _ = closed_register
    with unlock(root, "admin", PASSPHRASE) as register:
        client_id = clients.create(register, {"full_name": "Nguyễn Văn Đức", "sex": "male", "birth_year": 1990,
                                              "intake_date": date.today().isoformat(), "main_group": "dependent"}).id
    controller = make_controller(root, "admin")
    main, view = _settings(qtbot, controller)
    panel = view.findChild(CatalogsPanel)
    view.tabs.setCurrentWidget(panel)
    panel.catalog.setCurrentIndex(panel.catalog.findData("topic"))
    qtbot.waitUntil(lambda: panel.model.rowCount() == 9, timeout=5000)
    qtbot.mouseClick(panel.add, Qt.MouseButton.LeftButton)
    dialog = _dialog(panel, RecordDialog)
    type_text(qtbot, dialog.form.fields["label_vi"], "Kỹ năng từ chối ma túy")
    type_text(qtbot, dialog.form.fields["label_en"], "Refusal skills")
    _save(qtbot, dialog)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 10, timeout=5000)
    qtbot.waitUntil(lambda: "Kỹ năng từ chối ma túy" in dict(controller.session.info.lookups.topics).values(),
                    timeout=5000)

    # The same name again is refused beside the field.
    qtbot.mouseClick(panel.add, Qt.MouseButton.LeftButton)
    again = _dialog(panel, RecordDialog)
    type_text(qtbot, again.form.fields["label_vi"], "Kỹ năng từ chối ma túy")
    _save(qtbot, again)
    qtbot.waitUntil(lambda: again.form.errors["label_vi"].isVisibleTo(again), timeout=5000)
    again.reject()

    main.show_screen("clients")
    clients_view = main.screens["clients"]
    clients_view.open_client(client_id)
    file = clients_view.file
    qtbot.waitUntil(lambda: file.data is not None, timeout=5000)
    file.tabs.setCurrentIndex(1)
    qtbot.mouseClick(file.add_contact, Qt.MouseButton.LeftButton)
    contact = _dialog(file, RecordDialog)
    topics = contact.form.fields["topics"]
    assert "Kỹ năng từ chối ma túy" in [topics.item(i).text() for i in range(topics.count())]
    contact.reject()

    # Deactivated, it is no longer offered, but stays in the catalog.
    main.show_screen("settings")
    row = next(i for i, item in enumerate(panel.model.rows) if item.label_vi == "Kỹ năng từ chối ma túy")
    panel.table.selectRow(row)
    qtbot.mouseClick(panel.toggle, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.model.rows[row].active, timeout=5000)
    qtbot.waitUntil(lambda: "Kỹ năng từ chối ma túy" not in dict(controller.session.info.lookups.topics).values(),
                    timeout=5000)
    assert panel.toggle.text().replace("&", "") == "Dùng lại"


def test_a_counsellor_sees_staff_but_not_catalogs(qtbot, make_controller, closed_register):
    root, _ = closed_register
    with unlock(root, "admin", PASSPHRASE) as register:
        users.add_user(register, "lan", "Trần Thị Lan", "counsellor", "lan có mật khẩu dài")
    controller = make_controller(root, "lan")
    main, view = _settings(qtbot, controller, "lan", "lan có mật khẩu dài")
    assert view.findChild(StaffPanel) is not None
    assert view.findChild(CatalogsPanel) is None
    titles = [view.tabs.tabText(i) for i in range(view.tabs.count())]
    assert "Danh mục" not in titles and "Cán bộ, tình nguyện viên" in titles
