"""tuvan report monthly | form | close (and dhis2 | dhis2-mapping, app/cli/dhis2_commands.py)"""

from __future__ import annotations

from pathlib import Path

from app.cli import dhis2_commands
from app.cli.context import emit, open_register
from app.core.errors import UserError
from app.core.i18n import N_, _
from app.core.roles import Permission
from app.reports.period import Month
from app.store.files import write_atomic

FORMATS = ("pdf", "xlsx", "csv", "json")


class UnknownFormat(UserError):
    template = N_("Cannot tell the format from the file name {file}: end it with .pdf, .xlsx, .csv or .json, "
                  "or give --format.")


def report_format(out: Path, chosen: str | None) -> str:
    if chosen:
        return chosen
    suffix = out.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise UnknownFormat(file=str(out))
    return suffix


def render(report, fmt: str, trends=None) -> bytes:
    from app.reports import form_exports
    from app.reports.form_pdf import form_pdf

    if fmt == "pdf":
        return form_pdf(report, trends)
    return {"xlsx": form_exports.to_xlsx, "csv": form_exports.to_csv, "json": form_exports.to_json}[fmt](report)


def cmd_monthly(args) -> int:
    from app.reports.monthly import monthly_report
    from app.reports.trends import monthly_trends

    out = Path(args.out)
    fmt = report_format(out, args.format)
    month = Month.parse(args.month)
    with open_register(args) as register:
        register.require(Permission.VIEW_REPORTS)
        report = monthly_report(register, month)
        trends = monthly_trends(register.conn, month) if args.trends and fmt == "pdf" else None
        content = render(report, fmt, trends)
    write_atomic(out, content, mode=0o600)
    closure = report.closure
    emit(args, {"path": str(out), "format": fmt, "month": month.code, "form": report.form.code,
                "form_version": report.form.version, "bytes": len(content),
                "closed_at": closure.closed_at if closure else None, "amendments": len(report.amendments)},
         [str(out)])
    return 0


def cmd_form(args) -> int:
    from app.reports.form_file import load_form
    from app.reports.monthly import choose_form

    path = Path(args.file)
    load_form(path)  # refuses a bad file naming the file, the row and the reason
    with open_register(args) as register:
        form = choose_form(register, path.read_text(encoding="utf-8"))
    rows = len(form.rows())
    emit(args, {"form": form.code, "version": form.version, "sections": len(form.sections), "rows": rows,
                "columns": [c.code for c in form.columns]},
         [_("The register now uses the form {code}, version {version}: {sections} sections, {rows} rows.").format(
             code=form.code, version=form.version, sections=len(form.sections), rows=rows)])
    return 0


def cmd_close(args) -> int:
    from app.core.clock import local, parse_stamp
    from app.reports.closing import close_month

    month = Month.parse(args.month)
    with open_register(args) as register:
        closure = close_month(register, month)
    moment = local(parse_stamp(closure.closed_at))
    emit(args, {"month": month.code, "closed_at": closure.closed_at, "closed_by": closure.closed_by,
                "digest": closure.digest},
         [_("Closed {month} on {date} at {time} ({name}). Its forms now show the numbers as closed; later "
            "corrections appear on the next month's form.").format(
             month=month.label, date=moment.strftime("%d/%m/%Y"), time=moment.strftime("%H:%M"),
             name=closure.closed_by),
          _("Fingerprint of the closed numbers: {digest}").format(digest=closure.digest)])
    return 0


def add_parsers(cli) -> None:
    actions = cli.group("report", _("monthly forms: print or export, choose the form file, close a month"))
    monthly = cli.command("monthly", cmd_monthly, _("write the monthly form of a month as PDF, XLSX, CSV or JSON"),
                          parent=actions)
    monthly.add_argument("--month", required=True, help=_("the month, as YYYY-MM"))
    monthly.add_argument("--format", choices=FORMATS, help=_("pdf, xlsx, csv or json (default: from the file name)"))
    monthly.add_argument("--out", required=True, help=_("the file to write"))
    monthly.add_argument("--trends", action="store_true", help=_("PDF: add a last page of twelve-month charts"))
    form = cli.command("form", cmd_form, _("make a form file (TOML) this register's monthly form (administrators)"),
                       parent=actions)
    form.add_argument("--file", required=True, help=_("the form file; see docs/forms.md"))
    close = cli.command("close", cmd_close, _("close a month: freeze its numbers (the chair, administrators)"),
                        parent=actions)
    close.add_argument("--month", required=True, help=_("the month, as YYYY-MM"))
    dhis2_commands.add_parsers(cli, actions)
