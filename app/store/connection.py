"""Keyed SQLCipher connections.

The only way to get a connection to a register file. Opening a path without
a key would silently create a plaintext SQLite file, so `open_keyed`
requires a 32-byte data key and refuses plaintext files.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher
import sqlite_utils.db
import sqlite_utils.utils

from app.core.errors import PlaintextDatabase, RegisterDamaged, WrongPassphrase

KEY_BYTES = 32
SQLITE_HEADER = b"SQLite format 3\x00"
DatabaseError = sqlcipher.DatabaseError
IntegrityError = sqlcipher.IntegrityError
OperationalError = sqlcipher.OperationalError

_process_setup = threading.Lock()
_process_ready = False


def _point_sqlite_utils_at_sqlcipher() -> None:
    # sqlite-utils catches sqlite3.OperationalError (alter=True,
    # drop(ignore=True), create_index(find_unique_name=True)); SQLCipher raises
    # its own classes, so the module references must be repointed.
    for module in (sqlite_utils.db, sqlite_utils.utils):
        module.sqlite3 = sqlcipher
        module.OperationalError = sqlcipher.OperationalError


def _setup_process() -> None:
    """Silence SQLCipher's stderr log (a process-wide setting) once."""
    global _process_ready
    with _process_setup:
        if _process_ready:
            return
        probe = sqlcipher.connect(":memory:")
        try:
            probe.execute("PRAGMA cipher_log_level = NONE").fetchall()
        finally:
            probe.close()
        _point_sqlite_utils_at_sqlcipher()
        _process_ready = True


def on_server(conn) -> bool:
    """Whether `conn` is an office register's connection to a PostgreSQL server (app/store/pg)."""
    return getattr(conn, "engine", "sqlite") == "postgresql"


def is_plaintext_sqlite(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except FileNotFoundError:
        return False


def open_keyed(path: Path, key: bytes, *, create: bool = False, any_thread: bool = False) -> sqlcipher.Connection:
    """Open (or, with create=True, create) an encrypted database with `key`.

    Raises WrongPassphrase when the key does not decrypt the file and
    RegisterDamaged when the file is not a database at all.
    """
    if not isinstance(key, (bytes, bytearray)) or len(key) != KEY_BYTES:
        raise ValueError("a 32-byte data key is required")
    path = Path(path)
    exists = path.exists()
    if create == exists:
        raise FileExistsError(path) if exists else FileNotFoundError(path)
    if exists and is_plaintext_sqlite(path):
        raise PlaintextDatabase(path=str(path))
    _setup_process()
    # any_thread: a connection handed from thread to thread (one at a time; Register.reader).
    conn = sqlcipher.connect(str(path), isolation_level=None, timeout=10.0, check_same_thread=not any_thread)
    try:
        conn.execute(f"PRAGMA key = \"x'{bytes(key).hex()}'\"")
        conn.execute("PRAGMA cipher_compatibility = 4")
        # Temporary tables and sort spills stay in memory: never a plaintext temp file.
        conn.execute("PRAGMA temp_store = MEMORY")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher.DatabaseError as error:
            raise WrongPassphrase() from error
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() != "wal":
            raise RegisterDamaged(path=str(path), detail=f"journal_mode={mode}")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 10000")
        # 16 MB of decrypted pages (SQLite's default is 2 MB): a month's form reads the same pages
        # many times, and each page read from disk is decrypted and its HMAC checked again.
        conn.execute("PRAGMA cache_size = -16000")
    except BaseException:
        conn.close()
        raise
    if create:
        if is_plaintext_sqlite(path):  # defence in depth
            conn.close()
            raise PlaintextDatabase(path=str(path))
        _owner_only(path)
    return conn


def _owner_only(path: Path) -> None:
    # SQLite gives the WAL and shm files the database file's permissions.
    try:
        os.chmod(path, 0o600)
    except OSError:
        pass


def database(conn: sqlcipher.Connection) -> sqlite_utils.Database:
    """A sqlite-utils view of a keyed connection."""
    _setup_process()
    return sqlite_utils.Database(conn, execute_plugins=False)


def integrity_problems(conn: sqlcipher.Connection) -> list[str]:
    """Problems reported by SQLite's and SQLCipher's integrity checks (empty = fine)."""
    try:
        problems = [str(row[0]) for row in conn.execute("PRAGMA cipher_integrity_check")]
        problems += [row[0] for row in conn.execute("PRAGMA integrity_check") if row[0] != "ok"]
    except sqlcipher.DatabaseError as error:
        problems = [str(error)]
    return problems
