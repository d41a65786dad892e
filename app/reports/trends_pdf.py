"""The twelve-month trends as a page of the monthly PDF: the same two charts as the screen, drawn
by reportlab in the embedded Liberation fonts."""

from __future__ import annotations

from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, Spacer

from app.core.i18n import _
from app.reports.fonts import SERIF, SERIF_BOLD
from app.reports.trends import CHARTS, SERIES, Trends, nice_top

COLOURS = (colors.HexColor("#1f5fa8"), colors.HexColor("#d9731a"), colors.HexColor("#2e8b57"))


def _chart(title: str, months: list[str], lines: list[tuple[str, list[int]]], width: float) -> Drawing:
    height = 80 * mm
    drawing = Drawing(width, height)
    drawing.initialFontName, drawing.initialFontSize = SERIF, 9  # else it starts in a non-embedded Helvetica
    drawing.add(String(0, height - 12, title, fontName=SERIF_BOLD, fontSize=12))
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 12 * mm, 22 * mm, width - 16 * mm, height - 36 * mm
    chart.data = [values for _name, values in lines]
    chart.categoryAxis.categoryNames = months
    chart.categoryAxis.labels.fontName = SERIF
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.labels.fontName = SERIF
    chart.valueAxis.labels.fontSize = 8
    top = nice_top(max((max(values, default=0) for _name, values in lines), default=0))
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, top, top / 5
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#d8dde3")
    for number in range(len(lines)):
        chart.lines[number].strokeColor = COLOURS[number % len(COLOURS)]
        chart.lines[number].strokeWidth = 1.6
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = 12 * mm, 6 * mm
    legend.fontName, legend.fontSize = SERIF, 9
    legend.alignment, legend.columnMaximum = "right", 1
    legend.dx, legend.dy, legend.deltax = 10, 4, 12
    legend.colorNamePairs = [(COLOURS[n % len(COLOURS)], f"{name}: {values[-1]:,}".replace(",", "."))
                             for n, (name, values) in enumerate(lines)]
    drawing.add(legend)
    return drawing


def trends_page(trends: Trends, style, width: float, point: str | None = None) -> list:
    """Flowables of the trends page (it starts on a page of its own)."""
    months = trends.month_labels()
    values = trends.of(point)
    flow = [PageBreak(),
            Paragraph(_("Twelve months to {month}").format(month=trends.months[-1].label), style["title"]),
            Spacer(1, 4 * mm)]
    for title, names in CHARTS:
        flow += [_chart(_(title), months, [(_(SERIES[name]), values[name]) for name in names], width),
                 Spacer(1, 6 * mm)]
    return flow
