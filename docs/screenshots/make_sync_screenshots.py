"""Render the Sync screen offscreen at 1366×768 (Vietnamese) with demo data: a point and a receiving office.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/make_sync_screenshots.py [vi|en]

(make_screenshots.py runs it at its end, in the same language.)

Three demo points and a provincial police office are made in a temporary
folder and enrolled; the office holds a gap (bundle 2 of Mỹ Hòa held back),
a fork alarm (Phú Thạnh restored an old backup) and persons registered at
two points. Nothing outside docs/screenshots/ is touched.
"""

import os
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TUVAN_KDF_TARGET_MS", "0")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from app.core.i18n import set_language  # noqa: E402
from app.core.unit import make_unit  # noqa: E402
from app.gui.shell.controller import AppController  # noqa: E402
from app.gui.shell.launch import make_app  # noqa: E402
from app.gui.shell.main_window import MainWindow  # noqa: E402
from app.gui.sync.view import SyncView  # noqa: E402
from app.demo import writer as demo  # noqa: E402
from app.store import clients, contacts  # noqa: E402
from app.store.machine_config import MachineConfig  # noqa: E402
from app.store.register import create_register  # noqa: E402
from app.sync import export, identity, merge, receipts  # noqa: E402

WIDTH, HEIGHT = 1366, 768
PASSPHRASE = "demo-tuvan-2026"
language = sys.argv[1] if len(sys.argv) > 1 else "vi"
suffix = "" if language == "vi" else f"-{language}"
set_language(language)
app = make_app([])
# A fixed folder (emptied first), so that the paths shown in the pictures are the same on every run.
work = Path(tempfile.gettempdir()) / f"tuvan-sync-screenshots-{language}"
shutil.rmtree(work, ignore_errors=True)
work.mkdir()


def pump(seconds: float) -> None:
    end = time.time() + seconds
    while time.time() < end:
        app.processEvents()
        time.sleep(0.01)


def wait_for(condition, timeout: float = 20.0) -> None:
    end = time.time() + timeout
    while not condition() and time.time() < end:
        pump(0.05)


def shot(widget, name: str) -> None:
    pump(0.5)
    path = HERE / f"{name}{suffix}.png"
    widget.grab().save(str(path))
    print(path)


def register(role, code, name, office="", clients_count=0, seed=1):
    made, _recovery = create_register(work / code, unit=make_unit(role, code, name, office), admin_login="admin",
                                      admin_full_name="Nguyễn Thị Hồng Nhung", passphrase=PASSPHRASE)
    if clients_count:
        demo.fill(made, clients=clients_count, months=4, seed=seed)
    return made


def enroll(point, office):
    office_id = identity.own_identity(office)
    identity.pin(point, office_id, office_id.confirmation)
    point_id = identity.own_identity(point)
    identity.pin(office, point_id, point_id.confirmation)


def add_contacts(point, n, start=1):
    client = point.conn.execute("SELECT id FROM clients WHERE deleted = 0 LIMIT 1").fetchone()[0]
    for day in range(start, start + n):
        contacts.add(point, {"kind": "phone", "client_id": client, "contact_date": date(2026, 1, day).isoformat()})


def bring(office, bundle):
    merge.import_bundle(office, bundle.path.read_bytes(), bundle.path.name)


# --- the data ---------------------------------------------------------------------------------
office = register("district", "AG-CA", "Công an tỉnh An Giang", "Phòng Cảnh sát điều tra tội phạm về ma túy")
office_key_file = work / "AG-CA.tvkey"  # what the office hands to a new point, and the fingerprint it reads aloud
office_key_file.write_bytes(identity.own_identity(office).to_bytes())
office_fingerprint = identity.own_identity(office).fingerprint
points = {}
for code, name, seed in (("MYHOA-01", "Điểm tư vấn xã Mỹ Hòa", 1),
                         ("PHUTHANH-01", "Điểm tư vấn xã Phú Thạnh", 2),
                         ("BINHDUC-01", "Điểm tư vấn phường Bình Đức", 3)):
    points[code] = register("point", code, name, "Ủy ban nhân dân", clients_count=60, seed=seed)
    enroll(points[code], office)
for code, full_name, year, citizen in (("MYHOA-01", "Trần Văn Bình", 1988, "089088001122"),
                                       ("PHUTHANH-01", "Trần Văn Bình", 1988, "089088001122"),
                                       ("BINHDUC-01", "Lê Thị Thu Hà", 1995, ""),
                                       ("MYHOA-01", "Lê Thị Thu Hà", 1995, "")):
    clients.create(points[code], {"full_name": full_name, "sex": "male" if "Văn" in full_name else "female",
                                  "birth_year": year, "citizen_id": citizen, "intake_date": "2026-01-02",
                                  "main_group": "dependent"})

# Mỹ Hòa: three bundles, the second held back (a gap); a receipt for what arrived, then more work.
hoa = points["MYHOA-01"]
made = []
for n in range(3):
    made.append(export.export_bundles(hoa, work / "usb-hoa")[0])
    add_contacts(hoa, 3, 1 + 3 * n)
