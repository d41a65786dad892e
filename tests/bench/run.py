"""Benchmarks for docs/design.md section 8 (the targets that exist so far).

Prints a table and writes tests/bench/results/bench-<date>.json.
    make bench          (or: .venv/bin/python tests/bench/run.py)
    .venv/bin/python tests/bench/run.py district [N [K]]   K of N busy points' bundles into a district (long)
    .venv/bin/python tests/bench/run.py office-form [N]    the office form of N imported busy points (cached)
    .venv/bin/python tests/bench/run.py indicators         the busy point's indicators, probe, PDF only
    .venv/bin/python tests/bench/run.py province [N]       the province reference (300 points; long the first time)
    .venv/bin/python tests/bench/run.py province-pg [N]    the same on PostgreSQL beside SQLCipher (make pg-binaries)
"""

from __future__ import annotations

import json
import os
import platform
import shutil
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
from app.gui.shell.launch import make_app
from app.core.i18n import set_language
from app.store.machine_config import MachineConfig
from app.gui.shell.controller import AppController
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


def measure_search(register, rounds: int = 20, conn=None) -> dict:
    """First page of 50, Vietnamese order, for queries typed as a counsellor types them."""
    from app.store import search

    conn = conn or register.conn
    times = []
    for _ in range(rounds):
        for text in SEARCHES:
            begun = time.perf_counter()
            search.search(conn, text, limit=50)
            times.append(time.perf_counter() - begun)
    per_query = {}
    for text in SEARCHES:
        runs = []
        for _ in range(5):
            begun = time.perf_counter()
            search.search(conn, text, limit=50)
            runs.append(time.perf_counter() - begun)
        per_query[text] = round(max(runs) * 1000, 2)
    clients = conn.execute("SELECT count(*) FROM clients").fetchone()[0]
    return {"clients": clients, "queries": len(times), "p50_ms": percentile(times, 0.5) * 1000,
            "p95_ms": percentile(times, 0.95) * 1000, "max_ms_by_query": per_query, "target_p95_ms": 10}


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


def _stats(times: list[float], scale: float = 1000) -> dict:
    return {"median": statistics.median(times) * scale, "p95": percentile(times, 0.95) * scale, "runs": len(times)}


def measure_busy_point(busy, runs: int = 21) -> tuple[dict, dict, dict]:
    """Last month's indicators (20 ms, and within 10x of the hand-written SQL probe), the first form
    after unlocking (60 ms) and the form as PDF (0.3 s) on the busy point of DESIGN §8."""
    from app.reports.engine import compute
    from app.reports.form_file import default_form
    from app.reports.form_pdf import form_pdf
    from app.reports.monthly import monthly_report
    from app.reports.period import Month
    from tests.bench import probe

    month = Month(2026, 10)
    begun = time.perf_counter()
    monthly_report(busy, month)  # the first form after unlocking reads every page from disk
    first = time.perf_counter() - begun
    form = default_form()
    engine_times, one_core_times, probe_times, report_times, pdf_times = [], [], [], [], []
    for _ in range(runs):
        begun = time.perf_counter()
        result = compute(busy.conn, form, month, reader=busy.reader)   # as the program counts: two cores
        engine_times.append(time.perf_counter() - begun)
        begun = time.perf_counter()
        compute(busy.conn, form, month)
        one_core_times.append(time.perf_counter() - begun)
        begun = time.perf_counter()
        probe.run(busy.conn, month)
        probe_times.append(time.perf_counter() - begun)
        begun = time.perf_counter()
        report = monthly_report(busy, month)
        report_times.append(time.perf_counter() - begun)
        begun = time.perf_counter()
        form_pdf(report)
        pdf_times.append(time.perf_counter() - begun)
    engine_turns = sum(result.value(row, "so_luong") for row in ("5", "6", "7", "8"))
    assert engine_turns == probe.individual_turns(busy.conn, month), "the probe and the engine disagree"
    indicators = {**_stats(engine_times), "one_core_median": statistics.median(one_core_times) * 1000,
                  "probe_median": statistics.median(probe_times) * 1000,
                  "ratio": statistics.median(engine_times) / statistics.median(probe_times),
                  "first_ms": first * 1000, "monthly_report": _stats(report_times)}
    return indicators, _stats(pdf_times), {"individual_turns": engine_turns}


