"""tuvan report dhis2 | dhis2-mapping: a month's figures for DHIS2 (app/reports/dhis2.py)."""

from __future__ import annotations

from pathlib import Path

from app.cli.context import chosen_text, emit, open_register
from app.core.errors import UserError
from app.core.i18n import N_, _
from app.core.roles import Permission
from app.reports.period import Month
from app.store.files import write_atomic

FORMATS = ("adx", "json")


class OutNeeded(UserError):
    template = N_("Give the file to write with --out, or --dry-run to see what would be sent.")


def cmd_dhis2(args) -> int:
    from app.reports import dhis2, dhis2_mapping
    from app.reports.monthly import monthly_report

    month = Month.parse(args.month)
    if not args.dry_run and not args.out:
        raise OutNeeded()
    with open_register(args) as register:
        register.require(Permission.VIEW_REPORTS)
        report = monthly_report(register, month)
        mapping = dhis2_mapping.current(register.conn, report.form)
    export = dhis2.dhis2_export(report, mapping)
    content = dhis2.to_adx(export) if args.format == "adx" else dhis2.to_json(export)
    facts = {"month": month.code, "period": export.period, "format": args.format, "data_set": export.data_set,
             "closed": export.closed, "values": len(export.values), "unmapped_cells": export.unmapped,
             "org_units": sorted({v.org_unit for v in export.values}), "import": dhis2.import_hint(args.format)}
    labels = {c.code: c.label for c in report.form.columns}
    lines = dhis2.summary(export, args.format, labels)
    if args.dry_run:
        facts["would_send"] = [{"org_unit": v.org_unit, "data_element": v.target.data_element,
                                "categories": dict(v.target.categories),
                                "category_option_combo": v.target.category_option_combo or None,
                                "value": v.value, "row": v.target.row, "column": v.target.column}
                               for v in export.values]
        emit(args, facts, [_("Dry run: nothing is written."), *lines])
        return 0
    out = Path(args.out)
    write_atomic(out, content, mode=0o600)
    facts.update(path=str(out), bytes=len(content))
    emit(args, facts, [_("Wrote {path} ({n} values).").format(path=out, n=len(export.values)),
                       *dhis2.summary_head(export), dhis2.import_line(args.format)])
    return 0


def cmd_dhis2_mapping(args) -> int:
    from app.reports import dhis2_mapping
    from app.reports.month_state import chosen_form

    text = chosen_text(args.file)
    with open_register(args) as register:
        form = chosen_form(register.conn)
        mapping = dhis2_mapping.choose(register, text, form, Path(args.file).name if args.file else "mapping.toml")
    emit(args, {"code": mapping.code, "version": mapping.version, "data_set": mapping.data_set,
                "cells": len(mapping.targets), "org_units": mapping.org_units},
         [(_("The register now sends {n} cells of the form {form} to the DHIS2 data set {data_set}.") if args.file
           else _("The register uses the program's own DHIS2 mapping again: {n} cells of the form {form} to the "
                  "DHIS2 data set {data_set}.")).format(n=len(mapping.targets), form=form.code,
                                                        data_set=mapping.data_set)])
    return 0


def add_parsers(cli, actions) -> None:
    dhis2 = cli.command("dhis2", cmd_dhis2, _("write a month's figures for DHIS2 (ADX or dataValueSets JSON)"),
                        parent=actions)
    dhis2.add_argument("--month", required=True, help=_("the month, as YYYY-MM"))
    dhis2.add_argument("--format", choices=FORMATS, default="adx", help=_("adx or json (default: adx)"))
    dhis2.add_argument("--out", help=_("the file to write"))
    dhis2.add_argument("--dry-run", action="store_true", help=_("list what would be sent and write nothing"))
    mapping = cli.command("dhis2-mapping", cmd_dhis2_mapping,
                          _("make a DHIS2 mapping file (TOML) this register's (administrators)"), parent=actions)
    mapping.add_argument("--file", help=_("the mapping file; without it, the program's own "
                                          "(resources/dhis2/mapping.toml)"))
