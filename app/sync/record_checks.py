"""The rules each arriving record must keep, and the refusal that says which one it broke.

A refusal names the record (table, id, origin, version), the field at fault, the rule as an
English message id with its values, and what the sender can do. It is translated only when shown,
so a point reads its office's refusals in its own language (the receipt carries the message ids).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from app.core.i18n import N_, _
from app.store.records import REFERENCES

MAX_TEXT = 20_000
MAX_INTEGER = 2 ** 63 - 1   # SQLite's INTEGER
MAX_VERSION = 2 ** 62       # a clock version far beyond any real one (year ~2200) leaves the clock room to grow
_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

# What the sender can do, by the kind of rule broken.
FIX_IT = N_("Correct the record at the point and save it: it goes with the next bundle.")
OWN_PEOPLE = N_("At the point, open the record, choose a person or group of that point instead and save it: it "
                "goes with the next bundle.")
ASSIGN_IT = N_("Ask the receiving office to accept this unit as sending through you (its Sync screen, Relayed "
                "units tab); the held records are then applied.")
NOT_FROM_A_FORM = N_("The program's forms cannot make such a record: update the program at the sender, or tell "
                     "whoever supports it.")

NOT_A_TABLE = N_("not a table of the register")
NOT_A_RECORD = N_("not a record")
UNKNOWN_FIELDS = N_("unknown fields {names}")
NO_FIELD = N_("no {field}")
BAD_ID = N_("the id is not valid")
FOREIGN_ORIGIN = N_("it belongs to {origin}, not to the sender")
NOT_ASSIGNED = N_("it belongs to {origin}, which this office has not confirmed as sending through {sender}")
BAD_VERSION = N_("the version is not valid")
BAD_DELETED = N_("the deletion mark is not valid")
BAD_VALUE = N_("a value of {field} is not valid")
TOO_LONG = N_("{field} is unreasonably long")
OTHER_OWNER = N_("a record with this id belongs to {origin}")
FOREIGN_REFERENCE = N_("it refers to a record of {origin} ({table} {id}), not of its own point")
BREAKS_RULES = N_("{field} holds a value the register does not allow")
MISSING_VALUE = N_("{field} is empty, but the register needs it")

ADVICE = {NOT_A_TABLE: NOT_FROM_A_FORM, NOT_A_RECORD: NOT_FROM_A_FORM, UNKNOWN_FIELDS: NOT_FROM_A_FORM,
          NO_FIELD: NOT_FROM_A_FORM, BAD_ID: NOT_FROM_A_FORM, FOREIGN_ORIGIN: NOT_FROM_A_FORM, NOT_ASSIGNED: ASSIGN_IT,
          BAD_VERSION: NOT_FROM_A_FORM, BAD_DELETED: NOT_FROM_A_FORM, BAD_VALUE: FIX_IT, TOO_LONG: FIX_IT,
          OTHER_OWNER: NOT_FROM_A_FORM, FOREIGN_REFERENCE: OWN_PEOPLE, BREAKS_RULES: FIX_IT,
          MISSING_VALUE: FIX_IT}


@dataclass(frozen=True)
class Refusal:
    table: str
    record_id: str
    origin: str
    version: int
    field: str
    reason: str                      # a key of ADVICE (an English message id)
    params: dict = field(default_factory=dict)
    record: dict | None = None       # as it arrived, kept in the office's quarantine

    def rule(self, labels: dict[str, str] | None = None) -> str:
        """The broken rule, in the current language; `labels` names fields as the forms do."""
        params = dict(self.params)
        if labels and isinstance(params.get("field"), str) and params["field"] in labels:
            params["field"] = _(labels[params["field"]])
        try:
            return _(self.reason).format(**params)
        except (KeyError, IndexError, ValueError):
            return _(self.reason)

    def advice(self) -> str:
        return _(ADVICE.get(self.reason, FIX_IT))

    def __str__(self) -> str:
        return f"{self.table}: {self.rule()}"


def shown(text: str, limit: int) -> str:
    """Untrusted text cut short and made printable, for a message."""
    return text[:limit].encode("utf-8", "backslashreplace").decode("utf-8")


def refusal(table: str, row: Any, reason: str, field_name: str = "", /, **params) -> Refusal:
    """A refusal of `row`, naming it as well as its (possibly damaged) sync fields allow."""
    record = row if isinstance(row, dict) else None
    record_id = record.get("id") if record else None
    origin = record.get("origin") if record else None
    version = record.get("version") if record else None
    return Refusal(table, record_id if isinstance(record_id, str) and _ID.match(record_id) else "",
                   shown(origin, 30) if isinstance(origin, str) else "",
                   version if integer(version) else 0, field_name, reason, params, record)


def integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and -MAX_INTEGER - 1 <= value <= MAX_INTEGER


def check_row(table: str, row: Any, columns: set[str], origins: set[str], relaying: str | None = None) -> Refusal | None:
    """The record's shape, sync fields, values and origin; None if it may be applied. `relaying` is the
    sending office's code when it may relay (its refusals then say the unit is not assigned to it)."""
    if not isinstance(row, dict):
        return refusal(table, row, NOT_A_RECORD)
    unknown = set(row) - columns
    if unknown:
        return refusal(table, row, UNKNOWN_FIELDS, names=", ".join(shown(name, 40) for name in sorted(unknown)[:3]))
    for name in ("id", "origin", "version", "updated_at", "deleted"):
        if name not in row:
            return refusal(table, row, NO_FIELD, name, field=name)
    if not isinstance(row["id"], str) or not _ID.match(row["id"]):
        return refusal(table, row, BAD_ID, "id")
    if not isinstance(row["origin"], str) or row["origin"] not in origins:
        origin = shown(row["origin"], 30) if isinstance(row["origin"], str) else "?"
        if relaying and isinstance(row["origin"], str):
            return refusal(table, row, NOT_ASSIGNED, "origin", origin=origin, sender=relaying)
        return refusal(table, row, FOREIGN_ORIGIN, "origin", origin=origin)
    if not isinstance(row["version"], int) or isinstance(row["version"], bool) or not 0 < row["version"] <= MAX_VERSION:
        return refusal(table, row, BAD_VERSION, "version")
    if row["deleted"] not in (0, 1):
        return refusal(table, row, BAD_DELETED, "deleted")
    for name, value in row.items():
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            return refusal(table, row, BAD_VALUE, name, field=name)
        if isinstance(value, str):
            if len(value) > MAX_TEXT:
                return refusal(table, row, TOO_LONG, name, field=name)
            if not value.isascii() and not _encodable(value):
                return refusal(table, row, BAD_VALUE, name, field=name)
        elif isinstance(value, int):
            if not -MAX_INTEGER - 1 <= value <= MAX_INTEGER:
                return refusal(table, row, BAD_VALUE, name, field=name)
        elif not math.isfinite(value):
            return refusal(table, row, BAD_VALUE, name, field=name)
    return None


