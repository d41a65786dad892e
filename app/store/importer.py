"""Importing a point's spreadsheets (CSV, XLSX) of clients, contacts, referrals, activities.

`plan` reads the file, checks every row with the same rules as the forms
(app/core/validate) and says, row by row, what would be new, what is
already in the register, and every problem by row and column. `apply` plans
again inside one transaction and writes only if there is no problem: a file
is imported whole or not at all. Matching against the register makes a
second import of the same file add nothing.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from app.core import validate
from app.core.errors import UserError
from app.core.fields import FieldErrors, parse_date
from app.core.i18n import N_, _, ngettext
from app.core.import_spec import (
    CATALOG,
    CATALOG_LIST,
    CHOICE,
    CHOICES,
    CLIENT_REF,
    CLIENT_REFS,
    DATE,
    FLAG,
    INTEGER,
    KINDS,
    SESSION_KINDS,
    STAFF,
    Column,
    ImportKind,
    choice_code,
    is_ignored,
    map_items,
    show_date,
    split_list,
)
from app.core.roles import Permission
from app.core.text import clean, fold
from app.core.vocab import INDIVIDUAL_CONTACT_KINDS
from app.store import catalogs, clients, contacts, outreach, referrals, staff
from app.store.sheets import ImportFileError, Sheet, TooManyRows, read_sheet  # noqa: F401  (part of the API)
from app.store.records import Change

NEW, PRESENT, REPEAT = "new", "present", "repeat"
ACTIONS = {NEW: N_("new"), PRESENT: N_("already in the register"), REPEAT: N_("repeated in the file")}
HEADER_SCAN_ROWS = 10  # a title or the unit's name may sit above the header row


class FileChangedSinceCheck(UserError):
    template = N_("The file {name} was changed after it was checked. Check it again, then import.")


class ImportRejected(UserError):
    """The file has problems; nothing was written. `plan` lists them."""

    def __init__(self, plan: "ImportPlan") -> None:
        self.plan = plan
        super().__init__(count=len(plan.problems))

    @property
    def message(self) -> str:
        count = len(self.plan.problems)
        return ngettext("Nothing was imported: the file has {count} problem. Correct it and import the file again.",
                        "Nothing was imported: the file has {count} problems. Correct them and import the file again.",
                        count).format(count=count)


@dataclass(frozen=True)
class Problem:
    row: int        # the spreadsheet's own row number (the header is usually row 1)
    column: str     # the header as written in the file
    message: str

    def __str__(self) -> str:
        return _("row {row}, column {column}: {message}").format(row=self.row, column=self.column, message=self.message)

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class PlannedRow:
    row: int
    action: str                      # NEW | PRESENT | REPEAT
    target: str                      # the table it goes to: clients, contacts, referrals, outreach
    values: dict[str, Any]           # what the repository function receives
    shown: dict[str, str]            # column field -> text for the preview
    note: str = ""
    participants: list[str] = field(default_factory=list)
    link: int | None = None          # clients: the row of the file this family member relates to
    same_as: int | None = None       # REPEAT: the earlier row of the file it repeats
    existing_id: str | None = None   # PRESENT clients: the client already in the register


@dataclass
class ImportPlan:
    kind: ImportKind
    file_name: str
    header_row: int
    headers: list[tuple[str, Column]]   # (header as written, column), in the file's order
    rows: list[PlannedRow]
    problems: list[Problem]
    warnings: list[Problem]
    digest: str = ""                    # SHA-256 of the file as checked

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    def summary(self) -> dict[str, Any]:
        return {
            "kind": self.kind.key, "file": self.file_name, "ok": self.ok,
            "new": self.count(NEW), "present": self.count(PRESENT), "repeated": self.count(REPEAT),
            "new_by_table": _by_table(self.rows),
            "problems": [p.as_dict() for p in self.problems],
            "warnings": [w.as_dict() for w in self.warnings],
        }


@dataclass
class ImportResult:
    plan: ImportPlan
    changes: list[Change]

    def summary(self) -> dict[str, Any]:
        return {**self.plan.summary(), "imported": True}


def _by_table(rows: list[PlannedRow]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in rows:
        if row.action == NEW:
            counts[row.target] = counts.get(row.target, 0) + 1
    return counts


# --- reading the file ---------------------------------------------------------

def plan(register, kind: str, path: Path) -> ImportPlan:
    """What importing `path` as `kind` would do; writes nothing."""
    register.require(Permission.CASE_WORK)
    return _Planner(register, KINDS[kind], read_sheet(path)).run()


def apply(register, kind: str, path: Path, *, checked_digest: str | None = None) -> ImportResult:
    """Import the whole file in one transaction, or raise ImportRejected and write nothing.

    `checked_digest` (ImportPlan.digest of the preview) refuses a file edited since it was shown.
    """
    register.require(Permission.CASE_WORK)
    sheet = read_sheet(path)
    if checked_digest is not None and sheet.digest != checked_digest:
        raise FileChangedSinceCheck(name=sheet.name)
    with register.transaction():
        planned = _Planner(register, KINDS[kind], sheet).run()  # again: the register may have changed
        if planned.problems:
            raise ImportRejected(planned)
        changes = _write(register, planned)
        register.audit("import.apply", planned.kind.key, None, {
            "file": planned.file_name, "new": planned.count(NEW), "present": planned.count(PRESENT),
            "repeated": planned.count(REPEAT)})
    return ImportResult(planned, changes)


def _code_key(text: Any) -> str:
    return re.sub(r"\s+", "", fold(str(text or "")))


def _digits(text: Any) -> str:
    return re.sub(r"\D", "", str(text or ""))


def _name_keys(row: dict[str, Any]) -> set[str]:
    return {fold(row.get("full_name")), fold(row.get("alias"))} - {""}


def _pad_zero(value: Any, lengths: dict[int, int]) -> Any:
    """Spreadsheets drop the leading zero of numbers: 89090001234 -> 089090001234."""
    text = str(value)
    if text.isdigit() and len(text) in lengths:
        return text.zfill(lengths[len(text)])
    return text


class _ClientIndex:
    """The register's clients by record code, citizen ID and folded name with birth year."""

    def __init__(self, conn) -> None:
        self.by_code: dict[str, dict] = {}
        self.by_citizen: dict[str, dict] = {}
        self.by_name_year: dict[tuple[str, int], dict] = {}
        self.code_of: dict[str, str] = {}
        for cid, code, full_name, alias, citizen, year in conn.execute(
                "SELECT id, code, full_name, alias, citizen_id, birth_year FROM clients WHERE deleted = 0"):
            row = {"id": cid, "code": code, "full_name": full_name, "alias": alias, "citizen_id": citizen,
                   "birth_year": year}
            self.by_code.setdefault(_code_key(code), row)
            self.code_of[cid] = code
            if citizen:
                self.by_citizen.setdefault(citizen, row)
            for name in _name_keys(row):
                self.by_name_year.setdefault((name, year), row)

    def find(self, reference: Any) -> dict | None:
        """A client named by record code, or else by citizen ID."""
        found = self.by_code.get(_code_key(reference))
        if found is None and _digits(reference) and _digits(reference) == str(reference).strip():
            found = self.by_citizen.get(_pad_zero(reference, {11: 12, 8: 9}))
        return found


