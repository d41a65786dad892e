"""Writing synced records: sync columns, change log, audit entry, one transaction.

Every mutation of a synced table goes through `insert`, `update` or
`tombstone`. They set `origin`, `version` (hybrid logical clock),
`updated_at` and `updated_by`; triggers append to the change log; the audit
entry is written in the same transaction. Each returns a `Change` saying
what changed, which views use to refresh themselves.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from app.core.clock import utc_stamp
from app.core.errors import UserError
from app.core.i18n import N_
from app.core.ids import uuid7
from app.store.closed_months import closed_months_touched

JSON_COLUMNS = {
    "clients": {"substances", "previous_treatments"},
    "contacts": {"topics"},
    "staff": {"hamlets"},
}
SYNC_COLUMNS = ("id", "origin", "version", "updated_at", "updated_by", "deleted")
SYNCED_TABLES = (
    "staff", "clients", "client_groups", "contacts", "contact_participants", "referrals",
    "rehab_registrations", "methadone_episodes", "groups", "group_members", "group_meetings",
    "meeting_attendance", "outreach",
)

# Columns naming another synced record: table -> {column: the table it names}. A receiving office
# checks that these stay inside the record's own origin (docs/bundle-format.md §7).
# (`staff.user_id` names a local login, which is not synced.)
REFERENCES = {
    "staff": {},
    "clients": {"related_client_id": "clients", "counsellor_id": "staff", "volunteer_id": "staff"},
    "client_groups": {"client_id": "clients"},
    "contacts": {"client_id": "clients", "counsellor_id": "staff"},
    "contact_participants": {"contact_id": "contacts", "client_id": "clients"},
    "referrals": {"client_id": "clients", "counsellor_id": "staff"},
    "rehab_registrations": {"client_id": "clients"},
    "methadone_episodes": {"client_id": "clients"},
    "groups": {},
    "group_members": {"group_id": "groups", "client_id": "clients"},
    "group_meetings": {"group_id": "groups", "facilitator_id": "staff"},
    "meeting_attendance": {"meeting_id": "group_meetings", "client_id": "clients"},
    "outreach": {"staff_id": "staff"},
}


class RecordNotFound(UserError):
    template = N_("The record was not found; it may have been deleted. Refresh the list.")


@dataclass(frozen=True)
class Change:
    table: str
    id: str
    action: str  # "created" | "updated" | "deleted"
    fields: tuple[str, ...] = ()
    client_id: str | None = None  # the client file this concerns, if any
    closed_months: tuple[str, ...] = ()  # closed months whose numbers this change alters (amendments)


def _encode(table: str, values: dict[str, Any]) -> dict[str, Any]:
    json_columns = JSON_COLUMNS.get(table, set())
    return {k: json.dumps(v, ensure_ascii=False) if k in json_columns else v for k, v in values.items()}


def decode_row(table: str, row: dict[str, Any]) -> dict[str, Any]:
    for column in JSON_COLUMNS.get(table, ()):
        if column in row and isinstance(row[column], str):
            row[column] = json.loads(row[column])
    return row


def fetch(conn, table: str, record_id: str, *, include_deleted: bool = False) -> dict[str, Any]:
    cursor = conn.execute(f"SELECT * FROM {table} WHERE id = ?", (record_id,))
    row = cursor.fetchone()
    if row is None or (row[_column_index(cursor, "deleted")] and not include_deleted):
        raise RecordNotFound()
    return decode_row(table, dict(zip([d[0] for d in cursor.description], row)))


def _column_index(cursor, name: str) -> int:
    return [d[0] for d in cursor.description].index(name)


def rows(conn, table: str, sql: str, params: tuple | dict = ()) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [decode_row(table, dict(zip(names, row))) for row in cursor]


def _stamp(register) -> dict[str, Any]:
    return {"version": register.clock.next(), "updated_at": utc_stamp(), "updated_by": register.user.id}


def insert(register, table: str, values: dict[str, Any], *, client_id: str | None = None,
           record_id: str | None = None) -> Change:
    """Insert a new record; call inside `register.transaction()` with other rows of the same change."""
    record = {"id": record_id or uuid7(), "origin": register.origin, "deleted": 0,
              **_stamp(register), **_encode(table, values)}
    columns = ", ".join(record)
    marks = ", ".join(f":{k}" for k in record)
    register.conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", record)
    register.audit("record.create", table, record["id"], {"fields": sorted(values)})
    touched = closed_months_touched(register.conn, table, values)
    return Change(table, record["id"], "created", tuple(sorted(values)), client_id, tuple(touched))


def update(register, table: str, record_id: str, values: dict[str, Any], *,
           client_id: str | None = None) -> Change | None:
    """Change the given fields of a record; None if nothing actually changed."""
    current = fetch(register.conn, table, record_id)
    changed = {k: v for k, v in values.items() if current.get(k) != v}
    if not changed:
        return None
    record = {**_encode(table, changed), **_stamp(register)}
    assignments = ", ".join(f"{k} = :{k}" for k in record)
    register.conn.execute(f"UPDATE {table} SET {assignments} WHERE id = :_id", {**record, "_id": record_id})
    register.audit("record.update", table, record_id, {"fields": sorted(changed)})
    touched = closed_months_touched(register.conn, table, current, {**current, **changed})
    return Change(table, record_id, "updated", tuple(sorted(changed)), client_id, tuple(touched))


def tombstone(register, table: str, record_id: str, *, client_id: str | None = None) -> Change:
    current = fetch(register.conn, table, record_id)
    record = {"deleted": 1, **_stamp(register)}
    assignments = ", ".join(f"{k} = :{k}" for k in record)
    register.conn.execute(f"UPDATE {table} SET {assignments} WHERE id = :_id", {**record, "_id": record_id})
    register.audit("record.delete", table, record_id)
    return Change(table, record_id, "deleted", (), client_id, tuple(closed_months_touched(register.conn, table, current)))


def set_people(register, table: str, parent_column: str, parent_id: str, client_ids: list[str]) -> list[Change]:
    """Make the live rows of a people table (session participants, meeting attendance) name exactly
    `client_ids`: rows of people no longer named are tombstoned, new people get new rows. A row is
    never rewritten to another client, so every step reaches the district as its own change."""
    present = dict(register.conn.execute(
        f"SELECT client_id, id FROM {table} WHERE {parent_column} = ? AND deleted = 0", (parent_id,)).fetchall())
    wanted = list(dict.fromkeys(client_ids))
    changes = [tombstone(register, table, row_id, client_id=client_id)
               for client_id, row_id in present.items() if client_id not in wanted]
    for client_id in wanted:
        if client_id not in present:
            fetch(register.conn, "clients", client_id)
            changes.append(insert(register, table, {parent_column: parent_id, "client_id": client_id},
                                  client_id=client_id))
    return changes


def viewed(register, table: str, record_id: str) -> None:
    """Record that the signed-in user opened a record (the access log the privacy law asks for)."""
    with register.transaction():
        register.audit("record.view", table, record_id)