def _enroll(point, district) -> None:
    from app.sync import identity

    for a, b in ((point, district), (district, point)):
        other = identity.own_identity(b)
        identity.pin(a, other, other.confirmation)


def measure_sync(busy, work: Path) -> dict:
    """Full export of the busy point (3 s), a month of new work after a receipt (0.3 s), and the
    district import rate against a raw SQLCipher executemany of the same rows (≥ 50 %)."""
    from app.core.unit import make_unit
    from app.store.register import create_register
    from app.store.vault import calibrate
    from app.sync import export, merge, payload, receipts, identity
    from tests.bench.population import insert_month_of_work

    district, _ = create_register(work / "district", unit=make_unit("district", "LX-CA", "Công an Long Xuyên"),
                                  admin_login="admin", admin_full_name="Cán bộ", passphrase=PASSPHRASE,
                                  kdf=calibrate(0))
    _enroll(busy, district)
    begun = time.perf_counter()
    bundles = export.export_bundles(busy, work / "usb-full")
    full = time.perf_counter() - begun
    records = sum(sum(b.counts.values()) for b in bundles)
    data = [b.path.read_bytes() for b in bundles]
    begun = time.perf_counter()
    for index, blob in enumerate(data):
        merge.apply_import(district, merge.plan_import(district, blob, f"full-{index}.tvb"))
    imported = time.perf_counter() - begun
    # The baseline: the same rows inserted with one executemany per table into an empty register.
    raw_register, _ = create_register(work / "raw", unit=make_unit("district", "RAW-01", "Raw"), admin_login="admin",
                                      admin_full_name="Raw", passphrase=PASSPHRASE, kdf=calibrate(0))
    documents = []
    for blob in data:
        box = __import__("app.sync.container", fromlist=["read"]).read(blob, "x")
        entry = next(e for e in box.header["recipients"] if e["fingerprint"] == identity.own_keys(district).fingerprint)
        key = payload.open_key(identity.unb64(entry["sealed_key"]), identity.own_keys(district).enc)
        documents.append(payload.open_payload(box.payload, key, box.header["payload"]["raw_length"]))
    begun = time.perf_counter()
    with raw_register.transaction():
        for document in documents:
            for table, block in document["tables"].items():
                columns = block["columns"]
                raw_register.conn.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                    block["rows"])
    raw = time.perf_counter() - begun
    raw_register.close()
    # A month of new work after the district acknowledged everything: the incremental export.
    receipt = work / "receipt.tvr"
    receipts.export_receipt(district, busy.origin, receipt)
    receipts.import_receipt(busy, receipt.read_bytes(), receipt.name)
    added = insert_month_of_work(busy)
    begun = time.perf_counter()
    monthly = export.export_bundles(busy, work / "usb-month")
    incremental = time.perf_counter() - begun
    district.close()
    return {"records": records, "bundle_bytes": sum(len(d) for d in data), "full_export_s": full,
            "import_s": imported, "import_per_s": records / imported, "raw_per_s": records / raw,
            "import_ratio": raw / imported, "incremental_records": sum(sum(b.counts.values()) for b in monthly),
            "incremental_added": added, "incremental_export_s": incremental}


def measure_plain_ratio(busy, work: Path) -> dict:
    """The same search and indicators on an unencrypted copy (SQLCipher's own export): the cost of encryption."""
    import sqlcipher3.dbapi2 as sqlcipher

    from app.reports.engine import compute
    from app.reports.form_file import default_form
    from app.reports.period import Month

    plain_path = work / "plain.db"
    busy.conn.execute(f"ATTACH DATABASE '{plain_path}' AS plain KEY ''")
    busy.conn.execute("SELECT sqlcipher_export('plain')")
    busy.conn.execute("DETACH DATABASE plain")
    plain = sqlcipher.connect(str(plain_path), isolation_level=None)
    form, month = default_form(), Month(2026, 10)

    def timed(conn) -> float:
        times = []
        for _ in range(7):
            begun = time.perf_counter()
            compute(conn, form, month)
            times.append(time.perf_counter() - begun)
        return statistics.median(times)

    encrypted_ms, plain_ms = timed(busy.conn) * 1000, timed(plain) * 1000
    search_encrypted = measure_search(busy, rounds=5)["p50_ms"]
    search_plain = measure_search(busy, rounds=5, conn=plain)["p50_ms"]
    plain.close()
    return {"indicators_encrypted_ms": encrypted_ms, "indicators_plain_ms": plain_ms,
            "indicators_ratio": encrypted_ms / plain_ms, "search_encrypted_ms": search_encrypted,
            "search_plain_ms": search_plain, "search_ratio": search_encrypted / max(search_plain, 1e-6)}


