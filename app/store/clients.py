"""Clients (khách hàng): intake, edits, group history, family members, closing the case."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from app.core import validate
from app.core.errors import InvalidInput
from app.core.i18n import N_
from app.core.ids import uuid7
from app.core.roles import Permission
from app.core.text import clean, fold, split_name
from app.store import catalogs, law_terms, records, search
from app.store.records import Change
from app.store.search import ClientHit


class DuplicateCode(InvalidInput):
    template = N_("Record code: {code} is already used by another client. Leave it empty to get a new code.")


def next_code(conn, origin: str) -> str:
    """The point's next record code: MYHOA-01-0001, -0002, …"""
    highest = 0
    # Longest, then greatest, numbered codes first: the top few hold the maximum without reading all.
    # (a range rather than GLOB: codes starting "<origin>-<digit>", spelled alike for both engines)
    for (code,) in conn.execute("SELECT code FROM clients WHERE origin = ? AND code >= ? AND code < ?"
                                " ORDER BY length(code) DESC, code DESC LIMIT 50", (origin, f"{origin}-0", f"{origin}-:")):
        match = re.fullmatch(rf"{re.escape(origin)}-(\d+)", code)
        if match:
            highest = max(highest, int(match.group(1)))
    return f"{origin}-{highest + 1:04d}"


def _store_derived(register, client_id: str) -> None:
    """Keep the sort key and the search index in step with the stored row."""
    search.reindex(register.conn, [client_id])


def _check_code(conn, code: str, exclude_id: str | None = None) -> None:
    row = conn.execute("SELECT id FROM clients WHERE code = ? AND deleted = 0 AND id != ?",
                       (code, exclude_id or "")).fetchone()
    if row:
        raise DuplicateCode(code=code)


def create(register, values: dict[str, Any]) -> Change:
    """Intake: the client, the first entry of the group history, the hamlet in the catalog."""
    register.require(Permission.CASE_WORK)
    cleaned = validate.client(values, substances=catalogs.codes(register.conn, "substance"),
                              management_for=law_terms.current(register.conn).management_term)
    with register.transaction():
        code = clean(str(values.get("code") or "")) or next_code(register.conn, register.origin)
        _check_code(register.conn, code)
        cleaned["code"] = code
        cleaned.setdefault("status", "active")
        client_id = uuid7()
        change = records.insert(register, "clients", cleaned, record_id=client_id, client_id=client_id)
        records.insert(register, "client_groups", {
            "client_id": change.id, "group_code": cleaned["main_group"], "start_date": cleaned["intake_date"],
        }, client_id=change.id)
        catalogs.ensure_hamlet(register, cleaned.get("hamlet", ""))
        _store_derived(register, change.id)
    return change


def edit(register, client_id: str, values: dict[str, Any]) -> Change | None:
    """Change profile fields. The group goes through `change_group` so its history is kept."""
    register.require(Permission.CASE_WORK)
    values = {k: v for k, v in values.items() if k not in ("main_group", "status", "closed_date", "closing_reason")}
    cleaned = validate.client(values, partial=True, substances=catalogs.codes(register.conn, "substance"),
                              management_for=law_terms.current(register.conn).management_term)
    with register.transaction():
        current = records.fetch(register.conn, "clients", client_id)
        if "code" in values:
            code = clean(str(values["code"] or "")) or current["code"]
            _check_code(register.conn, code, client_id)
            cleaned["code"] = code
        if not (cleaned.get("full_name", current["full_name"]) or cleaned.get("alias", current["alias"])):
            from app.core.fields import FieldErrors
            from app.core.i18n import _

            raise FieldErrors({"full_name": _("write the full name or at least an alias")})
        change = records.update(register, "clients", client_id, cleaned, client_id=client_id)
        if change:
            catalogs.ensure_hamlet(register, cleaned.get("hamlet", ""))
            _store_derived(register, client_id)
    return change


def change_group(register, client_id: str, values: dict[str, Any]) -> Change | None:
    register.require(Permission.CASE_WORK)
    cleaned = validate.group_change(values)
    with register.transaction():
        current = records.fetch(register.conn, "clients", client_id)
        if current["main_group"] == cleaned["group_code"]:
            return None
        records.insert(register, "client_groups", {"client_id": client_id, **cleaned}, client_id=client_id)
        return records.update(register, "clients", client_id, {"main_group": cleaned["group_code"]},
                              client_id=client_id)


