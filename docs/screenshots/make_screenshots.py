"""Render the screens offscreen into docs/screenshots/*.png at 1366×768, in Vietnamese.

    make screenshots      (or: .venv/bin/python docs/screenshots/make_screenshots.py [vi|en])

A demo register (tuvan demo data) is made in a temporary folder; nothing
outside docs/screenshots/ is touched.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TUVAN_KDF_TARGET_MS", "0")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from app.core.i18n import set_language  # noqa: E402
from app.core.unit import make_unit  # noqa: E402
from app.gui.controller import AppController  # noqa: E402
from app.gui.launch import make_app  # noqa: E402
from app.store import demo  # noqa: E402
from app.store.machine_config import MachineConfig  # noqa: E402
from app.store.register import create_register  # noqa: E402

WIDTH, HEIGHT = 1366, 768
PASSPHRASE = "demo-tuvan-2026"
language = sys.argv[1] if len(sys.argv) > 1 else "vi"
suffix = "" if language == "vi" else f"-{language}"
set_language(language)
app = make_app([])
work = Path(tempfile.mkdtemp(prefix="tuvan-shots-"))


def pump(seconds: float) -> None:
    end = time.time() + seconds
    while time.time() < end:
        app.processEvents()
        time.sleep(0.01)


def wait_for(condition, timeout: float = 10.0) -> None:
    end = time.time() + timeout
    while not condition() and time.time() < end:
        pump(0.05)


def shot(widget, name: str) -> None:
    pump(0.4)
    path = HERE / f"{name}{suffix}.png"
    widget.grab().save(str(path))
    print(path)


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

# --- daily work on a demo register ------------------------------------------------------
unit = make_unit("point", "MYHOA-01", "Điểm tư vấn, chăm sóc, hỗ trợ điều trị nghiện xã Mỹ Hòa",
                 "Ủy ban nhân dân xã Mỹ Hòa")
register, _recovery = create_register(work / "register", unit=unit, admin_login="admin",
                                      admin_full_name="Nguyễn Văn Đức", passphrase=PASSPHRASE)
demo.fill(register)
register.close()

controller = AppController(MachineConfig(work / "config.json"), work / "register", "admin")
controller.start()
unlock_window = controller.window
unlock_window.passphrase.setText("sai mật khẩu")
unlock_window.try_unlock()
wait_for(lambda: unlock_window.error.text() != "")
shot(unlock_window, "04-unlock-wrong")
pump(2.5)  # the first failure costs no waiting time; let the button come back
unlock_window.passphrase.setText(PASSPHRASE)
unlock_window.try_unlock()
wait_for(lambda: controller.session is not None)
main = controller.window
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

for key, name in (("activities", "14-activities"), ("groups", "15-groups"), ("reports", "16-reports")):
    if key in main.screens:
        main.show_screen(key)
        pump(1.0)
        shot(main, name)

main.show_screen("settings")
settings = main.screens["settings"]
for index in range(settings.tabs.count()):
    settings.tabs.setCurrentIndex(index)
    shot(main, f"17-settings-{index + 1}")
controller.shutdown()
