"""Render the screens offscreen into docs/screenshots/*.png (Vietnamese, 1366×768 class sizes).

    TUVAN_KDF_TARGET_MS=0 QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/make_screenshots.py
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
from app.gui.controller import AppController  # noqa: E402
from app.gui.launch import make_app  # noqa: E402
from app.store.machine_config import MachineConfig  # noqa: E402

set_language(sys.argv[1] if len(sys.argv) > 1 else "vi")
app = make_app([])
work = Path(tempfile.mkdtemp())


def pump(seconds: float) -> None:
    end = time.time() + seconds
    while time.time() < end:
        app.processEvents()
        time.sleep(0.01)


def shot(widget, name: str) -> None:
    pump(0.3)
    widget.grab().save(str(HERE / f"{name}.png"))
    print(HERE / f"{name}.png")


controller = AppController(MachineConfig(work / "config.json"), work / "register")
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
wizard.admin_page.fields.first.setText("trâu vàng")
wizard.admin_page.fields.second.setText("trâu vàng")
shot(wizard, "02-wizard-admin")
wizard.admin_page.fields.first.setText("trâu vàng ăn cỏ non")
wizard.admin_page.fields.second.setText("trâu vàng ăn cỏ non")
wizard.next()
pump(1.5)
shot(wizard, "03-wizard-recovery")
wizard.recovery_page.confirm.setChecked(True)
wizard.accept()
pump(1.0)
main = controller.window
main.resize(1366, 740)
shot(main, "04-main-today")
main.show_screen("settings")
view = main.screens["settings"]
for index, name in enumerate(("05-settings-general", "06-settings-unit", "07-settings-users", "08-settings-backups",
                              "09-settings-passphrase")):
    view.tabs.setCurrentIndex(index)
    shot(main, name)
controller.lock()
pump(0.5)
controller.window.passphrase.setText("sai")
controller.window.try_unlock()
pump(1.0)
shot(controller.window, "10-unlock-wrong")
controller.window.open_recovery()
pump(0.3)
from app.gui.unlock_window import RecoveryDialog  # noqa: E402

shot(controller.window.findChild(RecoveryDialog), "11-recovery-dialog")
controller.shutdown()
