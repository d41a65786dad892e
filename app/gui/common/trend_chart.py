"""A line chart of a few monthly series, drawn with QPainter (Qt Charts would add 10 MB to the
package for three lines): months along the bottom, a rounded scale, a legend, the latest values."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.reports.trends import nice_top

COLOURS = ("#1f5fa8", "#d9731a", "#2e8b57")  # blue, orange, green: apart for colour-blind eyes too
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 46, 16, 30, 44


class TrendChart(QWidget):
    def __init__(self, title: str = "") -> None:
        super().__init__()
        self.title = title
        self.months: list[str] = []
        self.lines: list[tuple[str, list[int]]] = []
        self.setMinimumSize(360, 220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        return QSize(520, 260)

    def set_data(self, months: list[str], lines: list[tuple[str, list[int]]]) -> None:
        self.months, self.lines = months, lines
        self.setAccessibleDescription("; ".join(f"{name}: {', '.join(map(str, values))}" for name, values in lines))
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        bold = QFont(self.font())
        bold.setBold(True)
        painter.setFont(bold)
        painter.drawText(QRectF(8, 4, self.width() - 16, 20), Qt.AlignmentFlag.AlignLeft, self.title)
        painter.setFont(self.font())
        if not self.months:
            return
        plot = QRectF(MARGIN_LEFT, MARGIN_TOP, self.width() - MARGIN_LEFT - MARGIN_RIGHT,
                      self.height() - MARGIN_TOP - MARGIN_BOTTOM)
        top = nice_top(max((max(values, default=0) for _name, values in self.lines), default=0))
        self._grid(painter, plot, top)
        step = plot.width() / max(len(self.months) - 1, 1)
        for number, (name, values) in enumerate(self.lines):
            colour = QColor(COLOURS[number % len(COLOURS)])
            path = QPainterPath()
            points = [QPointF(plot.left() + i * step, plot.bottom() - plot.height() * v / top)
                      for i, v in enumerate(values)]
            for i, point in enumerate(points):
                path.moveTo(point) if i == 0 else path.lineTo(point)
            painter.setPen(QPen(colour, 2.2))
            painter.drawPath(path)
            painter.setBrush(colour)
            for point in points:
                painter.drawEllipse(point, 2.6, 2.6)
            painter.setBrush(Qt.BrushStyle.NoBrush)
        self._legend(painter, plot)

    def _grid(self, painter: QPainter, plot: QRectF, top: int) -> None:
        metrics = painter.fontMetrics()
        painter.setPen(QPen(QColor("#d8dde3"), 1))
        for part in range(6):  # fifths of a 1-2-5 top are whole numbers
            y = plot.bottom() - plot.height() * part / 5
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            label = f"{top * part // 5:,}".replace(",", ".")
            painter.setPen(QColor("#555"))
            painter.drawText(QRectF(0, y - 8, MARGIN_LEFT - 6, 16), Qt.AlignmentFlag.AlignRight, label)
            painter.setPen(QPen(QColor("#d8dde3"), 1))
        painter.setPen(QColor("#555"))
        step = plot.width() / max(len(self.months) - 1, 1)
        every = 1 if step >= metrics.horizontalAdvance("00/00") + 6 else 2
        for i, month in enumerate(self.months):
            if i % every == 0 or i == len(self.months) - 1:
                x = plot.left() + i * step
                painter.drawText(QRectF(x - 24, plot.bottom() + 4, 48, 16), Qt.AlignmentFlag.AlignHCenter, month)

    def _legend(self, painter: QPainter, plot: QRectF) -> None:
        metrics = painter.fontMetrics()
        x, y = plot.left(), self.height() - 18
        for number, (name, values) in enumerate(self.lines):
            text = f"{name}: {values[-1]:,}".replace(",", ".") if values else name
            painter.setPen(QPen(QColor(COLOURS[number % len(COLOURS)]), 3))
            painter.drawLine(QPointF(x, y + 7), QPointF(x + 16, y + 7))
            painter.setPen(QColor("#222"))
            painter.drawText(QPointF(x + 20, y + 11), text)
            x += 20 + metrics.horizontalAdvance(text) + 18
