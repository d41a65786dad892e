"""Settings about this computer (language, last register): a small JSON file.

Nothing personal goes here; values are checked against
app.core.settings.MACHINE_SETTINGS, so an unknown or broken file falls back
to the defaults instead of stopping the program.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import platformdirs

from app.core.errors import UserError
from app.core.settings import MACHINE_SETTINGS
from app.store.files import write_atomic


def default_register() -> Path:
    """Where a register lives unless told otherwise: the platform's user data folder."""
    return Path(platformdirs.user_data_dir("TuVan", appauthor=False)) / "register"


def config_path() -> Path:
    return Path(platformdirs.user_config_dir("TuVan", appauthor=False)) / "config.json"


class MachineConfig:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or config_path()
        self.values: dict[str, Any] = {}
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raw = {}
        for name, setting in MACHINE_SETTINGS.items():
            try:
                self.values[name] = setting.coerce(raw.get(name, setting.default))
            except UserError:
                self.values[name] = setting.default

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def set(self, **changes: Any) -> None:
        for name, value in changes.items():
            self.values[name] = MACHINE_SETTINGS[name].coerce(value)
        try:
            write_atomic(self.path, json.dumps(self.values, ensure_ascii=False, indent=1).encode())
        except OSError:
            pass  # a read-only profile only loses the remembered choices