GUI_MEMORY_CHILD = """
import os, sys, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from pathlib import Path
from app.gui.shell.launch import make_app
from app.store.machine_config import MachineConfig
from app.gui.shell.controller import AppController
app = make_app([])
controller = AppController(MachineConfig(Path(sys.argv[2])), Path(sys.argv[1]), "admin")
controller.start()
window = controller.window
window.passphrase.setText(sys.argv[3])
window.try_unlock()
def pump(until, timeout=120):
    end = time.time() + timeout
    while not until() and time.time() < end:
        app.processEvents(); time.sleep(0.01)
pump(lambda: controller.session is not None)
main = controller.window
main.resize(1366, 768); main.show()
main.show_screen("clients")
view = main.screens["clients"]
pump(lambda: view.model.total > 0)
for _ in range(20):  # scroll through a few pages of the lazy list
    view.table.scrollToBottom(); pump(lambda: not view.model._fetching, 10)
main.show_screen("reports"); pump(lambda: False, 3)
# VmHWM is this program's own peak; ru_maxrss would also count the benchmark process it was forked from.
peak = int(open("/proc/self/status").read().split("VmHWM:")[1].split()[0])
print(view.model.rowCount(), view.model.total, peak, flush=True)
controller.shutdown()
"""


def measure_gui_memory(register_root: Path, work: Path) -> dict:
    """Peak RSS of the GUI with 100,000 clients: unlocked, the list scrolled, the Reports screen open."""
    out = subprocess.run([sys.executable, "-c", GUI_MEMORY_CHILD, str(register_root), str(work / "mem.json"),
                          PASSPHRASE], cwd=ROOT, capture_output=True, text=True, timeout=600,
                         env={**os.environ, "TUVAN_KDF_TARGET_MS": "0"})
    shown, total, rss_kib = (int(x) for x in out.stdout.split()[-3:])
    return {"clients": total, "rows_loaded": shown, "peak_rss_mb": rss_kib / 1024}


# --- the table ------------------------------------------------------------------------------

def _row(what: str, median: float, p95: float, unit: str, target: float, ok: bool | None = None) -> dict:
    return {"what": what, "median": round(median, 3), "p95": round(p95, 3), "unit": unit, "target": target,
            "pass": ok if ok is not None else p95 <= target}


