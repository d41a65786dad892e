"""Form files (resources/forms/*.toml): the layout and labels of a report, as data.

A form has columns and sections of rows; each cell names a metric from the
registry in app/reports/metrics.py with filters, e.g.

    [sections.rows.cells]
    luot = "contacts.count kind=home"
    nguoi = "contacts.people kind=home"

A form that names an unknown metric or filter is refused with the row and
the reason, so an administrator's edit cannot silently count the wrong thing.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from app.core import paths
from app.core.errors import UserError
from app.core.i18n import N_, _, current_language
from app.core.toml_files import toml_problem
from app.reports.metrics import FILTER_VALUES, REGISTRY


class FormFileError(UserError):
    template = N_("The form file {file} cannot be used: {where}: {reason}. Correct the file or choose another form.")


@dataclass(frozen=True)
class Labelled:
    code: str
    label_vi: str
    label_en: str

    @property
    def label(self) -> str:
        return self.label_en if current_language() == "en" and self.label_en else self.label_vi


@dataclass(frozen=True)
class Cell:
    metric: str
    filters: tuple[tuple[str, str], ...]

    @property
    def filter_dict(self) -> dict[str, str]:
        return dict(self.filters)

    def __str__(self) -> str:
        return " ".join([self.metric, *(f"{k}={v}" for k, v in self.filters)])


@dataclass(frozen=True)
class Column(Labelled):
    pass


@dataclass(frozen=True)
class Row(Labelled):
    cells: dict[str, Cell] = field(default_factory=dict)


@dataclass(frozen=True)
class Section(Labelled):
    rows: tuple[Row, ...] = ()


@dataclass(frozen=True)
class FormFile:
    code: str
    version: int
    role: str
    title_vi: str
    title_en: str
    columns: tuple[Column, ...]
    sections: tuple[Section, ...]
    path: str = ""

    @property
    def title(self) -> str:
        return self.title_en if current_language() == "en" and self.title_en else self.title_vi

    def rows(self) -> list[Row]:
        return [row for section in self.sections for row in section.rows]

    def row(self, code: str) -> Row:
        for row in self.rows():
            if row.code == code:
                return row
        raise KeyError(code)


def parse_cell(text: str, where: str, file: str) -> Cell:
    words = str(text).split()
    if not words:
        raise FormFileError(file=file, where=where, reason=N_("the cell is empty"))
    metric = REGISTRY.get(words[0])
    if metric is None:
        raise FormFileError(file=file, where=where, reason=_("unknown metric '{name}'").format(name=words[0]))
    filters = []
    for word in words[1:]:
        name, _sep, value = word.partition("=")
        if not value:
            raise FormFileError(file=file, where=where, reason=_("'{word}' is not written as name=value").format(word=word))
        if name not in metric.filters:
            allowed = ", ".join(sorted(metric.filters)) or "-"
            raise FormFileError(file=file, where=where,
                                reason=_("metric '{metric}' has no filter '{name}' (it has: {allowed})").format(
                                    metric=metric.name, name=name, allowed=allowed))
        allowed_values = FILTER_VALUES.get(name)
        if allowed_values is not None and value not in allowed_values:
            raise FormFileError(file=file, where=where,
                                reason=_("'{value}' is not a value of '{name}' ({allowed})").format(
                                    value=value, name=name, allowed=", ".join(sorted(allowed_values))))
        filters.append((name, value))
    return Cell(metric.name, tuple(sorted(filters)))


def _labelled(raw: dict, kind: str, where: str, file: str) -> tuple[str, str, str]:
    try:
        return str(raw["code"]), str(raw["label_vi"]), str(raw.get("label_en", ""))
    except KeyError as missing:
        raise FormFileError(file=file, where=where, reason=_("{kind} without {missing}").format(kind=kind, missing=missing)) from None


def parse_form(data: dict, file: str = "") -> FormFile:
    columns = tuple(Column(*_labelled(c, _("column"), _("column {n}").format(n=n), file)) for n, c in enumerate(data.get("columns", []), 1))
    column_codes = {c.code for c in columns}
    if not columns:
        raise FormFileError(file=file, where=_("columns"), reason=N_("the form has no columns"))
    sections, seen = [], set()
    for s_index, raw_section in enumerate(data.get("sections", []), 1):
        code, vi, en = _labelled(raw_section, _("section"), _("section {n}").format(n=s_index), file)
        rows = []
        for raw_row in raw_section.get("rows", []):
            row_code, row_vi, row_en = _labelled(raw_row, _("row"), _("section {code}").format(code=code), file)
            where = _("row {code}").format(code=row_code)
            if row_code in seen:
                raise FormFileError(file=file, where=where, reason=N_("the row code is used twice"))
            seen.add(row_code)
            cells = {}
            for column, spec in (raw_row.get("cells") or {}).items():
                if column not in column_codes:
                    raise FormFileError(file=file, where=where, reason=_("unknown column '{column}'").format(column=column))
                cells[column] = parse_cell(spec, _("{where}, column {column}").format(where=where, column=column), file)
            rows.append(Row(row_code, row_vi, row_en, cells))
        sections.append(Section(code, vi, en, tuple(rows)))
    if not seen:
        raise FormFileError(file=file, where=_("sections"), reason=N_("the form has no rows"))
    role = str(data.get("role", "point"))
    if role not in ("point", "district"):
        raise FormFileError(file=file, where=_("role"), reason=N_("the role must be 'point' or 'district'"))
    return FormFile(str(data.get("code", Path(file).stem)), int(data.get("version", 1)), role,
                    str(data.get("title_vi", "")), str(data.get("title_en", "")), columns, tuple(sections), file)


def load_form(path: Path) -> FormFile:
    path = Path(path)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = None
    return _load_form(path, stamp)


@functools.lru_cache(maxsize=16)
def _load_form(path: Path, _stamp: int | None) -> FormFile:
    """Parsed once per file version: every report would otherwise parse the TOML again."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FormFileError(file=str(path), where=_("file"), reason=N_("the file does not exist")) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise FormFileError(file=str(path), where=_("file"), reason=toml_problem(error)) from None
    return parse_form(data, str(path))


def forms_folder() -> Path:
    return paths.resources() / "forms"


def default_form() -> FormFile:
    return load_form(forms_folder() / "point-monthly.toml")


def available_forms() -> list[Path]:
    return sorted(forms_folder().glob("*.toml"))
