"""After a scripted day of work, no file the program wrote holds a personal string in clear.

The only exceptions are the files the user asked for by name (a PDF form, a data-subject
export, the spreadsheet they imported), which live in exports/ here and are not scanned.
"""

from __future__ import annotations

import os
import tempfile
import unicodedata
from pathlib import Path

from app.core.unit import make_unit
from app.reports.form_pdf import form_pdf
from app.reports.monthly import monthly_report
from app.reports.period import Month
from app.reports.subject_export import export_client
from app.store import backup, clients, contacts, importer, referrals, search
from app.store.connection import SQLITE_HEADER
from app.store.machine_config import MachineConfig
from app.store.register import create_register, unlock
from app.sync import export, identity, merge
from tests.conftest import PASSPHRASE

SECRETS = ["Trịnh Xuân Quỳnh", "Quỳnh Điên", "0912777888", "089123456789", "Bí mật ghi chú của buổi tư vấn",
           "Hoàng Thị Mộng Thu", "Cơ sở cai nghiện Bình Đức số 7"]


def _needles() -> list[bytes]:
    found = []
    for text in SECRETS:
        folded = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
        for form in (text, folded.replace("đ", "d").replace("Đ", "D"), folded.lower()):
            found += [form.encode("utf-8"), form.encode("utf-16-le")]
    return found


def test_a_day_of_work_leaves_no_plaintext(tmp_path, monkeypatch, tally):
    work_tmp = tmp_path / "tmp"
    work_tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(work_tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(work_tmp))
    exports = tmp_path / "exports"
    exports.mkdir()
    point, _ = create_register(tmp_path / "point", unit=make_unit("point", "MYHOA-01", "Điểm tư vấn xã Mỹ Hòa"),
                               admin_login="admin", admin_full_name="Quản Trị Viên", passphrase=PASSPHRASE)
    district, _ = create_register(tmp_path / "district", unit=make_unit("district", "LX-CA", "Công an Long Xuyên"),
                                  admin_login="admin", admin_full_name="Cán Bộ", passphrase=PASSPHRASE)
    MachineConfig().set(last_register=str(point.paths.root), last_login="admin", last_unit_name="Điểm tư vấn")
    # Intake, an edit, a family member, a search.
    quynh = clients.create(point, {"full_name": SECRETS[0], "alias": SECRETS[1], "sex": "male", "birth_year": 1991,
                                   "phone": "0912 777 888", "citizen_id": SECRETS[3], "intake_date": "2026-10-02",
                                   "main_group": "dependent", "hamlet": "Ấp Mỹ Thạnh"}).id
    clients.edit(point, quynh, {"notes": SECRETS[4]})
    clients.add_family_member(point, quynh, {"full_name": SECRETS[5], "sex": "female", "birth_year": 1965,
                                             "intake_date": "2026-10-02", "relationship": "mẹ"})
    assert search.search(point.conn, "trinh xuan")[0].id == quynh
    contacts.add(point, {"kind": "home", "client_id": quynh, "contact_date": "2026-10-05", "notes": SECRETS[4],
                         "next_follow_up": "2026-10-19"})
    referrals.add(point, {"client_id": quynh, "service": "voluntary_rehab", "referred_date": "2026-10-06",
                          "referred_to": SECRETS[6]})
    # A spreadsheet the user imports (their own file, in exports/).
    sheet = exports / "khach-hang.csv"
    sheet.write_text("Họ và tên,Giới tính,Năm sinh,Ngày tiếp nhận,Nhóm đối tượng\n"
                     "Phan Văn Tèo,Nam,1988,03/10/2026,Người nghi nghiện\n", encoding="utf-8")
    importer.apply(point, "clients", sheet)
    # Reports and exports the user asked for, by name.
    (exports / "bao-cao.pdf").write_bytes(form_pdf(monthly_report(point, Month(2026, 10))))
    (exports / "quynh.pdf").write_bytes(export_client(point, quynh, "pdf"))
    # A backup to a USB stick, a bundle to the district, the district's import.
    backup.write_backup(point, tmp_path / "usb" / "sao-luu.tvbak")
    backup.backup_now(point)
    for a, b in ((point, district), (district, point)):
        other = identity.own_identity(b)
        identity.pin(a, other, other.confirmation)
    made = export.export_bundles(point, tmp_path / "usb")
    for bundle in made:
        merge.import_bundle(district, bundle.path.read_bytes(), bundle.path.name)
    point.close()
    district.close()
    with unlock(tmp_path / "point", "admin", PASSPHRASE):
        pass
    home = Path(os.environ["HOME"]).parent  # the isolated home, config, data and log folders
    scanned, hits = [], []
    needles = _needles()
    for folder in (tmp_path, home):
        for path in folder.rglob("*"):
            if not path.is_file() or exports in path.parents:
                continue
            data = path.read_bytes()
            scanned.append(path.name)
            if SQLITE_HEADER in data:
                hits.append((str(path), "SQLite header"))
            hits += [(str(path), n[:24]) for n in needles if n in data]
    for expected in ("register.db", "keyslots.json", "sao-luu.tvbak", "config.json", made[0].path.name):
        assert expected in scanned, (expected, scanned)
    assert any(name.endswith("-manual.tvbak") for name in scanned)
    tally.add("no plaintext after a day of work (files scanned)", trials=len(scanned), corrupted=len(hits))
    tally.note("no plaintext after a day of work (files scanned)", strings_searched=len(needles),
               hits_in_clear=len(hits))
    assert hits == []
