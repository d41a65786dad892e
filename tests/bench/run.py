"""Benchmarks for DESIGN.md section 8 (the targets that exist so far).

Prints a table and writes tests/bench/results/bench-<date>.json.
    make bench          (or: .venv/bin/python tests/bench/run.py)
    .venv/bin/python tests/bench/run.py reports     only the busy point's monthly form (bench-<date>-reports.json)
"""

from __future__ import annotations

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

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.pop("TUVAN_KDF_TARGET_MS", None)  # the real 0.5 s calibration

PASSPHRASE = "benchmark passphrase 2026"

GUI_CHILD = """
import os, sys, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from pathlib import Path
from app.gui.launch import make_app
from app.core.i18n import set_language
from app.store.machine_config import MachineConfig
from app.gui.controller import AppController
set_language("vi")
app = make_app([])
controller = AppController(MachineConfig(Path(sys.argv[2])), Path(sys.argv[1]), "admin")
controller.start()
app.processEvents()
print(time.time(), type(controller.window).__name__, flush=True)
controller.shutdown()
"""


def measure_unlock(root: Path, runs: int = 7) -> dict:
    from app.store.register import unlock

    times = []
    for _ in range(runs):
        started = time.perf_counter()
        unlock(root, "admin", PASSPHRASE).close()
        times.append(time.perf_counter() - started)
    return {"median_s": statistics.median(times), "max_s": max(times), "runs": runs}


