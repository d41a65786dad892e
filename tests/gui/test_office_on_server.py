"""The program's window over an office register kept on PostgreSQL (issue 17): the officer signs in
as on any register, every screen opens in Vietnamese with the imported points' records, the
form counts them, and what the server does itself (backups) is said, not attempted."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QPushButton

from app.core.i18n import set_language
from app.demo import writer as demo
from app.sync import export, merge
from tests.conftest import create_office_register
from tests.gui.conftest import unlock_as
from tests.gui.screen_text import texts_of
from tests.gui.test_vietnamese_screens import _visit_every_screen
from tests.integration.test_sync import _enroll, _register


@pytest.fixture
def office_folder(tmp_path, pg_cluster):
    office = create_office_register(tmp_path / "office", "AG-CA", "Công an tỉnh An Giang", pg_cluster)
    point = _register(tmp_path, "point", "MYHOA-01", "Điểm tư vấn xã Mỹ Hòa")
    demo.fill(point, clients=20, months=3, seed=21)
    _enroll(point, office)
    for bundle in export.export_bundles(point, tmp_path / "usb"):
        assert merge.import_bundle(office, bundle.path.read_bytes(), bundle.path.name).applied
    names = [n for (n,) in point.conn.execute("SELECT full_name FROM clients WHERE full_name != '' LIMIT 5")]
    point.close()
    root = office.paths.root
    office.close()
    set_language("vi")
    return root, names


def test_an_officer_works_on_the_server_register_in_the_window(qtbot, make_controller, office_folder,
                                                              _no_modal_boxes):
    root, names = office_folder
    controller = make_controller(root, "admin")
    main = unlock_as(qtbot, controller)
    assert main.session._register.engine == "postgresql"  # the window works on the server register
    assert _visit_every_screen(qtbot, main) == {}
    read = texts_of(main)
    assert any("MYHOA-01" in text or "Mỹ Hòa" in text for text in read)  # the point is on the Sync screen
    # The client list shows the names the server holds only sealed.
    main.show_screen("clients")
    screen = main.screens["clients"]
    qtbot.waitUntil(lambda: any(name in " ".join(texts_of(screen)) for name in names), timeout=20000)
    # Backing up is the server's: the Settings button says so and writes nothing.
    main.show_screen("settings")
    settings = main.screens["settings"]
    button = next(b for b in settings.findChildren(QPushButton) if b.objectName() == "backup_now")
    button.click()
    qtbot.waitUntil(lambda: any("máy chủ PostgreSQL" in str(args) for _kind, args in _no_modal_boxes)
                    or any("máy chủ PostgreSQL" in text for text in texts_of(settings)), timeout=20000)
    assert not (root / "backups").exists() or not any((root / "backups").iterdir())


def test_the_administrator_ticks_the_points_an_officer_serves(qtbot, make_controller, office_folder, tmp_path):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from app.gui.settings.users_panel import UnitsDialog
    from app.store import users
    from app.store.pg.office import unlock_office
    from tests.conftest import PASSPHRASE

    root, _names = office_folder
    office = unlock_office(root, None, PASSPHRASE)
    users.add_user(office, "lan", "Trần Thị Lan", "counsellor", "lúa chín vàng đồng xa")
    office.close()
    main = unlock_as(qtbot, make_controller(root, "admin"))
    main.show_screen("settings")
    settings = main.screens["settings"]
    panel = next(p for p in settings.findChildren(QPushButton) if p.objectName() == "units_served").parent()
    button = next(b for b in panel.findChildren(QPushButton) if b.objectName() == "units_served")
    assert not button.isHidden()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2, timeout=10000)
    row = next(i for i, user in enumerate(panel.model.rows) if user.login == "lan")
    panel.table.selectRow(row)
    button.click()
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, UnitsDialog))
    qtbot.waitUntil(lambda: dialog.units.count() == 1, timeout=10000)
    item = dialog.units.item(0)
    assert item.text().startswith("MYHOA-01") and "Mỹ Hòa" in item.text()
    assert item.checkState() == Qt.CheckState.Unchecked and not dialog.every.isChecked()
    item.setCheckState(Qt.CheckState.Checked)
    dialog.grab().save(str(tmp_path / "units.png"))
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        dialog.box.button(dialog.box.StandardButton.Ok).click()
    office = unlock_office(root, None, PASSPHRASE)
    try:
        assert office.units_of("lan") == ["AG-CA", "MYHOA-01"]
    finally:
        office.close()
