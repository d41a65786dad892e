"""What the Reports screen runs on the register's thread, and how it words months, numbers and their state."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.core.clock import local_datetime_text, parse_stamp, today
from app.core.i18n import _, ngettext
from app.core.progress import Progress
from app.reports import engine, month_state
from app.reports.drill_down import RecordLine, describe
from app.reports.form_file import FormFile, FormFileError
from app.reports.monthly import MonthlyReport, choose_form, monthly_report
from app.reports.period import Month
from app.reports.trends import Trends, monthly_trends
from app.store.files import write_atomic


def number(value: int | None) -> str:
    """Vietnamese grouping: 7000 -> '7.000'."""
    return "" if value is None else f"{value:,}".replace(",", ".")


def default_month() -> Month:
    """The month whose form is due: the one that ended last."""
    return Month.of(today()).previous()


def month_title(month: Month) -> str:
    return _("Month {month:02d}/{year}").format(month=month.month, year=month.year)


@dataclass(frozen=True)
class Shown:
    report: MonthlyReport
    frozen: bool  # the numbers are the ones frozen when the month was closed


def status_text(shown: Shown) -> str:
    """The line under the title: open or closed, by whom, and the amendments the form reports."""
    report = shown.report
    closure = report.closure
    if closure is None:
        text = _("Open: the numbers are counted from the records as they are now. "
                 "An administrator can close the month once it has ended.")
    else:
        when = local_datetime_text(parse_stamp(closure.closed_at))
        if shown.frozen:
            text = _("Closed on {date} by {name}: these are the numbers frozen then; "
                     "later corrections appear as amendments on the next form.").format(
                date=when, name=closure.closed_by)
        else:
            text = _("Closed on {date} by {name} with another form; this form's numbers are counted "
                     "from the records as they are now.").format(date=when, name=closure.closed_by)
    if report.amendments:
        text += " " + ngettext("This form reports {n} amendment to a closed month (listed below).",
                               "This form reports {n} amendments to closed months (listed below).",
                               len(report.amendments)).format(n=len(report.amendments))
    return text


def load_report(register, month: Month, progress: Progress | None = None) -> Shown:
    report = monthly_report(register, month, progress=progress)
    frozen = report.closure is not None and month_state.closed(register.conn, month, report.form)[1] is not None
    return Shown(report, frozen)


def records_of_cell(register, form: FormFile, month: Month, row: str, column: str,
                    origin: str | None) -> list[RecordLine]:
    return describe(register.conn, engine.records_behind(register.conn, form, month, row, column, origin))


def report_bytes(report: MonthlyReport, fmt: str, trends: Trends | None = None) -> bytes:
    """The report as a file (a PDF with `trends` ends with their page); its makers are imported when
    first used (reportlab and openpyxl are heavy, and the program should open quickly)."""
    if fmt == "pdf":
        from app.reports.form_pdf import form_pdf

        return form_pdf(report, trends)
    from app.reports import form_exports

    return {"xlsx": form_exports.to_xlsx, "csv": form_exports.to_csv, "json": form_exports.to_json}[fmt](report)


def write_report(report: MonthlyReport, fmt: str, path: Path, trends: Trends | None = None) -> Path:
    write_atomic(path, report_bytes(report, fmt, trends))
    return path


def pdf_trends(register, report: MonthlyReport, wanted: bool) -> Trends | None:
    """The twelve months to the report's month, when the PDF is to carry them."""
    return monthly_trends(register.conn, report.month) if wanted else None


def choose_form_file(register, path: Path) -> tuple[FormFile, str]:
    """Read the file and make it the register's form; a refusal names the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise FormFileError(file=path.name, where=_("file"), reason=str(error)) from None
    return choose_form(register, text, path.name), text
