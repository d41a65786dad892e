"""tuvan law show | choose: the legal terms the register applies, by date (app/core/law.py)."""

from __future__ import annotations

from pathlib import Path

from app.cli.context import chosen_text, emit, open_register
from app.core.i18n import _
from app.core.law import LawFile, describe
from app.core.vocab import LEGAL_STATUSES
from app.store import law_terms


def _summary(law: LawFile) -> dict:
    return {"code": law.code, "version": law.version,
            "rehab": [{"from": r.start.isoformat(), "to": r.end and r.end.isoformat(),
                       "first": [r.first.minimum, r.first.maximum], "later": [r.later.minimum, r.later.maximum],
                       "basis": r.first.basis_vi} for r in law.rehab],
            "management": [{"status": r.status, "from": r.start.isoformat(), "to": r.end and r.end.isoformat(),
                            "months": r.term.maximum, "basis": r.term.basis_vi} for r in law.management],
            "offices": [{"from": r.start.isoformat(), "to": r.end and r.end.isoformat(), "name": r.name_vi,
                         "basis": r.basis_vi} for r in law.offices]}


def cmd_law_show(args) -> int:
    with open_register(args) as register:
        law = law_terms.current(register.conn)
    emit(args, _summary(law), describe(law, LEGAL_STATUSES.label))
    return 0


def cmd_law_choose(args) -> int:
    text = chosen_text(args.file)
    with open_register(args) as register:
        law = law_terms.choose(register, text, Path(args.file).name if args.file else "terms.toml")
    emit(args, _summary(law), [_("The register now applies these terms:") if args.file else
                               _("The register applies the program's own terms again:"), *describe(law, LEGAL_STATUSES.label)])
    return 0


def add_parsers(cli) -> None:
    actions = cli.group("law", _("the legal terms the register applies (rehabilitation, management), by date"))
    cli.command("show", cmd_law_show, _("show the terms and their legal basis"), actions)
    choose = cli.command("choose", cmd_law_choose, _("make a law file (TOML) this register's (administrators)"),
                         actions)
    choose.add_argument("--file", help=_("the law file; without it, the program's own (resources/law/terms.toml)"))
