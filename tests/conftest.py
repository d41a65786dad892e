"""Shared fixtures: every test runs with its own home folders and fast key slots."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Argon2id at OWASP's floor instead of the 0.5 s calibration: same code path, faster tests.
os.environ["TUVAN_KDF_TARGET_MS"] = "0"
os.environ.pop("TUVAN_PASSPHRASE", None)
os.environ.pop("TUVAN_NEW_PASSPHRASE", None)
os.environ.pop("TUVAN_LANG", None)

PASSPHRASE = "correct horse battery staple"
PERSON = "Nguyễn Thị Hồng Nhung"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    for name in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))
    # Windows: platformdirs asks the system for the known folders unless these override them.
    for name in ("APPDATA", "LOCAL_APPDATA"):
        monkeypatch.setenv(f"WIN_PD_OVERRIDE_{name}", str(home / name.lower()))
        monkeypatch.setenv(name.replace("_", ""), str(home / name.lower()))
    from app.core.i18n import set_language

    set_language("vi")
    yield
    set_language("vi")


@pytest.fixture
def unit():
    from app.core.unit import make_unit

    return make_unit("point", "MYHOA-01", "Điểm tư vấn xã Mỹ Hòa", "Ủy ban nhân dân xã Mỹ Hòa")


@pytest.fixture
def new_register(tmp_path, unit):
    """A freshly created register (open, signed in as its administrator) and its recovery key."""
    from app.store.register import create_register

    register, recovery = create_register(
        tmp_path / "register", unit=unit, admin_login="admin",
        admin_full_name=PERSON, passphrase=PASSPHRASE,
    )
    yield register, recovery
    register.close()


@pytest.fixture
def register(new_register):
    return new_register[0]


def assert_owner_only(path: Path) -> None:
    """A file with personal data is readable by its owner only (mode 0600).

    POSIX only: Windows has no modes, a new file takes its folder's access list (a user's profile
    folders are theirs alone), and Python's chmod there only sets the read-only flag.
    """
    if os.name == "posix":
        import stat

        assert stat.S_IMODE(Path(path).stat().st_mode) == 0o600, oct(Path(path).stat().st_mode)


def poppler(tool: str) -> str:
    """A poppler tool (pdftotext, pdfinfo) to read back a PDF the program wrote.

    Under Wine, packaging/windows/wine.py installs poppler for Windows and names its folder in
    TUVAN_POPPLER.
    """
    import shutil

    folder = os.environ.get("TUVAN_POPPLER")
    named = Path(folder or ".") / (tool + (".exe" if sys.platform == "win32" else ""))
    path = str(named) if folder and named.is_file() else shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} (poppler-utils) is not installed; install it with: apt-get install -y poppler-utils")
    return path


def run_cli(*args: str, env: dict | None = None, input: str | None = None):
    """Run `python -m app ...` in a child process, as a user would (redirected text is UTF-8 everywhere)."""
    import subprocess

    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "app", *args], cwd=ROOT, env=full_env,
        capture_output=True, text=True, encoding="utf-8", input=input, timeout=120,
    )


HOLDER = r"""
import sys
from app.store.register import unlock
from app.store.register_lock import claim_alone, claim_window
root, how = sys.argv[1], sys.argv[2]
if how == "open":
    held = unlock(root, None, sys.argv[3])
elif how == "window":
    held = claim_window(root)
else:
    held = claim_alone(root)
print("held", flush=True)
sys.stdin.read()  # until the test closes our stdin (or kills us)
"""


class OtherProgram:
    """Another Tư Vấn program holding the register at `root` open, as a window or as alone."""

    def __init__(self, root: Path, how: str) -> None:
        import subprocess

        self.process = subprocess.Popen([sys.executable, "-c", HOLDER, str(root), how, PASSPHRASE], cwd=ROOT,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True, encoding="utf-8")
        line = self.process.stdout.readline()
        assert line.strip() == "held", self.process.stderr.read()

    def end(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            self.process.stdin.close()
        self.process.wait(timeout=60)


def _cluster_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("tuvan_pg_cluster", ROOT / "packaging" / "postgresql" / "cluster.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def pg_cluster():
    """A throw-away PostgreSQL 16+ cluster for the session (packaging/postgresql/cluster.py), or a
    skip that says what is missing and how to get it."""
    import shutil
    import tempfile

    cluster = _cluster_module()
    found, why = cluster.find_binaries()
    if found is None:
        pytest.skip(why)
    folder = Path(tempfile.mkdtemp(prefix="tuvan-pg-"))
    server = cluster.Cluster(folder, found).create().start()
    yield server
    server.stop()
    shutil.rmtree(folder, ignore_errors=True)


# --- an office register on either engine (issue 17) ----------------------------------------

_office_databases = iter(range(1, 10**6))


@pytest.fixture(params=["sqlcipher", "postgresql"])
def office_engine(request):
    """The engine an office's register is kept on: a file (None) or the session's PostgreSQL
    cluster. The office tests take this, so each runs on both."""
    if request.param == "postgresql":
        return request.getfixturevalue("pg_cluster")
    return None


def create_office_register(root: Path, code: str, name: str, server=None, *, login: str = "admin",
                           full_name: str = "Quản Trị Viên", passphrase: str = PASSPHRASE):
    """A new receiving office's register, signed in as its administrator: a register file, or
    on `server` (a cluster from pg_cluster) in a database of its own."""
    from app.core.unit import make_unit

    unit = make_unit("district", code, name)
    if server is None:
        from app.store.register import create_register

        return create_register(root, unit=unit, admin_login=login, admin_full_name=full_name,
                               passphrase=passphrase)[0]
    from app.store.pg.creation import create_office

    database = f"office{os.getpid()}x{next(_office_databases)}"
    return create_office(root, server.dsn(dbname=database), unit=unit, admin_login=login,
                         admin_full_name=full_name, passphrase=passphrase)[0]


def _postgresql_status() -> str:
    found, why = _cluster_module().find_binaries()
    if found is None:
        return f"PostgreSQL: not found, so the office tests on PostgreSQL were SKIPPED: {why}"
    return f"PostgreSQL: {found} (the office tests ran on SQLCipher and on a throw-away PostgreSQL cluster)"


def pytest_report_header(config):
    return [_postgresql_status()]


def pytest_terminal_summary(terminalreporter):
    """Said at the end of every run (make test is quiet): whether the office tests ran on PostgreSQL too."""
    terminalreporter.write_line(_postgresql_status(), yellow="SKIPPED" in _postgresql_status(), bold=True)
