"""Malformed spreadsheets: every one is refused or reported by row and column; nothing is written.

TUVAN_BIG_IMPORT_ROWS sets the size of the huge-file case (the full reliability run uses 1,000,000).
"""

from __future__ import annotations

import os
import time
from datetime import datetime

import openpyxl
import pytest

from app.core.errors import UserError
from app.store import importer

HEADER = "Họ và tên,Giới tính,Năm sinh,Ngày tiếp nhận,Nhóm đối tượng\n"
BIG_ROWS = int(os.environ.get("TUVAN_BIG_IMPORT_ROWS", "150000"))


CHECK = "malformed CSV/XLSX files"


def _outcome(register, path, tally) -> str:
    """'refused' (a UserError) or 'reported' (problems by row and column); never a crash or a write."""
    before = register.db["clients"].count
    tally.add(CHECK, trials=1)
    try:
        plan = importer.plan(register, "clients", path)
    except UserError as error:
        assert error.message
        outcome = "refused"
    except Exception:
        tally.add(CHECK, crashes=1)
        raise
    else:
        if plan.ok:
            tally.note(CHECK, clean=1)
            return "clean"
        assert all(p.row >= 1 for p in plan.problems)
        with pytest.raises(UserError):
            importer.apply(register, "clients", path)
        outcome = "reported"
    changed = register.db["clients"].count != before
    tally.add(CHECK, partial=int(changed))
    tally.note(CHECK, **{outcome: 1})
    assert not changed
    return outcome


@pytest.mark.parametrize("encoding", ["cp1258", "utf-16", "latin-1", "utf-8-sig"])
def test_encodings(register, tmp_path, encoding, tally):
    path = tmp_path / f"clients-{encoding}.csv"
    text = HEADER + "Nguyễn Văn Đức,Nam,1990,03/10/2026,Người nghiện ma túy\n"
    try:
        path.write_bytes(text.encode(encoding))
    except UnicodeEncodeError:
        path.write_bytes(text.encode(encoding, errors="replace"))
    assert _outcome(register, path, tally) in ("clean", "reported", "refused")


def test_binary_garbage_and_empty_files_are_refused(register, tmp_path, tally):
    for name, data in (("garbage.csv", bytes(range(256)) * 40), ("empty.csv", b""), ("fake.xlsx", b"PK\x03\x04junk"),
                       ("header-only.csv", HEADER.encode())):
        path = tmp_path / name
        path.write_bytes(data)
        assert _outcome(register, path, tally) in ("refused", "reported", "clean")


def test_excel_dates_merged_cells_and_formulas(register, tmp_path, tally):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Họ và tên", "Giới tính", "Năm sinh", "Ngày tiếp nhận", "Nhóm đối tượng"])
    sheet.append(["Lê Văn An", "Nam", 1990, datetime(2026, 10, 3), "Người nghiện ma túy"])     # a real date cell
    sheet.append(["Trần Văn Bình", "Nam", "=1980+5", 46298, "Người nghi nghiện"])              # formula, serial
    sheet.append(["Võ Văn Cường", "Nam", 1979, "31/02/2026", "Người nghi nghiện"])            # impossible date
    sheet.append(["Merged", "Nam", 1985, "01/10/2026", "Người nghi nghiện"])
    sheet.merge_cells("A5:B5")
    path = tmp_path / "strange.xlsx"
    book.save(path)
    plan = importer.plan(register, "clients", path)
    rows = {p.row for p in plan.problems}
    assert 4 in rows  # the impossible date is reported on its own row
    assert _outcome(register, path, tally) == "reported"


def test_a_huge_file_is_checked_without_writing(register, tmp_path, tally):
    path = tmp_path / "huge.csv"
    with open(path, "w", encoding="utf-8") as out:
        out.write(HEADER)
        for n in range(BIG_ROWS):
            out.write(f"Khách Hàng {n},Nam,1990,03/10/2026,Người nghi nghiện\n")
        out.write("Sai Ngày,Nam,1990,32/10/2026,Người nghi nghiện\n")
    started = time.perf_counter()
    assert _outcome(register, path, tally) in ("reported", "refused")
    tally.note(CHECK, huge_file_rows=BIG_ROWS + 1, huge_file_mb=round(path.stat().st_size / 2**20),
               huge_file_seconds=round(time.perf_counter() - started, 1))
