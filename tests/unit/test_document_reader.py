"""The streaming reader of record documents reads what json.loads reads, in any spelling and any cut."""

from __future__ import annotations

import json
import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import configuration, given, settings
from hypothesis import strategies as st

from app.sync import document_reader
from app.sync.document_reader import DocumentError

configuration.set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "tuvan-hypothesis")  # keep the tree clean

SCALARS = st.none() | st.booleans() | st.integers(-2 ** 63, 2 ** 63) | st.text(max_size=12) | st.floats(
    allow_nan=False, allow_infinity=False)
ROWS = st.lists(st.lists(SCALARS, min_size=0, max_size=5) | SCALARS, max_size=30)
COLUMNS = st.lists(st.text(min_size=1, max_size=6), max_size=5, unique=True)
BLOCKS = st.fixed_dictionaries({"columns": COLUMNS, "rows": ROWS}) | st.fixed_dictionaries(
    {"columns": st.lists(st.text(max_size=3), min_size=2, max_size=3).filter(lambda c: len(set(c)) < len(c)),
     "rows": ROWS}) | st.fixed_dictionaries({"rows": ROWS}) | SCALARS | st.lists(SCALARS, max_size=3)


def _spell(value, rng: random.Random) -> str:
    """JSON text with members in a random order and random whitespace."""
    space = rng.choice(["", " ", "\n", " \t\r\n "])
    if isinstance(value, dict):
        items = list(value.items())
        rng.shuffle(items)
        inner = f",{space}".join(f"{json.dumps(k, ensure_ascii=rng.random() < 0.5)}{space}:{space}{_spell(v, rng)}"
                                 for k, v in items)
        return "{" + space + inner + space + "}"
    if isinstance(value, list):
        return "[" + space + f",{space}".join(_spell(v, rng) for v in value) + space + "]"
    return json.dumps(value, ensure_ascii=rng.random() < 0.5)


def _pieces(data: bytes, rng: random.Random):
    """The bytes cut at random places (inside characters, numbers and escapes too)."""
    position = 0
    while position < len(data):
        size = rng.choice([1, 2, 3, 7, 64, 4096])
        yield data[position:position + size]
        position += size


def _expected(document: dict):
    rows, bad = {}, []
    for name, block in document["tables"].items():
        ok = (isinstance(block, dict) and isinstance(block.get("rows"), list) and isinstance(block.get("columns"), list)
              and all(isinstance(c, str) for c in block["columns"]) and len(set(block["columns"])) == len(block["columns"]))
        if ok:
            rows[name] = block["rows"]
        else:
            bad.append(name)
    return {k: v for k, v in document.items() if k != "tables"}, rows, bad


def _read(data: bytes, rng: random.Random):
    head, rows, bad = None, {}, []
    for event in document_reader.read(_pieces(data, rng)):
        if event[0] == "rows":
            rows.setdefault(event[1], []).extend(event[3])
        elif event[0] == "bad_table":
            bad.append(event[1])
        else:
            head, tables_ok = event[1], event[2]
            assert tables_ok
    return head, rows, bad


@settings(max_examples=300, deadline=None, database=None)
@given(st.dictionaries(st.text(min_size=1, max_size=8).filter(lambda k: k != "tables"), SCALARS, max_size=4),
       st.dictionaries(st.text(max_size=8), BLOCKS, max_size=4), st.integers(0, 2 ** 32))
def test_any_spelling_and_any_cut_reads_like_json_loads(head, tables, seed):
    rng = random.Random(seed)
    document = {**head, "tables": tables}
    data = _spell(document, rng).encode()
    assert json.loads(data) == document
    got_head, got_rows, got_bad = _read(data, rng)
    want_head, want_rows, want_bad = _expected(document)
    assert got_head == want_head
    assert {k: v for k, v in got_rows.items() if v} == {k: v for k, v in want_rows.items() if v}
    assert sorted(got_bad) == sorted(want_bad)


@pytest.mark.parametrize("text", [
    b'{"tables": {"t": {"columns": ["a"], "rows": [[1], [2]',       # cut off
    b'{"tables": {}} {}',                                            # a second document after the first
    b'{"tables": {}}x',                                              # bytes after the document
    b'\xef\xbb\xbf{"tables": {}}',                                   # a byte-order mark
    b'{"tables": {"t": {"columns": ["a"], "rows": [["\xed\xa0\x80"]]}}}',   # an encoded surrogate
    '{"tables": {}}'.encode("utf-16"),                               # not UTF-8
    b'[1, 2]',                                                       # not an object
    b'{"tables": {"t": {"columns": ["a"], "rows": [' + b'[' * 100_000 + b']' * 100_000 + b']}}}',   # nested too deeply
    b'{"tables": {"t": {"columns": ["a"], "rows": [01]}}}',          # not JSON (leading zero)
])
def test_what_is_not_a_json_record_document_is_refused(text):
    with pytest.raises(DocumentError):
        list(document_reader.read(_pieces(text, random.Random(1))))


def test_rows_wait_for_a_column_list_that_comes_after_them():
    data = b'{"tables": {"t": {"rows": [[1, 2], [3, 4]], "columns": ["a", "b"]}}, "seq": 7}'
    events = list(document_reader.read(iter([data])))
    assert events == [("rows", "t", ["a", "b"], [[1, 2], [3, 4]]), ("head", {"seq": 7}, True)]


def test_a_value_too_large_to_be_a_record_is_refused(monkeypatch):
    monkeypatch.setattr(document_reader, "MAX_VALUE", 1000)
    data = b'{"tables": {"t": {"columns": ["a"], "rows": [["' + b"x" * 5000 + b'"]]}}}'
    with pytest.raises(DocumentError):
        list(document_reader.read(_pieces(data, random.Random(2))))
