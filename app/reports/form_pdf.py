"""The monthly form as an official document: Decree 30/2020 layout, A4, Liberation Serif.

The issuing unit top left; the national title and motto top right with the
place and date under them; the title; the table, its header repeated on
every page; the closure note; corrections to closed months; the two
signature blocks, kept together on one page. Page numbers from page 2, top
centre, as Decree 30 places them. District forms with more than 4 points are
landscape; when even landscape cannot hold every point, the points are
printed in several tables and the total in the last (docs/forms.md).
"""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (CondPageBreak, Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table,
                                TableStyle)

from app.core.i18n import _
from app.reports.fonts import SERIF, SERIF_BOLD, register_fonts
from app.reports.form_table import (FormTable, Line, amendment_cells, closure_text, form_table, month_title,
                                    number_text, place_and_date)
from app.reports.monthly import MonthlyReport
from app.reports.trends import Trends
from app.reports.trends_pdf import trends_page

ITALIC = "LiberationSerif-Italic"
LEFT, RIGHT, TOP, BOTTOM = 30 * mm, 15 * mm, 20 * mm, 20 * mm  # Decree 30: 30-35, 15-20, 20-25, 20-25
UNIT_BLOCK, NATION_BLOCK = 74 * mm, 91 * mm  # the two header blocks; the national title needs ~89 mm at 12 pt
CELL_SIZE = 12  # 13 pt elsewhere; 12 pt lets the table keep its labels readable beside five number columns
PAD = 3
MIN_LABEL = 50 * mm
POINT_HEAD = 10.5  # point codes (PHUTHANH-01) are long single words: a smaller size saves a column
PORTRAIT_POINTS = 4  # district forms with more points are landscape


def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=SERIF, fontSize=13, leading=16)
    centre = ParagraphStyle("centre", parent=body, alignment=1)
    cell = ParagraphStyle("cell", fontName=SERIF, fontSize=CELL_SIZE, leading=14)
    return {
        "unit": ParagraphStyle("unit", parent=centre, fontSize=12, leading=14.5),
        "unit_bold": ParagraphStyle("unit_bold", parent=centre, fontName=SERIF_BOLD, fontSize=12, leading=14.5),
        "number": ParagraphStyle("number", parent=centre, spaceBefore=2 * mm),
        "nation": ParagraphStyle("nation", parent=centre, fontName=SERIF_BOLD, fontSize=12, leading=14.5),
        "motto": ParagraphStyle("motto", parent=centre, fontName=SERIF_BOLD),
        "dated": ParagraphStyle("dated", parent=centre, fontName=ITALIC, spaceBefore=2 * mm),
        "title": ParagraphStyle("title", parent=centre, fontName=SERIF_BOLD, fontSize=14, leading=18),
        "subtitle": ParagraphStyle("subtitle", parent=centre, fontName=SERIF_BOLD),
        "scope": ParagraphStyle("scope", parent=centre, fontName=ITALIC, fontSize=12, leading=15),
        "note": ParagraphStyle("note", parent=body, fontName=ITALIC, fontSize=12, leading=15, spaceBefore=3 * mm),
        "heading": ParagraphStyle("heading", parent=body, fontName=SERIF_BOLD, spaceBefore=6 * mm, spaceAfter=2 * mm),
        "text": ParagraphStyle("text", parent=body, fontSize=12, leading=15, spaceAfter=2 * mm),
        "cell": cell,
        "cell_sub": ParagraphStyle("cell_sub", parent=cell, leftIndent=3 * mm),
        "cell_bold": ParagraphStyle("cell_bold", parent=cell, fontName=SERIF_BOLD),
        "head": ParagraphStyle("head", parent=cell, fontName=SERIF_BOLD, alignment=1, leading=13.5),
        "point_head": ParagraphStyle("point_head", parent=cell, fontName=SERIF_BOLD, alignment=1,
                                     fontSize=POINT_HEAD, leading=12.5),
        "sign": ParagraphStyle("sign", parent=centre, fontName=SERIF_BOLD),
        "sign_note": ParagraphStyle("sign_note", parent=centre, fontName=ITALIC),
    }


