"""A register on disk, and the unlocked register a session works with.

A register is a folder: the encrypted database (with its WAL), the key-slot
file, the unlock-throttle state and local backups. Nothing in the folder is
readable without a key.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from app import __version__
from app.core.clock import utc_stamp
from app.core.errors import PathTooLong, RegisterDamaged, RegisterExists, WrongPassphrase
from app.core.ids import uuid7
from app.core.passphrase import check_new, normalize
from app.core.recovery_key import RecoveryKey
from app.core.roles import Role
from app.core.unit import Unit, check_login, check_required
from app.core.i18n import N_
from app.store import audit, migrations, settings as register_settings, users
from app.store.backup import backup_before_upgrade
from app.store.connection import database, open_keyed
from app.store.files import cannot_write, put_in_place
from app.store.register_folder import RegisterPaths, drop_stale, finish_pending, register_paths
from app.store.register_lock import claim_open
from app.store.throttle import UnlockThrottle
from app.store.unlocked import Register, SignedInUser, signed_in  # noqa: F401  (SignedInUser: the callers' name for it here)
from app.store.vault import (
    KIND_RECOVERY,
    KIND_USER,
    KeySlotFile,
    KdfParams,
    calibrate,
    recovery_kdf,
    seal_slot,
)


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
        put_in_place(staging, root)
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
    if paths.on_server:
        from app.store.pg.office import unlock_office

        return unlock_office(root, login, passphrase)

    def open_register() -> Register:
        slots = KeySlotFile.load(paths.slots)
        try:
            slot = slots.user_slot(login)
        except WrongPassphrase:
            # Same cost for an unknown user as for a wrong passphrase.
            users = [s for s in slots.slots if s.kind == KIND_USER]
            if users:
                users[0].kdf.derive(normalize(passphrase).encode())
            raise
        data_key = slot.open(slots.register_id, normalize(passphrase).encode())
        return _open(paths, data_key, slots.register_id, slot.user_id)

    return signed_in(paths, open_register)


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
