"""Power loss: kill -9 at random moments of a write loop loses no committed row."""

import os
import random
import subprocess
import sys
import time
from pathlib import Path

from app.store import audit
from app.store.connection import integrity_problems
from app.store.register import unlock
from tests.conftest import PASSPHRASE

ROOT = Path(__file__).resolve().parents[2]
TRIALS = int(os.environ.get("TUVAN_KILL_TRIALS", "20"))  # `make reliability` runs 200

WRITER = """
import sys
from app.store.register import unlock
register = unlock(sys.argv[1], "admin", sys.argv[2])
n = int(sys.argv[3])
print("ready", flush=True)
while True:
    n += 1
    with register.transaction():  # several rows per transaction, like a real save
        register.audit("test.write", "probe", str(n), {"n": n, "pad": "x" * (n % 700)})
        register.audit("test.write", "probe", f"{n}b", {"n": n})
    print(n, flush=True)  # printed only after COMMIT returned
"""


def test_kill_9_during_writes_keeps_every_committed_row(register, tally):
    root = register.paths.root
    register.close()
    rng = random.Random(20261126)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    committed: set[int] = set()
    for round_ in range(TRIALS):
        child = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(root), PASSPHRASE, str(round_ * 1_000_000)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )
        assert child.stdout.readline().strip() == "ready", child.stderr.read()
        time.sleep(rng.uniform(0.01, 0.4))
        child.kill()
        out, _ = child.communicate()
        this_round = {int(line) for line in out.split() if line.isdigit()}
        committed.update(this_round)
        with unlock(root, "admin", PASSPHRASE) as reg:
            problems = integrity_problems(reg.conn)
            chain_ok = audit.verify(reg.conn).ok
            stored = [int(row[0]) for row in reg.conn.execute(
                "SELECT entity_id FROM audit_log WHERE action = 'test.write' AND entity_id NOT LIKE '%b'")]
            pairs = reg.conn.execute(
                "SELECT count(*) FROM audit_log WHERE action = 'test.write' AND entity_id LIKE '%b'").fetchone()[0]
            lost = committed - set(stored)
            tally.add("kill -9 during a write loop (2 rows per transaction)", trials=1, committed=len(this_round),
                      lost=len(lost & this_round), corrupted=int(bool(problems) or not chain_ok),
                      partial=int(pairs != len(stored)))
            assert problems == [], f"round {round_}"
            assert not lost, f"round {round_}: lost {sorted(lost)[:5]}"
            assert pairs == len(stored), "a transaction was half applied"
            assert chain_ok
    assert len(committed) > 20