def _escape(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(_escape(text), style)


class _Rule(Flowable):
    """A centred horizontal line (under the unit name and under the motto)."""

    def __init__(self, length: float):
        super().__init__()
        self.length = length
        self._width = length

    def wrap(self, available_width, available_height):
        self._width = available_width
        return available_width, 6  # the line sits 4 pt below the text's descenders

    def draw(self):
        start = (self._width - self.length) / 2
        self.canv.setLineWidth(0.6)
        self.canv.line(start, 1, start + self.length, 1)


# --- header -------------------------------------------------------------------------

def _balanced(text: str, font: str, size: float, width: float) -> list[str]:
    """`text` in as few lines as fit `width`, of similar lengths: a clerk breaks
    "ỦY BAN NHÂN DÂN / PHƯỜNG LONG XUYÊN" rather than leaving one word alone on the last line."""
    words = text.split()
    if not words:
        return [text]

    def wrap(limit: float) -> list[str]:
        lines, current = [], ""
        for word in words:
            trial = f"{current} {word}" if current else word
            if current and stringWidth(trial, font, size) > limit:
                lines.append(current)
                current = word
            else:
                current = trial
        return lines + [current]

    count = len(wrap(width))
    low, high = max(stringWidth(word, font, size) for word in words), width
    for _step in range(16):  # the narrowest measure that needs no more lines
        middle = (low + high) / 2
        low, high = (low, middle) if len(wrap(middle)) <= count else (middle, high)
    return wrap(high)


def _block(lines: list[str], style: ParagraphStyle) -> Paragraph:
    return Paragraph("<br/>".join(_escape(line) for line in lines), style)


def _header(report: MonthlyReport, style: dict, width: float) -> list:
    office = (report.office_name or report.unit.office_name).upper()
    room = UNIT_BLOCK - 2 * PAD
    name = _balanced(report.unit.name.upper(), SERIF_BOLD, 12, room)
    # Decree 30: the line under the unit name is 1/3 to 1/2 as long as the name's line.
    rule = 0.4 * min(max(stringWidth(line, SERIF_BOLD, 12) for line in name), room)
    unit_cell = ([_block(_balanced(office, SERIF, 12, room), style["unit"])] if office else []) + [
        _block(name, style["unit_bold"]), _Rule(max(rule, 20 * mm))]
    motto = _("Independence - Freedom - Happiness")
    nation_cell = [_p(_("SOCIALIST REPUBLIC OF VIET NAM"), style["nation"]), _p(motto, style["motto"]),
                   _Rule(stringWidth(motto, SERIF_BOLD, 13))]
    gap = width - UNIT_BLOCK - NATION_BLOCK
    widths = [UNIT_BLOCK, gap, NATION_BLOCK] if gap > 1 else [UNIT_BLOCK, width - UNIT_BLOCK]
    middle = [""] if gap > 1 else []
    rows = [[unit_cell, *middle, nation_cell],
            [_p(_("No.: ……/BC"), style["number"]), *middle, _p(place_and_date(report), style["dated"])]]
    header = Table(rows, colWidths=widths, hAlign="LEFT", style=TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONT", (0, 0), (-1, -1), SERIF, CELL_SIZE),  # empty cells too: no default Helvetica
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]))
    flow = [header, Spacer(1, 8 * mm), _p(report.form.title, style["title"]),
            _p(month_title(report.month), style["subtitle"])]
    if report.district:
        flow.append(_p(_("Consolidated from the records of {n} consultation points").format(
            n=len(report.result.by_point)), style["scope"]))
    return flow + [Spacer(1, 5 * mm)]


# --- the table ----------------------------------------------------------------------

def _text_width(text: str) -> float:
    return stringWidth(text, SERIF, CELL_SIZE)


def _head_parts(heading: str) -> list[str]:
    """Words of a column heading; point codes may break after their hyphen (BINHDUC- / 02)."""
    return heading.replace("-", "- ").split()


