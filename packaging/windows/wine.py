#!/usr/bin/env python3
"""Windows on this Linux machine: Wine, a Windows CPython, the win_amd64 wheels (docs/packaging.md).

    wine.py setup                      the Wine prefix, Python, wheels and venv (cached in .wine/)
    wine.py test [--platform P] [ARGS] pytest under Windows Python (ARGS go to pytest)
    wine.py python ARGS                any Python command in the Windows venv
    wine.py run PROGRAM ARGS           any Windows program in the prefix (e.g. a built tuvan.exe)
    wine.py lock                       re-pin packaging/windows/requirements.txt from pyproject.toml

Runs on the Linux host with the project's own Python (stdlib and pip only); every download goes
through `pip download` from PyPI, each file checked against the hash pinned in
packaging/windows/python.txt or requirements.txt. The prefix is a Vietnamese Windows (code page
1258, the clinic PCs' system locale), 64-bit, with Wine's Mono and Gecko prompts switched off.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from contextlib import contextmanager
from pathlib import Path, PureWindowsPath

ROOT = Path(__file__).resolve().parents[2]
HERE = ROOT / "packaging" / "windows"
HOME = Path(os.environ.get("TUVAN_WINE_HOME") or ROOT / ".wine")
PREFIX = HOME / "prefix"
WIN32_PREFIX = HOME / "win32-prefix"  # the Win32-window run's own prefix, beside the offscreen run
DOWNLOADS = HOME / "downloads"
WHEELS = HOME / "wheels"
STAMPS = HOME / "stamps"
PYTHON_PIN = HERE / "python.txt"
REQUIREMENTS = HERE / "requirements.txt"
ICU_PIN = HERE / "icu.txt"
POPPLER_PIN = HERE / "poppler.txt"
WIN_POPPLER = PureWindowsPath(r"C:\poppler")

WIN_PYTHON_DIR = PureWindowsPath(r"C:\Python311")
WIN_VENV = PureWindowsPath(r"C:\tuvan\venv")
VENV_PYTHON = WIN_VENV / "Scripts" / "python.exe"
WIN_PLATFORM = ["--platform", "win_amd64", "--python-version", "3.11", "--implementation", "cp",
                "--abi", "cp311", "--only-binary=:all:"]
# The interpreter's own files, signed by the Python Software Foundation (checked after unpacking).
SIGNED_BY_PSF = ("python.exe", "pythonw.exe", "python3.dll", "python311.dll", "DLLs/*.pyd", "DLLs/*.dll")
PSF = "O=Python Software Foundation"
DEBIAN_PACKAGES = "wine wine64 xvfb xdotool osslsigncode binutils-mingw-w64-x86-64 nsis npm locales cups-daemon"
CUPSD = shutil.which("cupsd") or "/usr/sbin/cupsd"  # in sbin, which a non-root PATH lacks
MINGW = "x86_64-w64-mingw32-"
TEST_PRINTER = "TuVanKiemThu"  # the printer of test_printer(); its name tells the tests to expect it


def say(text: str) -> None:
    print(f"[wine] {text}", flush=True)


# --- the prefix's environment ------------------------------------------------------------------

def wine_env(display: str | None = None, prefix: Path = PREFIX) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "WINEPREFIX": str(prefix),
        "WINEARCH": "win64",
        "WINEDEBUG": os.environ.get("WINEDEBUG", "-all"),
        # No Mono/Gecko download prompts; no Linux menu entries for shortcuts made in the prefix.
        "WINEDLLOVERRIDES": "mscoree,mshtml=;winemenubuilder.exe=d",
        # Wine takes Windows' system locale from these: Vietnamese, ANSI and OEM code page 1258.
        "LANG": "vi_VN.UTF-8",
        "LC_ALL": "vi_VN.UTF-8",
    })
    # The Linux side's Python settings must not leak into Windows Python.
    for name in ("PYTHONPATH", "PYTHONHOME", "PYTHONUTF8", "VIRTUAL_ENV", "PYTHONSTARTUP"):
        env.pop(name, None)
    env["TUVAN_POPPLER"] = str(WIN_POPPLER / "bin")  # tests read PDFs back with it (tests/conftest.py)
    if display:
        env["DISPLAY"] = display
    else:
        env.pop("DISPLAY", None)
        env.pop("WAYLAND_DISPLAY", None)
    return env


def windows_path(path: Path, prefix: Path = PREFIX) -> str:
    """The Windows name of a Linux path (Wine maps / to drive Z:)."""
    path = Path(path).resolve()
    drive_c = (prefix / "drive_c").resolve()
    if path.is_relative_to(drive_c):
        return str(PureWindowsPath("C:\\", *path.relative_to(drive_c).parts))
    return "Z:\\" + "\\".join(path.parts[1:])


def linux_path(path: PureWindowsPath, prefix: Path = PREFIX) -> Path:
    assert path.drive.upper() == "C:", path
    return prefix / "drive_c" / Path(*path.parts[1:])


def run_windows(argv: list[str], *, env: dict[str, str] | None = None, cwd: Path = ROOT,
                check: bool = True, timeout: float | None = None) -> int:
    """Run a Windows program under Wine, its output streamed to ours.

    Output goes through a pipe: Wine 8 hands a program a Unix regular file as a handle that
    CPython cannot use for sys.stdout (docs/packaging.md, "Wine defects").
    """
    process = subprocess.Popen(["wine", *argv], env=env or wine_env(), cwd=cwd, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert process.stdout is not None
    try:
        for line in iter(process.stdout.readline, b""):
            sys.stdout.buffer.write(line)
            sys.stdout.flush()
        code = process.wait(timeout=timeout)
    except BaseException:
        process.kill()
        raise
    if check and code != 0:
        raise SystemExit(f"[wine] {argv[0]} exited with {code}")
    return code


# --- set-up steps, each cached behind a stamp of its inputs ------------------------------------

def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()


@contextmanager
def step(name: str, key: str):
    """Yield True when the step must run; record `key` when it finished."""
    stamp = STAMPS / name
    if stamp.exists() and stamp.read_text() == key:
        yield False
        return
    stamp.unlink(missing_ok=True)
    yield True
    STAMPS.mkdir(parents=True, exist_ok=True)
    stamp.write_text(key)


def check_tools() -> None:
    tools = ("wine", "wineserver", "osslsigncode", "npm", "Xvfb", "xdotool", "makensis", *(MINGW + tool for tool in ("as", "ld", "dlltool", "objdump")))
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if not os.access(CUPSD, os.X_OK):
        missing.append("cupsd")
    if missing:
        raise SystemExit(f"[wine] missing {', '.join(missing)}: install them with\n"
                         f"    apt-get install -y {DEBIAN_PACKAGES}\n(.ci/run does this itself)")
    vietnamese_locale()


def vietnamese_locale() -> None:
    """Wine reads Unix text (user name, environment, arguments) in the Unix locale's charset; without
    vi_VN.UTF-8 on the system that is ASCII, and "Nguyễn" arrives garbled (docs/packaging.md)."""
    listed = subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout.lower().split()
    if "vi_vn.utf8" in listed:
        return
    if shutil.which("localedef") is None or os.geteuid() != 0:
        raise SystemExit("[wine] the vi_VN.UTF-8 locale is missing: as root, apt-get install -y locales && "
                         "localedef -i vi_VN -c -f UTF-8 vi_VN.UTF-8")
    say("generating the vi_VN.UTF-8 locale (localedef)")
    subprocess.run(["localedef", "-i", "vi_VN", "-c", "-f", "UTF-8", "vi_VN.UTF-8"], check=True)


def make_prefix() -> None:
    version = subprocess.run(["wine", "--version"], capture_output=True, text=True).stdout.strip()
    with step("prefix", version) as needed:
        if needed:
            say(f"creating the prefix {PREFIX} ({version})")
            shutil.rmtree(PREFIX, ignore_errors=True)
            STAMPS.mkdir(parents=True, exist_ok=True)
            for stamp in STAMPS.iterdir():
                stamp.unlink()
            boot_prefix(PREFIX)


def boot_prefix(prefix: Path) -> None:
    subprocess.run(["wineboot", "--init"], env=wine_env(prefix=prefix), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run(["wineserver", "--wait"], env=wine_env(prefix=prefix), check=True)
    # Wine 8's mscms.dll has WcsCreateIccProfile only as a stub that aborts the program, and
    # Qt's `windows` platform calls it for a screen with a colour profile: the prefix's screen
    # gets none (Qt then takes sRGB, as for most monitors). docs/packaging.md, "Wine defects".
    for profile in (system32(prefix) / "spool" / "drivers" / "color").glob("*.icm"):
        profile.unlink()
    # Debian's Wine has no Tahoma, Windows' dialog font ("MS Shell Dlg"), and Qt then falls back to a
    # math font; Liberation Sans (metric-compatible with Arial) stands in for it, as Segoe UI on
    # Windows 10/11. Only the look of screenshots depends on this.
    subprocess.run(["wine", "reg", "add", r"HKCU\Software\Wine\Fonts\Replacements", "/v", "Tahoma", "/d",
                    "Liberation Sans", "/f"], env=wine_env(prefix=prefix), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run(["wineserver", "--wait"], env=wine_env(prefix=prefix), check=True)


def system32(prefix: Path = PREFIX) -> Path:
    return prefix / "drive_c" / "windows" / "system32"


def copy_shims(prefix: Path) -> None:
    """Give another prefix what Wine lacks and the program needs (built by install_icu, install_prng)."""
    for dll in system32().glob("*.dll"):
        if re.fullmatch(r"(icuuc|icu(uc|dt)\d+|bcryptprimitives)\.dll", dll.name, re.I):
            shutil.copy2(dll, system32(prefix) / dll.name)


def pip_download(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", "download", "-qq", "--disable-pip-version-check", *args],
                   check=True)


def install_python() -> None:
    with step("python", digest(PYTHON_PIN.read_bytes())) as needed:
        if not needed:
            return
        DOWNLOADS.mkdir(parents=True, exist_ok=True)
        say("fetching Windows CPython (pip download, hash-pinned in packaging/windows/python.txt)")
        pip_download("--no-deps", "--no-binary", ":all:", "--require-hashes", "-r", str(PYTHON_PIN),
                     "-d", str(DOWNLOADS))
        name, version = re.search(r"^([\w-]+)==([\w.]+)", PYTHON_PIN.read_text(), re.M).groups()
        sdist = DOWNLOADS / f"{name.replace('-', '_')}-{version}.tar.gz"
        target = linux_path(WIN_PYTHON_DIR)
        shutil.rmtree(target, ignore_errors=True)
        with tarfile.open(sdist) as archive:
            member = next(m for m in archive.getmembers() if m.name.endswith("/data.zip"))
            data = archive.extractfile(member).read()
        with zipfile.ZipFile(io.BytesIO(data)) as bundle:
            top = "cp311/"
            for entry in bundle.infolist():
                if not entry.filename.startswith(top) or entry.is_dir():
                    continue
                destination = target / entry.filename[len(top):]
                destination.parent.mkdir(parents=True, exist_ok=True)
                destination.write_bytes(bundle.read(entry))
        verify_signatures(target)
        say(f"Windows CPython in {WIN_PYTHON_DIR} ({sdist.name})")


def verify_signatures(folder: Path) -> None:
    """Every interpreter file carries a valid Authenticode signature of the PSF (offline: no CRL)."""
    files = sorted({path for pattern in SIGNED_BY_PSF for path in folder.glob(pattern)})
    if len(files) < 20:
        raise SystemExit(f"[wine] {folder}: only {len(files)} interpreter files; the download is not CPython")
    bundle = "/etc/ssl/certs/ca-certificates.crt"
    for path in files:
        result = subprocess.run(["osslsigncode", "verify", "-in", str(path), "-CAfile", bundle,
                                 "-TSA-CAfile", bundle, "-ignore-crl"], capture_output=True, text=True)
        signer = re.search(r"Signer #0:\s*\n\s*Subject: (.*)", result.stdout)
        if result.returncode != 0 or "Succeeded" not in result.stdout or not signer or PSF not in signer.group(1):
            shutil.rmtree(folder, ignore_errors=True)
            raise SystemExit(f"[wine] {path.name}: no valid signature of the Python Software Foundation\n"
                             f"{result.stdout[-800:]}{result.stderr[-400:]}")
    say(f"{len(files)} interpreter files signed by the Python Software Foundation")


def install_icu() -> None:
    """Windows' system ICU (icuuc.dll), which Wine lacks and Qt 6.10+ needs (packaging/windows/icu.txt)."""
    with step("icu", digest(ICU_PIN.read_bytes())) as needed:
        if not needed:
            return
        say("adding Windows' ICU (icuuc.dll) to the prefix (pip download, hash-pinned in packaging/windows/icu.txt)")
        folder = DOWNLOADS / "icu"
        shutil.rmtree(folder, ignore_errors=True)
        pip_download(*WIN_PLATFORM, "--no-deps", "--require-hashes", "-r", str(ICU_PIN), "-d", str(folder))
        system = system32()
        with zipfile.ZipFile(next(folder.glob("*.whl"))) as wheel:
            libraries = [name for name in wheel.namelist() if re.fullmatch(r"icu/icu(uc|dt)\d+\.dll", name)]
            for name in libraries:
                (system / Path(name).name).write_bytes(wheel.read(name))
        versioned = next(system / Path(name).name for name in libraries if "icuuc" in name)
        suffix = "_" + re.search(r"(\d+)", versioned.name).group(1)
        table = subprocess.run([MINGW + "objdump", "-p", str(versioned)], capture_output=True, text=True, check=True)
        names = re.findall(rf"^\s*\[\s*\d+\] ([A-Za-z_]\w*){suffix}$", table.stdout, re.M)
        definition = folder / "icuuc.def"
        definition.write_text("LIBRARY icuuc.dll\nEXPORTS\n" + "".join(
            f"    {name} = {versioned.stem}.{name}{suffix}\n" for name in names))
        link_dll(system / "icuuc.dll", definition)
        say(f"icuuc.dll forwards {len(names)} functions to {versioned.name}")


