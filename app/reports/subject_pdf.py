"""The data-subject export as PDF: A4, Liberation Serif, one table per section, "page x of y".

Rendered from the data `subject_export.collect` returns, so the PDF and the
JSON cannot disagree. Free text (notes) goes in paragraphs after a table,
never inside a cell: a table row cannot break across pages, a paragraph can,
so a 5,000-character note or hundreds of contacts still lay out.
"""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.core.clock import local, local_datetime_text, parse_stamp
from app.core.fields import parse_date
from app.core.i18n import _
from app.core.unit import Unit
from app.reports.fonts import SERIF, SERIF_BOLD, register_fonts

LEFT, RIGHT, TOP, BOTTOM = 30 * mm, 20 * mm, 20 * mm, 22 * mm  # Decree 30 margins
WIDTH = A4[0] - LEFT - RIGHT
INDEX_WIDTH = 9 * mm
LABEL_WIDTH = 55 * mm
# Dates and numbers get a fixed width that holds "dd/mm/yyyy" on one line at the cell size;
# the other columns share what is left, by weight.
FIXED = {"date": 21 * mm, "stamp": 22 * mm, "int": 13 * mm, "months": 16 * mm, "money": 26 * mm, "flag": 16 * mm}
WEIGHTS = {"choice": 1.0, "choice_list": 1.1, "catalog": 1.0, "catalog_list": 1.6, "staff": 1.0, "user": 1.0}
GRID = colors.HexColor("#7f7f7f")
SHADE = colors.HexColor("#e6e6e6")


def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=SERIF, fontSize=12, leading=15.5)
    cell = ParagraphStyle("cell", fontName=SERIF, fontSize=10.5, leading=12.8)
    return {
        "body": body,
        "unit": ParagraphStyle("unit", parent=body, alignment=1, leading=15),
        "title": ParagraphStyle("title", parent=body, fontName=SERIF_BOLD, fontSize=15, leading=19,
                                alignment=1, spaceBefore=6 * mm),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontSize=13, leading=17, alignment=1,
                                   spaceAfter=4 * mm),
        "heading": ParagraphStyle("heading", parent=body, fontName=SERIF_BOLD, fontSize=13, leading=17,
                                  spaceBefore=6 * mm, spaceAfter=2 * mm),
        "subheading": ParagraphStyle("subheading", parent=body, fontName=SERIF_BOLD, fontSize=11.5,
                                     leading=14.5, spaceBefore=3 * mm, spaceAfter=1 * mm),
        "note": ParagraphStyle("note", parent=body, fontSize=11, leading=14, spaceAfter=1.5 * mm),
        "remark": ParagraphStyle("remark", parent=body, fontName="LiberationSerif-Italic", fontSize=10.5,
                                 leading=13, spaceBefore=1.5 * mm),
        "cell": cell,
        "cell_bold": ParagraphStyle("cell_bold", parent=cell, fontName=SERIF_BOLD),
        "center_italic": ParagraphStyle("center_italic", parent=body, alignment=1,
                                        fontName="LiberationSerif-Italic"),
        "center_bold": ParagraphStyle("center_bold", parent=body, alignment=1, fontName=SERIF_BOLD),
    }


def _escape(text: str) -> str:
    escaped = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace("\r\n", "\n").replace("\n", "<br/>")


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(_escape(text), style)


# --- values ---------------------------------------------------------------------

def date_text(value: str) -> str:
    try:
        return parse_date(value).strftime("%d/%m/%Y")
    except (ValueError, AttributeError):
        return str(value)


def stamp_text(value: str) -> str:
    try:
        return local_datetime_text(parse_stamp(value))
    except ValueError:
        return str(value)


