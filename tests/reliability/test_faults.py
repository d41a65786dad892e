"""Faults: kill -9 during save, export and backup; a full disk during export and backup.

TUVAN_KILL_TRIALS sets the number of kills per operation (the full reliability run uses more).
"""

from __future__ import annotations

import errno
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.core.errors import DiskFull
from app.core.unit import make_unit
from app.demo import writer as demo
from app.store import audit, backup, register_folder
from app.store.connection import integrity_problems
from app.store.register import create_register, unlock
from app.sync import container, export, identity
from tests.conftest import PASSPHRASE

ROOT = Path(__file__).resolve().parents[2]
TRIALS = int(os.environ.get("TUVAN_KILL_TRIALS", "6"))

CHILD = """
import sys
from pathlib import Path
from app.store.register import unlock
from app.store import backup, contacts, rekey
from app.sync import export
register = unlock(sys.argv[1], "admin", sys.argv[2])
operation, out = sys.argv[3], Path(sys.argv[4])
client = register.conn.execute("SELECT id FROM clients LIMIT 1").fetchone()[0]
print("ready", flush=True)
n = 0
while True:
    n += 1
    if operation == "save":
        contacts.add(register, {"kind": "phone", "client_id": client, "contact_date": "2026-01-02",
                                "notes": "lần %d" % n})
    elif operation == "export":
        export.export_bundles(register, out / ("%05d" % n))
    elif operation == "rekey":
        rekey.rekey(register, sys.argv[2])
        register = unlock(sys.argv[1], "admin", sys.argv[2])
    else:
        backup.write_backup(register, out / ("%05d.tvbak" % n))
    print(n, flush=True)
"""


@pytest.fixture(scope="module")
def point(tmp_path_factory):
    folder = tmp_path_factory.mktemp("faults")
    register, _ = create_register(folder / "point", unit=make_unit("point", "MYHOA-01", "Điểm tư vấn xã Mỹ Hòa"),
                                  admin_login="admin", admin_full_name="Quản Trị", passphrase=PASSPHRASE)
    demo.fill(register, clients=60, months=6, seed=3)
    district, _ = create_register(folder / "district", unit=make_unit("district", "LX-CA", "Công an Long Xuyên"),
                                  admin_login="admin", admin_full_name="Cán Bộ", passphrase=PASSPHRASE)
    identity.pin(register, identity.own_identity(district), identity.own_identity(district).confirmation)
    district.close()
    root = register.paths.root
    register.close()
    return root, folder


def _counts(root) -> dict:
    with unlock(root, "admin", PASSPHRASE) as register:
        return {"problems": integrity_problems(register.conn) + ([] if audit.verify(register.conn).ok else ["audit"]),
                "contacts": register.db["contacts"].count,
                # A number still 'writing' (or superseded since) was committed before its file, by design
                # (docs/bundle-format.md §9): only a bundle recorded as sent must exist.
                "sent": [tuple(r) for r in register.conn.execute(
                    "SELECT seq, file_hash, file_name FROM bundles_sent WHERE state = 'sent'")],
                "backups": register.conn.execute(
                    "SELECT count(*) FROM audit_log WHERE action = 'backup.write'").fetchone()[0]}


@pytest.mark.parametrize("operation", ["save", "export", "backup", "rekey"])
def test_kill_9_during_an_operation_loses_nothing_committed(point, operation, tmp_path, tally):
    root, _folder = point
    rng = random.Random(operation)
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # Kills land anywhere in the first two or three operations, however slow this machine is right now:
    # a fixed window would never let a slow operation (a backup, a re-key) finish.
    window = max(0.6, 2.5 * _one_operation_seconds(root, operation, out / "calibration", env))
    for trial in range(TRIALS):
        before = _counts(root)
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(root), PASSPHRASE, operation, str(out)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        assert child.stdout.readline().strip() == "ready", child.stderr.read()
        time.sleep(rng.uniform(0.02, window))
        child.kill()
        done, _err = child.communicate()
        finished = len([line for line in done.split() if line.isdigit()])
        after = _counts(root)
        check = f"kill -9 during {LABELS[operation]}"
        if operation == "save":
            lost = max(0, before["contacts"] + finished - after["contacts"])
            partial = 0
        elif operation == "rekey":
            # Whichever key the kill left, the passphrase opens the register with every record.
            lost = before["contacts"] - after["contacts"]
            partial = int((root / register_folder.PENDING_NAME).exists())
        elif operation == "export":
            # Every recorded bundle exists; a kill may leave a ".part" file, never a damaged bundle
            # under its real name.
            lost = sum(1 for entry in after["sent"] if entry not in before["sent"] and not list(out.rglob(entry[2])))
            partial = _unreadable(out.rglob("*.tvb"), lambda made: container.read(made.read_bytes(), made.name))
        else:
            lost = max(0, before["backups"] + finished - after["backups"])
            partial = _unreadable(out.glob("*.tvbak"), backup.read_manifest)  # every backup that exists is whole
        tally.add(check, trials=1, committed=finished, lost=lost, corrupted=int(bool(after["problems"])),
                  partial=partial)
        tally.note(check, kill_window_seconds=round(window, 2))
        assert after["problems"] == [], f"trial {trial}: {after['problems']}"
        assert lost == 0, f"trial {trial}: {lost} committed {operation}s lost"
        assert partial == 0, f"trial {trial}: a half-written file under its real name"


def _one_operation_seconds(root, operation: str, out: Path, env: dict) -> float:
    """How long the child takes for its first operation, measured the way the trials run it."""
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(root), PASSPHRASE, operation, str(out)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    assert child.stdout.readline().strip() == "ready", child.stderr.read()
    started = time.perf_counter()
    assert child.stdout.readline().strip() == "1", child.stderr.read()
    seconds = time.perf_counter() - started
    child.kill()
    child.communicate()
    return seconds


LABELS = {"save": "contact saves", "export": "bundle export", "backup": "backup",
          "rekey": "re-keying the register"}


def _unreadable(files, read) -> int:
    bad = 0
    for made in files:
        try:
            read(made)
        except Exception:  # noqa: BLE001 - any failure to read a finished file counts against us
            bad += 1
    return bad


def _full(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_during_export_writes_nothing_and_says_so(point, tmp_path, monkeypatch, tally):
    root, _folder = point
    with unlock(root, "admin", PASSPHRASE) as register:
        sent = register.conn.execute("SELECT count(*) FROM bundles_sent").fetchone()[0]
        monkeypatch.setattr(os, "fsync", _full)
        with pytest.raises(DiskFull) as info:
            export.export_bundles(register, tmp_path / "usb")
        monkeypatch.undo()
        recorded = register.conn.execute("SELECT count(*) FROM bundles_sent").fetchone()[0] - sent
    left = [p for p in (tmp_path / "usb").rglob("*") if p.is_file()]
    tally.add("full disk (ENOSPC) during bundle export", trials=1, partial=len(left) + recorded)
    assert "đầy" in info.value.message
    assert recorded == 0
    assert not left


def test_a_full_disk_during_backup_writes_nothing_and_says_so(point, tmp_path, monkeypatch, tally):
    root, _folder = point
    with unlock(root, "admin", PASSPHRASE) as register:
        monkeypatch.setattr(os, "fsync", _full)
        with pytest.raises(DiskFull):
            backup.write_backup(register, tmp_path / "usb" / "b.tvbak")
        monkeypatch.undo()
    left = [p for p in (tmp_path / "usb").rglob("*") if p.is_file()]
    tally.add("full disk (ENOSPC) during backup", trials=1, partial=len(left))
    assert not left