_PLAIN = {str, int, float, type(None)}


def check_rows(table: str, columns: list[str], rows: list, table_columns: set[str], origins: set[str],
               relaying: str | None = None) -> tuple[list, list[Refusal | None]]:
    """`check_row` for a batch of rows sent as lists under `columns`, column by column: the records
    (a list of the right width becomes a dict) and each one's refusal or None.

    The checks run on whole columns at C speed (types, lengths, ranges); only a batch that fails one
    of them is checked row by row with `check_row`, which then names the record and the reason. So
    the answer is always check_row's; a clean batch (nearly all) costs a fraction of it."""
    width = len(columns)
    records = [dict(zip(columns, row)) if isinstance(row, list) and len(row) == width else row for row in rows]
    if _clean(columns, rows, width, table_columns, origins):
        return records, [None] * len(records)
    return records, [check_row(table, row, table_columns, origins, relaying) for row in records]


def _clean(columns: list[str], rows: list, width: int, table_columns: set[str], origins: set[str]) -> bool:
    if not rows or set(columns) - table_columns or len(set(columns)) != width:
        return False
    if not all(type(row) is list and len(row) == width for row in rows):
        return False
    where = {name: n for n, name in enumerate(columns)}
    if any(name not in where for name in ("id", "origin", "version", "updated_at", "deleted")):
        return False
    for n, name in enumerate(columns):
        values = [row[n] for row in rows]
        kinds = set(map(type, values))
        if not kinds <= _PLAIN:
            return False
        if name == "id":
            if kinds != {str} or not all(map(_ID.match, values)):
                return False
        elif name == "origin":
            if kinds != {str} or not set(values) <= origins:
                return False
        elif name == "version":
            if kinds != {int} or min(values) <= 0 or max(values) > MAX_VERSION:
                return False
        elif name == "deleted":
            if not set(values) <= {0, 1} or not kinds <= {int}:
                return False
        if str in kinds:
            texts = [v for v in values if type(v) is str]
            if max(map(len, texts)) > MAX_TEXT:
                return False
            joined = "".join(texts)  # one pass in C; a lone surrogate anywhere makes it unencodable
            if not joined.isascii() and not _encodable(joined):
                return False
        if int in kinds:
            numbers = [v for v in values if type(v) is int]
            if min(numbers) < -MAX_INTEGER - 1 or max(numbers) > MAX_INTEGER:
                return False
        if float in kinds and not all(math.isfinite(v) for v in values if type(v) is float):
            return False
    return True


def _encodable(text: str) -> bool:
    """False for text with lone surrogates (JSON allows \\ud800; UTF-8 and SQLite do not)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def references(table: str, row: dict) -> list[tuple[str, str, str]]:
    """(column, table named, id) for every reference the record holds."""
    return [(column, target, row[column]) for column, target in REFERENCES.get(table, {}).items()
            if isinstance(row.get(column), str) and row[column]]


def check_references(table: str, row: dict, owner_of, allowed_extra: set[str], named=None) -> Refusal | None:
    """Origin is law: a record may name only records of its own origin (or of the receiving office).

    `owner_of(table, id)` is the origin of a record known here or arriving in the same bundle,
    None if unknown (not yet arrived: a reference cannot be judged before its record exists).
    """
    for column, target, target_id in (references(table, row) if named is None else named):
        owner = owner_of(target, target_id)
        if owner is not None and owner != row["origin"] and owner not in allowed_extra:
            return refusal(table, row, FOREIGN_REFERENCE, column, origin=shown(owner, 30), table=target,
                           id=shown(target_id, 36))
    return None


def schema_refusal(table: str, row: dict, error: str) -> Refusal:
    """A record that passed the checks above but that the register's schema refused (a CHECK or
    NOT NULL rule: e.g. a code this program does not know); `error` is SQLite's message."""
    failed = error.split("failed:", 1)[-1]
    found = [(match.start(), name) for name in row
             for match in [re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", failed)] if match]
    field_name = min(found)[1] if found else ""
    reason = MISSING_VALUE if error.startswith("NOT NULL") else BREAKS_RULES
    return refusal(table, row, reason, field_name, field=field_name or "?", detail=shown(error, 160))
