"""The DHIS2 mapping file: which data element (and disaggregation) each cell of the monthly form
goes to, the data set, and the DHIS2 codes of units (resources/dhis2/mapping.toml, docs/dhis2.md).

An administrator edits a copy and makes it the register's; a bad file is refused naming the
place to look, and nothing changes.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass

from app.core.errors import UserError
from app.core.i18n import N_, _
from app.core.paths import resources
from app.core.toml_files import toml_problem
from app.reports.form_file import FormFile
from app.store import settings as register_settings

# DHIS2 codes: at most 50 characters, no spaces (they travel as XML attributes and URL-free JSON).
_CODE = re.compile(r"[^\s\"'<>&]{1,50}")
_CELL_KEYS = {"data_element", "categories", "category_option_combo"}


class MappingFileError(UserError):
    template = N_("The DHIS2 mapping file {file} cannot be used: {where}: {reason}. "
                  "Correct the file or choose another.")


@dataclass(frozen=True)
class Target:
    """Where one form cell goes in DHIS2."""
    row: str
    column: str
    data_element: str
    categories: tuple[tuple[str, str], ...] = ()   # ADX: (category code, option code), in file order
    category_option_combo: str = ""                # JSON: "" is the default combination

    @property
    def disaggregation(self) -> str:
        return ", ".join(f"{c}={o}" for c, o in self.categories)


@dataclass(frozen=True)
class Dhis2Mapping:
    code: str
    version: int
    data_set: str
    org_units: dict[str, str]
    targets: tuple[Target, ...]

    def org_unit(self, unit_code: str) -> str:
        return self.org_units.get(unit_code, unit_code)


def _code(value, where: str, key: str, file: str) -> str:
    if not isinstance(value, str) or not _CODE.fullmatch(value):
        raise MappingFileError(file=file, where=where, reason=_(
            "{key} must be a DHIS2 code: 1 to 50 characters, no spaces or quotes").format(key=key))
    return value


def parse_mapping(text: str, form: FormFile, file: str = "mapping.toml") -> Dhis2Mapping:
    """Read a mapping file and check it against the form whose cells it sends."""
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise MappingFileError(file=file, where=_("file"), reason=toml_problem(error)) from None
    data_set = _code(data.get("data_set"), _("file"), "data_set", file)
    org_units = {}
    for unit, code in dict(data.get("org_units", {})).items():
        org_units[str(unit)] = _code(code, _("organisation unit {unit}").format(unit=unit), "org_units", file)
    rows = {row.code: row for row in form.rows()}
    targets, seen = [], {}
    for row_code, cells in dict(data.get("cells", {})).items():
        if row_code not in rows:
            raise MappingFileError(file=file, where=_("row {row}").format(row=row_code), reason=_(
                "the form {form} has no such row").format(form=form.code))
        for column, raw in dict(cells).items():
            where = _("row {row}, column {column}").format(row=row_code, column=column)
            if column not in rows[row_code].cells:
                raise MappingFileError(file=file, where=where, reason=_(
                    "the form {form} has no number in this cell").format(form=form.code))
            if not isinstance(raw, dict) or set(raw) - _CELL_KEYS:
                raise MappingFileError(file=file, where=where, reason=_(
                    "give data_element, and categories and category_option_combo when disaggregated"))
            categories = tuple((_code(c, where, "categories", file), _code(o, where, "categories", file))
                               for c, o in dict(raw.get("categories", {})).items())
            combo = raw.get("category_option_combo", "")
            if categories and not combo:
                raise MappingFileError(file=file, where=where, reason=_(
                    "a disaggregated cell needs its category_option_combo too (JSON names the combination)"))
            target = Target(row_code, column, _code(raw.get("data_element"), where, "data_element", file),
                            categories, _code(combo, where, "category_option_combo", file) if combo else "")
            key = (target.data_element, tuple(sorted(categories)), target.category_option_combo)
            if key in seen:
                raise MappingFileError(file=file, where=where, reason=_(
                    "row {row}, column {column} already goes to the same data element and disaggregation").format(
                    row=seen[key].row, column=seen[key].column))
            seen[key] = target
            targets.append(target)
    if not targets:
        raise MappingFileError(file=file, where=_("file"), reason=_("it maps no cell of the form"))
    return Dhis2Mapping(str(data.get("code", "")), int(data.get("version", 1)), data_set, org_units, tuple(targets))


def default_mapping_text() -> str:
    return (resources() / "dhis2" / "mapping.toml").read_text(encoding="utf-8")


def current(conn, form: FormFile) -> Dhis2Mapping:
    """The register's chosen mapping, else the program's own."""
    chosen = register_settings.get(conn, "dhis2_mapping")
    return parse_mapping(chosen, form, "dhis2_mapping") if chosen else parse_mapping(
        default_mapping_text(), form, "mapping.toml")


def choose(register, text: str, form: FormFile, file_name: str) -> Dhis2Mapping:
    """Check a mapping file and make it this register's (administrators); "" goes back to the program's."""
    mapping = parse_mapping(text or default_mapping_text(), form, file_name)
    register_settings.update(register, {"dhis2_mapping": text})
    return mapping
