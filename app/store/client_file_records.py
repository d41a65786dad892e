"""A client's whole file as stored, deleted records included: what a data-subject export reads.

Unlike the client file on screen, nothing here leaves out deleted records (sync keeps them with
their values, so the unit still holds them) and shared records come with their sharing rows.
"""

from __future__ import annotations

import json
from typing import Any

from app.store import records

Rows = list[dict[str, Any]]


def family_members(conn, client_id: str) -> Rows:
    """Live client records linked to this client as family members."""
    return records.rows(conn, "clients", "SELECT * FROM clients WHERE related_client_id = ? AND deleted = 0"
                        " ORDER BY sort_key", (client_id,))


def contacts(conn, client_id: str) -> Rows:
    """Own contacts, then group sessions taken part in (with the participation's id and deleted flag)."""
    return records.rows(conn, "contacts", """
        SELECT c.*, NULL AS participation_id, 0 AS participation_deleted FROM contacts c WHERE c.client_id = :c
        UNION ALL
        SELECT c.*, p.id, p.deleted FROM contact_participants p JOIN contacts c ON c.id = p.contact_id
        WHERE p.client_id = :c
        ORDER BY contact_date, seq""", {"c": client_id})


def meetings(conn, client_id: str) -> Rows:
    """Self-help meetings attended, deleted when either the attendance or the meeting is."""
    return records.rows(conn, "meeting_attendance", """
        SELECT a.id, max(a.deleted, t.deleted) AS deleted, t.id AS meeting_id, t.meeting_date, t.topic,
               t.facilitator_id, g.name AS group_name
        FROM meeting_attendance a JOIN group_meetings t ON t.id = a.meeting_id JOIN groups g ON g.id = t.group_id
        WHERE a.client_id = ? ORDER BY t.meeting_date, a.seq""", (client_id,))


def group_history(conn, client_id: str) -> Rows:
    return records.rows(conn, "client_groups", "SELECT * FROM client_groups WHERE client_id = ?"
                        " ORDER BY start_date, seq", (client_id,))


def referrals(conn, client_id: str) -> Rows:
    return records.rows(conn, "referrals", "SELECT * FROM referrals WHERE client_id = ?"
                        " ORDER BY referred_date, seq", (client_id,))


def rehab(conn, client_id: str) -> Rows:
    return records.rows(conn, "rehab_registrations", "SELECT * FROM rehab_registrations WHERE client_id = ?"
                        " ORDER BY registration_date, seq", (client_id,))


def methadone(conn, client_id: str) -> Rows:
    return records.rows(conn, "methadone_episodes", "SELECT * FROM methadone_episodes WHERE client_id = ?"
                        " ORDER BY start_date, seq", (client_id,))


def memberships(conn, client_id: str) -> Rows:
    """Self-help group memberships, with the group's name."""
    return records.rows(conn, "group_members", "SELECT m.*, g.name AS group_name FROM group_members m"
                        " JOIN groups g ON g.id = m.group_id WHERE m.client_id = ? ORDER BY m.joined_date, m.seq",
                        (client_id,))


def audit_entries(conn, entity_ids: list[str]) -> list[tuple]:
    """(seq, at, user id, action, entity, entity id, detail) of the audit entries about these
    records, oldest first (json_each: no limit on the number of ids)."""
    return conn.execute(
        "SELECT seq, at, user_id, action, entity, entity_id, detail FROM audit_log"
        " WHERE entity_id IN (SELECT value FROM json_each(?)) ORDER BY seq", (json.dumps(entity_ids),)).fetchall()