def install_prng() -> None:
    """bcryptprimitives.dll (ProcessPrng), which Wine 8 lacks (packaging/windows/wine-shims/)."""
    source = HERE / "wine-shims" / "bcryptprimitives.s"
    with step("prng", digest(source.read_bytes())) as needed:
        if not needed:
            return
        folder = DOWNLOADS / "prng"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "bcrypt.def").write_text("LIBRARY bcrypt.dll\nEXPORTS\n    BCryptGenRandom\n")
        (folder / "bcryptprimitives.def").write_text("LIBRARY bcryptprimitives.dll\nEXPORTS\n    ProcessPrng\n")
        subprocess.run([MINGW + "as", "-o", str(folder / "prng.o"), str(source)], check=True)
        subprocess.run([MINGW + "dlltool", "-d", str(folder / "bcrypt.def"), "-l", str(folder / "libbcrypt.a")],
                       check=True)
        target = system32() / "bcryptprimitives.dll"
        link_dll(target, folder / "prng.o", folder / "bcryptprimitives.def", folder / "libbcrypt.a")
        probe = ("import ctypes; b = (ctypes.c_ubyte * 4096)(); "
                 "ok = ctypes.WinDLL('bcryptprimitives').ProcessPrng(b, len(b)); "
                 "assert ok == 1 and len(set(b)) > 200, (ok, bytes(b[:16]))")
        run_windows([str(WIN_PYTHON_DIR / "python.exe"), "-c", probe])
        say("bcryptprimitives.dll: ProcessPrng over BCryptGenRandom")


