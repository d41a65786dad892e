"""The indicator engine: a form file + a month (+ a point) -> numbers, and the records behind a cell.

Every cell of a form names a metric and filters (`metrics.py`). The whole form is compiled to one
aggregate query per source of rows (`sources.py` writes them, the engine runs them and files the
numbers): each distinct cell is one aggregate of that query (`count(CASE WHEN … THEN 1 END)`,
`count(DISTINCT CASE WHEN … THEN client_id END)`, `sum(CASE WHEN … THEN … END)`), so SQLite counts
and Python only files the numbers. An office's form adds `GROUP BY origin` for the points' columns;
its total adds up those columns and corrects the sum for the few clients a point other than their
own served (a person two points served is one). With a second connection (`reader`), the contacts'
sources count on a second core.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager as ContextManager
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from app.core.progress import Progress, interrupting
from app.reports.form_file import FormFile
from app.reports.metrics import REGISTRY, Ref
from app.reports.period import Month
from app.reports.sources import Measure, SourceQuery, points_sql, records_behind_sql, service_codes_sql

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


def check_catalog_codes(conn, form: FormFile) -> None:
    """A service named in a cell must exist in this register's catalog: a typo would count 0 silently."""
    from app.core.i18n import _
    from app.reports.form_file import FormFileError

    known = {row[0] for row in conn.execute(service_codes_sql())}
    for row in form.rows():
        for column, cell in row.cells.items():
            service = cell.filter_dict.get("service")
            if service is not None and service not in known:
                raise FormFileError(file=form.path or form.code, where=_("row {code}").format(code=row.code),
                                    reason=_("'{value}' is not a value of '{name}' ({allowed})").format(
                                        value=service, name="service", allowed=", ".join(sorted(known))))


# --- reading --------------------------------------------------------------------------------

def _read(conn, query: SourceQuery, month: Month, origin: str | None):
    """(origin or None for the total, {measure: number}) for each row of the answer."""
    measures = query.measures
    rows = conn.execute(query.sql, {**query.params, **_month(month, origin)})
    if not query.parts:
        for row in rows:
            yield row[0] if len(row) > len(measures) else None, dict(zip(measures, row[-len(measures):]))
        return
    total = [0] * len(measures)
    for part, point, *numbers in rows:
        sign = -1 if part == "less" else 1
        total = [t + sign * n for t, n in zip(total, numbers)]
        if part == "point":
            yield point, dict(zip(measures, numbers))
    yield None, dict(zip(measures, total))


@dataclass
class _Plan:
    """A form compiled: per source, the distinct measures its cells ask for."""

    cells: dict[tuple[str, str], Measure]                 # (row, column) -> measure
    by_source: dict[str, list[Measure]]

    @classmethod
    def of(cls, form: FormFile) -> "_Plan":
        cells, by_source = {}, {}
        for row in form.rows():
            for column, cell in row.cells.items():
                measure = (cell.metric, tuple(sorted(cell.filter_dict.items())))
                cells[(row.code, column)] = measure
                measures = by_source.setdefault(REGISTRY[cell.metric].source, [])
                if measure not in measures:
                    measures.append(measure)
        return cls(cells, by_source)

    def values(self, found: dict[Measure, int], form: FormFile) -> Values:
        values: Values = {row.code: {} for row in form.rows()}
        for (row, column), measure in self.cells.items():
            values[row][column] = found.get(measure, 0)
        return values


def _month(month: Month, origin: str | None) -> dict:
    return {"first": month.first, "last": month.last, "origin": origin}


# --- counting -------------------------------------------------------------------------------

# Sources of the contacts table, counted on a second connection in a second thread when the caller
# gives one: contacts are most of any register's rows, and these two take about half of a form's
# time, the other nine the other half, so a form on two cores takes about half as long.
BESIDE = ("turns", "sessions")

Reader = Callable[[], ContextManager]   # another connection to the same register, for reading


