"""Faults: kill -9 during save, export and backup; a full disk during export and backup.

TUVAN_KILL_TRIALS sets the number of kills per operation (the full reliability run uses more).
"""

from __future__ import annotations

import errno
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.core.errors import DiskFull
from app.core.unit import make_unit
from app.store import backup, demo
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
from app.store import backup, contacts
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
    identity.pin(register, identity.own_identity(district), identity.own_identity(district).fingerprint)
    district.close()
    root = register.paths.root
    register.close()
    return root, folder


def _counts(root) -> dict:
    with unlock(root, "admin", PASSPHRASE) as register:
        assert integrity_problems(register.conn) == []
        return {"contacts": register.db["contacts"].count,
                "sent": [tuple(r) for r in register.conn.execute("SELECT seq, file_hash, file_name FROM bundles_sent")],
                "backups": register.conn.execute(
                    "SELECT count(*) FROM audit_log WHERE action = 'backup.write'").fetchone()[0]}


@pytest.mark.parametrize("operation", ["save", "export", "backup"])
def test_kill_9_during_an_operation_loses_nothing_committed(point, operation, tmp_path):
    root, _folder = point
    rng = random.Random(operation)
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for trial in range(TRIALS):
        before = _counts(root)
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(root), PASSPHRASE, operation, str(out)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        assert child.stdout.readline().strip() == "ready", child.stderr.read()
        time.sleep(rng.uniform(0.02, 0.6))
        child.send_signal(signal.SIGKILL)
        done, _err = child.communicate()
        finished = len([line for line in done.split() if line.isdigit()])
        after = _counts(root)  # integrity checked inside
        if operation == "save":
            assert after["contacts"] >= before["contacts"] + finished, f"trial {trial}"
        elif operation == "export":
            # Every recorded bundle exists with the recorded hash; an unrecorded one is never left half-written.
            for seq, file_hash, name in after["sent"]:
                matches = list(out.rglob(name))
                if (seq, file_hash, name) not in before["sent"]:
                    assert matches, f"bundle {seq} recorded but missing"
            # A kill may leave a ".part" temporary file, never a damaged bundle under its real name.
            for made in out.rglob("*.tvb"):
                container.read(made.read_bytes(), made.name)
        else:
            assert after["backups"] >= before["backups"] + finished
            for made in out.glob("*.tvbak"):
                backup.read_manifest(made)  # every backup file that exists is whole


def _full(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_during_export_writes_nothing_and_says_so(point, tmp_path, monkeypatch):
    root, _folder = point
    with unlock(root, "admin", PASSPHRASE) as register:
        sent = register.conn.execute("SELECT count(*) FROM bundles_sent").fetchone()[0]
        monkeypatch.setattr(os, "fsync", _full)
        with pytest.raises(DiskFull) as info:
            export.export_bundles(register, tmp_path / "usb")
        monkeypatch.undo()
        assert "đầy" in info.value.message
        assert register.conn.execute("SELECT count(*) FROM bundles_sent").fetchone()[0] == sent
    assert not [p for p in (tmp_path / "usb").rglob("*") if p.is_file()]


def test_a_full_disk_during_backup_writes_nothing_and_says_so(point, tmp_path, monkeypatch):
    root, _folder = point
    with unlock(root, "admin", PASSPHRASE) as register:
        monkeypatch.setattr(os, "fsync", _full)
        with pytest.raises(DiskFull):
            backup.write_backup(register, tmp_path / "usb" / "b.tvbak")
        monkeypatch.undo()
    assert not [p for p in (tmp_path / "usb").rglob("*") if p.is_file()]