def table(results: dict) -> list[dict]:
    unlock_row, gui = results["unlock_and_open"], results["gui_start_to_unlock_window"]
    search, save = results["client_search_100k"], results["save_contact"]
    indicators, pdf = results["busy_point"]["monthly_indicators"], results["busy_point"]["form_pdf"]
    sync, plain, memory = results["sync"], results["encryption_cost"], results["gui_memory"]
    return [
        _row("unlock (Argon2id) + open", unlock_row["median_s"], unlock_row["max_s"], "s", 1.0),
        _row("GUI start to unlock window (source)", gui["median_s"], gui["max_s"], "s", 1.5),
        _row("client search, 100k clients, first 50", search["p50_ms"], search["p95_ms"], "ms", 10),
        _row("save a contact", save["p50_ms"], save["p95_ms"], "ms", 30),
        _row("monthly indicators, busy point", indicators["median"], indicators["p95"], "ms", 20),
        _row("  same, counted on one core", indicators["one_core_median"], indicators["one_core_median"], "ms", 0,
             True),
        _row("  hand-written SQL probe of the same counts", indicators["probe_median"], indicators["probe_median"],
             "ms", 0, True),
        _row("  indicators / probe", indicators["ratio"], indicators["ratio"], "×", 10,
             indicators["ratio"] <= 10),
        _row("  whole monthly report (closure, amendments)", indicators["monthly_report"]["median"],
             indicators["monthly_report"]["p95"], "ms", 0, True),
        _row("first form after unlocking", indicators["first_ms"], indicators["first_ms"], "ms", 60),
        _row("monthly form PDF, busy point", pdf["median"], pdf["p95"], "ms", 300),
        _row("full bundle export, busy point", sync["full_export_s"], sync["full_export_s"], "s", 3.0),
        _row("monthly incremental export", sync["incremental_export_s"], sync["incremental_export_s"], "s", 0.3),
        _row("district import / raw executemany", sync["import_ratio"], sync["import_ratio"], "ratio", 0.5,
             sync["import_ratio"] >= 0.5),
        _row("GUI peak memory, 100k clients", memory["peak_rss_mb"], memory["peak_rss_mb"], "MB", 250),
        _row("indicators encrypted / plain", plain["indicators_ratio"], plain["indicators_ratio"], "ratio", 0, True),
        _row("search encrypted / plain", plain["search_ratio"], plain["search_ratio"], "ratio", 0, True),
    ]


def print_table(rows: list[dict]) -> None:
    print(f"{'what':<42} {'median':>10} {'p95/max':>10} {'target':>9}  result")
    for r in rows:
        target = "-" if not r["target"] else f"{'≥' if r['unit'] == 'ratio' else '≤'} {r['target']}"
        print(f"{r['what']:<42} {r['median']:>8.2f}{r['unit'][:2]:>2} {r['p95']:>8.2f}{r['unit'][:2]:>2} "
              f"{target:>9}  {'pass' if r['pass'] else 'FAIL'}")


MARK_START, MARK_END = "<!-- bench:start -->", "<!-- bench:end -->"


def write_doc(results: dict, rows: list[dict]) -> None:
    """Replace the generated section of docs/performance.md (notes outside the markers stay)."""
    lines = [MARK_START, f"## Latest `make bench`: {results['date']}, {results['machine']}, Python {results['python']}",
             "", "| what | median | p95 / max | target | result |", "|---|---|---|---|---|"]
    for r in rows:
        target = "–" if not r["target"] else f"{'≥' if r['unit'] == 'ratio' else '≤'} {r['target']} {r['unit']}"
        lines.append(f"| {r['what']} | {r['median']:.2f} {r['unit']} | {r['p95']:.2f} {r['unit']} | {target} | "
                     f"{'pass' if r['pass'] else '**FAIL**'} |")
    sync = results["sync"]
    lines += ["", f"Busy point: {sync['records']:,} records in the full bundle ({sync['bundle_bytes'] / 1e6:.1f} MB); "
              f"district import {sync['import_per_s']:,.0f} records/s against {sync['raw_per_s']:,.0f}/s for a raw "
              f"executemany of the same rows; incremental export of {sync['incremental_records']:,} records.",
              f"GUI memory: {results['gui_memory']['rows_loaded']:,} of {results['gui_memory']['clients']:,} "
              "clients loaded in the list, Reports screen opened.", MARK_END]
    path = ROOT / "docs" / "performance.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    if MARK_START in text:
        text = text[:text.index(MARK_START)] + "\n".join(lines) + text[text.index(MARK_END) + len(MARK_END):]
    else:
        head, _sep, rest = text.partition("\n")
        text = head + "\n\n" + "\n".join(lines) + "\n" + rest
    path.write_text(text, encoding="utf-8")


