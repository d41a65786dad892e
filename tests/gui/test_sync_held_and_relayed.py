"""The Sync screen's quarantine and relay tabs, driven offscreen with real registers, keys and bundles.

Office: "Records held back" lists a refused record with its rule and saves the list as CSV.
Point: "Refused by the office" shows it after the receipt and opens the client's file.
Office above: trusting an office's key file offers the units it claims; "Relayed units" shows two
offices claiming one point in red and moves it only when the officer says so.
Screenshots go to TUVAN_SCREENSHOTS (a folder) when set.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from app.gui.sync.common import ALARM_COLOUR
from app.gui.sync.keys import TrustKeyDialog
from app.demo import writer as demo
from app.sync import export, identity, merge, receipts, relay
from tests.gui.test_sync_view import DISTRICT, POINT, _enroll, _open_view, _register

PROVINCE = ("district", "AG-CA", "Công an tỉnh An Giang")
RIVAL = ("district", "CT-CA", "Công an huyện Châu Thành")


def _shot(widget, name: str) -> None:
    folder = os.environ.get("TUVAN_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / name))


def _refused_bundle(point, district, tmp_path) -> str:
    """The point's data with one client whose sex is no code of the register; imported at the office."""
    bad = point.conn.execute("SELECT id FROM clients ORDER BY seq LIMIT 1").fetchone()[0]
    point.conn.execute("PRAGMA ignore_check_constraints = ON")
    point.conn.execute("UPDATE clients SET sex = 'x', version = version + 1 WHERE id = ?", (bad,))
    point.conn.execute("PRAGMA ignore_check_constraints = OFF")
    for bundle in export.export_bundles(point, tmp_path / "usb"):
        assert merge.import_bundle(district, bundle.path.read_bytes(), bundle.path.name).applied
    return bad


def test_the_office_reads_and_saves_the_held_records_and_the_point_opens_the_refused_one(
        qtbot, make_controller, monkeypatch, tmp_path):
    district = _register(tmp_path, *DISTRICT)
    point = _register(tmp_path, *POINT, clients_count=20, seed=3)
    _enroll(point, district)
    bad = _refused_bundle(point, district, tmp_path)
    receipts.export_receipt(district, point.origin, tmp_path / "r.tvr")
    receipts.import_receipt(point, (tmp_path / "r.tvr").read_bytes(), "r.tvr")
    district.close()
    point.close()

    view = _open_view(qtbot, make_controller, tmp_path / "LX-CA")
    view.tabs.setCurrentWidget(view.held)
    held = view.held
    qtbot.waitUntil(lambda: held.model.rowCount() == 1, timeout=10000)
    assert "1 bản ghi bị giữ lại" in held.summary.text() and "MYHOA-01" in held.summary.text()
    row = [held.model.data(held.model.index(0, c)) for c in range(held.model.columnCount())]
    assert row[0] == "MYHOA-01" and "Giới tính" in row[3] and "không cho phép" in row[4]
    assert bad in held.detail.text() and "Sửa bản ghi" in held.detail.text()
    _shot(view, "sync-held.png")
    target = tmp_path / "held.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    qtbot.mouseClick(held.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: str(target) in held.status.text(), timeout=10000)
    lines = list(csv.reader(target.read_text(encoding="utf-8-sig").splitlines()))
    assert len(lines) == 2 and bad in lines[1]
    view.close()

    view = _open_view(qtbot, make_controller, tmp_path / "MYHOA-01")
    view.tabs.setCurrentWidget(view.refused)
    refused = view.refused
    qtbot.waitUntil(lambda: refused.model.rowCount() == 1, timeout=10000)
    assert "1 bản ghi" in refused.summary.text() and "còn 1" in refused.summary.text()
    assert "LX-CA" in refused.detail.text() and refused.open_button.isEnabled()
    _shot(view, "sync-refused.png")
    with qtbot.waitSignal(view.open_client, timeout=5000) as opened:
        qtbot.mouseClick(refused.open_button, Qt.MouseButton.LeftButton)
    assert opened.args == [bad]