def link_dll(target: Path, *inputs: Path) -> None:
    subprocess.run([MINGW + "ld", "-shared", "-e", "0", "--subsystem", "windows", "-o", str(target),
                    *map(str, inputs)], check=True)


def install_poppler() -> None:
    with step("poppler", digest(POPPLER_PIN.read_bytes())) as needed:
        if not needed:
            return
        spec, integrity = next(line.split() for line in POPPLER_PIN.read_text().splitlines()
                               if line and not line.startswith("#"))
        say(f"fetching poppler for Windows ({spec}, npm pack, integrity pinned in packaging/windows/poppler.txt)")
        folder = DOWNLOADS / "poppler"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        name = subprocess.run(["npm", "pack", "--silent", spec], cwd=folder, capture_output=True, text=True,
                              check=True).stdout.strip().splitlines()[-1]
        archive = folder / name
        algorithm, expected = integrity.split("-", 1)
        actual = base64.b64encode(hashlib.new(algorithm, archive.read_bytes()).digest()).decode()
        if actual != expected:
            raise SystemExit(f"[wine] {name}: {algorithm} {actual} is not the pinned {expected}")
        target = linux_path(WIN_POPPLER)
        shutil.rmtree(target, ignore_errors=True)
        with tarfile.open(archive) as tgz:
            for member in tgz.getmembers():
                found = re.match(r"package/src/lib/win32/poppler-[\d.]+/Library/(bin/[^/]+)$", member.name)
                if found and member.isfile():
                    (target / found.group(1)).parent.mkdir(parents=True, exist_ok=True)
                    (target / found.group(1)).write_bytes(tgz.extractfile(member).read())
        if not (target / "bin" / "pdftotext.exe").is_file():
            raise SystemExit(f"[wine] {name} holds no pdftotext.exe for Windows")
        archive.unlink()


