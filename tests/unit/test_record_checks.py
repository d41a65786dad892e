"""The batch checker gives exactly the per-record checker's answers, however a batch is spoiled."""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

from hypothesis import configuration, given, settings, strategies as st

from app.sync.record_checks import MAX_TEXT, MAX_VERSION, check_row, check_rows

configuration.set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "tuvan-hypothesis")  # keep the tree clean

COLUMNS = ["id", "origin", "version", "updated_at", "deleted", "client_id", "kind", "contact_date", "attendee_count"]
TABLE_COLUMNS = set(COLUMNS) | {"notes"}
ORIGINS = {"MYHOA-01"}


def _good(n: int) -> list:
    return [str(uuid.UUID(int=n + 1)), "MYHOA-01", n + 1, "2026-10-01T00:00:00Z", 0, str(uuid.UUID(int=10_000 + n)),
            "home", "2026-10-0%d" % (1 + n % 9), None]


SPOILERS = st.sampled_from([
    None, True, 1.5, float("nan"), 2 ** 63, -2 ** 63 - 1, MAX_VERSION + 1, 0, -1, "", "x" * (MAX_TEXT + 1),
    "\ud800", "Nguyễn Thị Hồng", "ĐIỂM-KHÁC", "not-a-uuid", ["nested"], {"a": 1}, 1.0, 0.0, 2,
])


@settings(max_examples=400, deadline=None, database=None)
@given(size=st.integers(1, 6), spoils=st.lists(st.tuples(st.integers(0, 5), st.integers(0, len(COLUMNS) - 1),
                                                         SPOILERS), max_size=3),
       shape=st.sampled_from(["lists", "short row", "dict row", "extra column", "twice", "missing column"]))
def test_check_rows_answers_as_check_row(size, spoils, shape):
    columns = list(COLUMNS)
    rows = [_good(n) for n in range(size)]
    for row_n, column_n, value in spoils:
        if row_n < size:
            rows[row_n][column_n] = value
    if shape == "short row":
        rows[0] = rows[0][:-1]
    elif shape == "dict row":
        rows[0] = dict(zip(columns, rows[0]))
    elif shape == "extra column":
        columns.append("colour")
        rows = [row + ["red"] for row in rows]
    elif shape == "twice":
        columns[-1] = "kind"
    elif shape == "missing column":
        columns, rows = columns[1:], [row[1:] for row in rows]
    records, problems = check_rows("contacts", columns, rows, TABLE_COLUMNS, ORIGINS)
    expected = [check_row("contacts", record, TABLE_COLUMNS, ORIGINS) for record in records]
    assert problems == expected


def test_a_clean_batch_passes_whole():
    rows = [_good(n) for n in range(500)]
    records, problems = check_rows("contacts", COLUMNS, rows, TABLE_COLUMNS, ORIGINS)
    assert problems == [None] * 500 and records[7]["id"] == rows[7][0]