def test_an_office_accepts_the_units_it_chose_and_a_disputed_point_is_shown(qtbot, make_controller, monkeypatch,
                                                                             tmp_path):
    province = _register(tmp_path, *PROVINCE)
    district = _register(tmp_path, *DISTRICT)
    rival = _register(tmp_path, *RIVAL)
    point = _register(tmp_path, *POINT, clients_count=20, seed=5)
    other = _register(tmp_path, "point", "PHUTHANH-01", "Điểm tư vấn xã Phú Thạnh")
    demo.fill(other, clients=20, months=1, seed=6)
    for office in (district, rival):
        _enroll(point, office)
    _enroll(other, district)
    # The rival was trusted first and its claim of MYHOA-01 accepted: LX-CA's claim is the later one.
    rival_id = identity.own_identity(rival)
    identity.pin(province, rival_id, rival_id.confirmation, sends_here=True)
    relay.assign(province, "CT-CA", ["MYHOA-01"])
    key_file = tmp_path / "LX-CA.tvkey"
    key_file.write_bytes(identity.own_identity(district).to_bytes())
    spoken = identity.own_identity(district).confirmation
    for register in (province, district, rival, point, other):
        register.close()

    view = _open_view(qtbot, make_controller, tmp_path / "AG-CA")
    dialog = TrustKeyDialog(view.session, str(key_file), view)
    dialog.show()
    choice = dialog.relay_choice
    qtbot.waitUntil(lambda: choice.isVisible() and choice.units.count() == 2, timeout=10000)
    assert choice.below.isChecked()                # it lists units this office does not serve: an office below
    texts = [choice.units.item(i).text() for i in range(2)]
    assert "CT-CA" in texts[0] and "Mỹ Hòa" in texts[0] and "Phú Thạnh" in texts[1]
    assert choice.chosen() == ["PHUTHANH-01"]      # the point another office has is not taken silently
    _shot(dialog, "sync-trust-office.png")
    qtbot.keyClicks(dialog.fingerprint, spoken.lower())
    qtbot.mouseClick(dialog.trust_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10000)

    view.tabs.setCurrentWidget(view.relayed)
    panel = view.relayed
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2, timeout=10000)
    rows = {c.point: c for c in panel.model.rows}
    assert rows["PHUTHANH-01"].assigned_to == "LX-CA" and not rows["PHUTHANH-01"].disputed
    assert rows["MYHOA-01"].assigned_to == "CT-CA" and rows["MYHOA-01"].disputed
    assert "nhiều cơ quan" in panel.summary.text()
    colours = [panel.model.data(panel.model.index(i, 0), Qt.ItemDataRole.ForegroundRole) for i in range(2)]
    disputed_row = [c.point for c in panel.model.rows].index("MYHOA-01")
    assert colours[disputed_row].name() == ALARM_COLOUR and colours[1 - disputed_row] is None
    _shot(view, "sync-relayed.png")

    # The officer phoned both offices: MYHOA-01 belongs to LX-CA. Moving it is asked for and confirmed.
    panel.table.selectRow(0)
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("LX-CA", True))
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(panel.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "LX-CA" in panel.status.text(), timeout=10000)
    assert asked and "CT-CA" in asked[0]
    qtbot.waitUntil(lambda: {c.point: c.assigned_to for c in panel.model.rows}["MYHOA-01"] == "LX-CA", timeout=10000)
    # The trusted keys list says which way bundles go.
    keys = view.keys
    qtbot.waitUntil(lambda: keys.model.rowCount() == 2, timeout=10000)
    directions = {k.unit_code: keys.model.data(keys.model.index(i, 5)) for i, k in enumerate(keys.model.rows)}
    assert directions == {"CT-CA": "gửi về đây", "LX-CA": "gửi về đây"}
