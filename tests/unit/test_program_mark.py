"""The installer finds a running Tư Vấn by its named mutex (packaging/windows/tuvan.nsi)."""

import sys
from pathlib import Path

from app.core import program_mark


def test_the_installer_can_see_that_the_program_runs():
    program_mark.mark_running()
    program_mark.mark_running()  # a second call keeps the one mutex
    if sys.platform != "win32":
        assert program_mark._handle is None  # nothing to tell elsewhere
        return
    import ctypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.OpenMutexW.restype = ctypes.c_void_p
    kernel32.OpenMutexW.argtypes = (ctypes.c_uint32, ctypes.c_int, ctypes.c_wchar_p)
    found = kernel32.OpenMutexW(0x00100000, 0, program_mark.MUTEX_NAME)  # SYNCHRONIZE, as the installer asks
    assert found, ctypes.get_last_error()
    kernel32.CloseHandle(ctypes.c_void_p(found))


def test_the_installer_looks_for_the_same_name():
    script = Path(__file__).resolve().parents[2] / "packaging" / "windows" / "tuvan.nsi"
    assert f'!define PROGRAM_MUTEX "{program_mark.MUTEX_NAME}"' in script.read_text(encoding="utf-8-sig")
