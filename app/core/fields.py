"""Checking values typed by people: dates, numbers, choices; errors per field.

A form collects every problem at once (`FieldErrors`), so the GUI can show a
message beside each field and the importer can name the row and column.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from app.core.errors import UserError
from app.core.i18n import N_, Translatable, _
from app.core.text import clean
from app.core.vocab import Vocabulary


class FieldErrors(UserError):
    """Problems with named fields: {field: message}."""

    template = N_("Some fields need attention: {details}")

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__(details="; ".join(f"{k}: {v}" for k, v in errors.items()))


_DMY = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?\s*$")


def parse_date(value: Any) -> date | None:
    """dd/mm/yyyy (as Vietnamese forms write it) or ISO yyyy-mm-dd; '' -> None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return _local_day(value)
    if isinstance(value, date):
        return value
    text = str(value)
    if "T" in text or (len(text) > 10 and ":" in text):
        try:  # a timestamp: the day is the day in Vietnam (23:30 on the 30th stays in that month)
            return _local_day(datetime.fromisoformat(text.strip().replace("Z", "+00:00")))
        except ValueError:
            pass
    match = _DMY.match(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
        match = _ISO.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return date(year, month, day)
    except ValueError:
        pass
    raise ValueError(text)


def _local_day(moment: datetime) -> date:
    """Aware times count in Asia/Ho_Chi_Minh; naive ones are already local."""
    from app.core.clock import local

    return local(moment).date() if moment.tzinfo is not None else moment.date()


class Checker:
    """Collects cleaned values and per-field problems for one record."""

    def __init__(self, values: dict[str, Any], labels: dict[str, Translatable]) -> None:
        self.values = values
        self.labels = labels
        self.cleaned: dict[str, Any] = {}
        self.errors: dict[str, str] = {}

    def fail(self, field: str, problem: str) -> None:
        self.errors.setdefault(field, problem)

    def present(self, field: str) -> bool:
        return field in self.values

    def raw(self, field: str) -> Any:
        return self.values.get(field)

    def text(self, field: str, *, required: bool = False, maximum: int = 300) -> None:
        if not self.present(field) and not required:
            return
        value = clean(str(self.raw(field) or ""))
        if required and not value:
            self.fail(field, _("this field is required"))
        elif len(value) > maximum:
            self.fail(field, _("the text is too long (at most {n} characters)").format(n=maximum))
        self.cleaned[field] = value

    def long_text(self, field: str) -> None:
        if self.present(field):
            value = str(self.raw(field) or "").strip()
            if len(value) > 5000:
                self.fail(field, _("the text is too long (at most {n} characters)").format(n=5000))
            self.cleaned[field] = value

    def date(self, field: str, *, required: bool = False, not_after: date | None = None,
             not_before: date | None = None) -> date | None:
        if not self.present(field) and not required:
            return None
        try:
            value = parse_date(self.raw(field))
        except ValueError:
            self.fail(field, _("not a date: write it as dd/mm/yyyy, e.g. 30/11/2026"))
            return None
        if value is None and required:
            self.fail(field, _("this field is required"))
        elif value is not None and not_after is not None and value > not_after:
            self.fail(field, _("the date is in the future"))
        elif value is not None and not_before is not None and value < not_before:
            self.fail(field, _("the date is too early"))
        self.cleaned[field] = value.isoformat() if value else None
        return value

    def integer(self, field: str, *, required: bool = False, minimum: int | None = None,
                maximum: int | None = None) -> int | None:
        if not self.present(field) and not required:
            return None
        raw = self.raw(field)
        if raw is None or str(raw).strip() == "":
            if required:
                self.fail(field, _("this field is required"))
            self.cleaned[field] = None
            return None
        try:
            if isinstance(raw, float) and raw.is_integer():
                value = int(raw)
            else:  # Vietnamese writes 30.000.000; spreadsheets may write 30,000,000
                value = int(re.sub(r"[.,\s]", "", str(raw)))
        except ValueError:
            self.fail(field, _("not a whole number"))
            return None
        if minimum is not None and value < minimum:
            self.fail(field, _("must be at least {n}").format(n=minimum))
        elif maximum is not None and value > maximum:
            self.fail(field, _("must be at most {n}").format(n=maximum))
        self.cleaned[field] = value
        return value

    def flag(self, field: str, *, allow_unknown: bool = False) -> None:
        if not self.present(field):
            return
        raw = self.raw(field)
        if raw is None or (isinstance(raw, str) and raw.strip() == ""):
            self.cleaned[field] = None if allow_unknown else 0
            return
        if isinstance(raw, bool) or isinstance(raw, int):
            self.cleaned[field] = int(bool(raw))
            return
        text = str(raw).strip().lower()
        if text in {"1", "x", "yes", "y", "true", "có", "co", "c"}:
            self.cleaned[field] = 1
        elif text in {"0", "no", "n", "false", "không", "khong", "k"}:
            self.cleaned[field] = 0
        else:
            self.fail(field, _("write yes or no (có / không)"))

    def choice(self, field: str, vocabulary: Vocabulary, *, required: bool = False,
               default: str | None = None) -> str | None:
        if not self.present(field) and not required:
            return None
        raw = self.raw(field)
        value = str(raw).strip() if raw is not None else ""
        if not value:
            if required and default is None:
                self.fail(field, _("this field is required"))
            self.cleaned[field] = default if default is not None else ""
            return self.cleaned[field]
        code = match_choice(value, vocabulary)
        if code is None:
            self.fail(field, _("not one of: {choices}").format(
                choices=", ".join(label for _code, label in vocabulary.choices())))
            return None
        self.cleaned[field] = code
        return code

    def codes(self, field: str, allowed: set[str] | None = None) -> None:
        """A list of catalog codes (a list, or text separated by commas or semicolons)."""
        if not self.present(field):
            return
        raw = self.raw(field)
        items = raw if isinstance(raw, (list, tuple)) else re.split(r"[;,]", str(raw or ""))
        codes = [str(i).strip() for i in items if str(i).strip()]
        if allowed is not None:
            unknown = [c for c in codes if c not in allowed]
            if unknown:
                self.fail(field, _("unknown: {items}").format(items=", ".join(unknown)))
        self.cleaned[field] = sorted(set(codes), key=codes.index)

    def done(self) -> dict[str, Any]:
        if self.errors:
            labelled = {field: problem for field, problem in self.errors.items()}
            raise FieldErrors(labelled)
        return self.cleaned


def match_choice(value: str, vocabulary: Vocabulary) -> str | None:
    """A code from its code or its label in either language, ignoring case and diacritics."""
    from app.core.i18n import translate_to
    from app.core.text import fold

    if value in vocabulary:
        return value
    wanted = fold(value)
    for code, label in vocabulary.items.items():
        if wanted in {fold(code), fold(label), fold(translate_to("vi", label))}:
            return code
    return None
