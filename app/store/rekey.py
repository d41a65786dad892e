"""A new data key for the register, after a suspected compromise (docs/design.md §2).

Whoever copied the register and learnt one passphrase (or the recovery key) can read that copy
for ever; re-keying protects what is written from now on and ends every old slot. The database is
copied page by page into a new file under the new key (never rewritten in place: SQLCipher's
in-place rekey and WAL do not mix), the copy is checked, then two steps make it the register:

1. the key-slot file is replaced atomically by one whose slots hold the new key (commit point);
2. the new file is renamed over the old database.

A power cut between 1 and 2 leaves slots for the new key beside the old file; the next unlock
finds that the key opens the waiting copy and finishes the rename. A cut before 1 leaves a copy
under a key no slot holds; it is removed at the next unlock. Both happen in register_folder.py,
which the unlock in register.py calls: opening a register never needs this module.

Only the administrator who re-keys keeps a passphrase (they type it again); a new recovery key is
made and shown once; other users' slots are dropped and the administrator gives them new
passphrases; an escrow slot is sealed again for the same (still trusted) office. Backups made before
stay under the old key and open with the old passphrases.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from app.core.errors import BackupInvalid, NotOnThisEngine
from app.core.i18n import N_, _
from app.core.passphrase import normalize
from app.core.progress import Progress
from app.core.recovery_key import RecoveryKey
from app.core.roles import Permission, Role
from app.store import audit, backup
from app.store.connection import integrity_problems, on_server, open_keyed
from app.store.files import fsync_file
from app.store.register_folder import pending_path
from app.store.register_folder import sidecars as _sidecars
from app.store.register_folder import swap_in as _swap_in  # a name of its own: tests cut the power here
from app.store.register_lock import alone
from app.store.vault import (
    KIND_RECOVERY,
    KIND_USER,
    KeySlotFile,
    calibrate,
    recovery_kdf,
    seal_escrow_slot,
    seal_slot,
)

@dataclass(frozen=True)
class RekeyResult:
    recovery_key: RecoveryKey
    backup: Path
    need_passphrase: list[str]  # logins whose slots were dropped: the administrator resets them


def rekey(register, passphrase: str, progress: Progress | None = None) -> RekeyResult:
    """Re-encrypt the register under a new random key. The register is closed afterwards.

    Only while no other program has it open: one still writing to the old file would lose its work.
    `progress` counts the backup and the copy, and may stop either: then the register is as it was
    (a finished backup stays); once the copy is checked it goes through.
    """
    register.require(Permission.MANAGE_USERS)
    if on_server(register.conn):
        raise NotOnThisEngine(what=N_("giving the register a new key"))
    with alone(register.paths.root):
        return _rekey(register, passphrase, progress)


def _rekey(register, passphrase: str, progress: Progress | None) -> RekeyResult:
    slots = register.load_slots()
    # The administrator proves the passphrase again: it becomes the only one that opens the register.
    slots.user_slot(register.user.login).open(register.register_id, normalize(passphrase).encode())
    if progress is not None:
        progress.expect(100)  # half the backup, half the copy
    backing_up = progress.part(50, _("Backing up…")) if progress else None
    made_backup = backup.backup_now(register, reason="before-rekey", progress=backing_up)
    if backing_up is not None:
        backing_up.finish()
    paths, conn = register.paths, register.conn
    others = [row[0] for row in conn.execute(
        "SELECT login FROM users WHERE active = 1 AND id != ? ORDER BY login", (register.user.id,))]
    new_key = os.urandom(32)
    pending = pending_path(paths)
    for leftover in (pending, *_sidecars(pending)):
        leftover.unlink(missing_ok=True)
    target = open_keyed(pending, new_key, create=True)
    copying = progress.part(50, _("Copying the register under the new key…")) if progress else None
    try:
        backup.copy_pages(conn, target, copying)
        if copying is not None:
            copying.check()  # the last moment to stop: after it, the copy is checked and put in place
        audit.record(target, register.user.id, "register.rekey", "register", register.register_id,
                     {"backup": made_backup.name, "need_passphrase": others})
        problems = integrity_problems(target) + ([] if audit.verify(target).ok else ["audit chain"])
        if problems:
            raise BackupInvalid(path=str(pending), detail="; ".join(problems[:3]))
        target.execute("PRAGMA journal_mode = DELETE")  # one self-contained file to rename
    except BaseException:
        target.close()
        pending.unlink(missing_ok=True)
        raise
    target.close()
    fsync_file(pending)
    if copying is not None:
        copying.finish()

    recovery = RecoveryKey.generate()
    fresh = KeySlotFile(register.register_id, [])
    fresh.put_user_slot(seal_slot(register.register_id, new_key, normalize(passphrase).encode(), kind=KIND_USER,
                                  kdf=calibrate(), user_id=register.user.id, login=register.user.login,
                                  admin=register.user.role is Role.ADMIN))
    fresh.put_recovery_slot(seal_slot(register.register_id, new_key, recovery.secret, kind=KIND_RECOVERY,
                                      kdf=recovery_kdf()))
    # An office the point allowed to help keeps that role: its public key is enough to seal again.
    fresh.set_escrow_slots([
        seal_escrow_slot(register.register_id, new_key, row[0], slot.escrow_to)
        for slot in slots.escrow_slots()
        for row in conn.execute("SELECT enc_public FROM trusted_keys WHERE fingerprint = ? AND active = 1",
                                (slot.escrow_to,))])
    register.close()
    fresh.save(paths.slots)            # 1. the commit point
    _swap_in(paths)                     # 2.
    return RekeyResult(recovery, made_backup, others)


