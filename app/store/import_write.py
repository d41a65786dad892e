"""Writing an accepted import plan through the repositories (inside the caller's transaction)."""

from __future__ import annotations

import itertools

from app.store import clients, contacts, outreach, referrals
from app.store.import_match import code_key
from app.store.import_plan import NEW, PRESENT, REPEAT, ImportPlan, PlannedRow
from app.store.records import Change


def write(register, planned: ImportPlan) -> list[Change]:
    new = [row for row in planned.rows if row.action == NEW]
    if planned.kind.key == "clients":
        return _write_clients(register, planned.rows)
    changes: list[Change] = []
    for row in new:
        if row.target == "contacts":
            values = {k: v for k, v in row.values.items() if k != "participants"}
            changes += contacts.add(register, values, row.participants)
        elif row.target == "referrals":
            changes.append(referrals.add(register, row.values))
        else:
            changes.append(outreach.add(register, row.values))
    return changes


def _write_clients(register, rows: list[PlannedRow]) -> list[Change]:
    """Rows with their own record code first, so new codes the program gives never take theirs;
    a family member after the client it relates to."""
    ids = {r.row: r.existing_id for r in rows if r.action == PRESENT}
    same_as = {r.row: r.same_as for r in rows if r.action == REPEAT}
    pending = sorted((r for r in rows if r.action == NEW), key=lambda r: not r.values.get("code"))
    codes = _new_codes(register, {code_key(r.values.get("code")) for r in pending} - {""})
    changes: list[Change] = []
    while pending:
        ready = [r for r in pending if r.link is None or same_as.get(r.link, r.link) in ids]
        if not ready:
            raise RuntimeError("family links in the file form a loop")
        for row in ready:
            values = dict(row.values)
            values["code"] = values.get("code") or next(codes)
            if row.link is not None:
                values["related_client_id"] = ids[same_as.get(row.link, row.link)]
            change = clients.create(register, values)
            ids[row.row] = change.id
            changes.append(change)
        pending = [r for r in pending if r.row not in ids]
    return changes


def _new_codes(register, taken: set[str]):
    """The codes the program gives, one after another (next_code reads every code: once is enough).
    A generator, so the first code is read only when the first row without a code is written."""
    first = clients.next_code(register.conn, register.origin)
    prefix, number = first.rsplit("-", 1)
    for current in itertools.count(int(number)):
        code = f"{prefix}-{current:0{len(number)}d}"
        if code_key(code) not in taken:
            yield code