for bundle in (made[0], made[2]):
    bring(office, bundle)
# Phú Thạnh: one bundle imported, then the point restores an old backup and sends another bundle 1 (a fork).
thanh = points["PHUTHANH-01"]
first = export.export_bundles(thanh, work / "usb-thanh")[0]
bring(office, first)
thanh.conn.execute("DELETE FROM bundles_sent")
add_contacts(thanh, 2)
fork = export.export_bundles(thanh, work / "usb-thanh-2")[0]
try:
    bring(office, fork)
except merge.BundleRejected:
    pass  # the alarm is recorded; the office sees it in red
# Bình Đức: everything arrived, receipt given back.
duc = points["BINHDUC-01"]
bring(office, export.export_bundles(duc, work / "usb-duc")[0])
receipt_file = work / "BINHDUC-01.tvr"
receipts.export_receipt(office, "BINHDUC-01", receipt_file)
receipts.import_receipt(duc, receipt_file.read_bytes(), receipt_file.name)
# Bình Đức's next bundle waits on the office's desk: a new client who is already known at two other points.
clients.create(duc, {"full_name": "Trần Văn Bình", "sex": "male", "birth_year": 1988, "citizen_id": "089088001122",
                     "intake_date": "2026-01-15", "main_group": "post_rehab"})
add_contacts(duc, 2, 15)
waiting = export.export_bundles(duc, work / "usb-duc-2")[0].path
# The point we show: Mỹ Hòa after a receipt for bundle 1, with new work since.
hoa_receipt = work / "MYHOA-01.tvr"
receipts.export_receipt(office, "MYHOA-01", hoa_receipt)
receipts.import_receipt(hoa, hoa_receipt.read_bytes(), hoa_receipt.name)
clients.create(hoa, {"full_name": "Phạm Quốc Dũng", "sex": "male", "birth_year": 1992, "intake_date": "2026-01-20",
                     "main_group": "suspected", "hamlet": "Ấp Mỹ Thạnh"})
add_contacts(hoa, 4, 20)
extra = [waiting, made[1].path]
for made_register in (office, *points.values()):
    made_register.close()


def open_window(code: str):
    controller = AppController(MachineConfig(work / "config.json"), work / code, "admin")
    controller.start()
    controller.window.passphrase.setText(PASSPHRASE)
    controller.window.try_unlock()
    wait_for(lambda: controller.session is not None)
    session = controller.session
    window = MainWindow(session, {"sync": lambda: SyncView(session)})  # the controller wires the real one
    window.resize(WIDTH, HEIGHT)
    window.show()
    window.show_screen("sync")
    return controller, window, window.screens["sync"]


# --- the point ---------------------------------------------------------------------------------
controller, window, view = open_window("MYHOA-01")
wait_for(lambda: view.point.outbox is not None and view.keys.identity is not None)
view.point.destination.remember(str(work / "usb-hoa"))
view.point.export()
wait_for(lambda: ".tvb" in view.point.result.text())
shot(window, "sync-point")
view.tabs.setCurrentWidget(view.keys)
shot(window, "sync-keys")
from app.gui.sync.keys import TrustKeyDialog  # noqa: E402

trust = TrustKeyDialog(controller.session, str(office_key_file), window)
trust.show()
wait_for(lambda: trust.key_file is not None)
trust.fingerprint.setText(office_fingerprint)
shot(trust, "sync-trust")
trust.reject()
window.close()
controller.shutdown()

# --- the receiving office ------------------------------------------------------------------------
controller, window, view = open_window("AG-CA")
wait_for(lambda: view.district.model.rowCount() == 3)
view.district.table.selectRow(2)  # Phú Thạnh: the fork alarm and what to do about it
shot(window, "sync-district")
view.tabs.setCurrentWidget(view.persons)
wait_for(lambda: view.persons.model.rowCount() > 0)
shot(window, "sync-persons")
view.tabs.setCurrentWidget(view.district)
from app.gui.sync.bundle_import import ImportWizard  # noqa: E402

wizard = ImportWizard(controller.session, window)
wizard.show()
wizard.add_files([str(p) for p in extra] + [str(fork.path)])
wizard.check()
wait_for(lambda: wizard.pages.currentIndex() == 1)
shot(wizard, "sync-import-wizard")
wizard.import_files()
wait_for(lambda: wizard.pages.currentIndex() == 2)
shot(wizard, "sync-import-result")
wizard.close()
window.close()
controller.shutdown()

# --- the receiving office's monthly form: a column per point and the total ------------------------
from app.core.clock import today  # noqa: E402
from app.reports.form_pdf import form_pdf  # noqa: E402
from app.reports.monthly import monthly_report  # noqa: E402
from app.reports.period import Month  # noqa: E402
from app.store.register import unlock  # noqa: E402
from pdf_pages import pdf_page  # noqa: E402  (docs/screenshots/pdf_pages.py)

with unlock(work / "AG-CA", "admin", PASSPHRASE) as opened:
    pdf_page(form_pdf(monthly_report(opened, Month.of(today()).previous())), HERE / f"sync-district-form{suffix}.png")
