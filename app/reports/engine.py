"""The indicator engine: a form file + a month (+ a point) -> numbers, and the records behind a cell."""

from __future__ import annotations

import contextlib
import gc
from dataclasses import dataclass, field

from app.reports.families import LOADERS, Family, by_origin
from app.reports.form_file import FormFile
from app.reports.metrics import REGISTRY, Ref
from app.reports.period import Month

Values = dict[str, dict[str, int]]  # row code -> column code -> number


@dataclass(frozen=True)
class FormResult:
    form: FormFile
    month: Month
    origin: str | None
    values: Values
    by_point: dict[str, Values] = field(default_factory=dict)  # district forms: one set per point

    def value(self, row: str, column: str) -> int | None:
        return self.values.get(row, {}).get(column)


def _families(conn, form: FormFile, month: Month, origin: str | None) -> dict[str, Family]:
    needed = {REGISTRY[cell.metric].family for row in form.rows() for cell in row.cells.values()}
    return {name: LOADERS[name](conn, month, origin) for name in sorted(needed)}


def check_catalog_codes(conn, form: FormFile) -> None:
    """A service named in a cell must exist in this register's catalog: a typo would count 0 silently."""
    from app.core.i18n import _
    from app.reports.form_file import FormFileError

    known = {row[0] for row in conn.execute("SELECT code FROM catalog_items WHERE kind = 'service'")}
    for row in form.rows():
        for column, cell in row.cells.items():
            service = cell.filter_dict.get("service")
            if service is not None and service not in known:
                raise FormFileError(file=form.path or form.code, where=_("row {code}").format(code=row.code),
                                    reason=_("'{value}' is not a value of '{name}' ({allowed})").format(
                                        value=service, name="service", allowed=", ".join(sorted(known))))


@contextlib.contextmanager
def _no_gc():
    """Counting makes tens of thousands of short-lived dicts without cycles; a full garbage collection
    in the middle (walking the whole GUI's heap) would double the time now and then."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def compute(conn, form: FormFile, month: Month, origin: str | None = None) -> FormResult:
    """Every cell of `form` for `month`, counted from the records (of one point if `origin`)."""
    with _no_gc():
        return _compute(conn, form, month, origin)


def _compute(conn, form: FormFile, month: Month, origin: str | None) -> FormResult:
    check_catalog_codes(conn, form)
    return FormResult(form, month, origin, _count(form, month, _families(conn, form, month, origin)))


def _count(form: FormFile, month: Month, families: dict[str, Family]) -> Values:
    values: Values = {}
    for row in form.rows():
        values[row.code] = {}
        for column, cell in row.cells.items():
            metric = REGISTRY[cell.metric]
            values[row.code][column] = metric.count(families[metric.family], month, cell.filter_dict)[0]
    return values


def points(conn) -> list[str]:
    """The points whose records this register holds (a district sees every point it imported)."""
    found = set()
    for table in ("clients", "contacts", "outreach", "groups"):
        found |= {row[0] for row in conn.execute(f"SELECT DISTINCT origin FROM {table} WHERE deleted = 0")}
    return sorted(found)


def compute_district(conn, form: FormFile, month: Month) -> FormResult:
    """The total computed from all merged records, and the same form for each point.

    The month is read once; each point's figures are counted from its share of the rows (each row
    carries its origin), so forty points cost one read, not forty-one."""
    with _no_gc():
        check_catalog_codes(conn, form)
        families = _families(conn, form, month, None)
        # Split before counting: counting keeps its caches in each family's `extra`.
        split = {name: by_origin(family) for name, family in families.items()}
        kinds = {name: list(family.extra) for name, family in families.items()}
        total = _count(form, month, families)
        by_point = {origin: _count(form, month, {
            name: parts.get(origin) or Family(extra={kind: [] for kind in kinds[name]})
            for name, parts in split.items()}) for origin in points(conn)}
    return FormResult(form, month, None, total, by_point)


def records_behind(conn, form: FormFile, month: Month, row_code: str, column: str,
                   origin: str | None = None) -> list[Ref]:
    """The records a cell counts (drill-down)."""
    cell = form.row(row_code).cells[column]
    metric = REGISTRY[cell.metric]
    family = LOADERS[metric.family](conn, month, origin)
    return list(metric.count(family, month, cell.filter_dict)[1])
