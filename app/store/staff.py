"""Staff and volunteers of the point, with the hamlets each covers."""

from __future__ import annotations

from typing import Any

from app.core import validate
from app.core.roles import Permission
from app.store import records
from app.store.records import Change


def add(register, values: dict[str, Any]) -> Change:
    register.require(Permission.CASE_WORK)
    cleaned = validate.staff(values)
    cleaned.setdefault("active", 1)
    with register.transaction():
        return records.insert(register, "staff", cleaned)


def edit(register, staff_id: str, values: dict[str, Any]) -> Change | None:
    register.require(Permission.CASE_WORK)
    cleaned = validate.staff(values, partial=True)
    with register.transaction():
        return records.update(register, "staff", staff_id, cleaned)


def listing(conn, *, kind: str | None = None, active_only: bool = True) -> list[dict[str, Any]]:
    sql = "SELECT * FROM staff WHERE deleted = 0"
    params: list[Any] = []
    if kind:
        sql += " AND kind = ?"
        params.append(kind)
    if active_only:
        sql += " AND active = 1"
    return records.rows(conn, "staff", sql + " ORDER BY full_name", tuple(params))


def names(conn) -> dict[str, str]:
    return {row[0]: row[1] for row in conn.execute("SELECT id, full_name FROM staff")}


def for_user(conn, user_id: str) -> str | None:
    row = conn.execute("SELECT id FROM staff WHERE user_id = ? AND deleted = 0", (user_id,)).fetchone()
    return row[0] if row else None
