"""Who has a register open: byte-range locks on a file that the system frees when a program ends.

Three claims on one register, each a lock on its own byte of `<folder>.lock` beside the folder
(beside, not inside: Windows cannot rename a folder while a file in it is open, and restoring a
backup renames the register's folder):

- **open** (shared): every open register, in a window or a `tuvan` command. SQLite lets several
  programs work on one register at once, so commands may run while the window is open.
- **alone** (exclusive on the same byte): re-keying and restoring replace the database file; another
  program still writing to the old one would lose its changes (Linux) or block the swap (Windows).
- **window** (exclusive on a byte of its own): one Tư Vấn window per register, so that two windows
  never keep two idle timers, two backup schedules and two views that do not see each other.

Claims inside one program never conflict (they are counted), only claims of different programs do:
the system sees one lock per program. A program killed or cut off by a power failure holds nothing,
so there is never a stale lock to clean up. The file holds, for the message another program shows,
which computer holds the window and since when; nothing personal.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from app.core.clock import local_datetime_text, parse_stamp, utc_stamp
from app.core.errors import RegisterBusy, RegisterInUse, RegisterInWindow
from app.store.files import cannot_write

# Far beyond the holder text at the start of the file: on Windows a locked byte cannot be read.
OPEN_BYTE = 1 << 30
WINDOW_BYTE = OPEN_BYTE + 1
SHARED, EXCLUSIVE = "shared", "exclusive"


def lock_path(root: Path) -> Path:
    root = Path(root).absolute()
    return root.parent / f"{root.name}.lock"


# --- the system's locks ---------------------------------------------------------------------------

if sys.platform == "win32":
    import ctypes
    import msvcrt
    from ctypes import wintypes

    class _Overlapped(ctypes.Structure):
        _fields_ = [("Internal", ctypes.c_void_p), ("InternalHigh", ctypes.c_void_p),
                    ("Offset", wintypes.DWORD), ("OffsetHigh", wintypes.DWORD), ("hEvent", wintypes.HANDLE)]

    _kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    _LockFileEx = _kernel32.LockFileEx
    _LockFileEx.argtypes = [wintypes.HANDLE, wintypes.DWORD, wintypes.DWORD, wintypes.DWORD, wintypes.DWORD,
                            ctypes.POINTER(_Overlapped)]
    _UnlockFileEx = _kernel32.UnlockFileEx
    _UnlockFileEx.argtypes = [wintypes.HANDLE, wintypes.DWORD, wintypes.DWORD, wintypes.DWORD,
                              ctypes.POINTER(_Overlapped)]
    _FAIL_IMMEDIATELY, _EXCLUSIVE_LOCK = 0x1, 0x2

    def _lock(fd: int, offset: int, mode: str) -> bool:
        overlapped = _Overlapped(Offset=offset & 0xFFFFFFFF, OffsetHigh=offset >> 32)
        flags = _FAIL_IMMEDIATELY | (_EXCLUSIVE_LOCK if mode == EXCLUSIVE else 0)
        return bool(_LockFileEx(msvcrt.get_osfhandle(fd), flags, 0, 1, 0, ctypes.byref(overlapped)))

    def _unlock(fd: int, offset: int) -> None:
        overlapped = _Overlapped(Offset=offset & 0xFFFFFFFF, OffsetHigh=offset >> 32)
        _UnlockFileEx(msvcrt.get_osfhandle(fd), 0, 1, 0, ctypes.byref(overlapped))

    def _change(fd: int, offset: int, mode: str) -> bool:
        # Windows cannot turn a lock into another kind: give it up, then ask (and take back the old
        # kind if refused). Another program may slip in between; it is then refused or refuses us.
        _unlock(fd, offset)
        if _lock(fd, offset, mode):
            return True
        _lock(fd, offset, EXCLUSIVE if mode == SHARED else SHARED)
        return False
else:
    import fcntl

    def _lock(fd: int, offset: int, mode: str) -> bool:
        kind = fcntl.LOCK_EX if mode == EXCLUSIVE else fcntl.LOCK_SH
        try:
            fcntl.lockf(fd, kind | fcntl.LOCK_NB, 1, offset)
        except OSError:  # BlockingIOError (EAGAIN) or EACCES: another program holds it
            return False
        return True

    def _unlock(fd: int, offset: int) -> None:
        fcntl.lockf(fd, fcntl.LOCK_UN, 1, offset)

    def _change(fd: int, offset: int, mode: str) -> bool:
        return _lock(fd, offset, mode)  # POSIX converts a lock in place


# --- claims counted inside this program ----------------------------------------------------------

@dataclass
class _LockFile:
    path: Path
    fd: int
    counts: dict[str, int] = field(default_factory=lambda: {"open": 0, "alone": 0, "window": 0})


_table: dict[str, _LockFile] = {}
_guard = threading.Lock()


def _key(path: Path) -> str:
    return os.path.normcase(os.path.abspath(path))


def _file(root: Path) -> _LockFile:
    path = lock_path(root)
    entry = _table.get(_key(path))
    if entry is None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600)
        except OSError as error:
            raise cannot_write(path, error) from error
        entry = _table[_key(path)] = _LockFile(path, fd)
    return entry


def _forget(entry: _LockFile) -> None:
    if not any(entry.counts.values()):
        os.close(entry.fd)  # closing frees whatever the system still holds
        _table.pop(_key(entry.path), None)


class Claim:
    """A claim on a register; `release()` (or the end of the program) gives it up."""

    def __init__(self, entry: _LockFile, kind: str) -> None:
        self._entry, self.kind = entry, kind

    def release(self) -> None:
        with _guard:
            entry, self._entry = self._entry, None
            if entry is None:
                return
            entry.counts[self.kind] -= 1
            if self.kind == "window" and entry.counts["window"] == 0:
                _unlock(entry.fd, WINDOW_BYTE)
            elif self.kind == "alone" and entry.counts["alone"] == 0:
                if entry.counts["open"]:
                    _change(entry.fd, OPEN_BYTE, SHARED)
                else:
                    _unlock(entry.fd, OPEN_BYTE)
            elif self.kind == "open" and entry.counts["open"] == 0 and entry.counts["alone"] == 0:
                _unlock(entry.fd, OPEN_BYTE)
            _forget(entry)

    def __enter__(self) -> "Claim":
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def claim_open(root: Path) -> Claim:
    """Every open register holds this; refused only while another program re-keys or restores it."""
    with _guard:
        entry = _file(root)
        if not entry.counts["open"] and not entry.counts["alone"] and not _lock(entry.fd, OPEN_BYTE, SHARED):
            _forget(entry)
            raise RegisterBusy(path=str(Path(root).absolute()))
        entry.counts["open"] += 1
        return Claim(entry, "open")


def claim_alone(root: Path) -> Claim:
    """For replacing the database: no other program may have the register open."""
    with _guard:
        entry = _file(root)
        if not entry.counts["alone"]:
            held = entry.counts["open"] > 0
            granted = _change(entry.fd, OPEN_BYTE, EXCLUSIVE) if held else _lock(entry.fd, OPEN_BYTE, EXCLUSIVE)
            if not granted:
                _forget(entry)
                raise RegisterInUse(path=str(Path(root).absolute()))
        entry.counts["alone"] += 1
        return Claim(entry, "alone")


def claim_window(root: Path) -> Claim:
    """One Tư Vấn window per register; the refusal names the computer holding it and since when."""
    with _guard:
        entry = _file(root)
        if not entry.counts["window"]:
            if not _lock(entry.fd, WINDOW_BYTE, EXCLUSIVE):
                holder = _read_holder(entry.fd)
                _forget(entry)
                raise RegisterInWindow(path=str(Path(root).absolute()), computer=holder.get("computer", "?"),
                                       since=_local_time(holder.get("since")))
            _write_holder(entry.fd)
        entry.counts["window"] += 1
        return Claim(entry, "window")


@contextlib.contextmanager
def alone(root: Path) -> Iterator[None]:
    with claim_alone(root):
        yield


# --- what the file says about the window that holds it ----------------------------------------------

def _write_holder(fd: int) -> None:
    text = json.dumps({"computer": socket.gethostname(), "since": utc_stamp(), "pid": os.getpid()}) + "\n"
    with contextlib.suppress(OSError):  # only for a message; a read-only medium has refused earlier
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, text.encode("utf-8").ljust(256))


def _read_holder(fd: int) -> dict:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        return json.loads(os.read(fd, 256).decode("utf-8").strip() or "{}")
    except (OSError, ValueError):
        return {}


def _local_time(stamp: str | None) -> str:
    try:
        return local_datetime_text(parse_stamp(stamp))
    except (TypeError, ValueError):
        return "?"
