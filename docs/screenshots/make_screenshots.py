"""Render the screens offscreen into docs/screenshots/*.png at 1366×768, for the user guide.

    make screenshots      (or: .venv/bin/python docs/screenshots/make_screenshots.py [vi|en])

Vietnamese files have no suffix; English ones end in -en (`... make_screenshots.py en`).
A demo register (tuvan demo data) is made in a temporary folder: a month two
months back is closed and then corrected (so the last month's form lists an
amendment), and a backup is written (for the restore dialog). Dialogs are shown
filled in as a counsellor would fill them, and never saved. The printed monthly
form and a client's data export are rendered from their PDFs. The Sync screen
(point and receiving office) comes from make_sync_screenshots.py, run at the
end in the same language. Nothing outside docs/screenshots/ is touched.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TUVAN_KDF_TARGET_MS", "0")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from pdf_pages import pdf_page as render_page  # noqa: E402  (docs/screenshots/pdf_pages.py)

from app.core.clock import today  # noqa: E402
from app.core.i18n import set_language  # noqa: E402
from app.core.unit import make_unit  # noqa: E402
from app.gui.clients import case_dialogs  # noqa: E402
from app.gui.clients.client_form import NewClientDialog  # noqa: E402
from app.gui.shell.controller import AppController  # noqa: E402
from app.gui.shell.help_window import HelpWindow  # noqa: E402
from app.gui.clients.import_dialog import ImportDialog  # noqa: E402
from app.gui.shell.launch import make_app  # noqa: E402
from app.gui.settings.restore_dialog import RestoreDialog  # noqa: E402
from app.gui.shell.unlock_window import RecoveryDialog  # noqa: E402
from app.reports import closing, subject_export  # noqa: E402
from app.reports.monthly import monthly_report  # noqa: E402
from app.reports.period import Month  # noqa: E402
from app.reports.form_pdf import form_pdf  # noqa: E402
from app.demo import writer as demo  # noqa: E402
from app.store import backup, contacts  # noqa: E402
from app.store.machine_config import MachineConfig  # noqa: E402
from app.store.register import create_register, unlock  # noqa: E402

WIDTH, HEIGHT = 1366, 768
SETTINGS_TABS = {"GeneralPanel": "17-settings-general", "UnitPanel": "17-settings-unit",
                 "StaffPanel": "17-settings-staff", "CatalogsPanel": "17-settings-catalogs",
                 "UsersPanel": "17-settings-users", "BackupPanel": "17-settings-backups",
                 "PassphrasePanel": "17-settings-passphrase", "KeysPanel": "17-settings-keys",
                 "LawPanel": "17-settings-law"}
PASSPHRASE = "demo-tuvan-2026"
language = sys.argv[1] if len(sys.argv) > 1 else "vi"
suffix = "" if language == "vi" else f"-{language}"
set_language(language)
app = make_app([])
# A fixed folder (emptied first), so that the paths shown in the pictures are the same on every run.
work = Path(tempfile.gettempdir()) / f"tuvan-screenshots-{language}"
shutil.rmtree(work, ignore_errors=True)
work.mkdir()


def pump(seconds: float) -> None:
    end = time.time() + seconds
    while time.time() < end:
        app.processEvents()
        time.sleep(0.01)


def wait_for(condition, timeout: float = 10.0) -> None:
    end = time.time() + timeout
    while not condition() and time.time() < end:
        pump(0.05)
    if not condition():
        raise SystemExit(f"make_screenshots: timed out waiting for {condition}")


def shot(widget, name: str) -> None:
    pump(0.4)
    path = HERE / f"{name}{suffix}.png"
    widget.grab().save(str(path))
    print(path)


def pdf_page(pdf: bytes, name: str) -> None:
    render_page(pdf, HERE / f"{name}{suffix}.png")


def dialog_of(kind, parent):
    """The dialog of `kind` that `parent` has just opened."""
    wait_for(lambda: any(d.isVisible() for d in parent.findChildren(kind)))
    return [d for d in parent.findChildren(kind) if d.isVisible()][-1]


# --- first run: the setup wizard on an empty folder -----------------------------------
controller = AppController(MachineConfig(work / "config.json"), work / "wizard-register")
controller.start()
wizard = controller.window
wizard.resize(760, 560)
page = wizard.unit_page
page.code.setText("MYHOA-01")
page.name.setText("Điểm tư vấn, chăm sóc, hỗ trợ điều trị nghiện xã Mỹ Hòa")
page.office.setText("Ủy ban nhân dân xã Mỹ Hòa")
shot(wizard, "01-wizard-unit")
wizard.next()
wizard.admin_page.full_name.setText("Nguyễn Văn Đức")
wizard.admin_page.fields.first.setText("trâu vàng ăn cỏ non")
wizard.admin_page.fields.second.setText("trâu vàng ăn cỏ non")
shot(wizard, "02-wizard-admin")
wizard.next()
wait_for(lambda: wizard.recovery_page.key.text() != "")
shot(wizard, "03-wizard-recovery")
wizard.close()  # cancelling after creation closes the new register on the worker
controller.shutdown()

# --- the demo register: a closed month with a later correction, a backup ------------------
unit = make_unit("point", "MYHOA-01", "Điểm tư vấn, chăm sóc, hỗ trợ điều trị nghiện xã Mỹ Hòa",
                 "Ủy ban nhân dân xã Mỹ Hòa")
register, recovery = create_register(work / "register", unit=unit, admin_login="admin",
                                     admin_full_name="Nguyễn Văn Đức", passphrase=PASSPHRASE)
demo.fill(register)
last_month = Month.of(today()).previous()
closed_month = last_month.previous()
closing.close_month(register, closed_month)
corrected_on = date.fromisoformat(closed_month.first) + timedelta(days=12)
late = register.conn.execute(
    "SELECT id FROM clients WHERE deleted = 0 AND status = 'active' AND main_group != 'family' AND intake_date <= ?"
    " ORDER BY code LIMIT 1", (corrected_on.isoformat(),)).fetchone()[0]
contacts.add(register, {"kind": "home", "client_id": late, "contact_date": corrected_on.isoformat(),
                        "duration_minutes": 40})  # a home visit typed in after the month was closed
known = dict(zip(("full_name", "sex", "birth_year", "hamlet", "main_group"), register.conn.execute(
    "SELECT full_name, sex, birth_year, hamlet, main_group FROM clients WHERE deleted = 0 AND full_name != ''"
    " AND main_group != 'family' ORDER BY code LIMIT 1 OFFSET 5").fetchone()))
backup_file = backup.backup_now(register)
register.close()

controller = AppController(MachineConfig(work / "config.json"), work / "register", "admin")
controller.start()
unlock_window = controller.window
unlock_window.passphrase.setText("sai mật khẩu")
unlock_window.try_unlock()
wait_for(lambda: unlock_window.error.text() != "")
shot(unlock_window, "04-unlock-wrong")
unlock_window.open_recovery()
recovery_dialog = dialog_of(RecoveryDialog, unlock_window)
recovery_dialog.key.setText(recovery.formatted())
recovery_dialog.fields.first.setText("mây trắng bay qua đồi")
recovery_dialog.fields.second.setText("mây trắng bay qua đồi")
shot(recovery_dialog, "04-unlock-recovery")
recovery_dialog.reject()
pump(2.5)  # the first failure costs no waiting time; let the button come back
unlock_window.passphrase.setText(PASSPHRASE)
unlock_window.try_unlock()
wait_for(lambda: controller.session is not None)
main = controller.window
session = controller.session
main.resize(WIDTH, HEIGHT)
pump(1.0)
shot(main, "05-today")

main.show_screen("clients")
clients_view = main.screens["clients"]
wait_for(lambda: clients_view.model.rowCount() > 0)
shot(main, "06-clients-list")
clients_view.search_box.setText("nguyen van")
wait_for(lambda: clients_view.model.text == "nguyen van")
shot(main, "07-clients-search")
clients_view.open_client(clients_view.model.hit(0).id)
file = clients_view.file
wait_for(lambda: file.data is not None)
for index, name in enumerate(("08-client-profile", "09-client-contacts", "10-client-referrals",
                              "11-client-treatment", "12-client-consent", "13-client-history")):
    file.tabs.setCurrentIndex(index)
    shot(main, name)

# --- daily work in dialogs (filled in, never saved) --------------------------------------------
intake = NewClientDialog(session, clients_view)
intake.form.set_values({**known, "birth_year": str(known["birth_year"])})
intake.show()
intake.submit()
wait_for(lambda: intake.duplicates_box.isVisible())
shot(intake, "18-new-client-duplicate")
intake.reject()

visit = case_dialogs.contact_dialog(session, file.client_id, main)
visit.form.set_values({"kind": "home", "duration_minutes": "45",
                       "notes": "Gặp cả mẹ khách hàng; khách hàng đồng ý đi khám tại cơ sở methadone.",
                       "next_follow_up": (today() + timedelta(days=7)).isoformat()})
visit.show()
shot(visit, "19-contact-dialog")
visit.reject()

pending = [r for r in file.referrals_model.rows if r["outcome"] == "pending"] or file.referrals_model.rows
if pending:
    outcome = case_dialogs.outcome_dialog(session, pending[0], main)
    outcome.show()
    shot(outcome, "20-referral-outcome")
    outcome.reject()

closing_dialog = case_dialogs.close_case_dialog(session, file.client_id, main)
closing_dialog.form.set_values({"closing_reason": "moved_away"})
closing_dialog.show()
shot(closing_dialog, "21-close-case")
closing_dialog.reject()

bad_file = work / "khach-hang.csv"  # the sample file with one impossible date, as users make them
bad_file.write_bytes((HERE.parent / "import-samples" / "clients.csv").read_bytes()
                     .replace("18/02/2025,Người nghi nghiện".encode(), "31/02/2025,Người nghi nghiện".encode()))
importer = ImportDialog(session, clients_view)
importer.resize(1100, 640)
importer.show()
importer.file.setText(str(bad_file))
importer.check_file()
wait_for(lambda: importer.plan is not None)
shot(importer, "22-import-check")
importer.reject()
file.back.emit()

for key, name in (("activities", "14-activities"), ("groups", "15-groups")):
    main.show_screen(key)
    pump(1.0)
    shot(main, name)

main.show_screen("reports")
reports = main.screens["reports"]
wait_for(lambda: reports.shown is not None and reports.shown.report.month == last_month)
shot(main, "16-reports")
rows = [n for n, (kind, line) in enumerate(reports.model.lines) if kind == "row" and line.code == "6"]
reports.table.setCurrentIndex(reports.model.index(rows[0], 2))
reports.drill(reports.model.index(rows[0], 2))
wait_for(lambda: reports.records.rowCount() > 0)
reports.table.scrollTo(reports.model.index(rows[0], 2))
shot(main, "23-reports-drill")
reports.pages.setCurrentWidget(reports.trends)
wait_for(lambda: reports.trends.trends is not None)
shot(main, "28-reports-trends")
reports.pages.setCurrentIndex(0)

main.show_screen("clients")
main.show_help()
help_window = main.findChild(HelpWindow)
help_window.resize(620, 680)
shot(help_window, "26-help-window")
help_window.close()

main.show_screen("settings")
settings = main.screens["settings"]
for index in range(settings.tabs.count()):  # an administrator sees every tab
    settings.tabs.setCurrentIndex(index)
    page = settings.tabs.widget(index)
    shot(main, SETTINGS_TABS[page.objectName() if page.objectName() in SETTINGS_TABS else type(page).__name__])

restore = RestoreDialog(controller.runner, work / "register", "admin", main)
restore.show()
on_usb = work / "USB" / "tuvan-sao-luu.tvbak"  # as if saved with "Save a backup to…"
on_usb.parent.mkdir()
shutil.copy(backup_file, on_usb)
restore.file.setText(str(on_usb))
restore.passphrase.setText(PASSPHRASE)
restore.check()
wait_for(lambda: restore.restore_button.isEnabled())
shot(restore, "25-restore-dialog")
restore.reject()
controller.shutdown()

# --- what the program prints ---------------------------------------------------------------------
with unlock(work / "register", "admin", PASSPHRASE) as opened:
    pdf_page(form_pdf(monthly_report(opened, last_month)), "24-monthly-form-pdf")
    pdf_page(subject_export.export_client(opened, late, "pdf"), "27-client-export-pdf")

# --- the Sync screen, point and receiving office -------------------------------------------------
subprocess.run([sys.executable, str(HERE / "make_sync_screenshots.py"), language], check=True)
