"""tuvan import: a point's spreadsheet of clients, contacts, referrals or activities."""

from __future__ import annotations

from pathlib import Path

from app.cli.context import emit, open_register
from app.core.i18n import _
from app.core.import_spec import KINDS
from app.store import importer
from app.store.importer import ImportPlan, ImportRejected


def _row_line(row: importer.PlannedRow, plan: ImportPlan) -> str:
    texts = [row.shown.get(column.field, "") for _header, column in plan.headers]
    what = " · ".join(t for t in texts if t)
    note = f" ({row.note})" if row.note and row.action != importer.PRESENT else ""
    return _("row {row}: {action}{note}: {what}").format(
        row=row.row, action=_(importer.ACTIONS[row.action]), note=note, what=what)


def _counts(plan: ImportPlan) -> dict[str, object]:
    return {"kind": _(plan.kind.label), "new": plan.count(importer.NEW), "present": plan.count(importer.PRESENT),
            "repeated": plan.count(importer.REPEAT)}


def _problem_lines(plan: ImportPlan) -> list[str]:
    return ([_("warning: {problem}").format(problem=w) for w in plan.warnings]
            + [str(p) for p in plan.problems])


def cmd_import(args) -> int:
    path = Path(args.file)
    with open_register(args) as register:
        try:
            if args.dry_run:
                plan = importer.plan(register, args.kind, path)
                if plan.problems:
                    raise ImportRejected(plan)
                emit(args, {**plan.summary(), "dry_run": True},
                     [_row_line(row, plan) for row in plan.rows] + _problem_lines(plan)
                     + [_("{kind}: {new} would be imported, {present} already in the register, {repeated} repeated "
                          "in the file. Dry run: nothing was written.").format(**_counts(plan))])
                return 0
            result = importer.apply(register, args.kind, path)
        except ImportRejected as rejected:  # every problem by row and column, then the one-line verdict
            emit(args, rejected.plan.summary(), _problem_lines(rejected.plan))
            raise
    emit(args, result.summary(), _problem_lines(result.plan) + [
        _("{kind}: {new} imported, {present} already in the register, {repeated} repeated in the file.").format(
            **_counts(result.plan))])
    return 0


def add_parsers(cli) -> None:
    command = cli.command("import", cmd_import, _(
        "import a spreadsheet (CSV or XLSX) of clients, contacts, referrals or activities; "
        "the whole file or nothing"))
    command.add_argument("--kind", required=True, choices=list(KINDS),
                         help=_("what the file holds: clients, contacts, referrals or activities"))
    command.add_argument("--dry-run", action="store_true",
                         help=_("check the file and show what would be imported, without writing anything"))
    command.add_argument("file", metavar=_("FILE"), help=_("the .csv or .xlsx file; see docs/import.md"))
