"""Encrypted backups and verified restore.

A backup file (.tvbak) is a zip holding a page-by-page online copy of the
encrypted database (`Connection.backup`, same data key), the key-slot file
that opens it, and a manifest without personal data. It opens with the
same passphrases and recovery key as the register had when it was taken.

Restore unpacks into a staging folder, opens and checks it there, and only
then moves it into place; the register it replaces is kept beside it.
"""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from app import __version__
from app.core.clock import parse_stamp, utc_now, utc_stamp
from app.core.errors import BackupInvalid, DiskFull, NotOnThisEngine, OtherRegisterAtPath, UserError
from app.core.ids import uuid7
from app.core.i18n import N_
from app.core.passphrase import normalize
from app.core.progress import interrupting
from app.core.roles import Permission
from app.store import migrations, settings as register_settings
from app.store.connection import OperationalError, integrity_problems, on_server, open_keyed
from app.store.files import atomic_writer, cannot_write, fsync_dir
from app.store.register_folder import RegisterPaths, read_register_id
from app.store.register_lock import alone
from app.store.users import resolve_user_id
from app.store.vault import KeySlotFile

FORMAT = 1
SUFFIX = ".tvbak"
MANIFEST = "manifest.json"
DB_MEMBER = "register.db"
SLOTS_MEMBER = "keyslots.json"


@dataclass(frozen=True)
class BackupManifest:
    format: int
    register_id: str
    created_at: str
    schema_version: int
    program_version: str
    reason: str


def copy_pages(conn, target, progress) -> None:
    """The online backup a thousand pages at a time; `progress` counts pages (the copy is half the
    work, checking and packing the other half) and may stop it between two steps."""
    if progress is None:
        conn.backup(target)
        return

    def copied(_status, remaining: int, total: int) -> None:
        progress.expect(2 * total)
        progress.add(total - remaining - copied.done)
        copied.done = total - remaining

    copied.done = 0
    conn.backup(target, pages=1024, progress=copied)


def _snapshot(conn, data_key: bytes, slots_path: Path, register_id: str, out: Path, reason: str,
              progress=None) -> BackupManifest:
    out = Path(out).absolute()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise cannot_write(out, error) from error
    staging = out.parent / f".{out.name}.{uuid7()[-12:]}.db"
    try:
        try:
            target = open_keyed(staging, data_key, create=True)
            try:
                copy_pages(conn, target, progress)
                problems = integrity_problems(target)
                if problems:
                    raise BackupInvalid(path=str(out), detail="; ".join(problems[:3]))
                target.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            finally:
                target.close()
        except (OSError, OperationalError) as error:  # e.g. "database or disk is full" on a USB stick
            full = isinstance(error, OperationalError) and "full" in str(error).lower()
            raise (DiskFull(path=str(out)) if full else cannot_write(out, error if isinstance(error, OSError)
                                                                     else OSError(0, str(error)))) from error
        manifest = BackupManifest(
            format=FORMAT,
            register_id=register_id,
            created_at=utc_stamp(),
            schema_version=migrations.current_version(conn),
            program_version=__version__,
            reason=reason,
        )
        if progress is not None:
            progress.check()  # the last moment to stop: nothing has been written under the backup's name
        with atomic_writer(out) as handle:
            with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_STORED) as archive:
                archive.writestr(MANIFEST, json.dumps(manifest.__dict__, indent=1))
                archive.write(slots_path, SLOTS_MEMBER)
                archive.write(staging, DB_MEMBER)
    finally:
        for leftover in (staging, Path(f"{staging}-wal"), Path(f"{staging}-shm")):
            leftover.unlink(missing_ok=True)
    return manifest


def write_backup(register, out: Path, reason: str = "manual", *, by_schedule: bool = False,
                 progress=None) -> BackupManifest:
    """Write a backup of the open register to `out` (scheduled backups run for any signed-in user).
    `progress` (app.core.progress) shows the copy and may cancel it: then no file is left at `out`."""
    if not by_schedule:
        register.require(Permission.BACKUP)
    if on_server(register.conn):
        raise NotOnThisEngine(what=N_("backing up"))
    manifest = _snapshot(register.conn, register.data_key, register.paths.slots,
                         register.register_id, out, reason, progress)
    with register.transaction():
        register.audit("backup.write", "register", register.register_id, {"reason": reason})
    return manifest


def _stamped_name(reason: str) -> str:
    return f"tuvan-{utc_now().strftime('%Y%m%d-%H%M%S-%f')}-{reason}{SUFFIX}"


