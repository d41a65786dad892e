"""The Reports screen's second page: twelve months to the chosen one, drawn as lines; at an office,
for the whole office or one point."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.core.i18n import _
from app.core.progress import Cancelled, Progress
from app.gui.common.errors import show_error
from app.gui.common.session import Session
from app.gui.common.trend_chart import TrendChart
from app.reports.period import Month
from app.reports.trends import CHARTS, SERIES, Trends, monthly_trends


class TrendsPanel(QWidget):
    def __init__(self, session: Session, district: bool) -> None:
        super().__init__()
        self.session = session
        self.trends: Trends | None = None
        self.month: Month | None = None
        self._generation = 0
        self.caption = QLabel()
        self.caption.setObjectName("trends_caption")
        self.point_choice = QComboBox()
        self.point_choice.setObjectName("trends_point")
        self.point_label = QLabel(_("&Point:"))
        self.point_label.setBuddy(self.point_choice)
        self.charts = [TrendChart(_(title)) for title, _series in CHARTS]
        top = QHBoxLayout()
        top.addWidget(self.caption, 1)
        top.addWidget(self.point_label)
        top.addWidget(self.point_choice)
        self.point_label.setVisible(district)
        self.point_choice.setVisible(district)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        row = QHBoxLayout()
        for chart in self.charts:
            row.addWidget(chart, 1)
        layout.addLayout(row, 1)
        self.point_choice.currentIndexChanged.connect(lambda _index: self._draw())

    def show_month(self, month: Month) -> None:
        """Count the twelve months to `month` on the worker, then draw them."""
        self.month = month
        self._generation += 1
        generation = self._generation
        self.caption.setText(_("Twelve months to {month}").format(month=month.label))
        counts = Progress()
        self.session.run(lambda register: monthly_trends(register.conn, month, progress=counts),
                         lambda trends: self._loaded(generation, trends), lambda error: self._failed(error),
                         progress_parent=self, label=_("Counting twelve months…"), counts=counts)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, Cancelled):
            self.month = None  # counted again when the page is next opened
            self.caption.setText(_("Counting stopped. Open this page again to count the twelve months."))
            return
        show_error(self, error)

    def _loaded(self, generation: int, trends: Trends) -> None:
        if generation != self._generation:
            return
        self.trends = trends
        chosen = self.point_choice.currentData()
        self.point_choice.blockSignals(True)
        self.point_choice.clear()
        self.point_choice.addItem(_("All points"), None)
        for point in sorted(trends.by_point):
            self.point_choice.addItem(point, point)
        found = self.point_choice.findData(chosen)
        self.point_choice.setCurrentIndex(max(found, 0))
        self.point_choice.blockSignals(False)
        self._draw()

    def _draw(self) -> None:
        if self.trends is None:
            return
        values = self.trends.of(self.point_choice.currentData())
        months = self.trends.month_labels()
        for chart, (_title, names) in zip(self.charts, CHARTS):
            chart.set_data(months, [(_(SERIES[name]), values[name]) for name in names])
