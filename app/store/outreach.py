"""Outreach without named participants: broadcasts, leaflets, boards, loudspeakers, schools, meetings."""

from __future__ import annotations

from typing import Any

from app.core import validate
from app.core.roles import Permission
from app.store import records
from app.store.records import Change


def add(register, values: dict[str, Any]) -> Change:
    register.require(Permission.CASE_WORK)
    cleaned = validate.outreach(values)
    with register.transaction():
        return records.insert(register, "outreach", cleaned)


def edit(register, activity_id: str, values: dict[str, Any]) -> Change | None:
    register.require(Permission.CASE_WORK)
    cleaned = validate.outreach(values, partial=True)
    with register.transaction():
        return records.update(register, "outreach", activity_id, cleaned)


def remove(register, activity_id: str) -> Change:
    register.require(Permission.CASE_WORK)
    with register.transaction():
        return records.tombstone(register, "outreach", activity_id)


def in_period(conn, first_day: str, last_day: str) -> list[dict[str, Any]]:
    return records.rows(conn, "outreach", "SELECT * FROM outreach WHERE deleted = 0 AND activity_date BETWEEN ? AND ?"
                        " ORDER BY activity_date DESC, seq DESC", (first_day, last_day))
