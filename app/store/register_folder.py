"""A register's folder on disk: which file is which, and a re-key that a power cut left half done.

Below register.py, backup.py and rekey.py, which all need it; it imports none of them.
Nothing here needs a key except finishing a re-key, which is handed the key the slots opened.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

from app.core.errors import RegisterDriveMissing, RegisterNotFound, WrongPassphrase
from app.store.connection import open_keyed
from app.store.files import fsync_dir
from app.store.vault import KeySlotFile

DB_NAME = "register.db"
SLOTS_NAME = "keyslots.json"
THROTTLE_NAME = "unlock-state.json"
BACKUPS_NAME = "backups"
SERVER_NAME = "database.json"  # an office register kept on PostgreSQL: where it is (app/store/pg/office.py)
PENDING_NAME = "register.db.rekey"  # the database copied under a new key, waiting to be renamed (rekey.py)


@dataclass(frozen=True)
class RegisterPaths:
    root: Path

    @property
    def db(self) -> Path:
        return self.root / DB_NAME

    @property
    def slots(self) -> Path:
        return self.root / SLOTS_NAME

    @property
    def server(self) -> Path:
        return self.root / SERVER_NAME

    @property
    def on_server(self) -> bool:
        return self.server.is_file()

    @property
    def throttle(self) -> Path:
        return self.root / THROTTLE_NAME

    @property
    def backups(self) -> Path:
        return self.root / BACKUPS_NAME

    def exists(self) -> bool:
        return (self.db.is_file() and self.slots.is_file()) or self.on_server


def register_paths(root: Path) -> RegisterPaths:
    paths = RegisterPaths(Path(root).absolute())
    if not paths.exists():
        drive = Path(paths.root.anchor)
        if paths.root.drive and not drive.exists():  # Windows: a removed USB stick, an unmapped letter
            raise RegisterDriveMissing(path=str(paths.root), drive=str(drive))
        raise RegisterNotFound(path=str(paths.root))
    return paths


def read_register_id(root: Path) -> str:
    """The register id from the key-slot file (readable without a key)."""
    return KeySlotFile.load(register_paths(root).slots).register_id


# --- a re-key's waiting copy (the steps are described in rekey.py) -----------------------

def pending_path(paths) -> Path:
    return paths.root / PENDING_NAME


def sidecars(db: Path) -> list[Path]:
    return [Path(f"{db}-wal"), Path(f"{db}-shm"), Path(f"{db}-journal")]


def swap_in(paths) -> None:
    """Rename the waiting copy over the database (step 2 of a re-key)."""
    for sidecar in sidecars(paths.db):
        sidecar.unlink(missing_ok=True)  # the old key's WAL must never meet the new file
    os.replace(pending_path(paths), paths.db)
    fsync_dir(paths.root)


def finish_pending(paths, data_key: bytes) -> bool:
    """At unlock: complete a re-key cut short after its commit point. True if the database changed."""
    pending = pending_path(paths)
    if not pending.exists():
        return False
    try:
        open_keyed(pending, data_key).close()
    except WrongPassphrase:
        return False
    swap_in(paths)
    return True


def drop_stale(paths) -> None:
    """The main file opened with the slots' key: a waiting copy is from a re-key that never committed."""
    for leftover in (pending_path(paths), *sidecars(pending_path(paths))):
        with contextlib.suppress(OSError):  # another program may be writing it (Windows refuses)
            leftover.unlink(missing_ok=True)
