"""The province reference (tests/bench/province.py) on PostgreSQL, beside the SQLCipher office, in one run.

    .venv/bin/python tests/bench/run.py province-pg [POINTS]    (default 300; needs `make pg-binaries`)

The same cached build (points' first bundles, the office's keys and pins) is imported twice: into
a copy of the SQLCipher office, and into an office on a throw-away PostgreSQL cluster that was
given the same keys and pins (copied rows: the bundles are sealed to the office's key). Each
import is a dry run then the import, bundle by bundle, as the Sync screen does; then the office
form three times. The cluster runs with fsync off, as the test cluster does (a throw-away server
on the same two cores), which favours PostgreSQL's import: that is said beside the figures.
"""

from __future__ import annotations

import importlib.util
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from app.core.unit import make_unit
from app.reports.engine import compute_district
from app.reports.form_file import default_form
from app.store.pg.creation import create_office
from app.store.register import unlock
from app.store.vault import calibrate
from app.sync import merge
from tests.bench import province

ROOT = Path(__file__).resolve().parents[2]
COPIED = ("identity_keys", "trusted_keys", "relay_points")  # what the office knows before its first import


def _cluster():
    spec = importlib.util.spec_from_file_location("tuvan_pg_cluster", ROOT / "packaging" / "postgresql" / "cluster.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    found, why = module.find_binaries()
    if found is None:
        raise SystemExit(why)
    return module.Cluster(Path(tempfile.mkdtemp(prefix="tuvan-bench-pg-")), found).create().start()


def office_on_server(server, source_folder: Path, work: Path, dbname: str = "province"):
    source = unlock(source_folder, "admin", province.PASSPHRASE)
    office, _ = create_office(work / "office-pg", server.dsn(dbname=dbname),
                              unit=make_unit("district", "AG-CA", "Công an tỉnh An Giang"), admin_login="admin",
                              admin_full_name="Đo Hiệu Năng", passphrase=province.PASSPHRASE, kdf=calibrate(0))
    with office.transaction():
        for table in COPIED:
            cursor = source.conn.execute(f"SELECT * FROM {table}")
            columns = [d[0] for d in cursor.description]
            rows = cursor.fetchall()
            if rows:
                office.conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES"
                                        f" ({', '.join('?' * len(columns))})", rows)
    source.close()
    return office


def import_bundles(office, folder: Path) -> tuple[int, float]:
    records, started = 0, time.perf_counter()
    for path in sorted((folder / "bundles").glob("*.tvb")):
        plan = merge.plan_import(office, path, path.name)
        merge.apply_import(office, plan)
        records += plan.totals().new
    return records, time.perf_counter() - started


def _form_times(office) -> tuple[float, int]:
    form, times = default_form(), []
    for _ in range(3):
        begun = time.perf_counter()
        result = compute_district(office.conn, form, province.MONTH, reader=office.reader)
        times.append(time.perf_counter() - begun)
    return statistics.median(times), len(result.by_point)


def _database_mb(office) -> float:
    return office.conn.raw.execute("SELECT pg_database_size(current_database())").fetchone()[0] / 2 ** 20


def measure(points: int, work: Path, cache: Path) -> dict:
    folder = province.build(cache / f"province-{points}-v{province.VERSION}", points, province.per_point(points))
    found = {"points": points}
    sqlcipher, records, seconds = province.import_all(folder, work)
    form_s, columns = _form_times(sqlcipher)
    found["sqlcipher"] = {"records": records, "import_s": seconds, "import_per_s": records / seconds,
                          "office_form_median_s": form_s, "office_form_points": columns,
                          "register_mb": (work / "office" / "register.db").stat().st_size / 2 ** 20}
    expected = compute_district(sqlcipher.conn, default_form(), province.MONTH).by_point
    sqlcipher.close()
    server = _cluster()
    try:
        office = office_on_server(server, folder / "office", work)
        records, seconds = import_bundles(office, folder)
        form_s, columns = _form_times(office)
        same = compute_district(office.conn, default_form(), province.MONTH).by_point
        found["postgresql"] = {"records": records, "import_s": seconds, "import_per_s": records / seconds,
                               "office_form_median_s": form_s, "office_form_points": columns,
                               "database_mb": _database_mb(office),
                               "same_form_as_sqlcipher": same == expected}
        office.close()
    finally:
        server.stop()
        shutil.rmtree(server.folder, ignore_errors=True)
    for key in ("import_s", "office_form_median_s"):
        found[f"{key}_ratio_pg_to_sqlcipher"] = found["postgresql"][key] / found["sqlcipher"][key]
    return found


def table(found: dict) -> str:
    """The figures side by side, as docs/performance.md shows them."""
    s, p = found["sqlcipher"], found["postgresql"]
    lines = [f"{'province, ' + str(found['points']) + ' points':<34} {'SQLCipher':>12} {'PostgreSQL':>12} {'PG/SQLCipher':>13}",
             f"{'import (dry run + import), s':<34} {s['import_s']:>12.1f} {p['import_s']:>12.1f}"
             f" {found['import_s_ratio_pg_to_sqlcipher']:>13.2f}",
             f"{'records imported per s':<34} {s['import_per_s']:>12,.0f} {p['import_per_s']:>12,.0f}",
             f"{'office form (median of 3), s':<34} {s['office_form_median_s']:>12.2f} {p['office_form_median_s']:>12.2f}"
             f" {found['office_form_median_s_ratio_pg_to_sqlcipher']:>13.2f}",
             f"{'size on disk, MB':<34} {s['register_mb']:>12.0f} {p['database_mb']:>12.0f}",
             f"{'same form on both engines':<34} {'':>12} {str(p['same_form_as_sqlcipher']):>12}"]
    return "\n".join(lines)
