"""Client search: folded names, aliases, codes, phones and citizen ids in an FTS5 index.

Typing "nguyen van d" finds "Nguyễn Văn Đức": every word is a prefix, all
must match, diacritics and đ are folded away. Results come in Vietnamese
order (given name first) from the `sort_key` column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.core.text import fold, tokens

_HIT_COLUMNS = "c.id, c.code, c.full_name, c.alias, c.sex, c.birth_year, c.hamlet, c.main_group, c.status"


@dataclass(frozen=True)
class ClientHit:
    id: str
    code: str
    full_name: str
    alias: str
    sex: str
    birth_year: int
    hamlet: str
    main_group: str
    status: str

    @property
    def display_name(self) -> str:
        if self.full_name and self.alias:
            return f"{self.full_name} ({self.alias})"
        return self.full_name or self.alias


def _digits(text: str | None) -> str:
    return re.sub(r"\D", "", text or "")


def terms_for(row: dict) -> str:
    parts = [fold(row.get("full_name")), fold(row.get("alias")), fold(row.get("code")),
             _digits(row.get("code")), _digits(row.get("phone")), _digits(row.get("citizen_id"))]
    return " ".join(p for p in parts if p)


def index_client(conn, seq: int, row: dict) -> None:
    if row.get("deleted"):
        conn.execute("DELETE FROM client_search WHERE rowid = ?", (seq,))
    else:
        conn.execute("INSERT OR REPLACE INTO client_search (rowid, terms) VALUES (?, ?)", (seq, terms_for(row)))


def match_expression(text: str, *, prefix: bool = True) -> str | None:
    words = tokens(text)
    digits = _digits(text)
    if digits and len(digits) >= 4 and not re.search(r"[^\d\s.\-+()]", text):
        words = [digits]  # a phone or ID number typed with spaces or dots
    if not words:
        return None
    star = "*" if prefix else ""
    return " AND ".join(f'"{w}"{star}' for w in words)


def search(conn, text: str, *, limit: int = 50, offset: int = 0, include_closed: bool = True) -> list[ClientHit]:
    expression = match_expression(text)
    status = "" if include_closed else " AND c.status = 'active'"
    if expression is None:
        sql = f"SELECT {_HIT_COLUMNS} FROM clients c WHERE c.deleted = 0{status} ORDER BY c.sort_key LIMIT ? OFFSET ?"
        params: tuple = (limit, offset)
    else:
        sql = (f"SELECT {_HIT_COLUMNS} FROM clients c WHERE c.seq IN "
               f"(SELECT rowid FROM client_search WHERE client_search MATCH ?) AND c.deleted = 0{status}"
               " ORDER BY c.sort_key LIMIT ? OFFSET ?")
        params = (expression, limit, offset)
    return [ClientHit(*row) for row in conn.execute(sql, params)]


def count(conn, text: str, *, include_closed: bool = True) -> int:
    expression = match_expression(text)
    status = "" if include_closed else " AND status = 'active'"
    if expression is None:
        return conn.execute(f"SELECT count(*) FROM clients WHERE deleted = 0{status}").fetchone()[0]
    return conn.execute(
        f"SELECT count(*) FROM clients WHERE seq IN (SELECT rowid FROM client_search WHERE client_search MATCH ?)"
        f" AND deleted = 0{status}", (expression,)).fetchone()[0]


def hits_by_id(conn, ids: list[str]) -> list[ClientHit]:
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    found = {row[0]: ClientHit(*row) for row in conn.execute(
        f"SELECT {_HIT_COLUMNS} FROM clients c WHERE c.id IN ({marks})", ids)}
    return [found[i] for i in ids if i in found]
