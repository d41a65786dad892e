"""The printable recovery sheet: the recovery key and how to keep and use it."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.core.clock import local_datetime_text
from app.core.i18n import _
from app.core.unit import Unit
from app.reports.fonts import MONO_BOLD, SERIF, SERIF_BOLD, register_fonts
from app.store.files import write_atomic


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=SERIF, fontSize=13, leading=17)
    return {
        "title": ParagraphStyle("title", parent=base, fontName=SERIF_BOLD, fontSize=16,
                                leading=21, alignment=1, spaceAfter=4 * mm),
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=11, leading=14),
        "key": ParagraphStyle("key", parent=base, fontName=MONO_BOLD, fontSize=15,
                              leading=22, alignment=1),
    }


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def recovery_sheet_pdf(unit: Unit, register_id: str, recovery_key: str, created: datetime) -> bytes:
    """The sheet as PDF bytes (A4, Liberation Serif, in the current language)."""
    register_fonts()
    style = _styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=30 * mm, rightMargin=20 * mm,
        topMargin=20 * mm, bottomMargin=20 * mm,
        title=_("Recovery sheet"), author="Tư Vấn", subject=unit.name,
        initialFontName=SERIF,  # reportlab would start each page in Helvetica, not embedded
    )
    details = Table(
        [
            [_("Unit"), f"{unit.name} ({unit.code})"],
            [_("Register"), register_id],
            [_("Created"), local_datetime_text(created)],
        ],
        colWidths=[35 * mm, 125 * mm],
    )
    details.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), SERIF, 12),
        ("FONT", (0, 0), (0, -1), SERIF_BOLD, 12),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    key_box = Table([[Paragraph(_escape(recovery_key), style["key"])]], colWidths=[160 * mm])
    key_box.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 1.5, colors.black),
        ("FONT", (0, 0), (-1, -1), SERIF, 12),  # a table's own font, or reportlab uses Helvetica
        ("TOPPADDING", (0, 0), (-1, -1), 5 * mm),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5 * mm),
    ]))
    steps = [
        _("This key opens the register when every passphrase has been forgotten. Whoever holds it can read every record."),
        _("Keep this sheet in a locked cabinet, away from the computer. Do not photograph it and do not send it by Zalo, e-mail or message."),
        _("To use it: in the unlock window choose “Use recovery key”, type the key and choose a new passphrase. On the command line: tuvan recover --recovery-key KEY."),
        _("Letters O, I and L may be typed as 0, 1 and 1; dashes and spaces do not matter. The last character is a check character that catches typing mistakes."),
        _("If this sheet is lost or someone else has seen it, tell the administrator at once."),
    ]
    story = [
        Paragraph(_escape(_("REGISTER RECOVERY SHEET")), style["title"]),
        Paragraph(_escape(_("Tư Vấn: case register of the consultation point")), style["small"]),
        Spacer(1, 5 * mm),
        details,
        Spacer(1, 8 * mm),
        Paragraph(_escape(_("Recovery key")), style["body"]),
        Spacer(1, 2 * mm),
        key_box,
        Spacer(1, 8 * mm),
    ]
    for number, text in enumerate(steps, 1):
        story += [Paragraph(f"{number}. {_escape(text)}", style["body"]), Spacer(1, 2 * mm)]
    story += [
        Spacer(1, 12 * mm),
        Table(
            [[_("Kept by (sign, full name)"), _("Date")]],
            colWidths=[100 * mm, 60 * mm],
            style=TableStyle([("FONT", (0, 0), (-1, -1), SERIF_BOLD, 12), ("ALIGN", (0, 0), (-1, -1), "CENTER")]),
        ),
    ]
    doc.build(story)
    return buffer.getvalue()


def write_recovery_sheet(path: Path, unit: Unit, register_id: str, recovery_key: str, created: datetime) -> None:
    write_atomic(Path(path), recovery_sheet_pdf(unit, register_id, recovery_key, created), mode=0o600)