def _value_width(table: FormTable, index: int, heading: str) -> float:
    widest_number = max((_text_width(number_text(line.values[index])) for line in table.lines if line.values),
                        default=0)
    size = POINT_HEAD if index < len(table.points) else CELL_SIZE
    widest_word = max((stringWidth(word, SERIF_BOLD, size) for word in _head_parts(heading)), default=0)
    return max(15 * mm, widest_number + 2 * PAD + 2, min(widest_word, 26 * mm) + 2 * PAD + 1)


def _fit(widths: list[float], room: float) -> list[float]:
    """Narrow the number columns (not below 15 mm) when they leave the labels less than MIN_LABEL."""
    excess = sum(widths) - room
    slack = sum(w - 15 * mm for w in widths)
    if excess <= 0 or slack <= 0:
        return widths
    share = min(1.0, excess / slack)
    return [w - (w - 15 * mm) * share for w in widths]


def _code_width(table: FormTable) -> float:
    return max(11 * mm, max(stringWidth(line.code, SERIF_BOLD, CELL_SIZE) for line in table.lines) + 2 * PAD + 1)


def _chunks(table: FormTable, widths: list[float], code_width: float, width: float) -> list[list[int]]:
    """Which value columns each printed table holds: all of them, or (many points) groups of points."""
    if not table.district or len(table.points) <= PORTRAIT_POINTS:
        return [list(range(len(widths)))]  # a portrait page holds up to 4 points, narrowed if need be
    points = list(range(len(table.points)))
    room = width - code_width - MIN_LABEL - widths[-1]
    groups, current, used = [], [], 0.0
    for index in points:
        if current and used + widths[index] > room:
            groups.append(current)
            current, used = [], 0.0
        current.append(index)
        used += widths[index]
    groups.append(current)
    groups[-1] = groups[-1] + [len(widths) - 1]  # the total goes with the last points
    return groups


def _point_head(code: str, width: float, style: dict) -> Paragraph:
    """A point's code, broken after its hyphen only when it does not fit (PHUTHANH- / 01)."""
    if stringWidth(code, SERIF_BOLD, POINT_HEAD) <= width - 2 * PAD or "-" not in code:
        return _p(code, style["point_head"])
    first, _dash, rest = code.partition("-")
    return Paragraph(f"{_escape(first)}-<br/>{_escape(rest)}", style["point_head"])


def _header_rows(table: FormTable, columns: list[int], widths: dict[int, float],
                 style: dict) -> tuple[list[list], list]:
    code, label = _p(_("No."), style["head"]), _p(_("Indicator"), style["head"])
    if not table.district:
        return [[code, label, *[_p(table.headings[i], style["head"]) for i in columns]]], []
    points = [i for i in columns if i < len(table.points)]
    has_total = len(table.codes) - 1 in columns
    first = [code, label] + ([_p(_("Consultation points"), style["head"])] + [""] * (len(points) - 1) if points else [])
    second = ["", ""] + [_point_head(table.headings[i], widths[i], style) for i in points]
    if has_total:
        first.append(_p(table.headings[-1], style["head"]))
        second.append("")
    last = len(columns) + 1
    spans = [("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (1, 1))]
    if points:
        spans.append(("SPAN", (2, 0), (1 + len(points), 0)))
    if has_total:
        spans.append(("SPAN", (last, 0), (last, 1)))
    return [first, second], spans


def _label(line: Line, report: MonthlyReport, style: dict) -> Paragraph:
    """The row's label; in a district form followed by the column its numbers come from, in italics,
    on the row itself or (when all its rows show the same column) once on the section line."""
    text = _escape(line.label)
    if line.column and (line.says_column or line.kind == "section"):
        column = next(c.label for c in report.form.columns if c.code == line.column)
        italic = _escape(f"({column})")  # on a bold section line: italic, not bold
        text += f" <i>{italic}</i>" if line.kind == "row" else f" <font name='{ITALIC}'>{italic}</font>"
    if line.kind == "section":
        return Paragraph(text, style["cell_bold"])
    return Paragraph(text, style["cell_sub"] if line.sub else style["cell"])


def _table(table: FormTable, lines: list[Line], report: MonthlyReport, columns: list[int], widths: list[float],
           code_width: float, width: float, style: dict) -> Table:
    value_widths = _fit([widths[i] for i in columns], width - code_width - MIN_LABEL)
    rows, spans = _header_rows(table, columns, dict(zip(columns, value_widths)), style)
    head = len(rows)
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONT", (0, 0), (-1, -1), SERIF, CELL_SIZE),
        ("ALIGN", (0, head), (0, -1), "CENTER"),
        ("ALIGN", (2, head), (-1, -1), "RIGHT"),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD), ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        *spans,
    ]
    sections = []
    for line in lines:
        at = len(rows)
        if line.kind == "section":
            rows.append([line.code, _label(line, report, style)] + [""] * len(columns))
            commands += [("SPAN", (1, at), (-1, at)), ("FONT", (0, at), (0, at), SERIF_BOLD, CELL_SIZE)]
            sections.append(at)
        else:
            rows.append([line.code, _label(line, report, style)]
                        + [number_text(line.values[i]) for i in columns])
    # A section line never ends a page: it stays with its first row.
    commands += [("NOSPLIT", (0, at), (-1, at + 1)) for at in sections if at + 1 < len(rows)]
    label_width = width - code_width - sum(value_widths)
    return Table(rows, colWidths=[code_width, label_width, *value_widths], repeatRows=head,
                 style=TableStyle(commands))