def _count(conn, plan: "_Plan", sources: list[str], month: Month, origin: str | None, *, one_point: bool,
           by_origin: bool, progress: Progress | None) -> list[tuple[str | None, dict[Measure, int]]]:
    found = []
    with interrupting(conn, progress):
        for source in sources:
            query = SourceQuery(source, plan.by_source[source], one_point=one_point, by_origin=by_origin)
            found.extend(_read(conn, query, month, origin))
            if progress is not None:
                progress.add(1)
    return found


def _count_all(conn, reader: Reader | None, plan: "_Plan", month: Month, origin: str | None, *,
               one_point: bool, by_origin: bool, progress: Progress | None):
    """Every source of `plan` counted: the contacts' on a connection from `reader` in a thread of
    their own (SQLite runs without Python's lock while it counts), the rest here, at once."""
    if progress is not None:
        progress.expect(len(plan.by_source))
    here = [source for source in plan.by_source if reader is None or source not in BESIDE]
    beside = [source for source in plan.by_source if source not in here]
    if not beside:
        return _count(conn, plan, here, month, origin, one_point=one_point, by_origin=by_origin, progress=progress)

    def counted_beside():
        with reader() as other:
            return _count(other, plan, beside, month, origin, one_point=one_point, by_origin=by_origin,
                          progress=progress)

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="form") as pool:
        future = pool.submit(counted_beside)
        try:
            found = _count(conn, plan, here, month, origin, one_point=one_point, by_origin=by_origin,
                           progress=progress)
        except BaseException:
            if progress is not None:
                progress.cancel()          # the other statement stops too; its answer is not wanted
            raise
        return found + future.result()


def compute(conn, form: FormFile, month: Month, origin: str | None = None,
            progress: Progress | None = None, reader: Reader | None = None) -> FormResult:
    """Every cell of `form` for `month`, counted from the records (of one point if `origin`).
    `progress` counts the sources done and may cancel (the statement running stops); `reader`
    (Register.reader) lets the contacts be counted at the same time on a second core."""
    check_catalog_codes(conn, form)
    plan = _Plan.of(form)
    found: dict[Measure, int] = {}
    for _origin, numbers in _count_all(conn, reader, plan, month, origin, one_point=origin is not None,
                                       by_origin=False, progress=progress):
        found.update(numbers)
    return FormResult(form, month, origin, plan.values(found, form))


def points(conn) -> list[str]:
    """The points whose records this register holds (a district sees every point it imported).

    Walks the origin indexes from one point to the next instead of reading every record."""
    found = set()
    for table in ("clients", "contacts", "outreach", "groups"):
        found |= {row[0] for row in conn.execute(points_sql(table))}
    return sorted(found)


def compute_district(conn, form: FormFile, month: Month, progress: Progress | None = None,
                     reader: Reader | None = None) -> FormResult:
    """The total computed from all merged records, and the same form for each point.

    One statement per source gives every point's numbers and the total (distinct people counted
    again over all points: a person two points served is one)."""
    check_catalog_codes(conn, form)
    plan = _Plan.of(form)
    per_point: dict[str, dict[Measure, int]] = {origin: {} for origin in points(conn)}
    total: dict[Measure, int] = {}
    for origin, numbers in _count_all(conn, reader, plan, month, None, one_point=False, by_origin=True,
                                      progress=progress):
        if origin is None:
            total.update(numbers)
        elif origin in per_point:
            per_point[origin].update(numbers)
    return FormResult(form, month, None, plan.values(total, form),
                      {origin: plan.values(found, form) for origin, found in per_point.items()})


def records_behind(conn, form: FormFile, month: Month, row_code: str, column: str,
                   origin: str | None = None) -> list[Ref]:
    """The records a cell counts (drill-down): the same source and condition as its number."""
    cell = form.row(row_code).cells[column]
    metric = REGISTRY[cell.metric]
    sql, params = records_behind_sql(metric, tuple(sorted(cell.filter_dict.items())),
                                     one_point=origin is not None, with_group="group" in cell.filter_dict)
    return [(metric.ref_table, key) for (key,) in conn.execute(sql, {**params, **_month(month, origin)})]