def fetch_wheels() -> None:
    with step("wheels", digest(REQUIREMENTS.read_bytes())) as needed:
        if needed:
            say("fetching win_amd64 wheels (pip download, hash-pinned in packaging/windows/requirements.txt)")
            WHEELS.mkdir(parents=True, exist_ok=True)
            pip_download(*WIN_PLATFORM, "--no-deps", "--require-hashes", "-r", str(REQUIREMENTS), "-d", str(WHEELS))


def make_venv() -> None:
    key = digest(REQUIREMENTS.read_bytes(), (ROOT / "pyproject.toml").read_bytes(), PYTHON_PIN.read_bytes())
    with step("venv", key) as needed:
        if not needed:
            return
        say(f"creating {WIN_VENV} and installing the project (pip, offline, from the wheels)")
        shutil.rmtree(linux_path(WIN_VENV), ignore_errors=True)
        run_windows([str(WIN_PYTHON_DIR / "python.exe"), "-m", "venv", str(WIN_VENV)])
        pip = [str(VENV_PYTHON), "-m", "pip", "--disable-pip-version-check", "install", "--quiet",
               "--no-index", "--find-links", windows_path(WHEELS)]
        run_windows([*pip, "--require-hashes", "-r", windows_path(REQUIREMENTS)])
        run_windows([*pip, "--no-deps", "--no-build-isolation", "--editable", windows_path(ROOT)])