def _tables(report: MonthlyReport, style: dict, width: float, keep: int = 0) -> tuple[list, list]:
    """The form's table(s), and apart (when `keep`) its last `keep` lines as a table of their own
    with the header, to go on the signatures' page."""
    table = form_table(report)
    widths = [_value_width(table, i, heading) for i, heading in enumerate(table.headings)]
    if table.points:  # the points' columns alike, as on a printed form
        widths[:-1] = [max(widths[:-1])] * (len(widths) - 1)
    code_width = _code_width(table)
    chunks = _chunks(table, widths, code_width, width)
    lines = list(table.lines)
    cut = len(lines) - keep
    while keep and cut > 1 and lines[cut - 1].kind == "section":  # a section line goes with its rows
        cut -= 1
    flow: list = []
    for number, columns in enumerate(chunks):
        if number:
            flow += [CondPageBreak(60 * mm), Spacer(1, 4 * mm),
                     _p(_("Table (continued): further consultation points"), style["note"]), Spacer(1, 1 * mm)]
        body = lines[:cut] if number == len(chunks) - 1 else lines
        flow.append(_table(table, body, report, columns, widths, code_width, width, style))
    tail = [_table(table, lines[cut:], report, chunks[-1], widths, code_width, width, style)] if keep else []
    return flow, tail


# --- after the table ----------------------------------------------------------------

def _amendments(report: MonthlyReport, style: dict, width: float, keep: int = 0) -> tuple[list, list]:
    if not report.amendments:
        return [], []
    district = any(a.point for a in report.amendments)
    keys = ["month", *(["point"] if district else []), "row", "column", "closed", "current"]
    titles = {"month": _("Month"), "point": _("Point"), "row": _("Indicator"), "column": _("Column"),
              "closed": _("Number when closed"), "current": _("Number now")}
    fixed = {"month": 20 * mm, "point": 28 * mm, "column": 30 * mm, "closed": 22 * mm, "current": 22 * mm}
    widths = [fixed.get(k, 0) for k in keys]
    widths[keys.index("row")] = width - sum(widths)
    head = [[_p(titles[k], style["head"]) for k in keys]]
    rows = []
    for amendment in report.amendments:
        cells = amendment_cells(report, amendment)
        rows.append([cells[k] if k in ("month", "closed", "current") else _p(cells[k], style["cell"]) for k in keys])
    look = TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("FONT", (0, 0), (-1, -1), SERIF, CELL_SIZE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 1), (0, -1), "CENTER"),
        ("ALIGN", (-2, 1), (-1, -1), "RIGHT"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD), ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
    ])
    keep = min(keep, len(rows) - 1)
    body = rows[:-keep] if keep > 0 else rows
    flow = [
        CondPageBreak(40 * mm),
        _p(_("Corrections to the numbers of closed months"), style["heading"]),
        _p(_("These records of closed months were changed after the month was closed. Each closed month's form keeps "
             "the numbers it was closed with; the changes are reported here once."), style["text"]),
        Table(head + body, colWidths=widths, repeatRows=1, style=look),
    ]
    return flow, [Table(head + rows[-keep:], colWidths=widths, repeatRows=1, style=look)] if keep > 0 else []


