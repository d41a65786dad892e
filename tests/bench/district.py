"""The district of docs/design.md §8: 40 busy points, sent through real bundles, imported and counted.

    .venv/bin/python tests/bench/run.py district [POINTS [IMPORTED]]   (default 40 40; long the first time)

The points' bundles and an empty district register holding the matching keys are made once and kept
in tests/bench/cache/; each run imports every bundle into a copy of that district and times it, then
times the district's monthly form (a column per point and the total).
"""

from __future__ import annotations

import shutil
import statistics
import time
from datetime import date
from pathlib import Path

from app.core.unit import make_unit
from app.reports.engine import compute_district
from app.reports.form_file import default_form
from app.reports.period import Month
from app.store.register import create_register, unlock
from app.store.vault import calibrate
from app.sync import export, identity, merge
from tests.bench.reference import CACHE, PASSPHRASE, VERSION

KDF = None


def _new(folder: Path, role: str, code: str, name: str):
    global KDF
    KDF = KDF or calibrate(0)
    register, _ = create_register(folder, unit=make_unit(role, code, name), admin_login="admin",
                                  admin_full_name="Đo Hiệu Năng", passphrase=PASSPHRASE, kdf=KDF)
    return register


def _cached(points: int) -> Path:
    """tests/bench/cache/district-N/: district/ (keys and pins, no records) and bundles/*.tvb."""
    from tests.bench.population import insert_busy_point

    folder = CACHE / f"district-{points}-v{VERSION}"
    if (folder / "done").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "bundles").mkdir(parents=True)
    district = _new(folder / "district", "district", "LX-CA", "Công an thành phố Long Xuyên")
    district_id = identity.own_identity(district)
    for n in range(1, points + 1):
        started = time.perf_counter()
        point = _new(folder / "points" / f"{n:02d}", "point", f"DIEM-{n:02d}", f"Điểm tư vấn số {n}")
        insert_busy_point(point, seed=100 + n, until=date(2026, 10, 31))
        identity.pin(point, district_id, district_id.confirmation)
        point_id = identity.own_identity(point)
        identity.pin(district, point_id, point_id.confirmation)
        for bundle in export.export_bundles(point, folder / "bundles" / f"{n:02d}"):
            bundle.path.rename(folder / "bundles" / f"{n:02d}-{bundle.seq:03d}.tvb")
        point.close()
        shutil.rmtree(folder / "points" / f"{n:02d}")
        print(f"  point {n}/{points} made in {time.perf_counter() - started:.0f} s", flush=True)
    district.close()
    (folder / "done").write_text("ok")
    return folder


def measure(points: int, work: Path, importing: int | None = None) -> dict:
    """Import the bundles of the first `importing` points (default all) of the N-point set, then count."""
    source = _cached(points)
    importing = importing or points
    shutil.copytree(source / "district", work / "district")
    district = unlock(work / "district", "admin", PASSPHRASE)
    files = sorted(path for path in (source / "bundles").glob("*.tvb") if int(path.name[:2]) <= importing)
    records, started, per_point = 0, time.perf_counter(), []
    for path in files:
        begun = time.perf_counter()
        plan = merge.plan_import(district, path, path.name)
        merge.apply_import(district, plan)
        records += plan.totals().new
        per_point.append((path.name, plan.totals().new, time.perf_counter() - begun))
        print(f"  {path.name}: {plan.totals().new:,} records in {per_point[-1][2]:.1f} s; "
              f"{records:,} so far, {records / (time.perf_counter() - started):,.0f}/s", flush=True)
    imported = time.perf_counter() - started
    month = Month(2026, 10)
    times = []
    for _ in range(3):
        begun = time.perf_counter()
        result = compute_district(district.conn, default_form(), month, reader=district.reader)
        times.append(time.perf_counter() - begun)
    size = (work / "district" / "register.db").stat().st_size
    records_held = sum(district.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in (
        "clients", "client_groups", "contacts", "contact_participants", "referrals", "outreach"))
    district.close()
    first, last = per_point[0], per_point[-1]
    return {"points_made": points, "points_imported": importing, "bundles": len(files), "records": records,
            "import_s": imported, "import_per_s": records / imported,
            "first_bundle_per_s": first[1] / first[2], "last_bundle_per_s": last[1] / last[2],
            "district_register_mb": size / 2 ** 20, "bytes_per_record": size / max(records_held, 1),
            "district_form_median_s": statistics.median(times), "district_form_points": len(result.by_point), "peak_mb": peak_mb()}


def imported(points: int) -> Path:
    """tests/bench/cache/district-N-v2/imported/: the district after importing every bundle once
    (made the first time, ~15 min at 40 points), for measuring the office's forms and screens."""
    source = _cached(points)
    folder = source / "imported"
    if (folder / "done").exists():
        return folder / "district"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(source / "district", folder / "district")
    district = unlock(folder / "district", "admin", PASSPHRASE)
    for path in sorted((source / "bundles").glob("*.tvb")):
        merge.apply_import(district, merge.plan_import(district, path, path.name))
    district.close()
    (folder / "done").write_text("ok")
    return folder / "district"


def office_form(points: int, runs: int = 7) -> dict:
    """The office's form on the imported register of `points` busy points (made once, see `imported`),
    as the program counts it (two cores) and on one core; the first run after unlocking apart."""
    register = unlock(imported(points), "admin", PASSPHRASE)
    month, form = Month(2026, 10), default_form()
    begun = time.perf_counter()
    compute_district(register.conn, form, month, reader=register.reader)
    first = time.perf_counter() - begun
    two, one = [], []
    for _ in range(runs):
        begun = time.perf_counter()
        both = compute_district(register.conn, form, month, reader=register.reader)
        two.append(time.perf_counter() - begun)
        begun = time.perf_counter()
        alone = compute_district(register.conn, form, month)
        one.append(time.perf_counter() - begun)
    assert both.values == alone.values and both.by_point == alone.by_point, "two cores and one disagree"
    register.close()
    return {"points": points, "first_s": first, "two_cores_median_s": statistics.median(two),
            "two_cores_max_s": max(two), "one_core_median_s": statistics.median(one), "runs": runs}


def peak_mb() -> float:
    """This process's peak resident memory (Linux): the import and the forms run in it alone."""
    try:
        return int(open("/proc/self/status").read().split("VmHWM:")[1].split()[0]) / 1024
    except (OSError, IndexError, ValueError):
        return 0.0