def rotate(folder: Path, keep: int) -> list[Path]:
    """Delete the oldest backups in `folder` beyond `keep`; returns what was removed."""
    backups = sorted(folder.glob(f"tuvan-*{SUFFIX}"))
    removed = backups[: max(0, len(backups) - keep)]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def backup_now(register, reason: str = "manual", progress=None) -> Path:
    """A rotated backup in the register's own backups folder."""
    out = register.paths.backups / _stamped_name(reason)
    write_backup(register, out, reason, progress=progress)
    rotate(register.paths.backups, register_settings.get(register.conn, "backups_kept"))
    return out


def backup_before_upgrade(paths, conn, data_key: bytes, version: int) -> Path:
    slots = KeySlotFile.load(paths.slots)
    out = paths.backups / _stamped_name(f"before-upgrade-v{version}")
    _snapshot(conn, data_key, paths.slots, slots.register_id, out, f"before-upgrade-v{version}")
    return out


def list_backups(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"*{SUFFIX}"), reverse=True)


def read_manifest(path: Path) -> BackupManifest:
    """The backup's manifest (no key needed); raises BackupInvalid if it is not a backup."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if not {MANIFEST, DB_MEMBER, SLOTS_MEMBER} <= names:
                raise BackupInvalid(path=str(path), detail=N_("files are missing from it"))
            raw = json.loads(archive.read(MANIFEST))
        manifest = BackupManifest(**raw)
    except FileNotFoundError:
        raise BackupInvalid(path=str(path), detail=N_("the file does not exist")) from None
    except (zipfile.BadZipFile, ValueError, TypeError, KeyError):
        raise BackupInvalid(path=str(path), detail=N_("it is not a Tư Vấn backup or it is damaged")) from None
    if manifest.format != FORMAT:
        raise BackupInvalid(path=str(path), detail=N_("it was made by another version of the program"))
    return manifest


@dataclass(frozen=True)
class RestoreResult:
    root: Path
    manifest: BackupManifest
    previous: Path | None  # where the replaced register was kept


def restore_backup(backup: Path, root: Path, login: str | None, passphrase: str, *, replace_other: bool = False,
                   progress=None) -> RestoreResult:
    """Verify `backup` with a passphrase it knows, then make it the register at `root`. `progress`
    counts the unpacking and the check and may stop either: nothing is replaced until both are done."""
    backup, root = Path(backup).absolute(), Path(root).absolute()
    manifest = read_manifest(backup)
    with alone(root):  # no other program may have the register at `root` open while it is replaced
        return _restore(backup, root, manifest, login, passphrase, replace_other, progress)


def _unpack(source, sink, progress) -> None:
    while chunk := source.read(1 << 20):
        sink.write(chunk)
        if progress is not None:
            progress.add(len(chunk))


def _restore(backup: Path, root: Path, manifest: BackupManifest, login: str | None, passphrase: str,
             replace_other: bool, progress) -> RestoreResult:
    root.parent.mkdir(parents=True, exist_ok=True)
    staging = root.parent / f".{root.name}.restoring-{uuid7()[-12:]}"
    staging.mkdir(mode=0o700)
    try:
        staged = RegisterPaths(staging)
        try:
            with zipfile.ZipFile(backup) as archive:
                if progress is not None:  # unpacking is half the work, the check the other half
                    progress.expect(2 * archive.getinfo(DB_MEMBER).file_size)
                for member, target in ((DB_MEMBER, staged.db), (SLOTS_MEMBER, staged.slots)):
                    with archive.open(member) as source, open(target, "wb") as sink:
                        _unpack(source, sink, progress if member == DB_MEMBER else None)
                        sink.flush()
                        os.fsync(sink.fileno())
        except (zipfile.BadZipFile, OSError) as error:
            raise BackupInvalid(path=str(backup), detail=str(error)) from error
        slots = KeySlotFile.load(staged.slots)
        if slots.register_id != manifest.register_id:
            raise BackupInvalid(path=str(backup), detail=N_("its parts belong to different registers"))
        data_key = slots.user_slot(login).open(slots.register_id, normalize(passphrase).encode())
        conn = open_keyed(staged.db, data_key)
        try:
            with interrupting(conn, progress):
                problems = integrity_problems(conn)
            if progress is not None:
                progress.add(staged.db.stat().st_size)  # the check's half
                progress.check()  # the last moment to stop: next, the register is replaced
            if problems:
                raise BackupInvalid(path=str(backup), detail="; ".join(problems[:3]))
            stored = conn.execute("SELECT value FROM register_info WHERE key = 'register_id'").fetchone()
            if stored is None or stored[0] != slots.register_id:
                raise BackupInvalid(path=str(backup), detail=N_("its parts belong to different registers"))
            migrations.pending(conn)  # refuses a backup newer than this program
            resolve_user_id(conn, login)
        finally:
            conn.close()
        staged.backups.mkdir(mode=0o700)
        previous = _set_aside(root, slots.register_id, replace_other)
        if previous is not None and (previous / "backups").is_dir():
            # Keep the rotation history with the register.
            shutil.rmtree(staged.backups)
            os.replace(previous / "backups", staged.backups)
        os.replace(staging, root)
        fsync_dir(root.parent)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return RestoreResult(root, manifest, previous)


def _set_aside(root: Path, register_id: str, replace_other: bool) -> Path | None:
    """Move the register at `root` out of the way (never delete it)."""
    if not root.exists():
        return None
    if root.is_dir() and not any(root.iterdir()):
        root.rmdir()
        return None
    try:
        current_id = read_register_id(root)
    except UserError:
        current_id = None
    if current_id != register_id and not replace_other:
        raise OtherRegisterAtPath(path=str(root))
    kept = root.parent / f"{root.name}.before-restore-{utc_now().strftime('%Y%m%d-%H%M%S')}"
    os.replace(root, kept)
    return kept


# --- backups by default -------------------------------------------------------------------

STALE_DAYS = 7


def last_backup_at(conn) -> datetime | None:
    """When the last backup of this register was written (from the audit log)."""
    row = conn.execute("SELECT max(at) FROM audit_log WHERE action = 'backup.write'").fetchone()
    return parse_stamp(row[0]) if row and row[0] else None


def backup_stale(conn, now: datetime | None = None) -> bool:
    """True when the last backup is older than 7 days (the Today screen warns)."""
    if on_server(conn):   # the server's administrator backs the office database up
        return False
    last = last_backup_at(conn)
    return last is None or (now or utc_now()) - last > timedelta(days=STALE_DAYS)


def backup_due(conn, now: datetime | None = None) -> bool:
    if on_server(conn):
        return False
    last = last_backup_at(conn)
    hours = register_settings.get(conn, "backup_every_hours")
    return last is None or (now or utc_now()) - last >= timedelta(hours=hours)


@dataclass(frozen=True)
class ScheduledBackup:
    path: Path
    fallback: bool  # the chosen folder (e.g. a USB stick) was not there: written beside the register


def scheduled_backup(register, reason: str = "scheduled") -> ScheduledBackup:
    """A rotated backup in the folder the administrator chose, or beside the register if it is missing."""
    chosen = register_settings.get(register.conn, "backup_folder")
    folder = Path(chosen) if chosen else register.paths.backups
    fallback = False
    if chosen and not folder.is_dir():
        folder, fallback = register.paths.backups, True
    out = folder / _stamped_name(reason)
    try:
        write_backup(register, out, reason, by_schedule=True)
    except OSError:
        if folder == register.paths.backups:
            raise
        out, fallback = register.paths.backups / _stamped_name(reason), True
        write_backup(register, out, reason, by_schedule=True)
    rotate(out.parent, register_settings.get(register.conn, "backups_kept"))
    return ScheduledBackup(out, fallback)


@dataclass(frozen=True)
class BackupPreview:
    manifest: BackupManifest
    unit_code: str
    unit_name: str
    counts: dict[str, int]
    latest_contact: str | None


def preview_backup(backup: Path, login: str | None, passphrase: str) -> BackupPreview:
    """What a backup holds, opened with a passphrase it knows, without touching any register."""
    import tempfile

    from app.store.connection import open_keyed

    manifest = read_manifest(backup)
    with tempfile.TemporaryDirectory(prefix="tuvan-preview-") as work:
        db, slots_path = Path(work) / DB_MEMBER, Path(work) / SLOTS_MEMBER
        with zipfile.ZipFile(backup) as archive:
            for member, target in ((DB_MEMBER, db), (SLOTS_MEMBER, slots_path)):
                with archive.open(member) as source, open(target, "wb") as sink:
                    shutil.copyfileobj(source, sink, 1 << 20)
        slots = KeySlotFile.load(slots_path)
        key = slots.user_slot(login).open(slots.register_id, normalize(passphrase).encode())
        conn = open_keyed(db, key)
        try:
            problems = integrity_problems(conn)
            if problems:
                raise BackupInvalid(path=str(backup), detail="; ".join(problems[:3]))
            info = dict(conn.execute("SELECT key, value FROM register_info"))
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            counts = {t: conn.execute(f"SELECT count(*) FROM {t} WHERE deleted = 0").fetchone()[0]
                      for t in ("clients", "contacts", "referrals", "outreach") if t in tables}
            counts["users"] = conn.execute("SELECT count(*) FROM users").fetchone()[0]
            latest = conn.execute("SELECT max(contact_date) FROM contacts WHERE deleted = 0").fetchone()[0] \
                if "contacts" in tables else None
            name = register_settings.get(conn, "unit_name")
        finally:
            conn.close()
    return BackupPreview(manifest, info.get("unit_code", ""), name, counts, latest)
