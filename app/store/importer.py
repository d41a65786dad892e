"""Importing a point's spreadsheets (CSV, XLSX) of clients, contacts, referrals, activities.

`plan` reads the file, checks every row with the same rules as the forms
(app/core/validate) and says, row by row, what would be new, what is
already in the register, and every problem by row and column. `apply` plans
again inside one transaction and writes only if there is no problem: a file
is imported whole or not at all. Matching against the register makes a
second import of the same file add nothing.

The work is split by step: import_columns.py reads the header and the cells,
import_rows.py plans each row (import_match.py finds what is already in the
register), import_plan.py holds the plan and its problems, import_write.py
writes it. Callers import everything from here.
"""

from __future__ import annotations

from pathlib import Path

from app.core.errors import UserError
from app.core.i18n import N_
from app.core.import_spec import KINDS
from app.core.roles import Permission
from app.store.import_plan import (  # noqa: F401  (part of the API)
    ACTIONS,
    NEW,
    PRESENT,
    REPEAT,
    ImportPlan,
    ImportRejected,
    ImportResult,
    PlannedRow,
    Problem,
)
from app.store.import_rows import RowPlanner
from app.store.import_write import write
from app.store.sheets import ImportFileError, Sheet, TooManyRows, read_sheet  # noqa: F401  (part of the API)


class FileChangedSinceCheck(UserError):
    template = N_("The file {name} was changed after it was checked. Check it again, then import.")


def plan(register, kind: str, path: Path) -> ImportPlan:
    """What importing `path` as `kind` would do; writes nothing."""
    register.require(Permission.CASE_WORK)
    return RowPlanner(register, KINDS[kind], read_sheet(path)).run()


def apply(register, kind: str, path: Path, *, checked_digest: str | None = None) -> ImportResult:
    """Import the whole file in one transaction, or raise ImportRejected and write nothing.

    `checked_digest` (ImportPlan.digest of the preview) refuses a file edited since it was shown.
    """
    register.require(Permission.CASE_WORK)
    sheet = read_sheet(path)
    if checked_digest is not None and sheet.digest != checked_digest:
        raise FileChangedSinceCheck(name=sheet.name)
    with register.transaction():
        planned = RowPlanner(register, KINDS[kind], sheet).run()  # again: the register may have changed
        if planned.problems:
            raise ImportRejected(planned)
        changes = write(register, planned)
        register.audit("import.apply", planned.kind.key, None, {
            "file": planned.file_name, "new": planned.count(NEW), "present": planned.count(PRESENT),
            "repeated": planned.count(REPEAT)})
    return ImportResult(planned, changes)
