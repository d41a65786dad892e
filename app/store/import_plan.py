"""What importing a file would do: the plan the preview shows, row by row, and its problems.

Made by import_rows.py, shown by the import dialog and the CLI, written by import_write.py.
A plan with problems is refused whole (ImportRejected): nothing of the file is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.core.errors import UserError
from app.core.i18n import N_, _, ngettext
from app.core.import_spec import Column, ImportKind
from app.store.records import Change

NEW, PRESENT, REPEAT = "new", "present", "repeat"
ACTIONS = {NEW: N_("new"), PRESENT: N_("already in the register"), REPEAT: N_("repeated in the file")}


class ImportRejected(UserError):
    """The file has problems; nothing was written. `plan` lists them."""

    def __init__(self, plan: "ImportPlan") -> None:
        self.plan = plan
        super().__init__(count=len(plan.problems))

    @property
    def message(self) -> str:
        count = len(self.plan.problems)
        return ngettext("Nothing was imported: the file has {count} problem. Correct it and import the file again.",
                        "Nothing was imported: the file has {count} problems. Correct them and import the file again.",
                        count).format(count=count)


@dataclass(frozen=True)
class Problem:
    row: int        # the spreadsheet's own row number (the header is usually row 1)
    column: str     # the header as written in the file
    message: str

    def __str__(self) -> str:
        return _("row {row}, column {column}: {message}").format(row=self.row, column=self.column, message=self.message)

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class PlannedRow:
    row: int
    action: str                      # NEW | PRESENT | REPEAT
    target: str                      # the table it goes to: clients, contacts, referrals, outreach
    values: dict[str, Any]           # what the repository function receives
    shown: dict[str, str]            # column field -> text for the preview
    note: str = ""
    participants: list[str] = field(default_factory=list)
    link: int | None = None          # clients: the row of the file this family member relates to
    same_as: int | None = None       # REPEAT: the earlier row of the file it repeats
    existing_id: str | None = None   # PRESENT clients: the client already in the register


@dataclass
class ImportPlan:
    kind: ImportKind
    file_name: str
    header_row: int
    headers: list[tuple[str, Column]]   # (header as written, column), in the file's order
    rows: list[PlannedRow]
    problems: list[Problem]
    warnings: list[Problem]
    digest: str = ""                    # SHA-256 of the file as checked

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    def summary(self) -> dict[str, Any]:
        return {
            "kind": self.kind.key, "file": self.file_name, "ok": self.ok,
            "new": self.count(NEW), "present": self.count(PRESENT), "repeated": self.count(REPEAT),
            "new_by_table": _by_table(self.rows),
            "problems": [p.as_dict() for p in self.problems],
            "warnings": [w.as_dict() for w in self.warnings],
        }


@dataclass
class ImportResult:
    plan: ImportPlan
    changes: list[Change]

    def summary(self) -> dict[str, Any]:
        return {**self.plan.summary(), "imported": True}


def _by_table(rows: list[PlannedRow]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in rows:
        if row.action == NEW:
            counts[row.target] = counts.get(row.target, 0) + 1
    return counts