def setup() -> None:
    check_tools()
    make_prefix()
    install_python()
    install_icu()
    install_prng()
    install_poppler()
    fetch_wheels()
    make_venv()


# --- the lock file -------------------------------------------------------------------------------

def lock() -> None:
    """Pin every wheel the project, its test and build extras and the editable build need.

    Resolved by Windows pip (pip on Linux would judge `sys_platform == "win32"` markers by
    Linux and leave out colorama, pefile, pywin32-ctypes); fetched later by Linux pip.
    """
    import json
    import tomllib

    check_tools()
    make_prefix()
    install_python()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    wanted = list(project["project"]["dependencies"])
    for extra in ("test", "build"):
        wanted += project["project"]["optional-dependencies"][extra]
    wanted += project["build-system"]["requires"] + ["pip"]
    with tempfile.TemporaryDirectory(dir=HOME) as folder:
        report = Path(folder) / "report.json"
        run_windows([str(WIN_PYTHON_DIR / "python.exe"), "-m", "pip", "--disable-pip-version-check", "install",
                     "--quiet", "--dry-run", "--ignore-installed", "--only-binary=:all:",
                     "--report", windows_path(report), *wanted])
        resolved = json.loads(report.read_text(encoding="utf-8"))["install"]
    lines = []
    for item in sorted(resolved, key=lambda item: item["metadata"]["name"].lower()):
        name = item["metadata"]["name"].lower().replace("_", "-")
        sha = item["download_info"]["archive_info"]["hashes"]["sha256"]
        lines.append(f"{name}=={item['metadata']['version']} --hash=sha256:{sha}")
    header = ("# Exact win_amd64 wheels for the Windows venv of `make windows-test` (packaging/windows/wine.py).\n"
              "# Made by `python packaging/windows/wine.py lock` from pyproject.toml; every file hash-checked.\n")
    REQUIREMENTS.write_text(header + "\n".join(lines) + "\n")
    say(f"{REQUIREMENTS.relative_to(ROOT)}: {len(lines)} wheels")


