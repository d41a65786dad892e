"""core, store, sync, reports, demo and cli never import Qt (DESIGN.md section 1)."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import importlib, pkgutil, sys
sys.modules["PySide6"] = None  # any import of PySide6 now raises ImportError
import app
for package in ("app.core", "app.store", "app.sync", "app.reports", "app.demo", "app.cli"):
    module = importlib.import_module(package)
    for info in pkgutil.walk_packages(module.__path__, package + "."):
        importlib.import_module(info.name)
from app.cli.main import main
try:
    main(["--version"])
except SystemExit as done:
    assert done.code == 0
"""


def test_headless_packages_import_without_pyside6():
    result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert not any(m.startswith("PySide6") for m in result.stderr.split())


def test_no_headless_module_mentions_pyside6():
    offenders = [
        str(path.relative_to(ROOT))
        for package in ("core", "store", "sync", "reports", "demo", "cli")
        for path in (ROOT / "app" / package).rglob("*.py")
        if re.search(r"^\s*(from|import)\s+(PySide6|app\.gui)", path.read_text(encoding="utf-8"), re.M)
    ]
    assert offenders == []


def test_no_lower_layer_imports_demo_data():
    # app.demo sits on core and store; the layers it fills must never depend on it.
    offenders = [
        str(path.relative_to(ROOT))
        for package in ("core", "store", "sync", "reports")
        for path in (ROOT / "app" / package).rglob("*.py")
        if re.search(r"^\s*(from\s+app\.demo|import\s+app\.demo|from\s+app\s+import\s+demo)",
                     path.read_text(encoding="utf-8"), re.M)
    ]
    assert offenders == []
