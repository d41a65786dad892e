"""Files leave the program atomically: write a temporary file, fsync, rename."""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from app.core.errors import CannotWrite, DiskFull, FileInUse, PathTooLong, UserError


FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG}


def cannot_write(path: Path, error: OSError) -> UserError:
    """The person-facing form of a failed write: a full disk (or USB stick) says so."""
    if error.errno in FULL:
        return DiskFull(path=str(path))
    # Linux: a name over 255 bytes (Vietnamese letters take 2-3 each); Windows: over MAX_PATH (260)
    # where long paths are not enabled, which it reports as "path not found" or error 206.
    if error.errno == errno.ENAMETOOLONG or getattr(error, "winerror", None) == 206 or (
            sys.platform == "win32" and isinstance(error, FileNotFoundError) and len(str(path)) >= 248):
        return PathTooLong(path=str(path))
    return CannotWrite(path=str(path), reason=error.strerror or str(error))


@contextlib.contextmanager
def atomic_writer(path: Path, mode: int = 0o600) -> Iterator[BinaryIO]:
    """Yield a binary handle; the file appears at `path` only if the block succeeds.

    A failed write leaves nothing behind and raises DiskFull or CannotWrite (UserErrors).
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as error:
        raise cannot_write(path, error) from error
    try:
        os.chmod(temp_name, mode)
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        replace(temp_name, path)
    except BaseException as error:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        if isinstance(error, PermissionError) and sys.platform == "win32" and path.exists():
            raise FileInUse(path=str(path)) from error
        if isinstance(error, OSError):
            raise cannot_write(path, error) from error
        raise
    fsync_dir(path.parent)


def replace(source: str, target: Path, attempts: int = 5) -> None:
    """os.replace, retried on Windows for about a second: a virus scanner or the search indexer
    holds a new file for a moment, while a file open in Excel stays held (then FileInUse)."""
    for attempt in range(attempts):
        try:
            os.replace(source, target)
            return
        except PermissionError:
            if sys.platform != "win32" or attempt == attempts - 1:
                raise
            time.sleep(0.1 * (attempt + 1))


def write_atomic(path: Path, data: bytes, mode: int = 0o600) -> None:
    with atomic_writer(path, mode) as handle:
        handle.write(data)


def put_in_place(staging: Path, root: Path) -> None:
    """Rename a folder made beside `root` (a new register) to `root`, which is absent or empty."""
    if root.exists():
        root.rmdir()
    os.replace(staging, root)
    fsync_dir(root.parent)


def fsync_dir(directory: Path) -> None:
    """Make a rename durable (no-op where directories cannot be opened, e.g. Windows)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def fsync_file(path: Path) -> None:
    """Flush a finished file to the disk before it is renamed into place (write access: Windows needs it)."""
    with open(path, "r+b") as handle:
        os.fsync(handle.fileno())