# --- running -------------------------------------------------------------------------------------

@contextmanager
def virtual_screen():
    """An Xvfb display for Qt's `windows` platform (Wine draws its windows through X11)."""
    if shutil.which("Xvfb") is None:
        raise SystemExit(f"[wine] Xvfb is missing: apt-get install -y {DEBIAN_PACKAGES}")
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                              pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as handle:
        number = handle.readline().strip()
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@contextmanager
def test_printer():
    """A CUPS server of our own, with one printer that prints into /dev/null; yields its socket.

    Wine takes Windows' printers from CUPS, and Windows' print dialog opens only when there is a
    printer: without one the Win32-window run could test only the "no printer" message. The
    server lives in a temporary folder, so the machine's own CUPS (if any) is neither used nor
    changed.
    """
    home = Path(tempfile.mkdtemp(prefix="tuvan-cups-"))
    socket = home / "cups.sock"
    for folder in ("cache", "spool", "log", "state"):
        (home / folder).mkdir()
    (home / "cupsd.conf").write_text(
        f"Listen {socket}\nLogLevel warn\nWebInterface No\nBrowsing No\nDefaultAuthType None\n"
        "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n")
    (home / "cups-files.conf").write_text(
        f"ServerRoot {home}\nCacheDir {home}/cache\nStateDir {home}/state\nRequestRoot {home}/spool\n"
        f"ErrorLog {home}/log/error_log\nAccessLog {home}/log/access_log\nPageLog {home}/log/page_log\n"
        "FileDevice Yes\nSandboxing Relaxed\n")
    (home / "printers.conf").write_text(
        f"<DefaultPrinter {TEST_PRINTER}>\nInfo Máy in kiểm thử\nDeviceURI file:///dev/null\n"
        "State Idle\nAccepting Yes\nShared No\n</DefaultPrinter>\n", encoding="utf-8")
    server = subprocess.Popen([CUPSD, "-f", "-c", str(home / "cupsd.conf"), "-s", str(home / "cups-files.conf")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            if socket.exists() or server.poll() is not None:
                break
            time.sleep(0.1)
        if not socket.exists():
            log = home / "log" / "error_log"
            raise SystemExit(f"[wine] cupsd did not start: {log.read_text() if log.exists() else server.returncode}")
        yield str(socket)
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(home, ignore_errors=True)


def mirror_prefix(target: Path) -> Path:
    """A second prefix made of hard links to the set-up prefix's files, with its own registry.

    Two runs cannot share a prefix: they would share one wineserver, one desktop (made with or
    without a screen by whichever starts first) and one registry (where Wine lists CUPS' printers).
    Wine and Python replace the files they change (registry, .pyc) instead of writing into them,
    so the links stay the set-up's. Test folders and temporary files are left out.
    """
    subprocess.run(["wineserver", "--kill"], env=wine_env(prefix=target), stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    shutil.rmtree(target, ignore_errors=True)
    skip = {PREFIX / "drive_c" / "tuvan" / name for name in ("pytest-offscreen", "pytest-win32")}
    for folder, dirs, files in os.walk(PREFIX):
        here = Path(folder)
        there = target / here.relative_to(PREFIX)
        there.mkdir(exist_ok=True)
        left_out = [d for d in dirs if here / d in skip or (d == "Temp" and here.parent.name == "users")]
        for name in left_out:
            (there / name).mkdir()  # empty
        dirs[:] = [d for d in dirs if d not in left_out]
        for name in files + [d for d in dirs if (here / d).is_symlink()]:
            source = here / name
            try:
                if source.is_symlink():
                    (there / name).symlink_to(os.readlink(source))
                elif name.endswith(".reg"):
                    shutil.copy2(source, there / name)
                else:
                    os.link(source, there / name)
            except FileNotFoundError:  # removed meanwhile by the other run
                pass
        dirs[:] = [d for d in dirs if not (here / d).is_symlink()]
    return target


def test(platform: str, pytest_args: list[str]) -> int:
    setup()
    args = [str(VENV_PYTHON), "-m", "pytest", "-p", "no:cacheprovider", *pytest_args]
    if platform == "offscreen":
        # No printer here, so the "no printer set up" path runs on Windows for real.
        env = qt_platform(wine_env(), "offscreen")
        env.pop("CUPS_SERVER", None)
        env.pop("TUVAN_TEST_PRINTER", None)
        return run_windows(args, env=env, check=False)
    # Real Win32 windows, and a printer, so the native print dialog opens (tests/gui/test_printing.py).
    prefix = mirror_prefix(WIN32_PREFIX)
    with virtual_screen() as display, test_printer() as cups:
        env = qt_platform(wine_env(display, prefix=prefix), "windows")
        env["CUPS_SERVER"] = cups
        env["TUVAN_TEST_PRINTER"] = TEST_PRINTER
        return run_windows(args, env=env, check=False)


def qt_platform(env: dict[str, str], name: str) -> dict[str, str]:
    # Wine drops the host's QT_* variables (so Linux Qt settings do not reach Windows programs);
    # a variable is passed on under its own name when prefixed with WINE.
    env["WINEQT_QPA_PLATFORM"] = name
    return env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("setup")
    commands.add_parser("lock")
    tests = commands.add_parser("test")
    tests.add_argument("--platform", choices=("offscreen", "windows"), default="offscreen",
                       help="Qt platform: offscreen, or windows (real Win32 windows on an Xvfb screen)")
    commands.add_parser("python")
    commands.add_parser("run")
    # Whatever follows goes to pytest, Python or the program untouched (options included).
    options, rest = parser.parse_known_args(argv)
    if rest and options.command not in ("test", "python", "run"):
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    if options.command == "setup":
        setup()
    elif options.command == "lock":
        lock()
    elif options.command == "test":
        return test(options.platform, rest)
    elif options.command == "python":
        setup()
        return run_windows([str(VENV_PYTHON), *rest], check=False)
    elif options.command == "run":
        check_tools()
        make_prefix()
        return run_windows(rest, check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