def close_case(register, client_id: str, values: dict[str, Any]) -> Change | None:
    register.require(Permission.CASE_WORK)
    with register.transaction():
        current = records.fetch(register.conn, "clients", client_id)
        cleaned = validate.closing(values, intake_date=current["intake_date"])
        return records.update(register, "clients", client_id, {"status": "closed", **cleaned}, client_id=client_id)


def reopen_case(register, client_id: str) -> Change | None:
    register.require(Permission.CASE_WORK)
    with register.transaction():
        return records.update(register, "clients", client_id,
                              {"status": "active", "closed_date": None, "closing_reason": ""}, client_id=client_id)


def add_family_member(register, client_id: str, values: dict[str, Any]) -> Change:
    """A family member is a client of group `family` linked to the client they relate to."""
    records.fetch(register.conn, "clients", client_id)
    return create(register, {**values, "main_group": "family", "related_client_id": client_id})


def get(conn, client_id: str) -> dict[str, Any]:
    return records.fetch(conn, "clients", client_id)


def find_id(conn, code_or_id: str) -> str | None:
    """A client's id from its id or its record code (any letter case), deleted files included;
    a live file wins over a deleted one with the same code."""
    text = code_or_id.strip()
    row = conn.execute("SELECT id FROM clients WHERE id = ? OR upper(code) = upper(?)"
                       " ORDER BY deleted, seq LIMIT 1", (text, text)).fetchone()
    return None if row is None else row[0]


def group_history(conn, client_id: str) -> list[dict[str, Any]]:
    return records.rows(conn, "client_groups",
                        "SELECT * FROM client_groups WHERE client_id = ? AND deleted = 0 ORDER BY start_date, seq",
                        (client_id,))


def family(conn, client_id: str) -> list[ClientHit]:
    ids = [r[0] for r in conn.execute(
        "SELECT id FROM clients WHERE related_client_id = ? AND deleted = 0 ORDER BY sort_key", (client_id,))]
    return search.hits_by_id(conn, ids)


# --- duplicates at intake ----------------------------------------------------

@dataclass(frozen=True)
class PossibleDuplicate:
    client: ClientHit
    reason: str  # "citizen_id" | "name_and_year" | "similar_name_same_hamlet"


def _similar(a: str, b: str) -> bool:
    if not a or not b:
        return False
    if a == b:
        return True
    given_a, rest_a = split_name(a)
    given_b, rest_b = split_name(b)
    family_a, family_b = (rest_a.split(" ")[:1] or [""])[0], (rest_b.split(" ")[:1] or [""])[0]
    if given_a == given_b and family_a == family_b and family_a:
        return True
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.85


def possible_duplicates(conn, values: dict[str, Any], *, exclude_id: str | None = None,
                        limit: int = 10) -> list[PossibleDuplicate]:
    """Existing clients that are probably the same person as `values`."""
    found: dict[str, str] = {}
    citizen = clean(str(values.get("citizen_id") or ""))
    if citizen:
        # "citizen_id != ''" lets SQLite use the partial index on citizen_id
        for (cid,) in conn.execute("SELECT id FROM clients WHERE citizen_id = ? AND citizen_id != ''"
                                   " AND deleted = 0", (citizen,)):
            found.setdefault(cid, "citizen_id")
    name = fold(values.get("full_name") or values.get("alias") or "")
    year = values.get("birth_year")
    try:
        year = int(year) if year not in (None, "") else None
    except (TypeError, ValueError):
        year = None
    expression = search.match_expression(name, prefix=False) if name else None
    if expression and year:
        for cid, full, alias in conn.execute(
                "SELECT id, full_name, alias FROM clients WHERE seq IN (SELECT rowid FROM client_search WHERE"
                " client_search MATCH ?) AND birth_year = ? AND deleted = 0", (expression, year)):
            if name in (fold(full), fold(alias)):
                found.setdefault(cid, "name_and_year")
    hamlet = clean(str(values.get("hamlet") or ""))
    if name and hamlet:
        for cid, full, alias in conn.execute(
                "SELECT id, full_name, alias FROM clients WHERE hamlet = ? AND deleted = 0", (hamlet,)):
            if _similar(name, fold(full)) or (alias and _similar(name, fold(alias))):
                found.setdefault(cid, "similar_name_same_hamlet")
    found.pop(exclude_id or "", None)
    hits = search.hits_by_id(conn, list(found)[:limit])
    return [PossibleDuplicate(hit, found[hit.id]) for hit in hits]