def value_text(field: dict[str, Any], record: dict[str, Any]) -> str:
    """What a person reads for one field of one record."""
    name, kind = field["name"], field["type"]
    if f"{name}_label" in record:
        label = record[f"{name}_label"]
        return ", ".join(label) if isinstance(label, list) else str(label or "")
    value = record.get(name)
    if kind == "flag":
        return _("Unknown") if value is None else _("Yes") if value else _("No")
    if value is None or value == "" or value == []:
        return ""
    if kind == "date":
        return date_text(value)
    if kind == "stamp":
        return stamp_text(value)
    if kind == "money":
        return _("{amount} VND").format(amount=f"{value:,}".replace(",", "."))
    if kind == "months":
        return _("{n} months").format(n=value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _deleted(text: str, record: dict[str, Any]) -> str:
    deleted = _("(deleted)")
    return f"{text} {deleted}".strip() if record.get("deleted") else text


# --- sections -------------------------------------------------------------------

def _long_texts(fields: list[dict], records: list[dict], style: dict, numbered: bool) -> list:
    """Free-text fields as paragraphs, numbered like the table rows they belong to."""
    flow: list = []
    for field in fields:
        filled = [(n, r) for n, r in enumerate(records, 1) if r.get(field["name"])]
        if not filled:
            continue
        heading = (_("{label}, by row number in the table above").format(label=field["label"])
                   if numbered else field["label"])
        flow += [CondPageBreak(20 * mm), _p(heading, style["subheading"])]
        for n, record in filled:
            prefix = f"<b>{n}.</b> " if numbered else ""
            flow.append(Paragraph(prefix + _escape(record[field["name"]]), style["note"]))
    return flow


def _grid(widths: list[float], rows: list[list], extra: list | None = None, header: bool = True) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONT", (0, 0), (-1, -1), SERIF, 10),  # a table's own font, or reportlab uses Helvetica
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), SHADE))
    table.setStyle(TableStyle(commands + (extra or [])))
    return table


def _table_section(section: dict, style: dict) -> list:
    fields = [f for f in section["fields"] if f["type"] != "long"]
    longs = [f for f in section["fields"] if f["type"] == "long"]
    weights = [0 if f["type"] in FIXED else WEIGHTS.get(f["type"], 1.2) for f in fields]
    fixed = sum(FIXED.get(f["type"], 0) for f in fields)
    scale = (WIDTH - INDEX_WIDTH - fixed) / (sum(weights) or 1)
    widths = [FIXED.get(f["type"]) or w * scale for f, w in zip(fields, weights)]
    rows = [[_p("#", style["cell_bold"])] + [_p(f["label"], style["cell_bold"]) for f in fields]]
    for n, record in enumerate(section["records"], 1):
        cells = [value_text(f, record) for f in fields]
        cells[0] = _deleted(cells[0], record)
        rows.append([_p(str(n), style["cell"])] + [_p(text, style["cell"]) for text in cells])
    table = _grid([INDEX_WIDTH] + widths, rows)
    return [table, *_long_texts(longs, section["records"], style, numbered=True)]


def _card_section(section: dict, style: dict, lead: list) -> list:
    """Label/value pairs per record; the profile's fields come under group sub-headings.

    `lead` (the section heading) is kept on the same page as the first card.
    """
    fields = [f for f in section["fields"] if f["type"] != "long"]
    longs = [f for f in section["fields"] if f["type"] == "long"]
    grouped = any("group" in f for f in fields)
    flow: list = []
    for n, record in enumerate(section["records"], 1):
        first = lead if n == 1 else []
        shown = fields if grouped else fields[1:]
        caption = []
        if not grouped:  # a caption from the first field: "1. Registered on: 12/05/2026"
            text = f"{n}. {fields[0]['label']}: {value_text(fields[0], record)}"
            caption = [_p(_deleted(text, record), style["subheading"])]
        rows, extra, group = [], [], None
        for field in shown:
            if grouped and field.get("group") != group:
                group = field.get("group")
                at = len(rows)
                extra += [("SPAN", (0, at), (1, at)), ("BACKGROUND", (0, at), (1, at), SHADE)]
                rows.append([_p(group or "", style["cell_bold"]), ""])
            rows.append([_p(field["label"], style["cell"]), _p(value_text(field, record), style["cell"])])
        card = _grid([LABEL_WIDTH, WIDTH - LABEL_WIDTH], rows, extra, header=False)
        # A short card (a rehab registration) stays on one page; the long profile may split.
        flow += [*first, card] if grouped else [KeepTogether([*first, *caption, card])]
        flow += _long_texts(longs, [record], style, numbered=False)
    return flow


def _section(number: int, section: dict, style: dict) -> list:
    # keepWithNext would hold a heading to a whole long table and leave a blank page; this
    # only starts a new page when fewer than a few rows would fit under the heading.
    heading = _p(f"{number}. {section['title']}", style["heading"])
    flow: list = [CondPageBreak(35 * mm)]
    if not section["records"]:
        return flow + [heading, _p(_("None recorded."), style["remark"])]
    if section["layout"] == "cards":
        flow += _card_section(section, style, lead=[heading])
    else:
        flow += [heading, *_table_section(section, style)]
    if section.get("remark"):
        flow.append(_p(section["remark"], style["remark"]))
    return flow


# --- the page -------------------------------------------------------------------

