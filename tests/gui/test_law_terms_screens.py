"""The law's terms on the screens: the rehabilitation dialog says what the law sets and saves it,
and Today lists managements ending this month (issue 16, point 3)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app.core.clock import today
from app.core.validate import add_months
from app.gui.common.record_dialog import RecordDialog
from app.store import clients
from app.store.register import unlock
from tests.conftest import PASSPHRASE
from tests.gui.conftest import unlock_as

TODAY = today()


def test_the_rehabilitation_dialog_applies_the_law_and_today_lists_managements_ending(
        qtbot, make_controller, closed_register):
    root, _ = closed_register
    start = add_months(TODAY.replace(day=1), -12)
    with unlock(root, "admin", PASSPHRASE) as register:
        client = clients.create(register, {"full_name": "Trần Văn Bảy", "sex": "male", "birth_year": 1990,
                                           "intake_date": "2025-01-10", "main_group": "dependent",
                                           "legal_status": "post_rehab_management",
                                           "legal_start": start.isoformat(), "legal_end": ""})
    controller = make_controller(root, "admin")
    main = unlock_as(qtbot, controller)

    main.show_screen("today")
    today_view = main.screens["today"]
    qtbot.waitUntil(lambda: today_view.management.rowCount() == 1, timeout=10000)
    assert today_view.management.rows[0]["client_id"] == client.id
    assert "1 thời hạn quản lý" in today_view.summary.text()

    main.show_screen("clients")
    clients_view = main.screens["clients"]
    clients_view.open_client(client.id)
    file = clients_view.file
    qtbot.waitUntil(lambda: file.data is not None and file.client_id == client.id, timeout=10000)
    file.tabs.setCurrentIndex(3)
    qtbot.mouseClick(file.add_rehab, Qt.MouseButton.LeftButton)
    dialog = [d for d in file.findChildren(RecordDialog) if d.isVisible()][-1]
    term = dialog.form.fields["term_months"]
    assert term.currentText() == "Theo quy định (lần đầu hay lần sau)"
    assert [term.itemData(i) for i in range(term.count())][-2:] == ["24", "36"]
    note = dialog.findChild(QLabel, "form_note")
    assert "lần đầu 24 tháng, các lần sau 36 tháng" in note.text() and "120/2025/QH15" in note.text()
    dialog.submit()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10000)
    controller.lock()
    controller.shutdown()
    with unlock(root, "admin", PASSPHRASE) as register:
        terms = [r[0] for r in register.conn.execute("SELECT term_months FROM rehab_registrations")]
    assert terms == [24]


def test_an_administrator_chooses_a_law_file_in_settings(qtbot, make_controller, closed_register, tmp_path,
                                                          monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from app.gui.settings.law_panel import LawPanel

    root, _ = closed_register
    controller = make_controller(root, "admin")
    main = unlock_as(qtbot, controller)
    main.show_screen("settings")
    panel = main.screens["settings"].findChild(LawPanel)
    assert "lần đầu 24 tháng, các lần sau 36 tháng" in panel.rules.toPlainText()
    assert "Căn cứ: Nghị định 184/2025" in panel.rules.toPlainText()

    broken = tmp_path / "hong.toml"
    broken.write_text("[[rehab]\n", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kw: (str(broken), ""))
    qtbot.mouseClick(panel.choose_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "dòng 1, cột 8" in panel.error.text(), timeout=10000)
    assert "24 tháng" in panel.rules.toPlainText()  # nothing changed

    chosen = tmp_path / "thu.toml"
    chosen.write_text('code = "thu"\n[[rehab]]\nfrom = "2022-01-01"\nfirst = { months = 9 }\n'
                      'basis_vi = "Quy định thử nghiệm"\n', encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kw: (str(chosen), ""))
    qtbot.mouseClick(panel.choose_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Quy định thử nghiệm" in panel.rules.toPlainText(), timeout=10000)
    assert panel.error.text() == "" and "Từ nay" in panel.message.text()
    qtbot.waitUntil(lambda: main.session.info.lookups.law.code == "thu", timeout=10000)  # the forms follow
    qtbot.mouseClick(panel.own_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: main.session.info.lookups.law.code == "vn-terms", timeout=10000)
