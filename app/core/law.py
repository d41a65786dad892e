"""Legal terms as dated data: the voluntary rehabilitation term, the management terms and the
receiving office, each valid from a date (resources/law/terms.toml; an administrator may choose
another file). Laws change (Law 120/2025/QH15 from 1 July 2026); records keep the rule of the day
they began."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date

from app.core.errors import UserError
from app.core.i18n import N_, _, current_language
from app.core.paths import resources
from app.core.toml_files import toml_problem


class LawFileError(UserError):
    template = N_("The law file {file} cannot be used: {where}: {reason}. Correct the file or choose another.")


@dataclass(frozen=True)
class Term:
    """How long something lasts under one rule: `minimum`..`maximum` months (equal when fixed)."""
    minimum: int
    maximum: int
    basis_vi: str
    basis_en: str

    @property
    def fixed(self) -> int | None:
        return self.minimum if self.minimum == self.maximum else None

    @property
    def basis(self) -> str:
        return self.basis_en if current_language() == "en" and self.basis_en else self.basis_vi


@dataclass(frozen=True)
class _Dated:
    start: date
    end: date | None

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class RehabRule(_Dated):
    first: Term
    later: Term


@dataclass(frozen=True)
class ManagementRule(_Dated):
    status: str
    term: Term


@dataclass(frozen=True)
class OfficeRule(_Dated):
    name_vi: str
    name_en: str
    basis_vi: str
    basis_en: str

    @property
    def name(self) -> str:
        return self.name_en if current_language() == "en" and self.name_en else self.name_vi

    @property
    def basis(self) -> str:
        return self.basis_en if current_language() == "en" and self.basis_en else self.basis_vi


@dataclass(frozen=True)
class LawFile:
    code: str
    version: int
    title_vi: str
    rehab: tuple[RehabRule, ...]
    management: tuple[ManagementRule, ...]
    offices: tuple[OfficeRule, ...]

    def rehab_term(self, registered: date, first: bool) -> Term | None:
        """The voluntary rehabilitation term for a registration of that day; None: no rule covers it."""
        rule = next((r for r in self.rehab if r.covers(registered)), None)
        return None if rule is None else (rule.first if first else rule.later)

    def management_term(self, status: str, start: date) -> Term | None:
        return next((r.term for r in self.management if r.status == status and r.covers(start)), None)

    def office(self, day: date) -> OfficeRule | None:
        return next((r for r in self.offices if r.covers(day)), None)


def _date(raw: dict, key: str, where: str, file: str, required: bool) -> date | None:
    value = raw.get(key)
    if value is None and not required:
        return None
    try:
        return value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError:
        raise LawFileError(file=file, where=where, reason=_("“{key}” must be a date such as 2026-07-01").format(
            key=key)) from None


def _text(raw: dict, key: str, where: str, file: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise LawFileError(file=file, where=where, reason=_("“{key}” is missing").format(key=key))
    return value.strip()


def _term(raw, where: str, file: str, basis: tuple[str, str]) -> Term:
    if not isinstance(raw, dict):
        raise LawFileError(file=file, where=where, reason=_("give months, or min and max"))
    if "months" in raw:
        low = high = raw["months"]
    else:
        low, high = raw.get("min"), raw.get("max")
    if not all(isinstance(v, int) and 1 <= v <= 120 for v in (low, high)) or low > high:
        raise LawFileError(file=file, where=where, reason=_("months must be whole numbers from 1 to 120, min not above max"))
    return Term(low, high, *basis)


def _dated(raw: dict, where: str, file: str) -> tuple[date, date | None]:
    start = _date(raw, "from", where, file, True)
    end = _date(raw, "to", where, file, False)
    if end is not None and end < start:
        raise LawFileError(file=file, where=where, reason=_("“to” is before “from”"))
    return start, end


def _no_overlap(rules, where: str, file: str, key=lambda r: "") -> None:
    ordered = sorted(rules, key=lambda r: (key(r), r.start))
    for before, after in zip(ordered, ordered[1:]):
        if key(before) == key(after) and (before.end is None or after.start <= before.end):
            raise LawFileError(file=file, where=where,
                               reason=_("two rules cover {day}").format(day=after.start.isoformat()))


def parse_law(text: str, file: str = "law file") -> LawFile:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise LawFileError(file=file, where=_("file"), reason=toml_problem(error)) from None
    rehab, management, offices = [], [], []
    for n, raw in enumerate(data.get("rehab", []), 1):
        where = _("rehabilitation rule {n}").format(n=n)
        basis = (_text(raw, "basis_vi", where, file), str(raw.get("basis_en", "")))
        rehab.append(RehabRule(*_dated(raw, where, file), _term(raw.get("first"), where, file, basis),
                               _term(raw.get("later", raw.get("first")), where, file, basis)))
    for n, raw in enumerate(data.get("management", []), 1):
        where = _("management rule {n}").format(n=n)
        basis = (_text(raw, "basis_vi", where, file), str(raw.get("basis_en", "")))
        management.append(ManagementRule(*_dated(raw, where, file), _text(raw, "status", where, file),
                                         _term({"months": raw.get("months")}, where, file, basis)))
    for n, raw in enumerate(data.get("office", []), 1):
        where = _("office rule {n}").format(n=n)
        offices.append(OfficeRule(*_dated(raw, where, file), _text(raw, "name_vi", where, file),
                                  str(raw.get("name_en", "")), _text(raw, "basis_vi", where, file),
                                  str(raw.get("basis_en", ""))))
    if not rehab:
        raise LawFileError(file=file, where=_("file"), reason=_("it has no rehabilitation rule"))
    _no_overlap(rehab, _("rehabilitation rules"), file)
    _no_overlap(management, _("management rules"), file, key=lambda r: r.status)
    _no_overlap(offices, _("office rules"), file)
    return LawFile(str(data.get("code", "")), int(data.get("version", 1)), str(data.get("title_vi", "")),
                   tuple(rehab), tuple(management), tuple(offices))


# --- in words, for the screens and `tuvan law show` ---------------------------------------------

def months_text(term: Term) -> str:
    return (_("{n} months").format(n=term.fixed) if term.fixed else
            _("{low} to {high} months").format(low=term.minimum, high=term.maximum))


def period_text(rule: _Dated) -> str:
    since = _("from {date}").format(date=rule.start.strftime("%d/%m/%Y"))
    return since + (_(" to {date}").format(date=rule.end.strftime("%d/%m/%Y")) if rule.end else "")


def rehab_rule_text(rule: RehabRule) -> str:
    """"from 01/07/2026: first time 24 months, later 36 months (Law …)"."""
    each = (months_text(rule.first) if rule.first == rule.later else
            _("first time {first}, later {later}").format(first=months_text(rule.first),
                                                            later=months_text(rule.later)))
    return f"{period_text(rule)}: {each} ({rule.first.basis})"


def describe(law: LawFile, status_label) -> list[str]:
    """Every rule of `law` with its basis, a line each; `status_label` names a legal status."""
    lines = [_("Voluntary rehabilitation at home or in the community:")]
    for rule in law.rehab:
        lines.append("  " + _("{period}: first time {first}, later {later}").format(
            period=period_text(rule), first=months_text(rule.first), later=months_text(rule.later)))
        lines.append("    " + _("Basis: {basis}").format(basis=rule.first.basis))
    lines.append(_("Management:"))
    for rule in law.management:
        lines.append("  " + _("{status}, {period}: {term}").format(
            status=status_label(rule.status), period=period_text(rule), term=months_text(rule.term)))
        lines.append("    " + _("Basis: {basis}").format(basis=rule.term.basis))
    lines.append(_("Receiving office:"))
    for rule in law.offices:
        lines.append(f"  {period_text(rule)}: {rule.name}")
        lines.append("    " + _("Basis: {basis}").format(basis=rule.basis))
    return lines


def default_law_text() -> str:
    return (resources() / "law" / "terms.toml").read_text(encoding="utf-8")
