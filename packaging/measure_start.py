"""Time from starting the packaged program to its unlock window being shown (docs/design.md §8: ≤ 1.0 s).

    make dist && .venv/bin/python packaging/measure_start.py [dist/tuvan/tuvan] [--runs 7]

Makes a small demo register with the packaged program itself, then starts its GUI (offscreen unless
QT_QPA_PLATFORM says otherwise) with TUVAN_EXIT_AFTER_START=unlock and times each run from process
start to the "ready: UnlockWindow" line (see app/gui/shell/launch.py). The first run, with the files not
yet in the page cache, is reported apart; median and max are over the runs after it.
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PASSPHRASE = "demo-tuvan-2026"


def default_program() -> Path:
    return ROOT / "dist" / "tuvan" / ("tuvan.exe" if sys.platform == "win32" else "tuvan")


def isolated_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "APPDATA",
                 "LOCALAPPDATA"):
        env[name] = str(home / name.lower())
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["TUVAN_PASSPHRASE"] = PASSPHRASE
    env["TUVAN_KDF_TARGET_MS"] = "0"  # the demo register's key slots; unlocking is not timed here
    env.pop("TUVAN_LANG", None)
    return env


def time_to_window(program: Path, register: Path, env: dict[str, str]) -> tuple[float, str]:
    env = {**env, "TUVAN_EXIT_AFTER_START": "unlock"}
    started = time.perf_counter()
    process = subprocess.Popen([str(program), "--register", str(register)], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    seconds, window = float("nan"), ""
    for line in process.stdout:
        if line.startswith("ready:"):
            seconds, window = time.perf_counter() - started, line.split(":", 1)[1].strip()
            break
    process.stdout.read()
    process.wait(timeout=60)
    return seconds, window


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("program", nargs="?", type=Path, default=default_program())
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    program = args.program.resolve()
    folder = program.parent
    with tempfile.TemporaryDirectory(prefix="tuvan-start-") as work:
        work = Path(work)
        env = isolated_env(work / "home")
        register = work / "register"
        subprocess.run([str(program), "demo", "--register", str(register), "--clients", "20", "--months", "2"],
                       env=env, check=True, capture_output=True)
        times, windows = [], set()
        for _ in range(args.runs + 1):
            seconds, window = time_to_window(program, register, env)
            times.append(seconds)
            windows.add(window)
    size = sum(path.stat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink())
    result = {
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}",
        "program": str(program),
        "qt_platform": env["QT_QPA_PLATFORM"],
        "windows": sorted(windows),
        "first_run_s": round(times[0], 3),
        "median_s": round(statistics.median(times[1:]), 3),
        "max_s": round(max(times[1:]), 3),
        "runs": args.runs,
        "target_s": 1.0,
        "folder_bytes": size,
        "folder_mib": round(size / 2**20, 1),
    }
    print(json.dumps(result, indent=1))
    return 0 if windows == {"UnlockWindow"} else 1


if __name__ == "__main__":
    sys.exit(main())
