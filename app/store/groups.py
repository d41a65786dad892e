"""Self-help groups (nhóm tự lực): members, meetings and attendance."""

from __future__ import annotations

from typing import Any

from app.core import validate
from app.core.fields import Checker
from app.core.roles import Permission
from app.store import records
from app.store.records import Change


def create(register, values: dict[str, Any]) -> Change:
    register.require(Permission.CASE_WORK)
    cleaned = validate.group(values)
    cleaned.setdefault("active", 1)
    with register.transaction():
        return records.insert(register, "groups", cleaned)


def edit(register, group_id: str, values: dict[str, Any]) -> Change | None:
    register.require(Permission.CASE_WORK)
    cleaned = validate.group(values, partial=True)
    with register.transaction():
        return records.update(register, "groups", group_id, cleaned)


def add_member(register, group_id: str, client_id: str, joined_date: Any) -> Change:
    register.require(Permission.CASE_WORK)
    check = Checker({"joined_date": joined_date}, {})
    check.date("joined_date", required=True)
    cleaned = check.done()
    with register.transaction():
        records.fetch(register.conn, "groups", group_id)
        records.fetch(register.conn, "clients", client_id)
        existing = register.conn.execute(
            "SELECT id FROM group_members WHERE group_id = ? AND client_id = ? AND deleted = 0 AND left_date IS NULL",
            (group_id, client_id)).fetchone()
        if existing:
            return records.Change("group_members", existing[0], "unchanged", (), client_id)
        return records.insert(register, "group_members",
                              {"group_id": group_id, "client_id": client_id, **cleaned}, client_id=client_id)


def end_membership(register, member_id: str, left_date: Any) -> Change | None:
    register.require(Permission.CASE_WORK)
    check = Checker({"left_date": left_date}, {})
    check.date("left_date", required=True)
    cleaned = check.done()
    with register.transaction():
        current = records.fetch(register.conn, "group_members", member_id)
        return records.update(register, "group_members", member_id, cleaned, client_id=current["client_id"])


def record_meeting(register, group_id: str, values: dict[str, Any], attendees: list[str]) -> list[Change]:
    """A meeting and who came, in one transaction."""
    register.require(Permission.CASE_WORK)
    cleaned = validate.meeting(values)
    with register.transaction():
        records.fetch(register.conn, "groups", group_id)
        meeting = records.insert(register, "group_meetings", {"group_id": group_id, **cleaned})
        changes = [meeting]
        for client_id in dict.fromkeys(attendees):
            records.fetch(register.conn, "clients", client_id)
            changes.append(records.insert(register, "meeting_attendance",
                                          {"meeting_id": meeting.id, "client_id": client_id}, client_id=client_id))
    return changes


def edit_meeting(register, meeting_id: str, values: dict[str, Any], attendees: list[str]) -> list[Change]:
    """Correct a meeting and who came, in one transaction."""
    register.require(Permission.CASE_WORK)
    cleaned = validate.meeting(values)
    with register.transaction():
        records.fetch(register.conn, "group_meetings", meeting_id)
        changes = [c for c in [records.update(register, "group_meetings", meeting_id, cleaned)] if c]
        changes += records.set_people(register, "meeting_attendance", "meeting_id", meeting_id, attendees)
    return changes


def remove_meeting(register, meeting_id: str) -> Change:
    """A meeting recorded by mistake; its attendance stops counting with it."""
    register.require(Permission.CASE_WORK)
    with register.transaction():
        return records.tombstone(register, "group_meetings", meeting_id)


def listing(conn, *, include_inactive: bool = False) -> list[dict[str, Any]]:
    return records.rows(conn, "groups", """
        SELECT g.*,
          (SELECT count(*) FROM group_members m WHERE m.group_id = g.id AND m.deleted = 0 AND m.left_date IS NULL)
            AS member_count,
          (SELECT max(meeting_date) FROM group_meetings t WHERE t.group_id = g.id AND t.deleted = 0) AS last_meeting
        FROM groups g WHERE g.deleted = 0""" + ("" if include_inactive else " AND g.active = 1") + " ORDER BY g.name")


def members(conn, group_id: str, *, current_only: bool = True) -> list[dict[str, Any]]:
    sql = """SELECT m.*, c.full_name, c.alias, c.code FROM group_members m JOIN clients c ON c.id = m.client_id
             WHERE m.group_id = ? AND m.deleted = 0"""
    if current_only:
        sql += " AND m.left_date IS NULL"
    return records.rows(conn, "group_members", sql + " ORDER BY c.sort_key", (group_id,))


def meetings(conn, group_id: str) -> list[dict[str, Any]]:
    return records.rows(conn, "group_meetings", """
        SELECT t.*, (SELECT count(*) FROM meeting_attendance a WHERE a.meeting_id = t.id AND a.deleted = 0)
               AS attendee_count
        FROM group_meetings t WHERE t.group_id = ? AND t.deleted = 0 ORDER BY t.meeting_date DESC""", (group_id,))


def attendance(conn, meeting_id: str) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT client_id FROM meeting_attendance WHERE meeting_id = ? AND deleted = 0", (meeting_id,))]


def for_client(conn, client_id: str) -> list[dict[str, Any]]:
    return records.rows(conn, "group_members", """
        SELECT m.*, g.name FROM group_members m JOIN groups g ON g.id = m.group_id
        WHERE m.client_id = ? AND m.deleted = 0 ORDER BY m.joined_date DESC""", (client_id,))
