"""The province reference of issue 14: one receiving office serving 300 points that together hold
20,000 clients and 1,000,000 contacts over 10 years, sent through real bundles.

    .venv/bin/python tests/bench/run.py province [POINTS]    (default 300; builds the cache the first time)

`build` makes the points one at a time (each a real encrypted register filled by
`population.insert_busy_point` at the province's size per point, exporting its first bundle to the
office), keeps each point's own monthly form, and deletes the point; the office register (keys and
pins, no records), the bundles and those forms stay in the folder. `measure` imports every bundle
into a copy of the office and times the office form and the office's screens. A small version of
the same build runs in `make test` (tests/integration/test_province_reference.py) as a check of
correctness only.
"""

from __future__ import annotations

import json
import shutil
import statistics
import time
from datetime import date
from pathlib import Path

from app.core.unit import make_unit
from app.reports.engine import compute, compute_district
from app.reports.form_file import default_form
from app.reports.period import Month
from app.store.register import create_register, unlock
from app.store.vault import calibrate
from app.sync import export, identity, merge
from tests.bench import screens

PROVINCE = {"points": 300, "clients": 20_000, "contacts": 1_000_000, "years": 10}
MONTH = Month(2026, 10)
PASSPHRASE = "benchmark passphrase 2026"
VERSION = 1


def per_point(points: int, total_points: int = PROVINCE["points"]) -> dict:
    """One point's share of the province (the 300-point totals divided evenly)."""
    clients = PROVINCE["clients"] // total_points
    contacts = PROVINCE["contacts"] // total_points
    return {"clients": clients, "contacts": contacts, "referrals": contacts // 15, "years": PROVINCE["years"],
            "outreach": PROVINCE["years"] * 12}


def _new(folder: Path, role: str, code: str, name: str, kdf):
    register, _ = create_register(folder, unit=make_unit(role, code, name), admin_login="admin",
                                  admin_full_name="Đo Hiệu Năng", passphrase=PASSPHRASE, kdf=kdf)
    return register


def build(folder: Path, points: int, sizes: dict, *, log=print) -> Path:
    """folder/office (keys and pins), folder/bundles/NNN-SSS.tvb, folder/forms.json (each point's own
    form for MONTH), folder/done."""
    from tests.bench.population import insert_busy_point

    if (folder / "done").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "bundles").mkdir(parents=True)
    kdf = calibrate(0)
    office = _new(folder / "office", "district", "AG-CA", "Công an tỉnh An Giang", kdf)
    office_id = identity.own_identity(office)
    forms, form, started = {}, default_form(), time.perf_counter()
    for n in range(1, points + 1):
        code = f"DIEM-{n:03d}"
        point = _new(folder / "points" / code, "point", code, f"Điểm tư vấn số {n}", kdf)
        insert_busy_point(point, seed=1000 + n, until=date(2026, 10, 31), **sizes)
        forms[code] = compute(point.conn, form, MONTH).values
        identity.pin(point, office_id, office_id.confirmation)
        point_id = identity.own_identity(point)
        identity.pin(office, point_id, point_id.confirmation)
        for bundle in export.export_bundles(point, folder / "bundles" / code):
            bundle.path.rename(folder / "bundles" / f"{n:03d}-{bundle.seq:03d}.tvb")
        point.close()
        shutil.rmtree(folder / "points" / code)
        if n % 25 == 0 or n == points:
            log(f"  {n}/{points} points made, {time.perf_counter() - started:.0f} s")
    office.close()
    shutil.rmtree(folder / "points", ignore_errors=True)
    (folder / "forms.json").write_text(json.dumps(forms), encoding="utf-8")
    (folder / "done").write_text("ok")
    return folder


def import_all(folder: Path, work: Path):
    """A copy of the office with every bundle imported (dry run, then apply, as the screen does);
    the register, the records imported and the seconds."""
    shutil.copytree(folder / "office", work / "office")
    office = unlock(work / "office", "admin", PASSPHRASE)
    records, started = 0, time.perf_counter()
    for path in sorted((folder / "bundles").glob("*.tvb")):
        plan = merge.plan_import(office, path, path.name)
        merge.apply_import(office, plan)
        records += plan.totals().new
    return office, records, time.perf_counter() - started


def measure(points: int, work: Path, cache: Path) -> dict:
    folder = build(cache / f"province-{points}-v{VERSION}", points, per_point(points))
    office, records, seconds = import_all(folder, work)
    form = default_form()
    times = []
    for _ in range(3):
        begun = time.perf_counter()
        result = compute_district(office.conn, form, MONTH, reader=office.reader)
        times.append(time.perf_counter() - begun)
    size = (work / "office" / "register.db").stat().st_size
    office.close()
    opened = screens.measure(work / "office", work, PASSPHRASE)
    return {"points": points, "records": records, "import_s": seconds, "import_per_s": records / seconds,
            "office_form_median_s": statistics.median(times), "office_form_points": len(result.by_point),
            "register_mb": size / 2 ** 20, "bytes_per_record": size / max(records, 1), "peak_mb": peak_mb(),
            "screens_s": opened, "slowest_screen_s": max(opened.values())}


def peak_mb() -> float:
    """This process's peak resident memory (Linux): the import and the forms run in it alone."""
    try:
        return int(open("/proc/self/status").read().split("VmHWM:")[1].split()[0]) / 1024
    except (OSError, IndexError, ValueError):
        return 0.0