class _Planner:
    def __init__(self, register, kind: ImportKind, sheet: Sheet) -> None:
        self.register = register
        self.conn = register.conn
        self.kind = kind
        self.sheet = sheet
        self.problems: list[Problem] = []
        self.rows_with_problems: set[int] = set()
        self.warnings: list[Problem] = []
        self.rows: list[PlannedRow] = []
        self.headers: list[tuple[int, str, Column]] = []   # (cell index, header as written, column)
        self.header_row = 1
        self.clients = _ClientIndex(self.conn)
        self.catalog_codes = {k: catalogs.codes(self.conn, k) for k in ("substance", "service", "topic")}
        self.catalog_lookup = {k: _catalog_lookup(self.conn, k) for k in ("substance", "service", "topic")}
        self.catalog_labels = {k: catalogs.labels(self.conn, k) for k in ("substance", "service", "topic")}
        self.staff_names = staff.names(self.conn)
        self.staff_by_name: dict[str, list[str]] = {}
        for staff_id, name in self.staff_names.items():
            self.staff_by_name.setdefault(fold(name), []).append(staff_id)
        self.seen: dict[tuple, PlannedRow] = {}              # keys of rows already planned from this file
        self.file_clients: dict[tuple, tuple[PlannedRow, set[str]]] = {}
        self.file_refs: dict[tuple, int] = {}                # every client row's code and citizen ID -> row

    # --- header ---------------------------------------------------------------
    def run(self) -> ImportPlan:
        if self._read_header():
            handler = getattr(self, f"_{self.kind.key}_row")
            for number, cells in self.sheet.rows:
                if number <= self.header_row:
                    continue
                raw = {column.field: cells[index] for index, _header, column in self.headers
                       if index < len(cells) and cells[index] not in (None, "")}
                if raw:
                    handler(number, raw)
        return ImportPlan(self.kind, self.sheet.name, self.header_row,
                          [(header, column) for _index, header, column in self.headers],
                          self.rows, self.problems, self.warnings, self.sheet.digest)

    def _read_header(self) -> bool:
        candidates = [(n, cells) for n, cells in self.sheet.rows[:HEADER_SCAN_ROWS * 3]
                      if any(c not in (None, "") for c in cells)][:HEADER_SCAN_ROWS]
        if not candidates:
            self.problems.append(Problem(1, "—", _("the file is empty")))
            return False
        best = max(candidates, key=lambda item: sum(
            1 for c in item[1] if isinstance(c, str) and self.kind.match(c)))  # first of the best
        number, cells = best
        if not any(isinstance(c, str) and self.kind.match(c) for c in cells):
            self.header_row = candidates[0][0]
            self.problems.append(Problem(self.header_row, "—", _(
                "no known column names were found; the first row must name the columns, see the import guide")))
            return False
        self.header_row = number
        taken: dict[str, str] = {}
        for index, cell in enumerate(cells):
            header = str(cell or "").strip()
            if not header or is_ignored(header):
                continue
            column = self.kind.match(header)
            if column is None:
                self.warnings.append(Problem(number, header, _("unknown column; it will not be imported")))
            elif column.field in taken:
                self.problems.append(Problem(number, header, _(
                    "this column holds the same thing as column {other}; keep one of them").format(
                    other=taken[column.field])))
            else:
                taken[column.field] = header
                self.headers.append((index, header, column))
        for column in self.kind.columns:
            if column.required and column.field not in taken:
                self.problems.append(Problem(number, column.both_titles(), _("this column is missing")))
        for group in self.kind.one_of:
            if not any(name in taken for name in group):
                titles = ", ".join(self.kind.column(name).both_titles() for name in group)
                self.problems.append(Problem(number, titles, _("at least one of these columns is needed")))
        return not self.problems

    # --- problems -----------------------------------------------------------------
    def _header_for(self, field_name: str) -> str:
        """The file's header for a record field (or the documented one if the file has none)."""
        for _index, header, column in self.headers:
            if column.field == field_name or field_name in column.feeds:
                return header
        for column in self.kind.columns:
            if column.field == field_name or field_name in column.feeds:
                return column.title()
        return field_name

    def _fail(self, row: int, field_name: str, message: str) -> None:
        self.problems.append(Problem(row, self._header_for(field_name), message))
        self.rows_with_problems.add(row)

    def _warn(self, row: int, field_name: str, message: str) -> None:
        self.warnings.append(Problem(row, self._header_for(field_name), message))

    def _check(self, row: int, rule, values: dict[str, Any], **options) -> dict[str, Any] | None:
        try:
            return rule(values, **options)
        except FieldErrors as errors:
            for field_name, message in errors.errors.items():
                self._fail(row, field_name, message)
            return None

    # --- values ---------------------------------------------------------------------
    def _values(self, row: int, raw: dict[str, Any]) -> dict[str, Any]:
        """Cells turned into what the validation rules take: codes for choices and catalogs, ids for staff."""
        values: dict[str, Any] = {}
        for column in self.kind.columns:
            if column.field not in raw or column.value in (CLIENT_REF, CLIENT_REFS):
                continue
            if column.value == STAFF:
                staff_id = self._staff(row, column.field, str(raw[column.field]).strip())
                if staff_id:
                    values[column.field] = staff_id
                continue
            values[column.field] = self._value(column, raw[column.field])
        return values

    def _staff(self, row: int, field_name: str, name: str) -> str | None:
        found = self.staff_by_name.get(fold(name), [])
        if len(found) == 1:
            return found[0]
        if found:
            self._fail(row, field_name, _("{n} staff members are called {name}; leave the cell empty and choose the "
                                          "person in the program after importing").format(n=len(found), name=name))
        else:
            self._fail(row, field_name, _("no staff member or volunteer called {name}: add them under Settings → "
                                          "Staff and volunteers first, or leave the cell empty").format(name=name))
        return None

    def _value(self, column: Column, cell: Any) -> Any:
        if column.value in (DATE, INTEGER, FLAG) and not isinstance(cell, str):
            return cell
        text = show_date(cell) if isinstance(cell, date) else str(cell).strip()
        if column.field in ("citizen_id", "client_citizen_id"):
            return _pad_zero(text, {11: 12, 8: 9})
        if column.field == "phone":
            return _pad_zero(text, {9: 10})
        if column.value == CHOICE:
            return choice_code(column.vocabulary, text) or text
        if column.value == CHOICES:
            return map_items(text, lambda item: choice_code(column.vocabulary, item))
        if column.value == CATALOG:
            return self.catalog_lookup[column.catalog].get(fold(text), text)
        if column.value == CATALOG_LIST:
            lookup = self.catalog_lookup[column.catalog]
            return map_items(text, lambda item: lookup.get(fold(item)))
        return text

    def _show(self, cleaned: dict[str, Any], renames: dict[str, str] | None = None) -> dict[str, str]:
        """Text for the preview, per column of the file."""
        shown: dict[str, str] = {}
        for _index, _header, column in self.headers:
            name = (renames or {}).get(column.field, column.field)
            if name not in cleaned or column.value in (CLIENT_REF, CLIENT_REFS):
                continue
            value = cleaned[name]
            if value in (None, "", []):
                shown[column.field] = ""
            elif column.value == DATE:
                shown[column.field] = show_date(value)
            elif column.value == CHOICE:
                shown[column.field] = column.vocabulary.label(value)
            elif column.value == CHOICES:
                shown[column.field] = "; ".join(column.vocabulary.label(v) for v in value)
            elif column.value in (CATALOG, CATALOG_LIST):
                labels = self.catalog_labels[column.catalog]
                items = value if isinstance(value, list) else [value]
                shown[column.field] = "; ".join(labels.get(v, v) for v in items)
            elif column.value == FLAG:
                shown[column.field] = _("Yes") if value else _("No")
            elif column.value == STAFF:
                shown[column.field] = self.staff_names.get(value, str(value))
            else:
                shown[column.field] = str(value)
        return shown

    # --- references to clients --------------------------------------------------------
    def _client(self, row: int, raw: dict[str, Any], *, needed: bool) -> tuple[str | None, dict[str, str]]:
        """The client a contact or referral is about: (id or None, preview texts).

        Problems are recorded; an unresolved reference returns None.
        """
        code, citizen = raw.get("client_code"), raw.get("client_citizen_id")
        if code in (None, "") and citizen in (None, ""):
            if needed:
                self._fail(row, "client_id", _("write the client's record code or citizen ID"))
            return None, {}
        by_code = self.clients.find(code) if code not in (None, "") else None
        by_citizen = None
        if citizen not in (None, ""):
            citizen_text = self._value(self.kind.column("client_citizen_id"), citizen)
            by_citizen = self.clients.by_citizen.get(citizen_text)
            if by_citizen is None:
                self._fail(row, "client_citizen_id", _("no client with citizen ID {citizen_id} in the register").format(
                    citizen_id=citizen_text))
                return None, {}
        if code not in (None, "") and by_code is None:
            self._fail(row, "client_code", _("no client with record code {code} in the register").format(code=code))
            return None, {}
        if by_code and by_citizen and by_code["id"] != by_citizen["id"]:
            self._fail(row, "client_citizen_id", _("the record code and the citizen ID belong to different clients"))
            return None, {}
        client = by_code or by_citizen
        name = raw.get("client_name")
        if name not in (None, "") and fold(str(name)) not in _name_keys(client):
            self._fail(row, "client_name", _("this is not the name of client {code} ({name}) in the register").format(
                code=client["code"], name=client["full_name"] or client["alias"]))
            return None, {}
        shown = {"client_code": client["code"], "client_citizen_id": client["citizen_id"],
                 "client_name": client["full_name"] or client["alias"]}
        return client["id"], shown

    def _participants(self, row: int, raw: dict[str, Any]) -> list[str]:
        found: list[str] = []
        for reference in split_list(str(raw.get("participants") or "")):
            client = self.clients.find(reference)
            if client is None:
                self._fail(row, "participants", _("no client with record code {code} in the register").format(
                    code=reference))
            elif client["id"] not in found:
                found.append(client["id"])
        return found

    def _add(self, planned: PlannedRow, key: tuple, exists: bool) -> None:
        earlier = self.seen.get(key)
        if earlier is not None:
            planned.action = REPEAT
            if planned.target == "contacts" and planned.values.get("client_id") is None:
                # A session written as one row per participant: one session, all participants.
                earlier.participants.extend(p for p in planned.participants if p not in earlier.participants)
                earlier.shown["participants"] = "; ".join(self._codes(earlier.participants))
                planned.note = _("same session as row {row}").format(row=earlier.row)
            else:
                planned.note = _("repeats row {row}; imported once").format(row=earlier.row)
                self.warnings.append(Problem(planned.row, "—", planned.note))
        else:
            self.seen[key] = planned
            if exists:
                planned.action = PRESENT
                planned.note = _("already in the register")
        self.rows.append(planned)

    # --- clients ----------------------------------------------------------------------
    def _clients_row(self, row: int, raw: dict[str, Any]) -> None:
        values = self._values(row, raw)
        _birth_year_from_date(values)
        link = None
        if raw.get("related_code") not in (None, ""):
            related = str(raw["related_code"]).strip()
            target = self.clients.find(related)
            earlier = self.file_refs.get(("code", _code_key(related))) or self.file_refs.get(
                ("citizen", _pad_zero(related, {11: 12, 8: 9})))
            if target is not None:
                values["related_client_id"] = target["id"]
            elif earlier is not None:
                link = earlier
            else:
                self._fail(row, "related_code", _(
                    "no client with record code {code} in the register or in an earlier row").format(code=related))
        for key in (("code", _code_key(values.get("code"))), ("citizen", values.get("citizen_id"))):
            if key[1]:
                self.file_refs.setdefault(key, row)
        cleaned = self._check(row, validate.client, values, substances=self.catalog_codes["substance"])
        if cleaned is None:
            return
        if values.get("code"):
            values["code"] = clean(str(values["code"]))
        names = _name_keys(cleaned)
        shown = {**self._show({**cleaned, "code": values.get("code", "")}),
                 "related_code": str(raw.get("related_code") or "")}
        planned = PlannedRow(row, NEW, "clients", values, shown, link=link)
        if not self._known_client(planned, cleaned, names):
            self._remember_client(planned, cleaned, names)
            self.rows.append(planned)

    def _known_client(self, planned: PlannedRow, cleaned: dict[str, Any], names: set[str]) -> bool:
        """Already in the register or earlier in the file? Records problems for clashes."""
        row, code = planned.row, _code_key(planned.values.get("code"))
        citizen, year = cleaned.get("citizen_id"), cleaned["birth_year"]
        existing, by = None, ""
        if code and code in self.clients.by_code:
            existing, by = self.clients.by_code[code], "code"
        elif citizen and citizen in self.clients.by_citizen:
            existing, by = self.clients.by_citizen[citizen], "citizen_id"
        else:
            existing = next((self.clients.by_name_year[(n, year)] for n in names if (n, year) in self.clients.by_name_year), None)
        if existing is not None and by and not names & _name_keys(existing):
            self._fail(row, by, _("already used in the register for another person: {code} ({name})").format(
                code=existing["code"], name=existing["full_name"] or existing["alias"]))
            return True
        keys = [k for k in (("code", code) if code else None, ("citizen", citizen) if citizen else None) if k]
        keys += [("name", n, year) for n in names]
        earlier = next((self.file_clients[k] for k in keys if k in self.file_clients), None)
        if existing is not None:
            planned.action, planned.existing_id = PRESENT, existing["id"]
            planned.note = _("already in the register as {code}").format(code=existing["code"])
        elif earlier is not None:
            first, first_names = earlier
            if not names & first_names:
                self._fail(row, "code" if code and ("code", code) in self.file_clients else "citizen_id", _(
                    "also used in row {row} for another person").format(row=first.row))
                return True
            planned.action, planned.same_as = REPEAT, first.row
            planned.note = _("same person as row {row}; imported once").format(row=first.row)
            self.warnings.append(Problem(row, "—", planned.note))
        else:
            return False
        self.rows.append(planned)
        return True

    def _remember_client(self, planned: PlannedRow, cleaned: dict[str, Any], names: set[str]) -> None:
        code, citizen = _code_key(planned.values.get("code")), cleaned.get("citizen_id")
        entry = (planned, names)
        if code:
            self.file_clients[("code", code)] = entry
        if citizen:
            self.file_clients[("citizen", citizen)] = entry
        for name in names:
            self.file_clients.setdefault(("name", name, cleaned["birth_year"]), entry)

    # --- contacts ----------------------------------------------------------------------
    def _contacts_row(self, row: int, raw: dict[str, Any]) -> None:
        values = self._values(row, raw)
        session = values.get("kind") in SESSION_KINDS
        client_id, client_shown = self._client(row, raw, needed=values.get("kind") in INDIVIDUAL_CONTACT_KINDS)
        participants = self._participants(row, raw)
        if session:
            participants = ([client_id] if client_id else []) + [p for p in participants if p != client_id]
            values["client_id"] = None
        else:
            values["client_id"] = client_id or "?"  # a missing client is already reported
        self._contact(row, values, participants, client_shown, unresolved=client_id is None and not session)

    def _contact(self, row: int, values: dict[str, Any], participants: list[str], shown: dict[str, str],
                 *, unresolved: bool = False, renames: dict[str, str] | None = None) -> None:
        cleaned = self._check(row, validate.contact, values, topics=self.catalog_codes["topic"])
        if cleaned is None or unresolved or row in self.rows_with_problems:
            return
        if values["client_id"] is None:
            key = ("session", cleaned["kind"], cleaned["contact_date"], cleaned.get("location", ""))
            exists = self._exists("SELECT 1 FROM contacts WHERE deleted = 0 AND client_id IS NULL AND kind = ?"
                                  " AND contact_date = ? AND location = ?", key[1:])
        else:
            key = ("contact", values["client_id"], cleaned["kind"], cleaned["contact_date"])
            exists = self._exists("SELECT 1 FROM contacts WHERE deleted = 0 AND client_id = ? AND kind = ?"
                                  " AND contact_date = ?", key[1:])
        planned = PlannedRow(row, NEW, "contacts", values, {**self._show(cleaned, renames), **shown},
                             participants=participants)
        planned.shown["participants"] = "; ".join(self._codes(participants))
        self._add(planned, key, exists)

    def _codes(self, client_ids: list[str]) -> list[str]:
        return [self.clients.code_of.get(cid, cid) for cid in client_ids]

    def _exists(self, sql: str, params: tuple) -> bool:
        return self.conn.execute(sql + " LIMIT 1", params).fetchone() is not None

    # --- referrals ----------------------------------------------------------------------
    def _referrals_row(self, row: int, raw: dict[str, Any]) -> None:
        values = self._values(row, raw)
        client_id, shown = self._client(row, raw, needed=True)
        values["client_id"] = client_id or "?"
        cleaned = self._check(row, validate.referral, values, services=self.catalog_codes["service"])
        if cleaned is None or client_id is None:
            return
        key = ("referral", client_id, cleaned["service"], cleaned["referred_date"])
        exists = self._exists("SELECT 1 FROM referrals WHERE deleted = 0 AND client_id = ? AND service = ?"
                              " AND referred_date = ?", key[1:])
        self._add(PlannedRow(row, NEW, "referrals", values, {**self._show(cleaned), **shown}), key, exists)

    # --- activities: outreach, and group or community sessions ------------------------------
    def _activities_row(self, row: int, raw: dict[str, Any]) -> None:
        values = self._values(row, raw)
        if values.get("kind") in SESSION_KINDS:
            self._session_row(row, raw, values)
            return
        for name in ("topics", "participants"):
            if name in raw:
                self._warn(row, name, _("only used for group and community sessions; not imported for this row"))
        values = {k: v for k, v in values.items() if k != "topics"}
        cleaned = self._check(row, validate.outreach, values)
        if cleaned is None:
            return
        key = ("outreach", cleaned["kind"], cleaned["activity_date"], cleaned.get("location", ""), cleaned["quantity"])
        exists = self._exists("SELECT 1 FROM outreach WHERE deleted = 0 AND kind = ? AND activity_date = ?"
                              " AND location = ? AND quantity = ?", key[1:])
        self._add(PlannedRow(row, NEW, "outreach", values, self._show(cleaned)), key, exists)

    def _session_row(self, row: int, raw: dict[str, Any], values: dict[str, Any]) -> None:
        if values.get("quantity") not in (None, "", 1, "1"):
            self._fail(row, "quantity", _("one row per session: leave the quantity empty or write 1"))
        renames = {"activity_date": "contact_date", "attendees": "attendee_count", "minutes": "duration_minutes",
                   "staff_id": "counsellor_id"}
        contact = {renames.get(k, k): v for k, v in values.items() if k != "quantity"}
        contact["client_id"] = None
        self._contact(row, contact, self._participants(row, raw), {"quantity": "1"}, renames=renames)


