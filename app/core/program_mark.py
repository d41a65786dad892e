"""Tell the Windows installer that Tư Vấn is running (a named mutex the installer looks for).

The installer (packaging/windows/tuvan.nsi) looks for this mutex before it replaces the program
folder and asks the user to close the program first: files of a running program must not be
swapped under it. The system frees the mutex when the process ends, however it ends. Elsewhere
than Windows this does nothing.
"""

from __future__ import annotations

import sys

# Also in packaging/windows/tuvan.nsi; "Local\" = this Windows session (the installer is per-user).
MUTEX_NAME = "Local\\TuVan.Program"

_handle = None


def mark_running() -> None:
    global _handle
    if sys.platform != "win32" or _handle is not None:
        return
    import ctypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.CreateMutexW.restype = ctypes.c_void_p
    kernel32.CreateMutexW.argtypes = (ctypes.c_void_p, ctypes.c_int, ctypes.c_wchar_p)
    # Kept open for the life of the process; a second program opens the same mutex, which is fine.
    _handle = kernel32.CreateMutexW(None, 0, MUTEX_NAME)
