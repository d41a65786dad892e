"""Reading the TOML files people edit (form files, law files): what to say when one cannot be read."""

from __future__ import annotations

import re

from app.core.i18n import _


def toml_problem(error: Exception) -> str:
    """Why a TOML file cannot be read, in the program's language: Python says it in English
    ("Expected ']]' … (at line 1, column 8)"); a person needs where to look."""
    if isinstance(error, UnicodeDecodeError):
        return _("the file is not UTF-8 text: save it again as UTF-8")
    found = re.search(r"line (\d+), column (\d+)", str(error))
    if found:
        return _("it is not a valid TOML file: look at line {line}, column {column}").format(
            line=found.group(1), column=found.group(2))
    return _("it is not a valid TOML file")
