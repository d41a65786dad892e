"""How long each screen of the program takes to open on a given register (issue 14: ≤ 0.3 s at the
province reference), measured in a child process with the real main window offscreen.

A screen is open when its loading work on the register's worker is done and the window has drawn:
the time runs from choosing the screen in the navigation list (or the tab) until then.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import json, os, sys, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from pathlib import Path
from app.core.i18n import set_language
from app.gui.shell.launch import make_app
from app.store.machine_config import MachineConfig
from app.gui.shell.controller import AppController
set_language("vi")
app = make_app([])
controller = AppController(MachineConfig(Path(sys.argv[2])), Path(sys.argv[1]), "admin")
controller.start()
window = controller.window
window.passphrase.setText(sys.argv[3])
window.try_unlock()

def pump(until, timeout=120):
    end = time.time() + timeout
    while not until() and time.time() < end:
        app.processEvents()
        time.sleep(0.002)

pump(lambda: controller.session is not None)
main = controller.window
main.resize(1366, 768)
main.show()
runner = controller.session.runner
pump(lambda: not runner.busy, 600)  # the first screen's own loading is not counted

def settled():
    app.processEvents()
    if runner.busy:
        return False
    app.processEvents()
    return not runner.busy

found = {}
for key in main.screen_keys():
    if key == main.current_screen():
        main.show_screen(main.screen_keys()[-1] if key != main.screen_keys()[-1] else main.screen_keys()[0])
        pump(settled, 600)
    begun = time.perf_counter()
    main.show_screen(key)
    pump(settled, 600)
    main.repaint()
    found[key] = time.perf_counter() - begun
    tabs = getattr(main.screens[key], "tabs", None)
    if tabs is not None:
        for index in range(1, tabs.count()):
            begun = time.perf_counter()
            tabs.setCurrentIndex(index)
            pump(settled, 600)
            main.repaint()
            found[f"{key} · {tabs.tabText(index)}"] = time.perf_counter() - begun
print(json.dumps(found), flush=True)
controller.shutdown()
"""


def measure(register_root: Path, work: Path, passphrase: str) -> dict[str, float]:
    """Seconds to open each screen (and each tab of a screen with tabs) of the register's role."""
    out = subprocess.run([sys.executable, "-c", CHILD, str(register_root), str(work / "screens-config.json"),
                          passphrase], cwd=ROOT, capture_output=True, text=True, timeout=1800,
                         env={**os.environ, "TUVAN_KDF_TARGET_MS": "0", "PYTHONPATH": str(ROOT)})
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])
