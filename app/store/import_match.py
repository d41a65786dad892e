"""Matching a file's rows to the register: keys that ignore spacing and accents, and the clients by them.

A second import of the same file must find every row it added the first time, however the
spreadsheet spaced the codes or dropped their leading zeros.
"""

from __future__ import annotations

import re
from typing import Any

from app.core.text import fold
from app.store import catalogs


def code_key(text: Any) -> str:
    return re.sub(r"\s+", "", fold(str(text or "")))


def digits(text: Any) -> str:
    return re.sub(r"\D", "", str(text or ""))


def name_keys(row: dict[str, Any]) -> set[str]:
    return {fold(row.get("full_name")), fold(row.get("alias"))} - {""}


def pad_zero(value: Any, lengths: dict[int, int]) -> Any:
    """Spreadsheets drop the leading zero of numbers: 89090001234 -> 089090001234."""
    text = str(value)
    if text.isdigit() and len(text) in lengths:
        return text.zfill(lengths[len(text)])
    return text


class ClientIndex:
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
            self.by_code.setdefault(code_key(code), row)
            self.code_of[cid] = code
            if citizen:
                self.by_citizen.setdefault(citizen, row)
            for name in name_keys(row):
                self.by_name_year.setdefault((name, year), row)

    def find(self, reference: Any) -> dict | None:
        """A client named by record code, or else by citizen ID."""
        found = self.by_code.get(code_key(reference))
        if found is None and digits(reference) and digits(reference) == str(reference).strip():
            found = self.by_citizen.get(pad_zero(reference, {11: 12, 8: 9}))
        return found


def catalog_lookup(conn, kind: str) -> dict[str, str]:
    """Folded code, labels and their parts ("Ma túy đá" of "Ma túy đá (methamphetamine)") -> code."""
    lookup: dict[str, str] = {}
    for item in catalogs.items(conn, kind, include_inactive=True):
        for label in (item.code, item.label_vi, item.label_en):
            for variant in (label, re.sub(r"\([^)]*\)", "", label), *re.findall(r"\(([^)]*)\)", label)):
                if fold(variant):
                    lookup.setdefault(fold(variant), item.code)
    return lookup
