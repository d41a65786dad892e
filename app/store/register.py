"""A register on disk, and the unlocked register a session works with.

A register is a folder: the encrypted database (with its WAL), the key-slot
file, the unlock-throttle state and local backups. Nothing in the folder is
readable without a key.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from app import __version__
from app.core.clock import utc_stamp
from app.core.errors import PathTooLong, PermissionDenied, RegisterDamaged, RegisterExists, WrongPassphrase
from app.core.hlc import HybridClock
from app.core.ids import uuid7
from app.core.passphrase import check_new, normalize
from app.core.recovery_key import RecoveryKey
from app.core.roles import Permission, Role, allows
from app.core.unit import RegisterRole, Unit, check_login, check_required
from app.core.i18n import N_
from app.store import audit, migrations, settings as register_settings, users
from app.store.backup import backup_before_upgrade
from app.store.connection import database, open_keyed
from app.store.files import cannot_write, fsync_dir
from app.store.register_folder import RegisterPaths, drop_stale, finish_pending, register_paths
from app.store.register_lock import Claim, claim_open
from app.store.throttle import UnlockThrottle
from app.store.vault import (
    KIND_RECOVERY,
    KIND_USER,
    KeySlotFile,
    KdfParams,
    calibrate,
    recovery_kdf,
    seal_slot,
)

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
        last = conn.execute("SELECT max(version) FROM change_log").fetchone()[0] if _has_table(conn, "change_log") else 0
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

    def close(self) -> None:
        with self._reader_lock:
            if self._reader is not None:
                self._reader.close()
                self._reader = None
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


# --- creating ---------------------------------------------------------------

def _check_free(root: Path) -> None:
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise RegisterExists(path=str(root))


def create_register(
    root: Path,
    *,
    unit: Unit,
    admin_login: str,
    admin_full_name: str,
    passphrase: str,
    kdf: KdfParams | None = None,
) -> tuple[Register, RecoveryKey]:
    """Create a new register and sign its first administrator in.

    Built in a hidden sibling folder and renamed into place, so an
    interrupted creation never leaves a half-made register at `root`.
    """
    root = Path(root).absolute()
    try:
        _check_free(root)
    except OSError as error:  # a name too long for this system, a drive that is gone
        raise cannot_write(root, error) from error
    login = check_login(admin_login)
    full_name = check_required(admin_full_name, N_("Full name"))
    passphrase = check_new(passphrase)
    staging = root.parent / f".{root.name}.creating-{os.getpid()}-{uuid7()[-8:]}"
    # SQLite opens no file whose name passes 512 bytes (its SQLITE_MAX_PATHNAME), after the folder
    # was made: refuse such a folder first. Vietnamese letters take two or three bytes each.
    if len(os.fsencode(str(staging / "register.db-journal"))) > 500:
        raise PathTooLong(path=str(root))
    try:
        root.parent.mkdir(parents=True, exist_ok=True)
        staging.mkdir(mode=0o700)
    except OSError as error:
        raise cannot_write(root, error) from error
    try:
        register_id = uuid7()
        data_key = os.urandom(32)
        user_id = uuid7()
        recovery = RecoveryKey.generate()
        staged = RegisterPaths(staging)
        conn = open_keyed(staged.db, data_key, create=True)
        try:
            migrations.upgrade(conn)
            db = database(conn)
            now = utc_stamp()
            with db.atomic():
                conn.executemany(
                    "INSERT INTO register_info (key, value) VALUES (?, ?)",
                    [
                        ("register_id", register_id),
                        ("role", unit.role.value),
                        ("unit_code", unit.code),
                        ("created_at", now),
                        ("created_by_version", __version__),
                    ],
                )
                register_settings.put(conn, "unit_name", unit.name, user_id)
                register_settings.put(conn, "office_name", unit.office_name, user_id)
                conn.execute(
                    "INSERT INTO users (id, login, full_name, role, active, created_at, updated_at)"
                    " VALUES (?, ?, ?, 'admin', 1, ?, ?)",
                    (user_id, login, full_name, now, now),
                )
                audit.record(conn, user_id, "register.create", "register", register_id,
                             {"role": unit.role.value, "unit_code": unit.code})
        finally:
            conn.close()
        slots = KeySlotFile(register_id, [])
        slots.put_user_slot(
            seal_slot(register_id, data_key, passphrase.encode(), kind=KIND_USER,
                      kdf=kdf or calibrate(), user_id=user_id, login=login, admin=True)
        )
        slots.put_recovery_slot(
            seal_slot(register_id, data_key, recovery.secret, kind=KIND_RECOVERY, kdf=recovery_kdf())
        )
        slots.save(staged.slots)
        staged.backups.mkdir(mode=0o700)
        if root.exists():
            root.rmdir()
        os.replace(staging, root)
        fsync_dir(root.parent)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    register = _open(RegisterPaths(root), data_key, register_id, user_id)
    return register, recovery


# --- opening ----------------------------------------------------------------

def _connect(paths: RegisterPaths, data_key: bytes):
    try:
        conn = open_keyed(paths.db, data_key)
    except WrongPassphrase:
        if not finish_pending(paths, data_key):  # a re-key cut short after its commit point
            raise
        return open_keyed(paths.db, data_key)
    drop_stale(paths)
    return conn


def _open(paths: RegisterPaths, data_key: bytes, register_id: str, user_id: str) -> Register:
    claim = claim_open(paths.root)
    try:
        conn = _connect(paths, data_key)
    except BaseException:
        claim.release()
        raise
    try:
        stored_id = conn.execute(
            "SELECT value FROM register_info WHERE key = 'register_id'"
        ).fetchone() if _has_table(conn, "register_info") else None
        if stored_id is None or stored_id[0] != register_id:
            raise RegisterDamaged(path=str(paths.root), detail="register id does not match its key slots")
        migrations.upgrade(conn, backup=lambda version: backup_before_upgrade(paths, conn, data_key, version))
        row = conn.execute(
            "SELECT id, login, full_name, role, active FROM users WHERE id = ?", (user_id,)
        ).fetchone()
        if row is None or not row[4]:
            raise WrongPassphrase()
        user = SignedInUser(row[0], row[1], row[2], Role(row[3]))
    except BaseException:
        conn.close()
        claim.release()
        raise
    return Register(paths, conn, data_key, register_id, user, claim)


def _has_table(conn, name: str) -> bool:
    return conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
    ).fetchone() is not None


def unlock(root: Path, login: str | None, passphrase: str) -> Register:
    """Open the register with a user's passphrase (login None = the first admin)."""
    paths = register_paths(root)
    throttle = UnlockThrottle(paths.throttle)
    throttle.check()
    slots = KeySlotFile.load(paths.slots)
    try:
        try:
            slot = slots.user_slot(login)
        except WrongPassphrase:
            # Same cost for an unknown user as for a wrong passphrase.
            users = [s for s in slots.slots if s.kind == KIND_USER]
            if users:
                users[0].kdf.derive(normalize(passphrase).encode())
            raise
        data_key = slot.open(slots.register_id, normalize(passphrase).encode())
        register = _open(paths, data_key, slots.register_id, slot.user_id)
    except WrongPassphrase:
        throttle.failed()
        raise
    throttle.succeeded()
    with register.transaction():
        register.audit("register.unlock")
    return register


def unlock_with_recovery_key(root: Path, recovery_key: str, login: str | None, new_passphrase: str) -> Register:
    """Open with the recovery key and give `login` (default: first admin) a new passphrase."""
    paths = register_paths(root)
    key = RecoveryKey.parse(recovery_key)
    passphrase = check_new(new_passphrase)
    throttle = UnlockThrottle(paths.throttle)
    throttle.check()
    slots = KeySlotFile.load(paths.slots)
    try:
        data_key = slots.recovery_slot().open(slots.register_id, key.secret)
    except Exception:
        throttle.failed()
        raise
    throttle.succeeded()
    with claim_open(paths.root):
        conn = _connect(paths, data_key)
        try:
            user_id = users.resolve_user_id(conn, login)
        finally:
            conn.close()
    register = _open(paths, data_key, slots.register_id, user_id)
    try:
        with register.transaction():
            users.write_slot(register, register.user, passphrase)
            register.audit("passphrase.recover", "user", register.user.id)
    except BaseException:
        register.close()
        raise
    return register
