"""Twelve months at a glance: new clients, counselling lượt and people, referrals made and completed,
follow-ups missed, per month, for the register and (at an office) for each point.

Counted in SQL over the whole span, one statement per series (sources.TREND_SERIES); a month with
nothing is a 0, so every line has twelve points."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.core.i18n import N_, Translatable
from app.core.progress import Progress, interrupting
from app.reports.period import Month
from app.reports.sources import TREND_SERIES

SERIES: dict[str, Translatable] = {
    "new_clients": N_("New clients"),
    "contacts": N_("Counselling contacts (lượt)"),
    "people": N_("People counselled"),
    "referrals_made": N_("Referrals made"),
    "referrals_completed": N_("Referrals completed"),
    "follow_ups_missed": N_("Follow-ups missed"),
}
# What is drawn together (same scale, one chart each).
CHARTS: tuple[tuple[Translatable, tuple[str, ...]], ...] = (
    (N_("Clients and counselling"), ("new_clients", "contacts", "people")),
    (N_("Referrals and follow-ups"), ("referrals_made", "referrals_completed", "follow_ups_missed")),
)
# The Today screen's small charts: a title, this month's figures in words, a line per series.
TILES: tuple[tuple[Translatable, tuple[tuple[str, Translatable], ...]], ...] = (
    (N_("New clients"), (("new_clients", N_("{n} new")),)),
    (N_("Counselling"), (("contacts", N_("{n} contacts")), ("people", N_("{n} people")))),
    (N_("Referrals"), (("referrals_made", N_("{n} made")), ("referrals_completed", N_("{n} completed")))),
    (N_("Follow-ups missed"), (("follow_ups_missed", N_("{n} missed")),)),
)


@dataclass(frozen=True)
class Trends:
    months: tuple[Month, ...]
    total: dict[str, list[int]]                   # series -> a value per month
    by_point: dict[str, dict[str, list[int]]]     # point -> series -> a value per month

    def month_labels(self) -> list[str]:
        """"12/25", "01/26" …: short enough for twelve under a chart."""
        return [f"{m.month:02d}/{m.year % 100:02d}" for m in self.months]

    def of(self, point: str | None) -> dict[str, list[int]]:
        return self.total if point is None else self.by_point.get(point, _zeros(self.months))


def nice_top(value: int) -> int:
    """A chart's scale top: 1, 2 or 5 times a power of ten, at or above `value` (at least 5); its
    fifths are whole numbers."""
    if value <= 5:
        return 5
    power = 10 ** (len(str(value)) - 1)
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def _zeros(months) -> dict[str, list[int]]:
    return {name: [0] * len(months) for name in SERIES}


def monthly_trends(conn, last: Month, count: int = 12, progress: Progress | None = None,
                   until: date | None = None) -> Trends:
    """`progress` counts the series and can stop a statement (at a 40-point office, seconds each).
    `until` ends the last month early (today): a follow-up due later this month is not missed yet."""
    months = [last]
    while len(months) < count:
        months.insert(0, months[0].previous())
    index = {m.code: i for i, m in enumerate(months)}
    span = {"first": months[0].first, "last": min(last.last, until.isoformat()) if until else last.last}
    total, by_point = _zeros(months), {}
    if progress is not None:
        progress.expect(len(TREND_SERIES))
    for name, sql in TREND_SERIES.items():
        if progress is not None:
            progress.check()
        with interrupting(conn, progress):
            rows = conn.execute(sql, span).fetchall()
        if progress is not None:
            progress.add(1)
        for row in rows:
            at = index.get(row[0])
            if at is None:
                continue
            if row[1] is None:  # the register's distinct people of the month
                total["people"][at] = row[3]
                continue
            point = by_point.setdefault(row[1], _zeros(months))
            point[name][at] += row[2]
            total[name][at] += row[2]
            if name == "contacts":
                point["people"][at] += row[3]
    return Trends(tuple(months), total, by_point)
