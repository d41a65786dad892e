"""Client search: folded names, aliases, codes, phones and citizen ids.

Typing "nguyen van d" finds "Nguyễn Văn Đức": every word is a prefix, all
must match, diacritics and đ are folded away. Results come in Vietnamese
order (given name first) from the `sort_key` column.

Two plans, chosen by how many clients match (an FTS5 count, a few ms):
- few matches: the FTS5 index finds them, then they are sorted;
- many matches ("n", "nguyen"): walking the covering index in sort order
  and testing the stored words finds the first page after a few hundred
  entries, without collecting tens of thousands of matches first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.core.text import tokens
from app.store.connection import on_server

_HIT_COLUMNS = "c.id, c.code, c.full_name, c.alias, c.sex, c.birth_year, c.hamlet, c.main_group, c.status"
BROAD = 500  # above this many matches the sort-order walk is faster


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
    """The words a client is found by, each preceded by a space (' nguyen van duc 0912345678')."""
    words: list[str] = []
    for value in (row.get("full_name"), row.get("alias"), row.get("code")):
        words += tokens(value)
    words += [d for d in (_digits(row.get("code")), _digits(row.get("phone")), _digits(row.get("citizen_id"))) if d]
    return "".join(f" {w}" for w in dict.fromkeys(words))


def index_client(conn, seq: int, row: dict) -> None:
    """Keep the FTS index and the stored words in step with a client row."""
    terms = terms_for(row)
    if row.get("search_terms") != terms:
        conn.execute("UPDATE clients SET search_terms = ? WHERE seq = ?", (terms, seq))
    if row.get("deleted"):
        conn.execute("DELETE FROM client_search WHERE rowid = ?", (seq,))
    else:
        conn.execute("INSERT OR REPLACE INTO client_search (rowid, terms) VALUES (?, ?)", (seq, terms))


def query_words(text: str) -> list[str]:
    words = tokens(text)
    digits = _digits(text)
    if digits and len(digits) >= 4 and not re.search(r"[^\d\s.\-+()]", text):
        return [digits]  # a phone or ID number typed with spaces or dots
    return words


def match_expression(text: str, *, prefix: bool = True) -> str | None:
    words = query_words(text)
    if not words:
        return None
    star = "*" if prefix else ""
    return " AND ".join(f'"{w}"{star}' for w in words)


def _status(include_closed: bool) -> str:
    return "" if include_closed else " AND c.status = 'active'"


def search(conn, text: str, *, limit: int = 50, offset: int = 0, include_closed: bool = True) -> list[ClientHit]:
    expression = match_expression(text)
    status = _status(include_closed)
    if expression is None:
        sql = f"SELECT {_HIT_COLUMNS} FROM clients c WHERE c.deleted = 0{status} ORDER BY c.sort_key LIMIT ? OFFSET ?"
        return [ClientHit(*row) for row in conn.execute(sql, (limit, offset))]
    matches = conn.execute("SELECT count(*) FROM client_search WHERE client_search MATCH ?", (expression,)).fetchone()[0]
    if matches > BROAD and not on_server(conn):  # the server has no words to scan
        words = query_words(text)
        tests = " AND ".join("instr(c.search_terms, ?) > 0" for _ in words)
        sql = (f"SELECT {_HIT_COLUMNS} FROM clients c INDEXED BY clients_sort WHERE c.deleted = 0{status}"
               f" AND {tests} ORDER BY c.sort_key LIMIT ? OFFSET ?")
        params: tuple = (*(f" {w}" for w in words), limit, offset)
    else:
        sql = (f"SELECT {_HIT_COLUMNS} FROM client_search s CROSS JOIN clients c ON c.seq = s.rowid"
               f" WHERE client_search MATCH ? AND c.deleted = 0{status} ORDER BY c.sort_key LIMIT ? OFFSET ?")
        params = (expression, limit, offset)
    return [ClientHit(*row) for row in conn.execute(sql, params)]


def count(conn, text: str, *, include_closed: bool = True) -> int:
    expression = match_expression(text)
    status = _status(include_closed)
    if expression is None:
        return conn.execute(f"SELECT count(*) FROM clients c WHERE c.deleted = 0{status}").fetchone()[0]
    return conn.execute(
        f"SELECT count(*) FROM client_search s CROSS JOIN clients c ON c.seq = s.rowid"
        f" WHERE client_search MATCH ? AND c.deleted = 0{status}", (expression,)).fetchone()[0]


def hits_by_id(conn, ids: list[str]) -> list[ClientHit]:
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    found = {row[0]: ClientHit(*row) for row in conn.execute(
        f"SELECT {_HIT_COLUMNS} FROM clients c WHERE c.id IN ({marks})", ids)}
    return [found[i] for i in ids if i in found]


def reindex(conn, client_ids: list[str]) -> None:
    """Recompute the sort key and search words of clients written by a merge (as `index_client`
    does for one client, with one statement of each kind per batch: an office imports 200,000)."""
    from app.core.text import sort_key

    for start in range(0, len(client_ids), 500):
        batch = client_ids[start:start + 500]
        cursor = conn.execute(f"SELECT * FROM clients WHERE id IN ({','.join('?' * len(batch))})", batch)
        names = [d[0] for d in cursor.description]
        keys, words, gone, kept = [], [], [], []
        for values in cursor.fetchall():
            row = dict(zip(names, values))
            key = sort_key(row["full_name"] or row["alias"])
            if key != row["sort_key"]:
                keys.append((key, row["seq"]))
            terms = terms_for(row)
            if row.get("search_terms") != terms:
                words.append((terms, row["seq"]))
            (gone.append((row["seq"],)) if row.get("deleted") else kept.append((row["seq"], terms)))
        conn.executemany("UPDATE clients SET sort_key = ? WHERE seq = ?", keys)
        conn.executemany("UPDATE clients SET search_terms = ? WHERE seq = ?", words)
        conn.executemany("DELETE FROM client_search WHERE rowid = ?", gone)
        conn.executemany("INSERT OR REPLACE INTO client_search (rowid, terms) VALUES (?, ?)", kept)
