"""The Sync screen driven offscreen: enrolment with a typed fingerprint, export, import wizard, gaps, forks."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox

from app.core.unit import make_unit
from app.gui.sync.common import likely_removable
from app.gui.sync.bundle_import import ImportWizard
from app.gui.sync.keys import TrustKeyDialog
from app.gui.sync.view import SyncView
from app.demo import writer as demo
from app.store import clients, contacts
from app.store.register import create_register
from app.sync import export, identity, merge
from tests.conftest import PASSPHRASE, PERSON
from tests.gui.conftest import unlock_as

DISTRICT = ("district", "LX-CA", "Công an thành phố Long Xuyên")
POINT = ("point", "MYHOA-01", "Điểm tư vấn xã Mỹ Hòa")
OTHER_POINT = ("point", "PHUTHANH-01", "Điểm tư vấn xã Phú Thạnh")


def _register(tmp_path, role, code, name, clients_count=0, seed=1):
    register, _recovery = create_register(tmp_path / code, unit=make_unit(role, code, name), admin_login="admin",
                                          admin_full_name=PERSON, passphrase=PASSPHRASE)
    if clients_count:
        demo.fill(register, clients=clients_count, months=2, seed=seed)
    return register


def _enroll(point, district):
    district_id = identity.own_identity(district)
    identity.pin(point, district_id, district_id.confirmation)
    point_id = identity.own_identity(point)
    identity.pin(district, point_id, point_id.confirmation)


def _add_contact(point, day: int) -> None:
    client = point.conn.execute("SELECT id FROM clients LIMIT 1").fetchone()[0]
    contacts.add(point, {"kind": "phone", "client_id": client, "contact_date": date(2026, 1, day).isoformat()})


def _open_view(qtbot, make_controller, root) -> SyncView:
    controller = make_controller(root, "admin")
    unlock_as(qtbot, controller)
    view = SyncView(controller.session)
    qtbot.addWidget(view)
    view.resize(1166, 700)
    view.show()
    return view


def _wizard(view) -> ImportWizard:
    found = [w for w in view.findChildren(ImportWizard) if w.isVisible()]
    assert found, "the import wizard is not open"
    return found[-1]


def _import_through_wizard(qtbot, monkeypatch, view, paths) -> ImportWizard:
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(p) for p in paths], ""))
    qtbot.mouseClick(view.district.import_button, Qt.MouseButton.LeftButton)
    wizard = _wizard(view)
    qtbot.waitUntil(lambda: wizard.pages.currentIndex() == 1, timeout=10000)
    return wizard


def _point_row(view, code):
    rows = [c for c in view.district.model.rows if c.point == code]
    return rows[0] if rows else None


def test_point_trusts_the_district_key_and_exports_a_bundle(qtbot, make_controller, monkeypatch, tmp_path):
    district = _register(tmp_path, *DISTRICT)
    key_file = tmp_path / "LX-CA.tvkey"
    key_file.write_bytes(identity.own_identity(district).to_bytes())
    fingerprint = identity.own_identity(district).confirmation
    district.close()
    point = _register(tmp_path, *POINT, clients_count=20)
    root = point.paths.root
    point.close()

    view = _open_view(qtbot, make_controller, root)
    keys, panel = view.keys, view.point
    assert [view.tabs.tabText(i) for i in range(view.tabs.count())] == ["Gửi dữ liệu", "Nơi nhận không nhận", "Khóa"]
    qtbot.waitUntil(lambda: keys.identity is not None, timeout=10000)
    assert not keys.qr.pixmap().isNull() and keys.qr.pixmap().width() > 100
    assert keys.fingerprint.text().replace("\n", " ") == keys.identity.confirmation
    qtbot.waitUntil(lambda: panel.outbox is not None, timeout=10000)
    assert "Chưa tin cậy khóa" in panel.office.text() and not panel.export_button.isEnabled()
    assert panel.model.rowCount() > 3 and panel.outbox.records > 20

    # The dialog shows whose key it is; a wrong fingerprint is refused beside the field.
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(key_file), ""))
    qtbot.mouseClick(keys.trust_button, Qt.MouseButton.LeftButton)
    dialog = [d for d in keys.findChildren(TrustKeyDialog) if d.isVisible()][-1]
    qtbot.waitUntil(lambda: dialog.trust_button.isEnabled(), timeout=10000)
    assert "Công an thành phố Long Xuyên" in dialog.unit.text() and "Cơ quan tiếp nhận" in dialog.role.text()
    # The file's own fingerprint is not shown: it must come from the other office, not be copied from the file.
    assert all(fingerprint not in label.text() for label in dialog.findChildren(QLabel))
    qtbot.keyClicks(dialog.fingerprint, "AAAA BBBB CCCC DDDD EEEE FFFF GGGG HHHH")
    qtbot.mouseClick(dialog.trust_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.fingerprint_error.isVisible(), timeout=10000)
    assert "không khớp" in dialog.fingerprint_error.text() and dialog.isVisible()
    assert fingerprint not in dialog.fingerprint_error.text()  # nothing to copy into the field
    assert keys.model.rowCount() == 0

    # The fingerprint as read aloud (small letters, dashes) pins the key.
    dialog.fingerprint.clear()
    qtbot.keyClicks(dialog.fingerprint, fingerprint.lower().replace(" ", "-"))
    qtbot.mouseClick(dialog.trust_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10000)
    qtbot.waitUntil(lambda: keys.model.rowCount() == 1, timeout=10000)
    assert keys.model.rows[0].unit_code == "LX-CA" and keys.model.rows[0].active
    qtbot.waitUntil(lambda: "LX-CA" in panel.office.text() and panel.export_button.isEnabled(), timeout=10000)

    # Export to a folder chosen in the dialog; the screen says where the file went.
    usb = tmp_path / "usb"
    usb.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(usb))
    panel.destination.setCurrentIndex(panel.destination.findData(None))
    qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ".tvb" in panel.result.text(), timeout=10000)
    made = sorted(usb.glob("*.tvb"))
    assert [p.name for p in made] == ["MYHOA-01-00001.tvb"] and str(made[0]) in panel.result.text()
    assert panel.destination.currentData() == str(usb)  # the next export goes to the same folder
    qtbot.waitUntil(lambda: "số 1" in panel.last_sent.text(), timeout=10000)
    assert "Chưa có biên nhận" in panel.receipt.text()


def test_a_point_follows_the_districts_new_key_without_a_fingerprint(qtbot, make_controller, monkeypatch,
                                                                     tmp_path):
    import json

    district = _register(tmp_path, *DISTRICT)
    point = _register(tmp_path, *POINT)
    _enroll(point, district)
    old = identity.own_identity(district).fingerprint
    announcement = tmp_path / "LX-CA-key-change.tvkey"
    announcement.write_text(json.dumps(identity.rotate_keys(district)), encoding="utf-8")
    new = identity.own_identity(district).fingerprint
    root = point.paths.root
    point.close()
    district.close()

    view = _open_view(qtbot, make_controller, root)
    keys = view.keys
    qtbot.waitUntil(lambda: keys.model.rowCount() == 1, timeout=10000)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(announcement), ""))
    qtbot.mouseClick(keys.trust_button, Qt.MouseButton.LeftButton)
    dialog = [d for d in keys.findChildren(TrustKeyDialog) if d.isVisible()][-1]
    qtbot.waitUntil(lambda: dialog.trust_button.isEnabled(), timeout=10000)
    assert not dialog.fingerprint.isVisible() and dialog.trust_button.text() == "&Nhận khóa mới"
    qtbot.mouseClick(dialog.trust_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: keys.model.rowCount() == 2, timeout=10000)
    assert [(k.key_fingerprint, k.active) for k in keys.model.rows] == [(new, True), (old, False)]
    assert keys.model.data(keys.model.index(1, 4)) == "đã được thay bằng khóa mới"


def test_district_imports_with_a_dry_run_and_sees_a_gap(qtbot, make_controller, monkeypatch, tmp_path):
    district = _register(tmp_path, *DISTRICT)
    point = _register(tmp_path, *POINT, clients_count=20)
    _enroll(point, district)
    bundles = []
    for day in (1, 2, 3):
        bundles.append(export.export_bundles(point, tmp_path / "usb")[0].path)
        _add_contact(point, day)
    root = district.paths.root
    point_clients = point.conn.execute("SELECT count(*) FROM clients").fetchone()[0]
    point.close()
    district.close()

    view = _open_view(qtbot, make_controller, root)
    assert [view.tabs.tabText(i) for i in range(view.tabs.count())] == ["Các điểm", "Bản ghi bị giữ lại", "Người có thể trùng", "Đơn vị chuyển tiếp", "Khóa"]
    qtbot.waitUntil(lambda: view.district.model.rowCount() == 1, timeout=10000)
    assert _point_row(view, "MYHOA-01").bundles == []

    # Bundle 2 of 3 is held back: the dry run shows per-table counts and writes nothing.
    wizard = _import_through_wizard(qtbot, monkeypatch, view, [bundles[0], bundles[2]])
    assert wizard.files_model.rowCount() == 2
    assert [wizard.files_model.data(wizard.files_model.index(r, 4)) for r in range(2)] == ["Mới: sẽ được nhập"] * 2
    counts = {row["label"]: row["counts"] for row in wizard.counts_model.rows}
    assert counts["Khách hàng"].new == point_clients and counts["Tổng cộng"].rejected == 0
    assert wizard.import_button.isEnabled() and "Chưa ghi gì" in wizard.summary.text()
    assert _point_row(view, "MYHOA-01").bundles == []

    qtbot.mouseClick(wizard.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.pages.currentIndex() == 2, timeout=10000)
    assert [o.kind for o in wizard.outcomes] == ["imported", "imported"]
    qtbot.waitUntil(lambda: _point_row(view, "MYHOA-01").bundles == [1, 3], timeout=10000)
    row = _point_row(view, "MYHOA-01")
    assert row.missing_bundles == [2]
    model = view.district.model
    assert model.data(model.index(0, 6)) == "2"
    assert model.data(model.index(0, 1)) == "Thiếu dữ liệu"
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ForegroundRole).name() == "#8a6d00"
    view.district.table.selectRow(0)
    assert "Gói số 2 của Điểm tư vấn xã Mỹ Hòa bị thiếu" in view.district.detail.text()
    stored = []
    view.session.run(lambda register: register.conn.execute(
        "SELECT count(*) FROM clients WHERE origin = 'MYHOA-01'").fetchone()[0], stored.append)
    qtbot.waitUntil(lambda: stored == [point_clients], timeout=10000)

    # Importing the same file again is recognised before anything is written.
    wizard.accept()
    wizard = _import_through_wizard(qtbot, monkeypatch, view, [bundles[0]])
    assert wizard.files_model.data(wizard.files_model.index(0, 4)) == "Đã nhập trước đó: không cần làm gì"
    assert not wizard.import_button.isEnabled() and "đã được nhập" in wizard.summary.text()

    # The missing bundle arrives: the gap closes.
    wizard.accept()
    wizard = _import_through_wizard(qtbot, monkeypatch, view, [bundles[1]])
    qtbot.mouseClick(wizard.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _point_row(view, "MYHOA-01").bundles == [1, 2, 3], timeout=10000)
    assert _point_row(view, "MYHOA-01").missing_bundles == []
    assert "Đầy đủ: đã nhận mọi thay đổi" in view.district.detail.text()


def test_a_rejected_file_blocks_the_import(qtbot, make_controller, monkeypatch, tmp_path):
    district = _register(tmp_path, *DISTRICT)
    point = _register(tmp_path, *POINT, clients_count=20)
    _enroll(point, district)
    good = export.export_bundles(point, tmp_path / "usb")[0].path
    damaged = tmp_path / "damaged.tvb"
    data = bytearray(good.read_bytes())
    data[len(data) // 2] ^= 1
    damaged.write_bytes(bytes(data))
    root = district.paths.root
    point.close()
    district.close()

    view = _open_view(qtbot, make_controller, root)
    wizard = _import_through_wizard(qtbot, monkeypatch, view, [good, damaged])
    assert wizard.files_model.data(wizard.files_model.index(1, 4)).startswith("Bị từ chối")
    assert not wizard.import_button.isEnabled() and "bị từ chối" in wizard.summary.text()
    wizard.files_view.selectRow(1)
    assert wizard.problems.count() == 1


def test_a_fork_alarm_is_shown_acknowledged_and_then_imported(qtbot, make_controller, monkeypatch, tmp_path):
    district = _register(tmp_path, *DISTRICT)
    point = _register(tmp_path, *POINT, clients_count=20)
    _enroll(point, district)
    first = export.export_bundles(point, tmp_path / "usb")[0].path
    merge.import_bundle(district, first.read_bytes(), first.name)
    point.conn.execute("DELETE FROM bundles_sent")  # as if the point restored a backup made before that export
    _add_contact(point, 9)
    again = export.export_bundles(point, tmp_path / "usb2")[0].path
    root = district.paths.root
    point.close()
    district.close()

    view = _open_view(qtbot, make_controller, root)
    wizard = _import_through_wizard(qtbot, monkeypatch, view, [again])
    assert wizard.files_model.data(wizard.files_model.index(0, 4)).startswith("Cảnh báo")
    qtbot.mouseClick(wizard.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.pages.currentIndex() == 2, timeout=10000)
    assert [o.kind for o in wizard.outcomes] == ["fork_alarm"]
    assert wizard.acknowledge_button.isVisibleTo(wizard)
    wizard.accept()

    # The Points tab shows the open alarm in red; the administrator acknowledges it.
    qtbot.waitUntil(lambda: bool(_point_row(view, "MYHOA-01").open_alarms), timeout=10000)
    model = view.district.model
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ForegroundRole).name() == "#b00020"
    assert model.data(model.index(0, 8)) == "gói 1"
    assert model.data(model.index(0, 1)) == "Cảnh báo trùng số gói"
    view.district.table.selectRow(0)
    assert view.district.acknowledge_button.isEnabled()
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(view.district.acknowledge_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not _point_row(view, "MYHOA-01").open_alarms, timeout=10000)
    assert asked

    # With the alarm acknowledged, the file can be imported.
    wizard = _import_through_wizard(qtbot, monkeypatch, view, [again])
    assert "đã được xác nhận" in wizard.files_model.data(wizard.files_model.index(0, 4))
    qtbot.mouseClick(wizard.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.pages.currentIndex() == 2, timeout=10000)
    assert [o.kind for o in wizard.outcomes] == ["imported"]


def test_possible_same_persons_are_marked_without_touching_the_records(qtbot, make_controller, tmp_path):
    district = _register(tmp_path, *DISTRICT)
    made = []
    for unit, seed in ((POINT, 1), (OTHER_POINT, 2)):
        point = _register(tmp_path, *unit, clients_count=20, seed=seed)
        _enroll(point, district)
        clients.create(point, {"full_name": "Trần Văn Bình", "sex": "male", "birth_year": 1988,
                               "citizen_id": "089088001122", "intake_date": "2026-01-02", "main_group": "dependent"})
        made += export.export_bundles(point, tmp_path / unit[1])
        point.close()
    for bundle in made:
        merge.import_bundle(district, bundle.path.read_bytes(), bundle.path.name)
    root = district.paths.root
    district.close()

    view = _open_view(qtbot, make_controller, root)
    panel = view.persons
    qtbot.waitUntil(lambda: panel.model.rowCount() >= 1, timeout=10000)
    pair = panel.model.rows[0]
    assert pair.reason == "citizen_id" and pair.a["full_name"] == pair.b["full_name"] == "Trần Văn Bình"
    assert {pair.a["origin"], pair.b["origin"]} == {"MYHOA-01", "PHUTHANH-01"}
    assert "trùng số định danh" in panel.model.data(panel.model.index(0, 0))
    panel.table.selectRow(0)
    before = panel.model.rowCount()
    qtbot.mouseClick(panel.same_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.model.rowCount() == before - 1, timeout=10000)  # decided pairs are hidden
    panel.show_decided.setChecked(True)
    qtbot.waitUntil(lambda: any(p.decision == "same" for p in panel.model.rows), timeout=10000)
    stored = []
    view.session.run(lambda register: (
        register.conn.execute("SELECT decision FROM person_links").fetchall(),
        register.conn.execute("SELECT count(*) FROM clients WHERE full_name = 'Trần Văn Bình'").fetchone()[0]),
        stored.append)
    qtbot.waitUntil(lambda: bool(stored), timeout=10000)
    assert stored[0] == ([("same",)], 2)


@pytest.mark.parametrize("path, platform, expected", [
    ("/media/nhung/USB DISK", "linux", True),
    ("/run/media/nhung/KINGSTON", "linux", True),
    ("/boot/efi", "linux", False),
    ("/snap/core/1", "linux", False),
    ("/media/", "linux", False),
    ("E:/", "win32", True),
    ("C:/", "win32", False),
    ("/Volumes/USB", "darwin", True),
])
def test_only_removable_looking_volumes_are_offered(path, platform, expected):
    assert likely_removable(path, is_root=False, read_only=False, ready=True, system_root="C:/",
                            platform=platform) is expected


def test_a_chain_alarm_is_named_and_explained(qapp):
    from app.gui.sync.district import explain, state
    from app.sync.chain import PointChain

    split = PointChain("MYHOA-01", "Điểm tư vấn xã Mỹ Hòa", bundles=[1, 2, 3],
                       open_alarms=[{"seq": 3, "kind": "chain", "raised_at": "2026-11-26T08:00:00Z"}])
    assert state(split) == "Cảnh báo đứt chuỗi"
    text = explain(split)
    assert "gói số 3" in text and "gói số 2" in text and "tách đôi" in text
    split.open_alarms.append({"seq": 2, "kind": "fork", "raised_at": "2026-11-26T08:00:00Z"})
    assert state(split) == "Cảnh báo trùng số gói"
