"""The Reports screen's "DHIS2 file…": what would be sent, shown before anything is written, then
the file (issue 17, point 3)."""

from __future__ import annotations

import json
from xml.etree import ElementTree

import xmlschema
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from app.core.paths import resources
from app.reports import dhis2_mapping
from app.reports.form_file import default_form
from app.store.register import unlock
from tests.conftest import PASSPHRASE
from tests.gui.test_reports_view import PAST, _open, _pick, seeded  # noqa: F401 (fixture)


def _dialog(qtbot, view):
    qtbot.mouseClick(view.dhis2_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.dhis2_button.dialog is not None and view.dhis2_button.dialog.isVisible(),
                    timeout=10000)
    return view.dhis2_button.dialog


def test_the_dialog_lists_what_would_be_sent_and_saves_the_file(qtbot, make_controller, seeded, tmp_path, monkeypatch):
    root, _ids = seeded
    _controller, _main, view = _open(qtbot, make_controller, root)
    _pick(qtbot, view, PAST)
    dialog = _dialog(qtbot, view)
    text = dialog.summary.toPlainText()
    assert "TV_30_SOLUONG = 1200" in text and "TV_29_SOLUONG = 3" in text
    assert "chưa chốt số liệu" in text and "application/adx+xml" in text
    assert not list(tmp_path.glob("dhis2-*"))  # nothing written by looking

    qtbot.mouseClick(dialog.json, Qt.MouseButton.LeftButton)
    assert "application/json" in dialog.summary.toPlainText()
    target = tmp_path / "thang"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    written = tmp_path / "thang.json"
    assert written.is_file() and str(written) in dialog.saved.text()
    values = json.loads(written.read_text(encoding="utf-8"))["dataValues"]
    assert {"dataElement": "TV_30_SOLUONG", "period": PAST.code.replace("-", ""), "orgUnit": view.shown.report.unit.code,
            "value": "1200"} in values

    qtbot.mouseClick(dialog.adx, Qt.MouseButton.LeftButton)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "thang.adx"), ""))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    adx = (tmp_path / "thang.adx").read_text(encoding="utf-8")
    xmlschema.XMLSchema(str(resources() / "dhis2" / "adx.xsd")).validate(adx)
    assert ElementTree.fromstring(adx).find("{urn:ihe:qrph:adx:2015}group").get("period") == f"{PAST.first}/P1M"


def test_a_mapping_that_no_longer_fits_the_form_is_explained(qtbot, make_controller, seeded, monkeypatch):
    root, _ids = seeded
    with unlock(root, "admin", PASSPHRASE) as register:
        dhis2_mapping.choose(register, 'data_set = "DS"\n[cells."30"]\nso_luong = { data_element = "LEAFLETS" }\n',
                             default_form(), "anh-xa.toml")
        # The administrator then edits the stored copy by hand into one the form does not have.
        with register.transaction():
            register.conn.execute("UPDATE settings SET value = ? WHERE name = 'dhis2_mapping'",
                                  (json.dumps('data_set = "DS"\n[cells."99"]\nnguoi = { data_element = "X" }\n'),))
    _controller, _main, view = _open(qtbot, make_controller, root)
    said = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *a, **k: said.append(text))
    qtbot.mouseClick(view.dhis2_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(said), timeout=10000)
    assert "dòng 99" in said[0] and "ánh xạ DHIS2" in said[0]
    assert view.dhis2_button.dialog is None


def test_an_administrator_chooses_the_mapping_in_the_dialog(qtbot, make_controller, seeded, tmp_path, monkeypatch):
    root, _ids = seeded
    _controller, _main, view = _open(qtbot, make_controller, root)
    _pick(qtbot, view, PAST)
    dialog = _dialog(qtbot, view)
    assert dialog.mapping_button.isVisible()
    bad, good = tmp_path / "sai.toml", tmp_path / "anh-xa.toml"
    bad.write_text('data_set = "DS"\n[cells."30"]\nnguoi = { data_element = "X" }\n', encoding="utf-8")
    good.write_text('data_set = "DS_AG"\n[cells."30"]\nso_luong = { data_element = "TO_ROI" }\n', encoding="utf-8")
    said = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *a, **k: said.append(text))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    qtbot.mouseClick(dialog.mapping_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(said), timeout=10000)
    assert "sai.toml" in said[0] and "nguoi" in said[0]
    assert "TV_30_SOLUONG = 1200" in dialog.summary.toPlainText()  # unchanged
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(good), ""))
    qtbot.mouseClick(dialog.mapping_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "TO_ROI = 1200" in dialog.summary.toPlainText(), timeout=10000)
    assert "DS_AG" in dialog.saved.text()
    with unlock(root, "admin", PASSPHRASE) as register:
        assert dhis2_mapping.current(register.conn, default_form()).data_set == "DS_AG"


def test_a_counsellor_sees_the_figures_but_cannot_choose_the_mapping(qtbot, make_controller, seeded):
    root, _ids = seeded
    _controller, _main, view = _open(qtbot, make_controller, root, login="lan", passphrase="lan có mật khẩu dài")
    dialog = _dialog(qtbot, view)
    assert "TV_1_NGUOI" in dialog.summary.toPlainText()
    assert not dialog.mapping_button.isVisible()
