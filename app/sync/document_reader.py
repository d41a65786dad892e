"""Reading a bundle's record document as it is decrypted, a batch of rows at a time.

The document (docs/bundle-format.md §5.1) is one JSON object that may hold millions of rows. It is
never decoded whole: the text is read through a window, the structure down to the table blocks is
walked here, and each value inside (a row, the column list, the unit) is decoded by the json
module's C decoder. Any valid JSON is read: members in any order, any whitespace. Limits: a single
value (a row, say) may hold at most MAX_VALUE characters (a real row has a few hundred), and rows
that come before their block's column list are kept until it arrives.

Events, in document order:
    ("rows", table, columns, [row, …])    up to BATCH rows of a usable block
    ("bad_table", table)                  a block that is not {"columns": [names…], "rows": […]}
    ("head", {member: value}, tables_ok)  at the end: the members besides "tables"
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from typing import Any

BATCH = 1000
MAX_VALUE = 16 * 1024 * 1024
MAX_WAITING = 100_000       # rows kept while a block's column list has not come yet
_SPACE = " \t\n\r"
_AFTER = ",]}:" + _SPACE
_DECODER = json.JSONDecoder()


class DocumentError(ValueError):
    """The text is not a JSON record document this reader accepts."""


class _Text:
    """A window over the decoded text, refilled from the byte pieces as the walk needs."""

    def __init__(self, pieces: Iterator[bytes]) -> None:
        self.pieces = pieces
        self.decoder = codecs.getincrementaldecoder("utf-8")("strict")
        self.buf = ""
        self.pos = 0
        self.ended = False

    def _more(self) -> bool:
        if self.ended:
            return False
        piece = next(self.pieces, None)
        try:
            text = self.decoder.decode(piece or b"", final=piece is None)
        except UnicodeDecodeError:
            raise DocumentError("not UTF-8") from None
        self.ended = piece is None
        self.buf = self.buf[self.pos:] + text
        self.pos = 0
        return True

    def peek(self) -> str:
        """The next character that is not whitespace ('' at the end)."""
        while True:
            buf, pos = self.buf, self.pos
            while pos < len(buf) and buf[pos] in _SPACE:
                pos += 1
            self.pos = pos
            if pos < len(buf):
                return buf[pos]
            if not self._more():
                return ""

    def take(self, char: str) -> None:
        if self.peek() != char:
            raise DocumentError(f"expected {char!r}")
        self.pos += 1

    def value(self) -> Any:
        """One complete JSON value, reading more text until it is whole."""
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
                # In valid JSON a value is followed by , ] } : or whitespace; anything else means the
                # text read so far cut it (a number such as 12|.5), so read on.
                if self.ended or (end < len(self.buf) and self.buf[end] in _AFTER):
                    self.pos = end
                    return value
            except json.JSONDecodeError:
                if self.ended:
                    raise DocumentError("not JSON") from None
            except RecursionError:
                raise DocumentError("nested too deeply") from None
            if len(self.buf) - self.pos > MAX_VALUE:
                raise DocumentError("a value is unreasonably large")
            self._more()


def read(pieces: Iterator[bytes]) -> Iterator[tuple]:
    text = _Text(pieces)
    if text.peek() != "{":
        raise DocumentError("not a record document")
    text.take("{")
    head: dict[str, Any] = {}
    tables_ok = False
    if text.peek() == "}":
        text.take("}")
    else:
        while True:
            key = text.value()
            if not isinstance(key, str):
                raise DocumentError("not JSON")
            text.take(":")
            if key == "tables" and text.peek() == "{":
                yield from _tables(text)
                tables_ok = True
            else:
                head[key] = text.value()
                if key == "tables":
                    tables_ok = False
            if text.peek() == ",":
                text.take(",")
                continue
            text.take("}")
            break
    if text.peek() != "":
        raise DocumentError("bytes after the document")
    yield ("head", head, tables_ok)


def _tables(text: _Text) -> Iterator[tuple]:
    text.take("{")
    if text.peek() == "}":
        text.take("}")
        return
    while True:
        name = text.value()
        if not isinstance(name, str):
            raise DocumentError("not JSON")
        text.take(":")
        yield from _block(text, name)
        if text.peek() == ",":
            text.take(",")
            continue
        text.take("}")
        return


def _usable(columns: Any) -> bool:
    return isinstance(columns, list) and all(isinstance(c, str) for c in columns) and len(set(columns)) == len(columns)


def _block(text: _Text, name: str) -> Iterator[tuple]:
    if text.peek() != "{":
        text.value()
        yield ("bad_table", name)
        return
    text.take("{")
    columns: Any = None
    usable: list | None = None     # the column list, once it has come and is a list of distinct names
    has_columns = has_rows = False
    waiting: list = []           # rows read before the column list
    if text.peek() == "}":
        text.take("}")
        yield ("bad_table", name)
        return
    while True:
        key = text.value()
        if not isinstance(key, str):
            raise DocumentError("not JSON")
        text.take(":")
        if key == "rows" and text.peek() == "[":
            has_rows = True
            yield from _rows(text, name, lambda: usable, waiting)
        elif key == "rows":
            text.value()
            has_rows = False
        elif key == "columns":
            columns, has_columns = text.value(), True
            usable = columns if _usable(columns) else None
        else:
            text.value()
        if text.peek() == ",":
            text.take(",")
            continue
        text.take("}")
        break
    if not (has_rows and has_columns and _usable(columns)):
        yield ("bad_table", name)
    elif waiting:
        for start in range(0, len(waiting), BATCH):
            yield ("rows", name, columns, waiting[start:start + BATCH])


def _rows(text: _Text, name: str, columns_now, waiting: list) -> Iterator[tuple]:
    text.take("[")
    batch: list = []
    if text.peek() == "]":
        text.take("]")
        return
    while True:
        row = text.value()
        columns = columns_now()
        if columns is None:
            waiting.append(row)
            if len(waiting) > MAX_WAITING:
                raise DocumentError("too many rows before the column list")
        else:
            batch.append(row)
            if len(batch) >= BATCH:
                yield ("rows", name, columns, batch)
                batch = []
        if text.peek() == ",":
            text.take(",")
            continue
        text.take("]")
        break
    if batch:
        yield ("rows", name, columns_now(), batch)
