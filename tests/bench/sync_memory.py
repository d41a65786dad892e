"""Memory of sync at office scale (issue 13): import, relay export and relay import, each in its own process.

    .venv/bin/python tests/bench/sync_memory.py [POINTS]      (default 40; builds tests/bench/cache the first time)

1. a district imports the first bundles of POINTS busy points (docs/design.md §8) from their files;
2. it exports everything as relay bundles to a province office above it;
3. the province imports those relay bundles (the "40-point relay bundle", split into ~20 MB files).

Each step runs in a fresh process that reports its resident memory when idle (register unlocked, the
program's modules loaded) and its peak (VmHWM) after the step; the target is a peak at most 200 MB
above idle (issue 13). Prints a table and writes tests/bench/results/sync-memory-<date>.json.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.district import _cached, _new  # noqa: E402
from tests.bench.reference import PASSPHRASE  # noqa: E402

CHILD = r"""
import json, sys, time
from pathlib import Path
from app.store.register import unlock
from app.sync import export, merge

def rss(field):
    return int(open("/proc/self/status").read().split(field + ":")[1].split()[0]) / 1024

step, register_path, folder = sys.argv[1], sys.argv[2], Path(sys.argv[3])
register = unlock(register_path, "admin", sys.argv[4])
register.conn.execute("SELECT count(*) FROM clients").fetchone()
idle = rss("VmRSS")
started = time.perf_counter()
records = files = 0
if step == "export":
    for bundle in export.export_bundles(register, folder):
        records += sum(bundle.counts.values()); files += 1
else:
    for path in sorted(folder.glob("*.tvb")):
        plan = merge.plan_import(register, path, path.name)
        merge.apply_import(register, plan)
        records += plan.totals().new + plan.totals().updated; files += 1
seconds = time.perf_counter() - started
register.close()
print(json.dumps({"idle_mb": idle, "peak_mb": rss("VmHWM"), "records": records, "files": files,
                  "seconds": seconds}))
"""


def _child(step: str, register: Path, folder: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, step, str(register), str(folder), PASSPHRASE], cwd=ROOT,
                         capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=6 * 3600)
    if out.returncode:
        raise SystemExit(out.stderr)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["above_idle_mb"] = result["peak_mb"] - result["idle_mb"]
    return result


def main() -> int:
    points = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    from app.sync import identity

    source = _cached(points)
    work = Path(tempfile.mkdtemp(prefix="tuvan-sync-memory-"))
    try:
        shutil.copytree(source / "district", work / "district")
        bundles = work / "bundles"
        bundles.mkdir()
        for path in (source / "bundles").glob("*.tvb"):
            shutil.copy(path, bundles / path.name)
        province = _new(work / "province", "district", "AG-CA", "Công an tỉnh An Giang")
        from app.store.register import unlock
        district = unlock(work / "district", "admin", PASSPHRASE)
        identity.pin(district, identity.own_identity(province), identity.own_identity(province).confirmation)
        district.close()
        results = {"import": _child("import", work / "district", bundles)}
        district = unlock(work / "district", "admin", PASSPHRASE)
        office = identity.own_identity(district)
        identity.pin(province, office, office.confirmation, sends_here=True)
        from app.sync import relay
        relay.assign(province, office.unit_code, list(office.points))
        district.close()
        province.close()
        results["relay_export"] = _child("export", work / "district", work / "relay")
        results["relay_import"] = _child("import", work / "province", work / "relay")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\n{'step':<16}{'records':>12}{'files':>7}{'seconds':>9}{'idle MB':>9}{'peak MB':>9}{'above idle':>12}")
    for step, r in results.items():
        print(f"{step:<16}{r['records']:>12,}{r['files']:>7}{r['seconds']:>9.1f}{r['idle_mb']:>9.0f}"
              f"{r['peak_mb']:>9.0f}{r['above_idle_mb']:>12.0f}")
    report = {"date": date.today().isoformat(), "points": points,
              "machine": f"{platform.node()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
              "target_above_idle_mb": 200, "results": results}
    target = ROOT / "tests" / "bench" / "results" / f"sync-memory-{points}-{date.today().isoformat()}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(report, indent=1) + "\n")
    print(f"written to {target}")
    return 0


if __name__ == "__main__":
    started = time.time()
    code = main()
    print(f"({time.time() - started:.0f} s)")
    sys.exit(code)
