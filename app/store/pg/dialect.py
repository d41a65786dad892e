"""The register's SQL, spelled for PostgreSQL.

The repositories keep one copy of each query, written for SQLite. The few spellings PostgreSQL
reads otherwise are rewritten here, once per distinct statement (cached): `?` and `:name`
placeholders, `%` (psycopg's placeholder sign), `x IS 'v'`, `INSERT OR IGNORE`, `temp.` tables,
`WITHOUT ROWID`, `PRAGMA table_info`. Quoted literals are never touched. A spelling with no
rewrite here fails loudly on PostgreSQL (and a test that runs the office on both engines finds
it), rather than being guessed.

The statement's personal columns are found here too (app/store/pg/personal.py): the positions
of the parameters the connection seals before sending.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from app.store.pg.personal import PERSONAL

_LITERAL = re.compile(r"'(?:[^']|'')*'")
_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")
_IS_TEXT = re.compile(r"\bIS\s+(NOT\s+)?$", re.IGNORECASE)
_TABLE_INFO = re.compile(r"^\s*PRAGMA\s+table_info\((\w+)\)\s*$", re.IGNORECASE)
# INSERT OR REPLACE where SQLite allows no upsert (a full-text table): the key it replaces by
_REPLACE_KEYS = {"client_search": "rowid"}
_INSERT = re.compile(r"^\s*INSERT\s+(OR\s+IGNORE\s+|OR\s+REPLACE\s+)?INTO\s+([\w.]+)\s*\(([^)]*)\)\s*VALUES\s*\(", re.IGNORECASE)
_UPDATE = re.compile(r"^\s*UPDATE\s+(\w+)\s+SET\b", re.IGNORECASE)
_COMPARED = re.compile(r"(?:\b(\w+)\.)?\b(\w+)\s*(?:=|!=|<>)\s*$")
_TABLES = re.compile(r"\b(?:FROM|JOIN|UPDATE|INTO)\s+(\w+)", re.IGNORECASE)


@dataclass(frozen=True)
class Statement:
    sql: str                      # PostgreSQL's spelling
    named: bool                   # parameters by name (a dict) rather than by position
    sealed: tuple[tuple[int, str], ...]         # (position, how) of parameters that are personal values
    sealed_names: tuple[tuple[str, str], ...] = ()  # how: "seal", "words" (search index), "match"
    columns_of: str | None = None                  # PRAGMA table_info(<table>): the table


def _pieces(sql: str) -> list[tuple[bool, str]]:
    """(is_literal, text) pieces of `sql`."""
    pieces, at = [], 0
    for match in _LITERAL.finditer(sql):
        pieces.append((False, sql[at:match.start()]))
        pieces.append((True, match.group(0)))
        at = match.end()
    pieces.append((False, sql[at:]))
    return pieces


def _search_alias(sql: str) -> str:
    found = re.search(r"\b(?:FROM|JOIN)\s+client_search\s+(?:AS\s+)?(?!(?:WHERE|CROSS|JOIN|MATCH|ON)\b)(\w+)",
                      sql, re.IGNORECASE)
    return found.group(1) if found else "client_search"


@functools.lru_cache(maxsize=4096)
def translate(sql: str) -> Statement:
    info = _TABLE_INFO.match(sql)
    if info:  # (cid, name, type, notnull, dflt_value, pk), as SQLite answers it
        return Statement(
            "SELECT ordinal_position - 1, column_name, data_type, (is_nullable = 'NO')::int, column_default, 0"
            f" FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '{info.group(1)}'"
            " ORDER BY ordinal_position", False, (), columns_of=info.group(1))
    insert = _INSERT.match(sql)
    ignore = bool(re.match(r"^\s*INSERT\s+OR\s+IGNORE\b", sql, re.IGNORECASE))
    replace = insert.group(2).lower() if insert and insert.group(1) and not ignore else None
    if replace is not None and replace not in _REPLACE_KEYS:
        raise ValueError(f"INSERT OR REPLACE INTO {replace}: spell it ON CONFLICT (...) DO UPDATE")
    personal_tables = {t.lower() for t in _TABLES.findall(sql)} & PERSONAL.keys()
    sealed: list[tuple[int, str]] = []
    sealed_names: list[tuple[str, str]] = []
    if insert and insert.group(2).lower() in PERSONAL:
        columns = [c.strip().lower() for c in insert.group(3).split(",")]
        words = insert.group(2).lower() == "client_search"
        sealed = [(i, "words" if words else "seal") for i, c in enumerate(columns)
                  if c in PERSONAL[insert.group(2).lower()]]
    out: list[str] = []
    position = 0
    named = False
    for literal, text in _pieces(sql):
        if literal:
            out.append(text.replace("%", "%%"))
            continue
        text = text.replace("%", "%%")
        text = re.sub(r"\bINSERT\s+OR\s+(IGNORE|REPLACE)\s+INTO\b", "INSERT INTO", text, flags=re.IGNORECASE)
        text = re.sub(r"\btemp\.", "pg_temp.", text)
        text = re.sub(r"\)\s*WITHOUT\s+ROWID", ")", text, flags=re.IGNORECASE)
        text = re.sub(r"\s(?:NOT\s+INDEXED|INDEXED\s+BY\s+\w+)\b", "", text, flags=re.IGNORECASE)  # SQLite's planner hints
        text = re.sub(r"\bCROSS\s+JOIN\b(?=\s+\w+(?:\s+(?:AS\s+)?\w+)?\s+ON\b)", "JOIN", text, flags=re.IGNORECASE)
        # full-text matching: the blind index's tokens (personal.Sealer.match), every one present,
        # looked up in the text-search index over them (app/store/pg/schema.py)
        text = re.sub(r"\bclient_search\s+MATCH\s*(?=\?)",
                      lambda m: f"to_tsvector('simple', {_search_alias(sql)}.terms) @@ ", text)
        pieces = []
        last = 0
        for mark in re.finditer(r"\?|(?<![:\w]):[A-Za-z_]\w*", text):
            before = text[last:mark.start()]
            # `id IS NOT ?`: SQLite's null-safe comparison with a value, as with a literal below
            before = _IS_TEXT.sub(lambda m: "IS DISTINCT FROM " if m.group(1) else "IS NOT DISTINCT FROM ", before)
            pieces.append(before)
            if not insert:   # WHERE full_name = ?, SET phone = ?: a personal column compared or set
                seen = "".join(out) + "".join(pieces)
                how = None
                if seen.endswith(".terms) @@ "):
                    how = "match"
                else:
                    found = _COMPARED.search(seen)
                    if found and personal_tables and any(found.group(2).lower() in PERSONAL[t] for t in personal_tables):
                        how = "seal"
                if how is not None:
                    if mark.group(0) == "?":
                        sealed.append((position, how))
                    else:
                        sealed_names.append((mark.group(0)[1:], how))
            if mark.group(0) == "?":
                pieces.append("to_tsquery('simple', %s)" if "".join(pieces).endswith(".terms) @@ ") else "%s")
                position += 1
            else:
                named = True
                pieces.append(f"%({mark.group(0)[1:]})s")
            last = mark.end()
        pieces.append(text[last:])
        out.append("".join(pieces))
    # `x IS 'closed'`: SQLite's null-safe equality, which PostgreSQL spells IS NOT DISTINCT FROM.
    fixed: list[str] = []
    for index, piece in enumerate(out):
        if index % 2 == 0 and index + 1 < len(out):
            piece = _IS_TEXT.sub(lambda m: "IS DISTINCT FROM " if m.group(1) else "IS NOT DISTINCT FROM ", piece)
        fixed.append(piece)
    result = "".join(fixed)
    if ignore:
        result = result.rstrip().rstrip(";") + " ON CONFLICT DO NOTHING"
    if replace is not None:
        key = _REPLACE_KEYS[replace]
        updates = ", ".join(f"{c} = excluded.{c}" for c in (c.strip() for c in insert.group(3).split(",")) if c != key)
        result = result.rstrip().rstrip(";") + f" ON CONFLICT ({key}) DO UPDATE SET {updates}"
    return Statement(result, named, tuple(sealed), tuple(sealed_names))