def main() -> int:
    from app.core.unit import make_unit
    from app.store.register import create_register
    from app.store.vault import KeySlotFile
    from tests.bench import reference

    work = Path(tempfile.mkdtemp(prefix="tuvan-bench-"))
    if sys.argv[1:2] == ["district"]:
        from tests.bench import district

        points = int(sys.argv[2]) if len(sys.argv) > 2 else 40
        importing = int(sys.argv[3]) if len(sys.argv) > 3 else points
        found = {"date": date.today().isoformat(), "machine": _machine(), "python": platform.python_version(),
                 "district": district.measure(points, work, importing)}
        print(json.dumps(found["district"], indent=1))
        shutil.rmtree(work, ignore_errors=True)
        return _write(found, f"-district-{importing}-of-{points}")
    if sys.argv[1:2] == ["office-form"]:
        from tests.bench import district

        points = int(sys.argv[2]) if len(sys.argv) > 2 else 40
        found = {"date": date.today().isoformat(), "machine": _machine(), "python": platform.python_version(),
                 "office_form": district.office_form(points)}
        print(json.dumps(found["office_form"], indent=1))
        shutil.rmtree(work, ignore_errors=True)
        return _write(found, f"-office-form-{points}")
    if sys.argv[1:2] == ["province"]:
        from tests.bench import province

        points = int(sys.argv[2]) if len(sys.argv) > 2 else province.PROVINCE["points"]
        found = {"date": date.today().isoformat(), "machine": _machine(), "python": platform.python_version(),
                 "province": province.measure(points, work, reference.CACHE)}
        print(json.dumps(found["province"], indent=1))
        shutil.rmtree(work, ignore_errors=True)
        return _write(found, f"-province-{points}")
    if sys.argv[1:2] == ["province-pg"]:
        from tests.bench import province, province_pg

        points = int(sys.argv[2]) if len(sys.argv) > 2 else province.PROVINCE["points"]
        found = {"date": date.today().isoformat(), "machine": _machine(), "python": platform.python_version(),
                 "province_pg": province_pg.measure(points, work, reference.CACHE)}
        print(province_pg.table(found["province_pg"]))
        shutil.rmtree(work, ignore_errors=True)
        return _write(found, f"-province-pg-{points}")
    if sys.argv[1:2] == ["indicators"]:
        busy = reference.copy_of("busy-point", 8, reference.busy_point, work)
        indicators, pdf, checked = measure_busy_point(busy)
        busy.close()
        found = {"date": date.today().isoformat(), "machine": _machine(), "python": platform.python_version(),
                 "busy_point": {"monthly_indicators": indicators, "form_pdf": pdf, "checked": checked}}
        print(json.dumps(found["busy_point"], indent=1))
        shutil.rmtree(work, ignore_errors=True)
        return _write(found, "-indicators")
    unit = make_unit("point", "BENCH-01", "Điểm tư vấn đo hiệu năng")
    small, _ = create_register(work / "register", unit=unit, admin_login="admin", admin_full_name="Đo Hiệu Năng",
                               passphrase=PASSPHRASE)  # calibrated Argon2id, as a real register
    small.close()
    print("reference data (cached in tests/bench/cache/)…", flush=True)
    many = reference.copy_of("clients-100k", 1, reference.clients_100k, work)
    search_result = measure_search(many)
    save_result = measure_contact_save(many)
    many_root = many.paths.root
    many.close()
    busy = reference.copy_of("busy-point", 8, reference.busy_point, work)
    indicators, pdf, _checked = measure_busy_point(busy)
    plain = measure_plain_ratio(busy, work)
    sync = measure_sync(busy, work)
    busy.close()
    kdf = KeySlotFile.load(work / "register" / "keyslots.json").user_slot("admin").kdf
    results = {
        "date": date.today().isoformat(), "machine": _machine(), "python": platform.python_version(),
        "argon2id": {"memory_kib": kdf.memory_kib, "iterations": kdf.iterations, "lanes": kdf.lanes},
        "unlock_and_open": {**measure_unlock(work / "register"), "target_s": 1.0},
        "gui_start_to_unlock_window": {**measure_gui_start(work / "register", work), "target_s": 1.5},
        "client_search_100k": search_result, "save_contact": save_result,
        "busy_point": {"monthly_indicators": indicators, "form_pdf": pdf},
        "encryption_cost": plain, "sync": sync, "gui_memory": measure_gui_memory(many_root, work),
    }
    rows = table(results)
    results["table"] = rows
    print_table(rows)
    write_doc(results, rows)
    return _write(results)


def _machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"


def _write(results: dict, suffix: str = "") -> int:
    out = ROOT / "tests" / "bench" / "results" / f"bench-{results['date']}{suffix}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1, default=str))
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
