"""Power loss during an import: kill -9 never leaves a half-applied bundle (docs/design.md §9).

A child process imports a large bundle into a copy of the district register and
is killed at a random moment (before, during or after the one transaction that
applies it). Afterwards the register passes integrity_check and
cipher_integrity_check, its audit chain holds, and it has either none or all of
the bundle's records, with bundles_received and the quarantine (two records break a rule and are
held back) saying the same.

Trials: TUVAN_KILL_TRIALS (default 20; `make reliability` runs 200).
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.core.unit import make_unit
from app.demo import writer as demo
from app.store import audit
from app.store.connection import integrity_problems
from app.store.register import create_register, unlock
from app.store.records import SYNCED_TABLES
from app.sync import export, identity, merge
from tests.conftest import PASSPHRASE
from tests.reliability.conftest import KILLED

ROOT = Path(__file__).resolve().parents[2]
TRIALS = int(os.environ.get("TUVAN_KILL_TRIALS", "20"))
POINT = "MYHOA-01"

IMPORTER = """
import sys
from pathlib import Path
from app.store.register import unlock
from app.sync import merge
register = unlock(sys.argv[1], "admin", sys.argv[2])
print("ready", flush=True)
plan = merge.plan_import(register, Path(sys.argv[3]), "big.tvb")   # read from the file as it is decrypted
print("planned", flush=True)
result = merge.apply_import(register, plan)
print("imported" if result.applied else result.message_key, flush=True)
register.close()
"""


def _register(root, role, code, name):
    register, _ = create_register(root / code, unit=make_unit(role, code, name), admin_login="admin",
                                  admin_full_name="Quản Trị Viên", passphrase=PASSPHRASE)
    return register


def _pin(receiver, sender):
    me = identity.own_identity(sender)
    identity.pin(receiver, identity.identity_from_bytes(me.to_bytes()), me.confirmation)


def _state(register) -> tuple[dict[str, int], int, int]:
    counts = {t: register.conn.execute(f"SELECT count(*) FROM {t} WHERE origin = ?", (POINT,)).fetchone()[0]
              for t in SYNCED_TABLES}
    received = register.conn.execute("SELECT count(*) FROM bundles_received WHERE sender = ?", (POINT,)).fetchone()[0]
    held = register.conn.execute("SELECT count(*) FROM quarantine WHERE sender = ?", (POINT,)).fetchone()[0]
    return counts, received, held


@pytest.fixture(scope="module")
def setting(tmp_path_factory):
    """A pristine district folder (closed), a large bundle for it, and what a full import yields."""
    root = tmp_path_factory.mktemp("kill-import")
    district = _register(root, "district", "LX-CA", "Công an thành phố Long Xuyên")
    point = _register(root, "point", POINT, "Điểm tư vấn xã Mỹ Hòa")
    demo.fill(point, clients=1000, months=12, seed=20261126)
    # Two clients break a rule of the register (as a faulty program could send): they are held back,
    # so the one transaction also writes quarantine rows, which must come and go with the rest.
    point.conn.execute("PRAGMA ignore_check_constraints = ON")
    point.conn.execute("UPDATE clients SET sex = 'x', version = version + 1 WHERE seq IN (3, 7)")
    point.conn.execute("PRAGMA ignore_check_constraints = OFF")
    _pin(point, district)
    _pin(district, point)
    bundles = export.export_bundles(point, root / "usb")
    assert len(bundles) == 1
    point.close()
    district.close()
    pristine = root / "LX-CA"

    # One undisturbed import: how long it takes, and what "all" looks like.
    probe = root / "probe"
    shutil.copytree(pristine, probe)
    with unlock(probe, "admin", PASSPHRASE) as register:
        assert _state(register) == ({t: 0 for t in SYNCED_TABLES}, 0, 0)
        started = time.perf_counter()
        assert merge.import_bundle(register, bundles[0].path.read_bytes(), "big.tvb").applied
        seconds = time.perf_counter() - started
        full = _state(register)
    shutil.rmtree(probe)
    assert full[2] == 2 and sum(full[0].values()) == sum(bundles[0].counts.values()) - 2 > 5000
    return pristine, bundles[0].path, full, seconds


def test_kill_9_during_import_leaves_none_or_all_of_the_bundle(setting, tmp_path, tally):
    pristine, bundle, full, seconds = setting
    none = ({t: 0 for t in SYNCED_TABLES}, 0, 0)
    rng = random.Random(20261127)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    outcomes = {"none": 0, "all": 0}
    killed_while_applying = 0
    for trial in range(TRIALS):
        target = tmp_path / f"trial-{trial}"
        shutil.copytree(pristine, target)
        child = subprocess.Popen([sys.executable, "-c", IMPORTER, str(target), PASSPHRASE, str(bundle)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        assert child.stdout.readline().strip() == "ready", child.stderr.read()
        time.sleep(rng.uniform(0, seconds * 1.3))
        child.kill()
        out, err = child.communicate()
        said = out.split()
        assert child.returncode in (0, KILLED), err
        if "planned" in said and "imported" not in said:
            killed_while_applying += 1
        with unlock(target, "admin", PASSPHRASE) as register:
            problems = integrity_problems(register.conn)
            chain_ok = audit.verify(register.conn).ok
            state = _state(register)
            committed = "imported" in said
            tally.add("kill -9 during a district import (one bundle)", trials=1, committed=int(committed),
                      lost=int(committed and state != full), corrupted=int(bool(problems) or not chain_ok),
                      partial=int(state not in (none, full)))
            assert problems == [], f"trial {trial}"
            assert chain_ok, f"trial {trial}"
            assert state in (none, full), f"trial {trial}: half a bundle {state}"
            if committed:
                assert state == full, f"trial {trial}: a committed import was lost"
            outcomes["all" if state == full else "none"] += 1
            if trial == TRIALS - 1:
                # Whatever the kill left, importing the same file again finishes the job exactly once.
                result = merge.import_bundle(register, bundle.read_bytes(), "big.tvb")
                assert result.applied == (state == none)
                assert _state(register) == full
        shutil.rmtree(target)
    print(f"kill -9 during import: {outcomes}, {killed_while_applying} killed while applying "
          f"(import takes {seconds:.2f} s)")
    tally.note("kill -9 during a district import (one bundle)", none_applied=outcomes["none"],
               all_applied=outcomes["all"], killed_while_applying=killed_while_applying,
               records_in_bundle=sum(full[0].values()), import_seconds=round(seconds, 2))
    assert killed_while_applying >= 1, "no kill landed inside the import; the timing is off"
