"""Power loss during an export: no false fork alarm, no missing bundle, nothing lost (issue 13).

A point commits a bundle's number as 'writing', writes the file, then marks it 'sent'. These tests
kill the exporting process exactly between the file reaching the disk and the commit (and just
before the file), and at random moments of a change-and-export loop. Whatever files survive on the
"USB stick" then reach the district with one more export: the district must raise no fork or chain
alarm, miss no bundle number and no change, and hold every record the point has.

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

from app.demo import writer as demo
from app.store import audit
from app.store.connection import integrity_problems
from app.store.records import SYNCED_TABLES
from app.store.register import unlock
from app.sync import chain, container, export, merge
from tests.conftest import PASSPHRASE
from tests.reliability.conftest import KILLED
from tests.reliability.test_kill_during_import import _pin, _register

ROOT = Path(__file__).resolve().parents[2]
TRIALS = int(os.environ.get("TUVAN_KILL_TRIALS", "20"))
POINT = "MYHOA-01"

# Exports once; the file write is wrapped so the parent can kill at the moment it names.
STOPPED_EXPORT = """
import sys, time
from app.store.register import unlock
from app.sync import export
moment = sys.argv[3]
original = export.write_atomic
def write_atomic(path, data, mode=0o600):
    if moment == "before-file":
        print("stop", flush=True); time.sleep(60)
    original(path, data, mode=mode)
    if moment == "after-file":
        print("stop", flush=True); time.sleep(60)
export.write_atomic = write_atomic
register = unlock(sys.argv[1], "admin", sys.argv[2])
export.export_bundles(register, sys.argv[4])
print("exported", flush=True)
"""

# Changes a record and exports, again and again, until killed.
EXPORT_LOOP = """
import sys
from app.core import clock
from app.store import outreach
from app.store.register import unlock
from app.sync import export
register = unlock(sys.argv[1], "admin", sys.argv[2])
print("ready", flush=True)
n = int(sys.argv[4])
while True:
    n += 1
    outreach.add(register, {"kind": "leaflets", "activity_date": clock.today().isoformat(), "quantity": n})
    export.export_bundles(register, sys.argv[3])
    print(n, flush=True)
