"""core, store, sync, reports, demo and cli never import Qt (docs/design.md section 1)."""

import ast
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


# --- app/gui: one sub-package per screen, the shell on top, common below -----------------------
GUI = ROOT / "app" / "gui"
SCREENS = {"today", "clients", "activities", "groups", "reports", "sync", "settings"}


def _gui_imports(path: Path) -> set[str]:
    """The app.gui sub-packages a module imports, at any level (function-local imports count too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        found |= {name.split(".")[2] for name in names if name.startswith("app.gui.")}
    return found


def test_gui_modules_live_in_packages_that_say_what_they_hold():
    flat = [p.name for p in GUI.glob("*.py") if p.name != "__init__.py"]
    assert flat == []
    packages = {p.parent.name for p in GUI.glob("*/__init__.py")}
    assert packages == SCREENS | {"shell", "common"}
    for package in packages:
        docstring = ast.get_docstring(ast.parse((GUI / package / "__init__.py").read_text(encoding="utf-8")))
        assert docstring and "import" in docstring.lower(), f"app/gui/{package} does not say what it may import"


def test_screens_import_only_common_and_the_shell_imports_them():
    offenders = []
    for path in GUI.rglob("*.py"):
        package = path.relative_to(GUI).parts[0]
        if package in ("shell", "__init__.py"):
            continue
        allowed = {"common"} | ({package} if package in SCREENS else set())
        offenders += [f"{path.relative_to(ROOT)} imports app.gui.{other}"
                      for other in sorted(_gui_imports(path) - allowed)]
    assert offenders == []



# --- the layers below the GUI: each imports only the layers under it -----------------------------
LOWER = {
    "core": set(),
    "store": {"core"},
    "sync": {"core", "store"},
    "reports": {"core", "store"},
    "demo": {"core", "store"},
    "cli": {"core", "store", "sync", "reports", "demo"},
}


def _app_imports(path: Path) -> set[str]:
    """The app packages a module imports, at any level (function-local imports count too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found |= {name.split(".")[1] for name in names if name.startswith("app.") and name.count(".") >= 1}
    return found


def test_each_layer_imports_only_the_layers_under_it():
    offenders = []
    for package, allowed in LOWER.items():
        for path in (ROOT / "app" / package).rglob("*.py"):
            offenders += [f"{path.relative_to(ROOT)} imports app.{other}"
                          for other in sorted(_app_imports(path) - allowed - {package, "__version__"})]
    assert offenders == []


def test_long_modules_say_why():
    """Past ~450 lines a module is split along its seams, or its docstring says why it is not."""
    long = [str(path.relative_to(ROOT)) for path in (ROOT / "app").rglob("*.py")
            if len(path.read_text(encoding="utf-8").splitlines()) > 460
            and "Long because" not in (ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or "")]
    assert long == []
