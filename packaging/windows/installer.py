#!/usr/bin/env python3
"""The Windows program and its installer, built on this Linux machine (docs/packaging.md).

    installer.py                       PyInstaller under Wine -> dist/windows/tuvan/, then
                                       makensis -> dist/tuvan-<version>-windows-x64-setup.exe
    installer.py --setup-only --version V --out FILE
                                       only the installer, from the dist/windows/tuvan/ already built
                                       (make windows-smoke builds an "earlier version" so)

PyInstaller runs in the Windows venv of wine.py (Windows Python, win_amd64 wheels), so what it
collects is what a Windows build machine would collect. The installer is made by Debian's native
makensis from packaging/windows/tuvan.nsi: a 64-bit NSIS installer (no 32-bit Wine needed).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import wine  # noqa: E402

ROOT = wine.ROOT
DIST = ROOT / "dist" / "windows" / "tuvan"
WORK = ROOT / "build" / "windows"
SCRIPT = wine.HERE / "tuvan.nsi"
INSTALLER_LIMIT_MB = 60
INSTALLED_LIMIT_MB = 150


def version() -> str:
    text = (ROOT / "app" / "__init__.py").read_text(encoding="utf-8")
    return re.search(r'^__version__ = "([^"]+)"', text, re.M).group(1)


def setup_name(number: str) -> Path:
    return ROOT / "dist" / f"tuvan-{number}-windows-x64-setup.exe"


def build_program() -> None:
    wine.setup()
    wine.say("PyInstaller under Windows Python -> dist/windows/tuvan/")
    shutil.rmtree(DIST, ignore_errors=True)
    # api-ms-win-crt-*.dll "not found" warnings are harmless: those are Windows 10's own (UCRT).
    wine.run_windows([str(wine.VENV_PYTHON), "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "ERROR",
                      "--distpath", wine.windows_path(DIST.parent), "--workpath", wine.windows_path(WORK),
                      wine.windows_path(ROOT / "packaging" / "tuvan.spec")])
    for program in ("tuvan.exe", "tuvan-gui.exe"):
        if not (DIST / program).is_file():
            raise SystemExit(f"[wine] PyInstaller made no {program} in {DIST}")


def build_setup(number: str, out: Path) -> Path:
    if shutil.which("makensis") is None:
        raise SystemExit(f"[wine] makensis is missing: apt-get install -y {wine.DEBIAN_PACKAGES}")
    if not (DIST / "tuvan.exe").is_file():
        raise SystemExit(f"[wine] {DIST} has no tuvan.exe: run `make windows-dist` first")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".part")
    partial.unlink(missing_ok=True)
    subprocess.run(["makensis", "-V2", "-INPUTCHARSET", "UTF8", f"-DVERSION={number}",
                    f"-DDISTDIR={DIST}", f"-DOUTFILE={partial}", str(SCRIPT)], check=True)
    partial.replace(out)  # never a half-written installer under the real name
    return out


def megabytes(path: Path) -> float:
    files = [path] if path.is_file() else [item for item in path.rglob("*") if item.is_file()]
    return sum(item.stat().st_size for item in files) / 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setup-only", action="store_true", help="reuse dist/windows/tuvan/")
    parser.add_argument("--version", default=version(), help="version written into the installer")
    parser.add_argument("--out", type=Path, help="installer file (default dist/tuvan-<version>-windows-x64-setup.exe)")
    options = parser.parse_args(argv)
    if not options.setup_only:
        build_program()
    out = build_setup(options.version, (options.out or setup_name(options.version)).resolve())
    installed, setup = megabytes(DIST), megabytes(out)
    print(f"program folder  {DIST.relative_to(ROOT)}  {installed:6.1f} MB (target <= {INSTALLED_LIMIT_MB} MB)")
    print(f"installer       {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}  {setup:6.1f} MB "
          f"(target <= {INSTALLER_LIMIT_MB} MB)")
    if installed > INSTALLED_LIMIT_MB or setup > INSTALLER_LIMIT_MB:
        print("[wine] over the size target (docs/packaging.md)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
