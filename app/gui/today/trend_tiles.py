"""The Today screen's strip of small charts: twelve months to today of new clients, counselling,
referrals and missed follow-ups, each a title, this month's figures and a line per series. A click
opens the Reports screen's full charts. Drawn with QPainter, like the Reports charts."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QFrame, QSizePolicy

from app.core.i18n import Translatable, _
from app.gui.common.trend_chart import COLOURS
from app.reports.trends import SERIES, Trends, nice_top

PAD = 8


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


class TrendTile(QFrame):
    """One small chart; `clicked` when pressed (or Enter/Space with the keyboard focus on it)."""

    clicked = Signal()

    def __init__(self, title: Translatable, series: tuple[tuple[str, Translatable], ...]) -> None:
        super().__init__()
        self.title = _(title)
        self.series = series
        self.months: list[str] = []
        self.values: list[list[int]] = []
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)  # whoever has Today has Reports (roles.GRANTS)
        self.setMinimumSize(200, 96)
        self.setMaximumHeight(110)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(self.title)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        return QSize(300, 100)

    def set_data(self, trends: Trends) -> None:
        self.months = trends.month_labels()
        self.values = [trends.total[name] for name, _words in self.series]
        lines = [f"{_(SERIES[name])}: " + ", ".join(f"{m} {_number(v)}" for m, v in zip(self.months, values))
                 for (name, _words), values in zip(self.series, self.values)]
        self.setToolTip("\n".join([self.title, *lines, _("Click for the full charts on the Reports screen.")]))
        self.setAccessibleDescription("; ".join(lines))
        self.update()

    def figures(self) -> str:
        """This month's figures in words: "128 contacts · 45 people"."""
        return " · ".join(_(words).format(n=_number(values[-1]))
                          for (_name, words), values in zip(self.series, self.values) if values)

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt name)
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt name)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit()
        else:
            super().keyPressEvent(event)

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().paintEvent(event)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = painter.fontMetrics()
        line = metrics.height()
        bold = QFont(self.font())
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(QColor("#222"))
        width = self.width() - 2 * PAD
        painter.drawText(QRectF(PAD, PAD - 2, width, line), Qt.AlignmentFlag.AlignLeft,
                         painter.fontMetrics().elidedText(self.title, Qt.TextElideMode.ElideRight, int(width)))
        painter.setFont(self.font())
        x = PAD
        for number, ((_name, words), values) in enumerate(zip(self.series, self.values)):
            text = _(words).format(n=_number(values[-1])) if values else ""
            painter.setPen(QColor(COLOURS[number % len(COLOURS)]))
            painter.drawText(QRectF(x, PAD - 2 + line, width, line), Qt.AlignmentFlag.AlignLeft, text)
            x += metrics.horizontalAdvance(text) + 14
        if self.hasFocus():
            painter.setPen(QPen(self.palette().highlight().color(), 2))
            painter.drawRect(QRectF(1, 1, self.width() - 2, self.height() - 2))
        if not self.months:
            return
        small = QFont(self.font())
        small.setPointSizeF(max(self.font().pointSizeF() - 1.5, 6.5))
        painter.setFont(small)
        label_height = painter.fontMetrics().height()
        plot = QRectF(PAD + 2, PAD + 2 * line + 4, width - 4, self.height() - 2 * line - label_height - 2 * PAD - 4)
        painter.setPen(QColor("#666"))
        painter.drawText(QRectF(PAD, plot.bottom() + 1, width, label_height), Qt.AlignmentFlag.AlignLeft,
                         self.months[0])
        painter.drawText(QRectF(PAD, plot.bottom() + 1, width, label_height), Qt.AlignmentFlag.AlignRight,
                         _("this month"))
        painter.setPen(QPen(QColor("#d8dde3"), 1))
        painter.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))
        top = nice_top(max((max(values, default=0) for values in self.values), default=0))
        step = plot.width() / max(len(self.months) - 1, 1)
        for number, values in enumerate(self.values):
            colour = QColor(COLOURS[number % len(COLOURS)])
            points = [QPointF(plot.left() + i * step, plot.bottom() - plot.height() * v / top)
                      for i, v in enumerate(values)]
            path = QPainterPath(points[0])
            for point in points[1:]:
                path.lineTo(point)
            painter.setPen(QPen(colour, 1.8))
            painter.drawPath(path)
            painter.setBrush(colour)
            painter.drawEllipse(points[-1], 2.8, 2.8)  # this month, the figure written above
            painter.setBrush(Qt.BrushStyle.NoBrush)
