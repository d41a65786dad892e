"""The audit log: who viewed or changed what, append-only and hash-chained.

Each entry's hash covers the previous entry's hash, so removing, editing or
reordering entries breaks the chain from that point; `verify` finds where.
Triggers in the schema refuse UPDATE and DELETE on the table.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from app.core.clock import utc_stamp
from app.store.connection import on_server

GENESIS = "0" * 64


def _entry_hash(prev_hash: str, at: str, user_id, action, entity, entity_id, detail: str) -> str:
    body = json.dumps(
        [prev_hash, at, user_id, action, entity, entity_id, detail],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(body.encode()).hexdigest()


def record(
    conn,
    user_id: str | None,
    action: str,
    entity: str | None = None,
    entity_id: str | None = None,
    detail: dict | None = None,
) -> str:
    """Append one entry; call inside the transaction of the change it records."""
    if on_server(conn):  # officers append at once: one after the other
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('tuvan audit'))")
    row = conn.execute("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    prev_hash = row[0] if row else GENESIS
    at = utc_stamp()
    detail_text = json.dumps(detail or {}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    digest = _entry_hash(prev_hash, at, user_id, action, entity, entity_id, detail_text)
    conn.execute(
        "INSERT INTO audit_log (at, user_id, action, entity, entity_id, detail, prev_hash, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (at, user_id, action, entity, entity_id, detail_text, prev_hash, digest),
    )
    return digest


@dataclass(frozen=True)
class AuditReport:
    entries: int
    first_broken: int | None  # seq of the first entry that does not chain
    head: str

    @property
    def ok(self) -> bool:
        return self.first_broken is None


def verify(conn) -> AuditReport:
    prev_hash, count = GENESIS, 0
    rows = conn.execute(
        "SELECT seq, at, user_id, action, entity, entity_id, detail, prev_hash, hash"
        " FROM audit_log ORDER BY seq"
    )
    for seq, at, user_id, action, entity, entity_id, detail, stored_prev, stored in rows:
        count += 1
        expected = _entry_hash(prev_hash, at, user_id, action, entity, entity_id, detail)
        if stored_prev != prev_hash or stored != expected:
            return AuditReport(count, seq, prev_hash)
        prev_hash = stored
    return AuditReport(count, None, prev_hash)


def about(conn, entity_id: str, limit: int = 200) -> list[dict]:
    """The latest entries about one record, newest first, with the user's login (a client file's access log)."""
    rows = conn.execute(
        "SELECT a.at, u.login, a.action, a.entity FROM audit_log a LEFT JOIN users u ON u.id = a.user_id"
        " WHERE a.entity_id = ? ORDER BY a.seq DESC LIMIT ?", (entity_id, limit))
    return [dict(zip(("at", "login", "action", "entity"), row)) for row in rows]


def recent(conn, limit: int = 200) -> list[dict]:
    rows = conn.execute(
        "SELECT a.seq, a.at, u.login, a.action, a.entity, a.entity_id, a.detail"
        " FROM audit_log a LEFT JOIN users u ON u.id = a.user_id"
        " ORDER BY a.seq DESC LIMIT ?",
        (limit,),
    )
    keys = ("seq", "at", "login", "action", "entity", "entity_id", "detail")
    return [dict(zip(keys, row)) for row in rows]
