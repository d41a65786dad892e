"""Writing a bundle's record document in bounded memory, without plaintext on disk.

Records arrive in change order, mixed across tables, but the document (docs/bundle-format.md §5.1)
groups them by table. Each table's rows are therefore kept as a zlib stream in memory (level 1,
about a tenth of the JSON), and the document is assembled at the end by inflating those streams
one after another into the final compressor: the whole JSON never exists at once, and nothing
personal is written to a temporary file (which a lost USB stick or a crash could leave behind).
The sizes of the per-table streams also tell, while records are added, when a part must be cut.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator

_FAST = 1          # spool level: speed matters, the final pass compresses again


class _Spool:
    """One table's rows as JSON array elements, deflated in memory."""

    def __init__(self) -> None:
        self.compressor = zlib.compressobj(_FAST)
        self.pieces: list[bytes] = []
        self.rows = 0
        self.stored = 0
        self.waiting = 0      # bytes given to the compressor that it has not written out yet

    def add(self, text: str) -> None:
        data = (("," if self.rows else "") + text).encode()
        piece = self.compressor.compress(data)
        self.waiting += len(data)
        if piece:
            self.pieces.append(piece)
            self.stored += len(piece)
            self.waiting = 0
        self.rows += 1

    def size(self) -> int:
        """Compressed bytes so far; what zlib still holds counted at 1:4 (it shrinks more, so this errs high)."""
        return self.stored + self.waiting // 4

    def inflate(self) -> Iterator[bytes]:
        tail = self.compressor.flush()
        if tail:
            self.pieces.append(tail)
        decompressor = zlib.decompressobj()
        while self.pieces:
            yield decompressor.decompress(self.pieces.pop(0))
        yield decompressor.flush()


class DocumentPart:
    """The records of one bundle file: add them in change order, then `compressed()`."""

    def __init__(self, columns_of: dict[str, list[str]]) -> None:
        self.columns_of = columns_of
        self.spools: dict[str, _Spool] = {}
        self.raw = 0                      # bytes of row JSON so far
        self.records = 0
        self.last_change = 0
        self.counts: dict[str, int] = {}

    def add(self, change_no: int, table: str, row: tuple) -> None:
        text = json.dumps(list(row), ensure_ascii=False, separators=(",", ":"))
        self.spools.setdefault(table, _Spool()).add(text)
        self.raw += len(text) + 1
        self.records += 1
        self.last_change = change_no
        self.counts[table] = self.counts.get(table, 0) + 1

    def estimate(self) -> int:
        """Compressed size so far, from a faster level (the final file is about as big or smaller)."""
        return sum(spool.size() for spool in self.spools.values())

    def _pieces(self, head: dict) -> Iterator[bytes]:
        text = json.dumps(head, ensure_ascii=False, separators=(",", ":"))
        yield (text[:-1] + ',"tables":{').encode()          # the head object, still open
        for index, (table, spool) in enumerate(self.spools.items()):
            columns = json.dumps(self.columns_of[table], ensure_ascii=False, separators=(",", ":"))
            yield f'{"," if index else ""}{json.dumps(table)}:{{"columns":{columns},"rows":['.encode()
            yield from spool.inflate()
            yield b"]}"
        yield b"}}"

    def compressed(self, head: dict, level: int = 3) -> tuple[bytes, int]:
        """The document (`head` members, then "tables") as one zlib stream, and its raw length."""
        compressor = zlib.compressobj(level)
        out: list[bytes] = []
        raw = 0
        for piece in self._pieces(head):
            raw += len(piece)
            out.append(compressor.compress(piece))
        out.append(compressor.flush())
        self.spools = {}
        return b"".join(out), raw