"""


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    """A point with some months of work and a district that trusts it (both closed)."""
    root = tmp_path_factory.mktemp("kill-export")
    district = _register(root, "district", "LX-CA", "Công an thành phố Long Xuyên")
    point = _register(root, "point", POINT, "Điểm tư vấn xã Mỹ Hòa")
    demo.fill(point, clients=120, months=6, seed=20261206)
    _pin(point, district)
    _pin(district, point)
    point.close()
    district.close()
    return root


def _copy(pristine: Path, target: Path) -> tuple[Path, Path]:
    shutil.copytree(pristine / POINT, target / POINT)
    shutil.copytree(pristine / "LX-CA", target / "LX-CA")
    return target / POINT, target / "LX-CA"


def _run(script: str, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", script, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)


def _deliver(point_root: Path, district_root: Path, usb: Path, rng: random.Random) -> dict:
    """One more export at the point, then every bundle file on the stick imported at the district (in a
    random order): what the district then knows of the point."""
    with unlock(point_root, "admin", PASSPHRASE) as point:
        assert integrity_problems(point.conn) == [] and audit.verify(point.conn).ok
        try:
            export.export_bundles(point, usb)
        except export.NothingToExport:
            pass
        assert export.unconfirmed(point.conn) == []
        expected = {t: point.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in SYNCED_TABLES}
        sent_last = point.conn.execute("SELECT max(last_change) FROM bundles_sent").fetchone()[0]
    files = sorted(usb.glob("*.tvb"))
    rng.shuffle(files)
    with unlock(district_root, "admin", PASSPHRASE) as district:
        for path in files:
            merge.import_bundle(district, path.read_bytes(), path.name)
        found = chain.chain_of(district.conn, POINT)
        held = {t: district.conn.execute(f"SELECT count(*) FROM {t} WHERE origin = ?", (POINT,)).fetchone()[0]
                for t in SYNCED_TABLES}
        alarms = district.conn.execute("SELECT seq, kind FROM sync_alarms").fetchall()
    return {"expected": expected, "held": held, "alarms": alarms, "missing_bundles": found.missing_bundles,
            "missing_changes": found.missing_changes, "contiguous": found.contiguous_upto, "sent_last": sent_last,
            "files": len(files)}


def _assert_whole(outcome: dict) -> None:
    assert outcome["alarms"] == [], "a power cut at the point raised an alarm at the district"
    assert outcome["missing_bundles"] == [] and outcome["missing_changes"] == []
    assert outcome["contiguous"] == outcome["sent_last"]
    assert outcome["held"] == outcome["expected"]


@pytest.mark.parametrize("moment", ["after-file", "before-file"])
@pytest.mark.parametrize("stick", ["kept", "lost"])
def test_kill_between_the_file_and_its_commit_raises_no_false_fork(pristine, tmp_path, moment, stick, tally):
    point_root, district_root = _copy(pristine, tmp_path)
    usb = tmp_path / "usb"
    child = _run(STOPPED_EXPORT, str(point_root), PASSPHRASE, moment, str(usb))
    assert child.stdout.readline().strip() == "stop", child.stderr.read()
    child.kill()
    child.communicate()
    assert child.returncode == KILLED
    written = sorted(usb.glob("*.tvb"))
    assert len(written) == (1 if moment == "after-file" else 0)
    with unlock(point_root, "admin", PASSPHRASE) as point:
        assert export.unconfirmed(point.conn) == [1]          # the number is remembered, not reused
    if stick == "lost":                                        # the stick went to the office with bundle 1
        for path in written:
            path.rename(tmp_path / path.name)
    outcome = _deliver(point_root, district_root, usb, random.Random(1))
    _assert_whole(outcome)
    second = container.read((usb / f"{POINT}-00002.tvb").read_bytes(), "2").header
    assert second["seq"] == 2 and second["supersedes"] == [1] and second["changes"]["first"] == 1
    if stick == "lost" and written:
        # The stick turns up later: its bundle 1 is still a valid link of the chain, not a fork.
        with unlock(district_root, "admin", PASSPHRASE) as district:
            result = merge.import_bundle(district, (tmp_path / written[0].name).read_bytes(), "1")
            assert result.applied
            assert district.conn.execute("SELECT count(*) FROM sync_alarms").fetchone()[0] == 0
            assert chain.chain_of(district.conn, POINT).bundles == [1, 2]
    tally.add("kill -9 between a bundle file and its commit", trials=1, committed=1,
              lost=int(outcome["held"] != outcome["expected"]), partial=len(outcome["alarms"]))


def test_kill_9_at_random_moments_of_exporting_loses_nothing_and_raises_no_alarm(pristine, tmp_path, tally):
    point_root, district_root = _copy(pristine, tmp_path)
    usb = tmp_path / "usb"
    rng = random.Random(20261206)
    committed = 0
    for trial in range(TRIALS):
        child = _run(EXPORT_LOOP, str(point_root), PASSPHRASE, str(usb), str(trial * 1000))
        assert child.stdout.readline().strip() == "ready", child.stderr.read()
        time.sleep(rng.uniform(0.05, 0.6))
        child.kill()
        out, err = child.communicate()
        assert child.returncode in (0, KILLED), err
        committed += sum(1 for line in out.split() if line.isdigit())
        with unlock(point_root, "admin", PASSPHRASE) as point:
            assert integrity_problems(point.conn) == [], f"trial {trial}"
            assert audit.verify(point.conn).ok, f"trial {trial}"
    outcome = _deliver(point_root, district_root, usb, rng)
    tally.add("kill -9 at random moments of change-and-export", trials=TRIALS, committed=committed,
              lost=int(outcome["held"] != outcome["expected"]), partial=len(outcome["alarms"]))
    tally.note("kill -9 at random moments of change-and-export", bundle_files=outcome["files"])
    _assert_whole(outcome)
    assert committed >= 1, "no export finished between kills; the timing is off"
