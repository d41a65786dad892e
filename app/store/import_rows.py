"""Planning an import row by row: each kind's rows checked with the forms' rules and matched.

A row is new, already in the register, or a repeat of an earlier row of the file; clients
are matched by record code, citizen ID, or name and birth year, and contacts, referrals and
activities by their client, kind and date. Nothing is written here (import_write.py does).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from app.core import validate
from app.core.fields import parse_date
from app.core.i18n import _
from app.core.import_spec import SESSION_KINDS, ImportKind, split_list
from app.core.text import clean, fold
from app.core.vocab import INDIVIDUAL_CONTACT_KINDS
from app.store.import_columns import ColumnReader
from app.store.import_match import ClientIndex, code_key, name_keys, pad_zero
from app.store.import_plan import NEW, PRESENT, REPEAT, PlannedRow, Problem
from app.store.sheets import Sheet


class RowPlanner(ColumnReader):
    """The plan of one file of one kind, against the register as it is now."""

    def __init__(self, register, kind: ImportKind, sheet: Sheet) -> None:
        super().__init__(register, kind, sheet)
        self.clients = ClientIndex(self.conn)
        self.seen: dict[tuple, PlannedRow] = {}              # keys of rows already planned from this file
        self.file_clients: dict[tuple, tuple[PlannedRow, set[str]]] = {}
        self.file_refs: dict[tuple, int] = {}                # every client row's code and citizen ID -> row

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
        if name not in (None, "") and fold(str(name)) not in name_keys(client):
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
            earlier = self.file_refs.get(("code", code_key(related))) or self.file_refs.get(
                ("citizen", pad_zero(related, {11: 12, 8: 9})))
            if target is not None:
                values["related_client_id"] = target["id"]
            elif earlier is not None:
                link = earlier
            else:
                self._fail(row, "related_code", _(
                    "no client with record code {code} in the register or in an earlier row").format(code=related))
        for key in (("code", code_key(values.get("code"))), ("citizen", values.get("citizen_id"))):
            if key[1]:
                self.file_refs.setdefault(key, row)
        cleaned = self._check(row, validate.client, values, substances=self.catalog_codes["substance"])
        if cleaned is None:
            return
        if values.get("code"):
            values["code"] = clean(str(values["code"]))
        names = name_keys(cleaned)
        shown = {**self._show({**cleaned, "code": values.get("code", "")}),
                 "related_code": str(raw.get("related_code") or "")}
        planned = PlannedRow(row, NEW, "clients", values, shown, link=link)
        if not self._known_client(planned, cleaned, names):
            self._remember_client(planned, cleaned, names)
            self.rows.append(planned)

    def _known_client(self, planned: PlannedRow, cleaned: dict[str, Any], names: set[str]) -> bool:
        """Already in the register or earlier in the file? Records problems for clashes."""
        row, code = planned.row, code_key(planned.values.get("code"))
        citizen, year = cleaned.get("citizen_id"), cleaned["birth_year"]
        existing, by = None, ""
        if code and code in self.clients.by_code:
            existing, by = self.clients.by_code[code], "code"
        elif citizen and citizen in self.clients.by_citizen:
            existing, by = self.clients.by_citizen[citizen], "citizen_id"
        else:
            existing = next((self.clients.by_name_year[(n, year)] for n in names if (n, year) in self.clients.by_name_year), None)
        if existing is not None and by and not names & name_keys(existing):
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
        code, citizen = code_key(planned.values.get("code")), cleaned.get("citizen_id")
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
