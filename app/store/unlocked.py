"""The unlocked register a session works with: one connection, the data key and the signed-in user.

Made by app/store/register.py (a register file) or app/store/pg/office.py (an office on a
PostgreSQL server, a subclass); everything above the store takes a `Register` and does not ask
which engine it is on.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from app.core.hlc import HybridClock
from app.core.roles import Permission, Role, allows
from app.core.unit import RegisterRole, Unit
from app.core.errors import PermissionDenied, WrongPassphrase
from app.store import audit, settings as register_settings
from app.store.connection import database, open_keyed
from app.store.register_folder import RegisterPaths
from app.store.register_lock import Claim
from app.store.throttle import UnlockThrottle
from app.store.vault import KeySlotFile


@dataclass(frozen=True)
class SignedInUser:
    id: str
    login: str
    full_name: str
    role: Role


class Register:
    """An unlocked register: one keyed connection and the signed-in user.

    The connection belongs to the thread that opened it (SQLite's own
    check); in the GUI that is the one task-runner thread.
    """

    def __init__(self, paths: RegisterPaths, conn, data_key: bytes, register_id: str, user: SignedInUser,
                 claim: Claim | None = None):
        self.paths = paths
        self.claim = claim  # the "open" claim other programs see (app/store/register_lock.py)
        self.conn = conn
        self.data_key = data_key
        self.register_id = register_id
        self.user = user
        self.db = database(conn)
        self._reader, self._reader_lock = None, threading.Lock()
        self.origin = conn.execute("SELECT value FROM register_info WHERE key = 'unit_code'").fetchone()[0]
        last = conn.execute("SELECT max(version) FROM change_log").fetchone()[0] if _has_change_log(conn) else 0
        self.clock = HybridClock(last or 0)

    # --- identity -----------------------------------------------------------
    def info(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT key, value FROM register_info"))

    def unit(self) -> Unit:
        info = self.info()
        return Unit(
            role=RegisterRole(info["role"]),
            code=info["unit_code"],
            name=register_settings.get(self.conn, "unit_name"),
            office_name=register_settings.get(self.conn, "office_name"),
        )

    # --- rules --------------------------------------------------------------
    def require(self, permission: Permission) -> None:
        if not allows(self.user.role, permission):
            raise PermissionDenied(role=self.user.role.label)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction around a multi-row change (savepoint when nested)."""
        with self.db.atomic():
            yield

    def audit(self, action: str, entity: str | None = None, entity_id: str | None = None, detail: dict | None = None) -> None:
        audit.record(self.conn, self.user.id, action, entity, entity_id, detail)

    @contextlib.contextmanager
    def reader(self) -> Iterator[object]:
        """A second connection to this register that only reads, for counting in another thread while
        this one counts too (app/reports/engine.py). Kept open, with its cache of decrypted pages,
        until the register closes; one thread at a time uses it. Its answers are this connection's:
        the program's writes run one at a time in the thread that also counts, and no other program
        opens a register that is open here (register_lock)."""
        with self._reader_lock:
            if self._reader is None:
                self._reader = open_keyed(self.paths.db, self.data_key, any_thread=True)
                self._reader.execute("PRAGMA query_only = ON")
            yield self._reader

    def load_slots(self) -> KeySlotFile:
        return KeySlotFile.load(self.paths.slots)

    def save_slots(self, slots: KeySlotFile) -> None:
        """Store the key slots (call inside the transaction of the change they follow)."""
        slots.save(self.paths.slots)

    # What a register on a database server also does when a person's sign-in changes
    # (app/store/pg/office.py); a register file has nothing more to do.
    def login_added(self, login: str, admin: bool) -> None:
        pass

    def login_secret_changed(self, login: str, passphrase: str) -> None:
        pass

    def login_removed(self, login: str) -> None:
        pass

    def _close_reader(self) -> None:
        with self._reader_lock:
            if self._reader is not None:
                self._reader.close()
                self._reader = None

    def close(self) -> None:
        self._close_reader()
        if self.conn is not None:
            with contextlib.suppress(Exception):
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self.conn.close()
            self.conn = None
        if self.claim is not None:
            self.claim.release()
            self.claim = None

    def __enter__(self) -> "Register":
        return self

    def __exit__(self, *exc) -> None:
        self.close()



def signed_in(paths: RegisterPaths, open_register: Callable[[], Register]) -> Register:
    """`open_register()` under the unlock throttle (a wrong passphrase makes the next try wait), and
    the unlock in the audit log: the same for a register file and one on a server."""
    throttle = UnlockThrottle(paths.throttle)
    throttle.check()
    try:
        register = open_register()
    except WrongPassphrase:
        throttle.failed()
        raise
    throttle.succeeded()
    with register.transaction():
        register.audit("register.unlock")
    return register


def _has_change_log(conn) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'change_log'").fetchone() is not None
