"""Reading spreadsheets as people save them: CSV in the encodings Excel writes, and XLSX.

Rows keep the numbers the spreadsheet shows (the header is row 1), so a
problem can name the row a person sees in Excel. Huge files are refused
before they fill the computer's memory.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from app.core.errors import UserError
from app.core.i18n import N_, _


class ImportFileError(UserError):
    template = N_("The file {name} cannot be imported: {reason}")


@dataclass
class Sheet:
    name: str
    rows: list[tuple[int, list[Any]]]  # (row number as the spreadsheet shows it, cells)
    digest: str = ""


MAX_ROWS = 100_000  # a point keeps a few thousand clients: anything larger is a wrong file or needs splitting
MAX_BYTES = 64 * 1024 * 1024


class TooManyRows(ImportFileError):
    pass


def _bounded(rows, name: str) -> list[tuple[int, list[Any]]]:
    """Read rows until the limit, so a huge file is refused before it fills the computer's memory."""
    kept = []
    for number, cells in rows:
        if number > MAX_ROWS + 20:  # a few title rows above the header are allowed
            raise TooManyRows(name=name, reason=_("it has more than {n} rows; split it into smaller files").format(
                n=f"{MAX_ROWS:,}".replace(",", ".")))
        kept.append((number, cells))
    return kept


def read_sheet(path: Path) -> Sheet:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".txt", ".xlsx", ".xlsm"):
        raise ImportFileError(name=path.name, reason=_("only .csv and .xlsx files can be imported "
                                                      "(save an .xls file as .xlsx first)"))
    try:
        if path.stat().st_size > MAX_BYTES:
            raise TooManyRows(name=path.name, reason=_("it is larger than {n} MB; split it into smaller files").format(
                n=MAX_BYTES // (1024 * 1024)))
        data = path.read_bytes()
        rows = _read_xlsx(data, path.name) if suffix in (".xlsx", ".xlsm") else _read_csv(data, path.name)
    except UserError:
        raise
    except FileNotFoundError:
        raise ImportFileError(name=path.name, reason=_("the file was not found")) from None
    except PermissionError:
        raise ImportFileError(name=path.name, reason=_(
            "it cannot be opened; close it in the other program and try again")) from None
    except Exception as error:  # zip, XML or CSV damage: the person can only re-save the file
        raise ImportFileError(name=path.name, reason=_("it is damaged or not a spreadsheet ({detail})").format(
            detail=type(error).__name__)) from error
    return Sheet(path.name, rows, hashlib.sha256(data).hexdigest())


def _decode(data: bytes, name: str) -> str:
    """Excel on Windows saves CSV as UTF-8 (with or without BOM), UTF-16 or Windows-1258."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if data[1::2].count(0) > len(data) // 4:  # UTF-16 without a BOM: every other byte is zero
        try:
            return data.decode("utf-16-le")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("cp1258")
    except UnicodeDecodeError:
        raise ImportFileError(name=name, reason=_("it is not text in UTF-8, UTF-16 or Windows-1258; "
                                                  "save it again as 'CSV UTF-8'")) from None


def _read_csv(data: bytes, name: str) -> list[tuple[int, list[Any]]]:
    text = unicodedata.normalize("NFC", _decode(data, name))
    first = next((line for line in text.splitlines() if line.strip()), "")
    # Vietnamese Windows uses ';' as list separator, so Excel writes semicolon CSV there.
    delimiter = max((";", ",", "\t"), key=lambda d: (first.count(d), d == ","))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return _bounded(((number, [cell.strip() for cell in cells]) for number, cells in enumerate(reader, start=1)), name)


def _read_xlsx(data: bytes, name: str) -> list[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # some programs write a wrong size; read what is there
        return _bounded(((number, [_xlsx_cell(v) for v in values])
                         for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)), name)
    finally:
        book.close()


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value).strip()
    return value


# --- planning ----------------------------------------------------------------
