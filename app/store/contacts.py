"""Counselling contacts (lượt tư vấn): individual, home, group and community sessions, phone/online."""

from __future__ import annotations

from typing import Any

from app.core import validate
from app.core.roles import Permission
from app.core.vocab import INDIVIDUAL_CONTACT_KINDS
from app.store import catalogs, records
from app.store.records import Change

SESSION_KINDS = ("group", "community")


def add(register, values: dict[str, Any], participants: list[str] | None = None) -> list[Change]:
    """Record a contact; group sessions name their participants (each counts as one lượt)."""
    register.require(Permission.CASE_WORK)
    cleaned = validate.contact(values, topics=catalogs.codes(register.conn, "topic"))
    if cleaned["kind"] not in INDIVIDUAL_CONTACT_KINDS:
        cleaned["client_id"] = None
    with register.transaction():
        if cleaned.get("client_id"):
            records.fetch(register.conn, "clients", cleaned["client_id"])
        changes = [records.insert(register, "contacts", cleaned, client_id=cleaned.get("client_id"))]
        for client_id in dict.fromkeys(participants or []):
            records.fetch(register.conn, "clients", client_id)
            changes.append(records.insert(register, "contact_participants",
                                          {"contact_id": changes[0].id, "client_id": client_id},
                                          client_id=client_id))
    return changes


def edit(register, contact_id: str, values: dict[str, Any]) -> Change | None:
    register.require(Permission.CASE_WORK)
    cleaned = validate.contact(values, partial=True, topics=catalogs.codes(register.conn, "topic"))
    with register.transaction():
        current = records.fetch(register.conn, "contacts", contact_id)
        return records.update(register, "contacts", contact_id, cleaned, client_id=current["client_id"])


def edit_session(register, contact_id: str, values: dict[str, Any],
                 participants: list[str] | None = None) -> list[Change]:
    """Correct a group or community session; for a group session, set who took part.

    Participants no longer named are removed (tombstoned), new ones added: each stays one lượt
    for its client, and the change log carries every step to the district."""
    register.require(Permission.CASE_WORK)
    with register.transaction():
        current = records.fetch(register.conn, "contacts", contact_id)
        kind = current["kind"]
        if kind not in SESSION_KINDS:
            raise ValueError(f"contact {contact_id} is not a group or community session")
        cleaned = validate.contact({**values, "kind": kind}, topics=catalogs.codes(register.conn, "topic"))
        cleaned.pop("client_id", None)
        changes = [c for c in [records.update(register, "contacts", contact_id, cleaned)] if c]
        if participants is not None and kind == "group":
            changes += records.set_people(register, "contact_participants", "contact_id", contact_id, participants)
    return changes


def remove(register, contact_id: str) -> Change:
    register.require(Permission.CASE_WORK)
    with register.transaction():
        current = records.fetch(register.conn, "contacts", contact_id)
        return records.tombstone(register, "contacts", contact_id, client_id=current["client_id"])


def for_client(conn, client_id: str) -> list[dict[str, Any]]:
    """Contacts with this client, their own and the group sessions they took part in, newest first."""
    return records.rows(conn, "contacts", """
        SELECT * FROM contacts WHERE deleted = 0 AND (client_id = :c OR id IN (
            SELECT contact_id FROM contact_participants WHERE client_id = :c AND deleted = 0))
        ORDER BY contact_date DESC, seq DESC""", {"c": client_id})


def sessions(conn, first_day: str, last_day: str) -> list[dict[str, Any]]:
    """Group and community sessions in a period, with their participant counts."""
    return records.rows(conn, "contacts", """
        SELECT c.*, (SELECT count(*) FROM contact_participants p WHERE p.contact_id = c.id AND p.deleted = 0)
               AS participant_count
        FROM contacts c WHERE c.deleted = 0 AND c.kind IN ('group', 'community')
          AND c.contact_date BETWEEN ? AND ? ORDER BY c.contact_date DESC, c.seq DESC""", (first_day, last_day))


def participants(conn, contact_id: str) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT client_id FROM contact_participants WHERE contact_id = ? AND deleted = 0 ORDER BY seq", (contact_id,))]