def measure_gui_start(root: Path, work: Path, runs: int = 5) -> dict:
    times = []
    for _ in range(runs):
        started = time.time()
        out = subprocess.run([sys.executable, "-c", GUI_CHILD, str(root), str(work / "config.json")],
                             cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
        assert out[1] == "UnlockWindow", out
        times.append(float(out[0]) - started)
    return {"median_s": statistics.median(times), "max_s": max(times), "runs": runs}


SEARCHES = ["n", "ng", "nguyen", "nguyen v", "nguyen van d", "tran thi", "le van an", "duc", "h", "0912",
            "BENCH-01-0001", ""]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure_search(register, clients: int, rounds: int = 20) -> dict:
    """First page of 50, Vietnamese order, for queries typed as a counsellor types them."""
    from app.store import search
    from tests.bench.population import insert_clients

    started = time.perf_counter()
    insert_clients(register, clients)
    setup = time.perf_counter() - started
    times = []
    for _ in range(rounds):
        for text in SEARCHES:
            begun = time.perf_counter()
            search.search(register.conn, text, limit=50)
            times.append(time.perf_counter() - begun)
    per_query = {}
    for text in SEARCHES:
        runs = []
        for _ in range(5):
            begun = time.perf_counter()
            search.search(register.conn, text, limit=50)
            runs.append(time.perf_counter() - begun)
        per_query[text] = round(max(runs) * 1000, 2)
    return {"clients": clients, "queries": len(times), "p50_ms": percentile(times, 0.5) * 1000,
            "p95_ms": percentile(times, 0.95) * 1000, "max_ms_by_query": per_query,
            "setup_s": round(setup, 1), "target_p95_ms": 10}


def measure_contact_save(register, saves: int = 300) -> dict:
    """contacts.add as the GUI calls it: validation, one transaction, change log, audit, fsync."""
    import random
    from datetime import date, timedelta

    from app.store import contacts

    ids = [row[0] for row in register.conn.execute("SELECT id FROM clients LIMIT 2000")]
    rng = random.Random(3)
    times = []
    for n in range(saves):
        values = {"kind": rng.choice(["office", "home", "phone"]), "client_id": rng.choice(ids),
                  "contact_date": (date.today() - timedelta(days=rng.randint(0, 300))).isoformat(),
                  "duration_minutes": 30, "topics": ["relapse_prevention"], "notes": "Tư vấn tạo động lực.",
                  "next_follow_up": (date.today() + timedelta(days=14)).isoformat()}
        begun = time.perf_counter()
        contacts.add(register, values)
        times.append(time.perf_counter() - begun)
    return {"saves": saves, "p50_ms": percentile(times, 0.5) * 1000, "p95_ms": percentile(times, 0.95) * 1000,
            "target_p95_ms": 30}


def _ms(times: list[float]) -> dict:
    return {"median_ms": round(statistics.median(times) * 1000, 1), "max_ms": round(max(times) * 1000, 1),
            "runs": len(times)}


def measure_busy_point(work: Path, runs: int = 9) -> dict:
    """The busy point of DESIGN.md section 8 (5,000 clients, 150,000 contacts, 10,000 referrals over
    10 years): last month's indicators (target 100 ms) and its form as PDF (target 0.5 s)."""
    from app.core.clock import today
    from app.core.unit import make_unit
    from app.reports.form_pdf import form_pdf
    from app.reports.monthly import monthly_report
    from app.reports.period import Month
    from app.store.register import create_register
    from tests.bench.population import insert_busy_point

    unit = make_unit("point", "BUSY-01", "Điểm tư vấn xã Mỹ Hòa", "Ủy ban nhân dân xã Mỹ Hòa")
    register, _ = create_register(work / "busy", unit=unit, admin_login="admin", admin_full_name="Đo Hiệu Năng",
                                  passphrase=PASSPHRASE)
    started = time.perf_counter()
    records = insert_busy_point(register, until=today())
    setup = time.perf_counter() - started
    month = Month.of(today()).previous()
    report_times, pdf_times = [], []
    for _ in range(runs):
        begun = time.perf_counter()
        report = monthly_report(register, month)
        report_times.append(time.perf_counter() - begun)
    for _ in range(runs):
        begun = time.perf_counter()
        pdf = form_pdf(report)
        pdf_times.append(time.perf_counter() - begun)
    register.close()
    return {"records": records, "month": month.code, "setup_s": round(setup, 1),
            "monthly_indicators": {**_ms(report_times), "target_ms": 100},
            "form_pdf": {**_ms(pdf_times), "target_ms": 500, "bytes": len(pdf)}}


def _print_busy_point(busy: dict) -> None:
    for key in ("monthly_indicators", "form_pdf"):
        row = busy[key]
        print(f"{key + ' (busy point)':<30} {row['median_ms']:>6.1f}ms {row['max_ms']:>6.1f}ms "
              f"{row['target_ms']:>6}ms  (median, max of {row['runs']})")
    print(f"busy point {busy['month']}: {busy['records']}")


def main() -> int:
    from app.core.unit import make_unit
    from app.store.register import create_register
    from app.store.vault import KeySlotFile

    work = Path(tempfile.mkdtemp(prefix="tuvan-bench-"))
    if sys.argv[1:] == ["reports"]:
        busy = {"date": date.today().isoformat(), "machine": _machine(), "python": platform.python_version(),
                "busy_point": measure_busy_point(work)}
        _print_busy_point(busy["busy_point"])
        return _write(busy, "-reports")
    root = work / "register"
    unit = make_unit("point", "BENCH-01", "Điểm tư vấn đo hiệu năng")
    register, _ = create_register(root, unit=unit, admin_login="admin", admin_full_name="Đo Hiệu Năng",
                                  passphrase=PASSPHRASE)
    search_result = measure_search(register, 100_000)
    save_result = measure_contact_save(register)
    register.close()
    busy = measure_busy_point(work)
    kdf = KeySlotFile.load(root / "keyslots.json").user_slot("admin").kdf
    results = {
        "date": date.today().isoformat(),
        "machine": _machine(),
        "python": platform.python_version(),
        "argon2id": {"memory_kib": kdf.memory_kib, "iterations": kdf.iterations, "lanes": kdf.lanes},
        "unlock_and_open": {**measure_unlock(root), "target_s": 1.0},
        "gui_start_to_unlock_window": {**measure_gui_start(root, work), "target_s": 1.5},
        "client_search_100k": search_result,
        "save_contact": save_result,
        "busy_point": busy,
    }
    print(f"{'what':<30} {'median':>8} {'max':>8} {'target':>8}")
    for key in ("unlock_and_open", "gui_start_to_unlock_window"):
        row = results[key]
        print(f"{key:<30} {row['median_s']:>7.3f}s {row['max_s']:>7.3f}s {row['target_s']:>7.1f}s")
    for key in ("client_search_100k", "save_contact"):
        row = results[key]
        print(f"{key:<30} {row['p50_ms']:>6.2f}ms {row['p95_ms']:>6.2f}ms {row['target_p95_ms']:>6}ms  (p50, p95)")
    _print_busy_point(busy)
    print(f"slowest run per query (ms): {results['client_search_100k']['max_ms_by_query']}")
    print(f"Argon2id: {results['argon2id']}")
    return _write(results)


def _machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"


def _write(results: dict, suffix: str = "") -> int:
    out = ROOT / "tests" / "bench" / "results" / f"bench-{results['date']}{suffix}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1))
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