def _formal_date(moment) -> tuple[str, str, str]:
    """Decree 30 style: a leading zero for days below 10 and for months 1 and 2."""
    day, month = f"{moment.day:02d}", f"{moment.month:02d}" if moment.month < 3 else str(moment.month)
    return day, month, str(moment.year)


def _header(data: dict, unit: Unit, style: dict) -> list:
    lines = ([_p(unit.office_name.upper(), style["unit"])] if unit.office_name else []) + [
        Paragraph(f"<b>{_escape(unit.name.upper())}</b>", style["unit"])]
    unit_block = Table([[lines]], colWidths=[95 * mm], hAlign="LEFT",
                       style=TableStyle([("FONT", (0, 0), (-1, -1), SERIF, 10),
                                         ("LINEBELOW", (0, 0), (-1, -1), 0.6, colors.black),
                                         ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    client = data["client"]
    details = [[_("Unit holding the data"), f"{unit.name} ({unit.code})"],
               [_("Exported at"), stamp_text(data["exported_at"])]]
    if data.get("exported_by"):
        by = data["exported_by"]
        details.append([_("Exported by"), f"{by['full_name']} ({by['login']})"])
    info = _grid([LABEL_WIDTH, WIDTH - LABEL_WIDTH],
                 [[_p(a, style["cell_bold"]), _p(b, style["cell"])] for a, b in details], header=False)
    flow = [
        unit_block,
        _p(_("PERSONAL DATA HELD"), style["title"]),
        _p(_("Client: {name}, record code {code}").format(name=client["name"], code=client["code"]),
           style["subtitle"]),
        info,
        Spacer(1, 3 * mm),
        _p(data["legal_basis"], style["remark"]),
    ]
    if any(r.get("deleted") for s in data["sections"].values() for r in s["records"]):
        flow.append(_p(_("Records marked “(deleted)” were removed from the client file but are still kept in "
                         "the register, so that copies held by other units are updated."), style["remark"]))
    return flow


def _signature(data: dict, style: dict) -> KeepTogether:
    moment = local(parse_stamp(data["exported_at"]))
    day, month, year = _formal_date(moment)
    place = (data.get("unit") or {}).get("place_name") or ""
    dated = (_("{place}, {day}/{month}/{year}").format(place=place, day=day, month=month, year=year) if place
             else _("{day}/{month}/{year}").format(day=day, month=month, year=year))
    by = data.get("exported_by") or {}
    block = [[_p(dated, style["center_italic"])],
             [_p(_("EXPORTED BY"), style["center_bold"])],
             [_p(_("(Sign and write full name)"), style["center_italic"])],
             [Spacer(1, 18 * mm)],
             [_p(by.get("full_name", ""), style["center_bold"])]]
    table = Table(block, colWidths=[85 * mm], hAlign="RIGHT",
                  style=TableStyle([("FONT", (0, 0), (-1, -1), SERIF, 10), ("TOPPADDING", (0, 0), (-1, -1), 0),
                                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    return KeepTogether([Spacer(1, 8 * mm), table])


def _numbered_canvas(footer: str):
    """A canvas that knows the page count when it saves, for "Page 2 of 7"."""

    class NumberedCanvas(canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            for number, page in enumerate(self._pages, 1):
                self.__dict__.update(page)
                self.setFont(SERIF, 9)
                self.drawString(LEFT, 12 * mm, footer)
                self.drawRightString(A4[0] - RIGHT, 12 * mm,
                                     _("Page {page} of {pages}").format(page=number, pages=len(self._pages)))
                super().showPage()
            super().save()

    return NumberedCanvas


def to_pdf(data: dict[str, Any], unit: Unit) -> bytes:
    """The export as PDF bytes, labels in the current language (Vietnamese by default)."""
    register_fonts()
    style = _styles()
    buffer = io.BytesIO()
    code = data["client"]["code"]
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=LEFT, rightMargin=RIGHT, topMargin=TOP, bottomMargin=BOTTOM,
        title=_("Personal data held: {code}").format(code=code), author="Tư Vấn", subject=unit.name,
        initialFontName=SERIF,  # reportlab would start each page in Helvetica, not embedded
    )
    story = _header(data, unit, style)
    for number, section in enumerate(data["sections"].values(), 1):
        story += _section(number, section, style)
    story.append(_signature(data, style))
    footer = _("{code} · sensitive personal data").format(code=code)
    doc.build(story, canvasmaker=_numbered_canvas(footer))
    return buffer.getvalue()
