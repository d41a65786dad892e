"""Report periods: a calendar month of Vietnam's local dates."""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date

from app.core.errors import InvalidInput
from app.core.i18n import N_


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> "Month":
        """'2026-11' or '11/2026'."""
        text = (text or "").strip()
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", text) or re.fullmatch(r"(\d{1,2})/(\d{4})", text)
        if match:
            a, b = (int(g) for g in match.groups())
            year, month = (a, b) if a > 12 else (b, a)
            if 1 <= month <= 12 and 1900 < year < 3000:
                return cls(year, month)
        raise InvalidInput(field=N_("Month"), problem=N_("write the month as YYYY-MM, e.g. 2026-11"))

    @classmethod
    def of(cls, day: date) -> "Month":
        return cls(day.year, day.month)

    @functools.cached_property
    def first(self) -> str:
        return date(self.year, self.month, 1).isoformat()

    @functools.cached_property
    def last(self) -> str:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1]).isoformat()

    @property
    def code(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{self.month:02d}/{self.year}"

    def previous(self) -> "Month":
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    def next(self) -> "Month":
        return Month(self.year + 1, 1) if self.month == 12 else Month(self.year, self.month + 1)

    def contains(self, iso_day: str | None) -> bool:
        return bool(iso_day) and self.first <= iso_day <= self.last