def _signatures(report: MonthlyReport, style: dict, width: float) -> list:
    head = _("HEAD OF THE UNIT") if report.district else _("HEAD OF THE CONSULTATION POINT")
    chair = report.closure.closed_by if report.closure else ""
    block = Table([
        [_p(_("PREPARED BY"), style["sign"]), _p(head, style["sign"])],
        [_p(_("(Sign and write full name)"), style["sign_note"]),
         _p(_("(Sign, write full name and stamp)"), style["sign_note"])],
        [Spacer(1, 24 * mm), ""],
        ["", _p(chair, style["sign"])],
    ], colWidths=[width / 2, width / 2], style=TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONT", (0, 0), (-1, -1), SERIF, CELL_SIZE),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]))
    return [Spacer(1, 8 * mm), block]


def _page_number(canvas, doc) -> None:
    """Decree 30: Arabic numerals, 13 pt, centred in the top margin, none on the first page."""
    canvas.saveState()
    canvas.setFont(SERIF, 13)
    canvas.drawCentredString(doc.pagesize[0] / 2, doc.pagesize[1] - TOP / 2 - 2 * mm, str(doc.page))
    canvas.restoreState()


class _PageMark(Flowable):
    """Notes the page it lands on (nothing is drawn)."""

    page = 0

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self):
        self.page = self.canv.getPageNumber()


def _build(report: MonthlyReport, keep: int, trends: Trends | None = None) -> tuple[bytes, bool]:
    """The PDF, and whether the signatures ended up alone on the last page."""
    style = _styles()
    wide = report.district and len(report.result.by_point) > PORTRAIT_POINTS
    pagesize = landscape(A4) if wide else A4
    width = pagesize[0] - LEFT - RIGHT
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=pagesize, leftMargin=LEFT, rightMargin=RIGHT, topMargin=TOP, bottomMargin=BOTTOM,
        title=f"{report.form.title} – {month_title(report.month)}", author="Tư Vấn", subject=report.unit.name,
        initialFontName=SERIF,  # reportlab would start each page in Helvetica, not embedded
    )
    amended = bool(report.amendments)
    table, table_tail = _tables(report, style, width, 0 if amended else keep)
    amendments, amendments_tail = _amendments(report, style, width, keep if amended else 0)
    closure = [_p(closure_text(report.closure), style["note"])] if report.closure else []
    mark = _PageMark()
    if amended:
        story = _header(report, style, width) + table + closure + amendments + [mark]
        ending = amendments_tail
    else:
        story = _header(report, style, width) + table + [mark]
        ending = table_tail + closure
    story.append(KeepTogether(ending + _signatures(report, style, width)))
    signed = _PageMark()  # the page the signatures end on (the trends come after it)
    story.append(signed)
    if trends is not None:
        story += trends_page(trends, style, width)
    doc.build(story, onLaterPages=_page_number)
    return buffer.getvalue(), signed.page > mark.page


def form_pdf(report: MonthlyReport, trends: Trends | None = None) -> bytes:
    """The monthly form as PDF bytes, in the current language (Vietnamese by default); with `trends`,
    a last page of twelve-month charts."""
    register_fonts()
    pdf, alone = _build(report, keep=0, trends=trends)
    if alone:  # Signatures never stand alone on a page: the table's last lines go with them.
        pdf, _alone = _build(report, keep=2, trends=trends)
    return pdf
