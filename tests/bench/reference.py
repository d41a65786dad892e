"""Reference registers for the benchmarks, made once per seed and kept in tests/bench/cache/.

Making the busy point takes a minute; every benchmark run copies the cached
folder instead (the copy is written to, the cache never is). A change of
VERSION (schema or generator) makes new ones.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from app.core.unit import make_unit
from app.store import migrations
from app.store.register import create_register, unlock
from app.store.vault import calibrate

CACHE = Path(__file__).resolve().parent / "cache"
PASSPHRASE = "benchmark passphrase 2026"
VERSION = 2


def _key(name: str, seed: int) -> Path:
    return CACHE / f"{name}-s{seed}-v{VERSION}-schema{migrations.latest_version()}"


def _make(name: str, seed: int, build) -> Path:
    folder = _key(name, seed)
    if not (folder / "register.db").exists():
        shutil.rmtree(folder, ignore_errors=True)
        CACHE.mkdir(parents=True, exist_ok=True)
        register, _ = create_register(folder, unit=make_unit("point", "BUSY-01", "Điểm tư vấn xã Mỹ Hòa",
                                                             "Ủy ban nhân dân xã Mỹ Hòa"),
                                      admin_login="admin", admin_full_name="Đo Hiệu Năng", passphrase=PASSPHRASE,
                                      kdf=calibrate(0))
        with register:
            build(register)
    return folder


def copy_of(name: str, seed: int, build, work: Path):
    """An unlocked copy of the cached register `name` (made with `build(register)` if missing)."""
    source = _make(name, seed, build)
    target = work / source.name
    shutil.copytree(source, target)
    return unlock(target, "admin", PASSPHRASE)


def busy_point(register, seed: int = 8) -> None:
    from tests.bench.population import insert_busy_point

    # Dates end on the 1st of a fixed month so cached data does not depend on the day of the run.
    insert_busy_point(register, seed=seed, until=date(2026, 10, 31))


def clients_100k(register, seed: int = 1) -> None:
    from tests.bench.population import insert_clients

    insert_clients(register, 100_000, seed=seed)
