"""An unlocked register as the GUI sees it: facts for display, work via the runner."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.core.roles import Permission, allows
from app.core.unit import Unit
from app.store import settings as register_settings
from app.store.connection import on_server
from app.store.register import Register, SignedInUser
from app.gui.common.lookups import Lookups, load as load_lookups
from app.gui.common.tasks import TaskRunner


@dataclass(frozen=True)
class SessionInfo:
    user: SignedInUser
    unit: Unit
    register_id: str
    root: Path
    settings: dict[str, Any]
    lookups: Lookups
    on_server: bool = False   # an office register on PostgreSQL (app/store/pg/office.py)


def describe(register: Register) -> SessionInfo:
    """Runs on the worker right after unlocking."""
    return SessionInfo(
        user=register.user,
        unit=register.unit(),
        register_id=register.register_id,
        root=register.paths.root,
        settings=register_settings.get_all(register.conn),
        lookups=load_lookups(register),
        on_server=on_server(register.conn),
    )


class Session(QObject):
    """Views call `run` with a function of the register; they never hold the connection.

    `changed` carries what a mutation changed (e.g. {"settings": {...}}) so
    every open view can refresh itself from it.
    """

    changed = Signal(dict)

    def __init__(self, runner: TaskRunner, register: Register, info: SessionInfo, parent: QObject | None = None):
        super().__init__(parent)
        self.runner = runner
        self._register = register
        self.info = info

    def can(self, permission: Permission) -> bool:
        return allows(self.info.user.role, permission)

    def run(self, operation: Callable[[Register], Any], on_success=None, on_failure=None, **progress):
        register = self._register
        return self.runner.run(lambda: operation(register), on_success, on_failure, **progress)

    def publish(self, change: dict) -> None:
        """Tell every open view what changed; refresh the lookups first when they are affected."""
        if "settings" in change:
            settings = change["settings"]
            unit = self.info.unit
            self.info = replace(
                self.info,
                unit=Unit(unit.role, unit.code, settings.get("unit_name", unit.name),
                          settings.get("office_name", unit.office_name)),
                settings={**self.info.settings, **settings},
            )
        tables = {c.table for c in change.get("records", [])}
        # Staff edits change the pickers; a client saved with a new hamlet adds it to the catalog.
        if change.get("catalogs") or tables & {"staff", "clients"} or "law_file" in change.get("settings", {}):
            self.run(load_lookups, lambda lookups: self._lookups_loaded(lookups, change))
            return
        self.changed.emit(change)

    def refresh_lookups(self) -> None:
        self.publish({"catalogs": True})

    def _lookups_loaded(self, lookups: Lookups, change: dict) -> None:
        self.info = replace(self.info, lookups=lookups)
        self.changed.emit(change)

    def close(self, then: Callable[[], None] | None = None) -> None:
        register = self._register
        self.runner.run(register.close, lambda _result: then() if then else None,
                        lambda _error: then() if then else None)
