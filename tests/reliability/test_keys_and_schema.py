"""Wrong passphrases, tampered key-slot files and a register from a newer schema (docs/design.md §9).

Each is refused with a message a user can act on, quickly, and leaves the register's files as they
were. Trials: TUVAN_KILL_TRIALS wrong passphrases (20 in `make test`, 200 in `make reliability`) and
a tenth of TUVAN_FUZZ_EXAMPLES tampered key-slot files (30 and 1,000).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import string
import time

import pytest

from app.core.errors import RegisterTooNew, UserError, WrongPassphrase
from app.store import migrations
from app.store.register import unlock
from app.store.register_folder import DB_NAME, SLOTS_NAME, THROTTLE_NAME
from tests.conftest import PASSPHRASE

PASSPHRASE_TRIALS = int(os.environ.get("TUVAN_KILL_TRIALS", "20"))
TAMPER_TRIALS = max(30, int(os.environ.get("TUVAN_FUZZ_EXAMPLES", "300")) // 10)
SLOW = 10.0  # seconds: no tampered file may make an unlock hang (the real KDF takes ~0.5 s)


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def closed(register):
    root = register.paths.root
    register.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    register.close()
    return root


def _near_misses(rng: random.Random) -> str:
    kinds = [
        lambda: PASSPHRASE[:-1],
        lambda: PASSPHRASE + " ",
        lambda: PASSPHRASE.upper(),
        lambda: PASSPHRASE.replace("o", "ô", 1),  # a diacritic too many
        lambda: PASSPHRASE.replace(" ", "", 1),
        lambda: "",
        lambda: "x" * rng.randint(1000, 100_000),
        lambda: "".join(rng.choice(string.printable) for _ in range(rng.randint(1, 40))),
        lambda: "".join(chr(rng.randint(0x20, 0x2FFF)) for _ in range(rng.randint(1, 40))),
        lambda: "\0" * rng.randint(1, 8),
    ]
    return rng.choice(kinds)()


def test_wrong_passphrases_are_refused_and_change_nothing(closed, tally):
    check = "wrong passphrases"
    rng = random.Random(7)
    db, slots = _digest(closed / DB_NAME), _digest(closed / SLOTS_NAME)
    for trial in range(PASSPHRASE_TRIALS):
        (closed / THROTTLE_NAME).unlink(missing_ok=True)  # as if the slow-down had been waited out
        guess = _near_misses(rng)
        tally.add(check, trials=1)
        try:
            unlock(closed, "admin", guess).close()
        except WrongPassphrase as error:
            assert "Sai tên người dùng hoặc mật khẩu" in error.message
        except Exception:
            tally.add(check, crashes=1)
            raise
        else:
            pytest.fail(f"trial {trial}: {guess[:20]!r} opened the register")
        changed = (_digest(closed / DB_NAME), _digest(closed / SLOTS_NAME)) != (db, slots)
        tally.add(check, corrupted=int(changed))
        assert not changed, f"trial {trial}: a refused unlock changed the register"
    (closed / THROTTLE_NAME).unlink(missing_ok=True)
    unlock(closed, "admin", PASSPHRASE).close()


def _tamper(original: bytes, rng: random.Random) -> tuple[str, bytes]:
    """One change to the key-slot file: bytes flipped or cut, or a JSON value replaced."""
    how = rng.choice(["bit", "cut", "insert", "truncate", "value", "drop key", "not utf-8"])
    data = bytearray(original)
    if how == "bit":
        for _ in range(rng.randint(1, 3)):
            spot = rng.randrange(len(data))
            data[spot] ^= 1 << rng.randrange(8)
    elif how == "cut":
        start = rng.randrange(len(data))
        del data[start:start + rng.randint(1, 40)]
    elif how == "insert":
        data[rng.randrange(len(data)):0] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 12)))
    elif how == "truncate":
        data = data[:rng.randrange(len(data))]
    elif how == "not utf-8":
        data[rng.randrange(len(data))] = 0xFF
    else:
        document = json.loads(original)
        paths = list(_leaves(document))
        path = rng.choice(paths)
        target = document
        for step in path[:-1]:
            target = target[step]
        if how == "drop key" and isinstance(target, dict):
            del target[path[-1]]
        else:
            target[path[-1]] = rng.choice([
                0, -1, 1, 2 ** 31, 2 ** 63, 10 ** 30, 1.5, float("nan"), "", "2", None, True, [], {},
                "A" * 10_000, "!!not base64!!", "AAAA", 4 * 1024 * 1024 * 1024, 64 * 1024 * 1024,
            ])
        data = bytearray(json.dumps(document).encode())
    return how, bytes(data)


def _leaves(value, prefix=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*prefix, key)
            yield from _leaves(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield (*prefix, index)
            yield from _leaves(item, (*prefix, index))


def test_tampered_key_slot_files_are_refused_quickly_and_change_nothing(closed, tally):
    check = "tampered key-slot files"
    rng = random.Random(11)
    slots_path = closed / SLOTS_NAME
    original = slots_path.read_bytes()
    db = _digest(closed / DB_NAME)
    outcomes: dict[str, int] = {}
    for trial in range(TAMPER_TRIALS):
        (closed / THROTTLE_NAME).unlink(missing_ok=True)
        how, tampered = _tamper(original, rng)
        slots_path.write_bytes(tampered)
        tally.add(check, trials=1)
        started = time.perf_counter()
        try:
            register = unlock(closed, "admin", PASSPHRASE)
        except UserError as error:
            assert error.message and not re.search(r"\{[a-z_]+\}", error.message), error.message
            outcome = type(error).__name__
            unchanged = _digest(closed / DB_NAME) == db and slots_path.read_bytes() == tampered
            tally.add(check, corrupted=int(not unchanged))
            assert unchanged, f"trial {trial} ({how}): a refused unlock changed a file"
        except Exception:
            tally.add(check, crashes=1)
            raise
        else:
            # A change the slot does not depend on (spacing, an unused field's form): still the same register.
            assert register.db["users"].count >= 1
            register.close()
            outcome = "opened (harmless change)"
        seconds = time.perf_counter() - started
        assert seconds < SLOW, f"trial {trial} ({how}): unlock took {seconds:.1f} s"
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        slots_path.write_bytes(original)
        db = _digest(closed / DB_NAME)  # a successful unlock writes its audit entry
    tally.note(check, **outcomes)
    (closed / THROTTLE_NAME).unlink(missing_ok=True)
    unlock(closed, "admin", PASSPHRASE).close()


def test_a_register_from_a_newer_schema_is_refused_and_left_alone(register, tally):
    root = register.paths.root
    register.conn.execute(f"PRAGMA user_version = {migrations.latest_version() + 3}")
    register.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    register.close()
    files = {p.name: _digest(p) for p in root.iterdir() if p.is_file() and p.name != THROTTLE_NAME}
    with pytest.raises(RegisterTooNew) as info:
        unlock(root, "admin", PASSPHRASE)
    after = {p.name: _digest(p) for p in root.iterdir() if p.is_file() and p.name != THROTTLE_NAME}
    tally.add("register from a newer schema", trials=1, corrupted=int(after != files))
    assert "phiên bản mới hơn" in info.value.message
    assert after == files, "opening a newer register changed or added files (no upgrade backup either)"
