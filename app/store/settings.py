"""Register settings (declared in app.core.settings), stored as JSON values."""

from __future__ import annotations

import json
from typing import Any

from app.core.clock import utc_stamp
from app.core.settings import REGISTER_SETTINGS


def get(conn, name: str) -> Any:
    setting = REGISTER_SETTINGS[name]
    row = conn.execute("SELECT value FROM settings WHERE name = ?", (name,)).fetchone()
    return setting.default if row is None else setting.coerce(json.loads(row[0]))


def get_all(conn) -> dict[str, Any]:
    return {name: get(conn, name) for name in REGISTER_SETTINGS}


def register_info(conn) -> dict[str, str]:
    """The register's fixed facts (unit code, role, ids), written when it was made; unlike settings,
    nobody edits them."""
    return dict(conn.execute("SELECT key, value FROM register_info"))


def put(conn, name: str, value: Any, user_id: str | None) -> Any:
    """Validate and store one setting; returns the stored value. Caller holds the transaction."""
    value = REGISTER_SETTINGS[name].coerce(value)
    conn.execute(
        "INSERT INTO settings (name, value, updated_at, updated_by) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(name) DO UPDATE SET value = excluded.value,"
        " updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        (name, json.dumps(value, ensure_ascii=False), utc_stamp(), user_id),
    )
    return value


def update(register, changes: dict[str, Any]) -> dict[str, Any]:
    """Change settings as the signed-in user; returns what changed (name -> new value)."""
    from app.core.roles import Permission

    register.require(Permission.MANAGE_SETTINGS)
    changed = {}
    with register.transaction():
        for name, value in changes.items():
            old = get(register.conn, name)
            new = REGISTER_SETTINGS[name].coerce(value)
            if new != old:
                changed[name] = put(register.conn, name, new, register.user.id)
        if changed:
            register.audit("settings.update", "settings", None, {"names": sorted(changed)})
    return changed