def _birth_year_from_date(values: dict[str, Any]) -> None:
    """Sheets often hold the date of birth in the birth-year column, or only a date of birth."""
    year = values.get("birth_year")
    if isinstance(year, date) or (isinstance(year, str) and not year.strip().isdigit()):
        try:
            born = parse_date(year)
        except ValueError:
            return  # the rules report it as not a number
        if born is not None:
            values.setdefault("birth_date", born)
            values["birth_year"] = born.year
    elif year in (None, "") and values.get("birth_date"):
        try:
            born = parse_date(values["birth_date"])
        except ValueError:
            return
        if born is not None:
            values["birth_year"] = born.year


def _catalog_lookup(conn, kind: str) -> dict[str, str]:
    """Folded code, labels and their parts ("Ma túy đá" of "Ma túy đá (methamphetamine)") -> code."""
    lookup: dict[str, str] = {}
    for item in catalogs.items(conn, kind, include_inactive=True):
        for label in (item.code, item.label_vi, item.label_en):
            for variant in (label, re.sub(r"\([^)]*\)", "", label), *re.findall(r"\(([^)]*)\)", label)):
                if fold(variant):
                    lookup.setdefault(fold(variant), item.code)
    return lookup


# --- writing ------------------------------------------------------------------------

def _write(register, planned: ImportPlan) -> list[Change]:
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
    codes = _new_codes(register, {_code_key(r.values.get("code")) for r in pending} - {""})
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
        if _code_key(code) not in taken:
            yield code
