"""Where the program's own files are: resources/ and db_schema/.

From source they sit beside app/; a PyInstaller build unpacks them under
sys._MEIPASS.
"""

from __future__ import annotations

import sys
from pathlib import Path


def install_root() -> Path:
    bundled = getattr(sys, "_MEIPASS", None)
    return Path(bundled) if bundled else Path(__file__).resolve().parents[2]


def resources() -> Path:
    return install_root() / "resources"


def db_schema() -> Path:
    return install_root() / "db_schema"


def font(name: str) -> Path:
    return resources() / "fonts" / name
