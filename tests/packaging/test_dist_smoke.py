"""Smoke test of the packaged program (PyInstaller one-folder build, packaging/tuvan.spec).

Runs the built `tuvan` itself, never the source: --version, a demo register, `check`, a monthly form
as PDF and XLSX, and the GUI started offscreen until its unlock window is shown (the hook
TUVAN_EXIT_AFTER_START in app/gui/shell/launch.py, which also prints a page through QtPdf).

    make dist-smoke                     builds dist/tuvan, then runs this file
    TUVAN_DIST_SMOKE=1 QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -q tests/packaging

Skipped unless TUVAN_DIST_SMOKE=1 or dist/tuvan exists; `make test` builds nothing. With
TUVAN_DIST_SMOKE=1 a missing build fails the tests. Without it, a build older than the sources it
was made from (app/, db_schema/, resources/, the spec) is skipped too, so that a forgotten
dist/ does not fail other people's `make test`. TUVAN_DIST names another build folder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DIST = Path(os.environ.get("TUVAN_DIST") or ROOT / "dist" / "tuvan")
PROGRAM = DIST / ("tuvan.exe" if sys.platform == "win32" else "tuvan")
REQUESTED = os.environ.get("TUVAN_DIST_SMOKE") == "1"
PASSPHRASE = "demo-tuvan-2026"
MAX_FOLDER_MIB = 150  # docs/design.md / issue 6: the packaged folder stays within 150 MB



def _stale() -> bool:
    """The build is older than a file it was made from."""
    if not PROGRAM.is_file():
        return False
    built = PROGRAM.stat().st_mtime
    sources = [ROOT / "packaging" / "tuvan.spec"]
    for folder in ("app", "db_schema", "resources"):
        sources += (path for path in (ROOT / folder).rglob("*") if path.is_file() and "__pycache__" not in path.parts)
    return any(path.stat().st_mtime > built for path in sources)


pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (REQUESTED or DIST.exists()),
                       reason="no packaged build: run `make dist-smoke` (or set TUVAN_DIST_SMOKE=1)"),
    pytest.mark.skipif(not REQUESTED and DIST.exists() and _stale(),
                       reason="dist/tuvan is older than the sources: run `make dist-smoke`"),
]


@pytest.fixture(scope="module")
def program() -> Path:
    if not PROGRAM.is_file():
        pytest.fail(f"{PROGRAM} is missing: build it with `make dist`")
    return PROGRAM


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    """The test's own home folders (tests/conftest.py sets HOME and XDG_*; Windows reads these)."""
    values = dict(os.environ)
    for name in ("APPDATA", "LOCALAPPDATA"):
        values[name] = str(tmp_path / "home" / name.lower())
    values.setdefault("QT_QPA_PLATFORM", "offscreen")
    values["TUVAN_PASSPHRASE"] = PASSPHRASE
    values["TUVAN_KDF_TARGET_MS"] = "0"
    values.pop("TUVAN_EXIT_AFTER_START", None)
    values.pop("TUVAN_LANG", None)
    return values


def run(program: Path, *args: str, env: dict[str, str], timeout: float = 180) -> subprocess.CompletedProcess:
    result = subprocess.run([str(program), *args], env=env, capture_output=True, text=True, encoding="utf-8",
                            errors="replace", timeout=timeout)
    assert result.returncode == 0, f"{' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture
def demo_register(program, env, tmp_path) -> Path:
    register = tmp_path / "register"
    out = run(program, "demo", "--register", str(register), "--clients", "20", "--months", "2", env=env).stdout
    assert PASSPHRASE in out
    return register


def test_version(program, env):
    from app import __version__

    assert run(program, "--version", env=env).stdout.strip() == f"tuvan {__version__}"


def test_messages_are_translated(program, env):
    """The compiled catalog (resources/locale/vi) is found inside the build: Vietnamese by default."""
    vietnamese = run(program, "--help", env=env).stdout
    english = run(program, "--help", env={**env, "TUVAN_LANG": "en"}).stdout
    assert "Mật khẩu" in vietnamese
    assert "passphrase" in english and "Mật khẩu" not in english


def test_demo_then_check(program, env, demo_register):
    summary = json.loads(run(program, "check", "--register", str(demo_register), "--json", env=env).stdout)
    assert summary["ok"] is True, summary
    assert summary["counts"]["clients"] == 20
    newest = max(int(path.name.split("_", 1)[0]) for path in (ROOT / "db_schema").glob("[0-9]*_*.sql"))
    assert summary["schema_version"] == newest, "the build is older than db_schema/: run `make dist` again"


def test_monthly_form_pdf_and_xlsx(program, env, demo_register, tmp_path):
    """reportlab with the bundled fonts and form files, openpyxl."""
    month = (date.today().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    for kind, magic in (("pdf", b"%PDF-"), ("xlsx", b"PK")):
        out = tmp_path / f"form.{kind}"
        run(program, "report", "monthly", "--register", str(demo_register), "--month", month, "--format", kind,
            "--out", str(out), env=env)
        assert out.read_bytes().startswith(magic)


def test_gui_starts_to_the_unlock_window(program, env, demo_register):
    """Offscreen Qt platform plugin, fonts, the unlock window; then a page printed through QtPdf."""
    result = run(program, "--register", str(demo_register), env={**env, "TUVAN_EXIT_AFTER_START": "unlock"},
                 timeout=120)
    lines = result.stdout.splitlines()
    assert "ready: UnlockWindow" in lines, result.stdout + result.stderr
    pages = [line for line in lines if line.startswith("qtpdf:")]
    assert pages and pages[0].split()[1] != "0", result.stdout + result.stderr
    assert "Could not load the Qt platform plugin" not in result.stderr
    assert "Traceback" not in result.stderr, result.stderr


def test_folder_holds_what_it_needs_and_not_more(program):
    internal = program.parent / "_internal"
    for needed in ("resources/fonts/LiberationSans-Regular.ttf", "resources/fonts/LICENSE-OFL.txt",
                   "resources/locale/vi/LC_MESSAGES/tuvan.mo", "resources/forms/point-monthly.toml",
                   "resources/law/terms.toml", "resources/dhis2/mapping.toml",
                   "resources/icons/tuvan-256.png", "db_schema"):
        assert (internal / needed).exists(), needed
    if sys.platform == "win32":  # no system time-zone files there: the program counts in Asia/Ho_Chi_Minh
        assert (internal / "tzdata" / "zoneinfo" / "Asia" / "Ho_Chi_Minh").is_file()
    names = {path.name.lower() for path in internal.rglob("*")}
    for unused in ("qt6quick", "qt6qml", "qt6webengine", "qt63d", "qt6multimedia", "qt6charts", "qt6virtualkeyboard",
                   "qt6opengl", "opengl32sw", "qtquick.", "qtqml.", "tuvan.po", "tuvan.pot"):
        assert not any(unused in name for name in names), unused
    size = sum(path.stat().st_size for path in program.parent.rglob("*") if path.is_file() and not path.is_symlink())
    assert size <= MAX_FOLDER_MIB * 2**20, f"{size / 2**20:.1f} MiB"
