"""The indicator engine: a form file + a month (+ a point) -> numbers, and the records behind a cell.

Every cell of a form names a metric and filters (`metrics.py`). The engine compiles the whole form
to one aggregate query per source of rows (`sources.py`): each distinct cell is one aggregate of
that query (`count(CASE WHEN … THEN 1 END)`, `count(DISTINCT CASE WHEN … THEN client_id END)`,
`sum(CASE WHEN … THEN … END)`), so SQLite counts and Python only files the numbers. An office's
form adds `GROUP BY origin` for the points' columns; its total adds up those columns and corrects
the sum for the few clients a point other than their own served (a person two points served is
one). With a second connection (`reader`), the contacts' sources count on a second core.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager as ContextManager
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from app.core.progress import Progress, interrupting
from app.reports.form_file import FormFile
from app.reports.metrics import INDIVIDUAL, PEOPLE, REGISTRY, ROWS, FILTER_COLUMNS, Metric, Ref
from app.reports.period import Month
from app.reports.sources import CLIENT_COLUMNS, SOURCES, rows_sql, source_sql, with_client

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

    known = {row[0] for row in conn.execute("SELECT code FROM catalog_items WHERE kind = 'service'")}
    for row in form.rows():
        for column, cell in row.cells.items():
            service = cell.filter_dict.get("service")
            if service is not None and service not in known:
                raise FormFileError(file=form.path or form.code, where=_("row {code}").format(code=row.code),
                                    reason=_("'{value}' is not a value of '{name}' ({allowed})").format(
                                        value=service, name="service", allowed=", ".join(sorted(known))))


# --- compiling ------------------------------------------------------------------------------

Measure = tuple[str, tuple[tuple[str, str], ...]]  # (metric name, sorted filters): one aggregate


class _Params(dict):
    def bind(self, value) -> str:
        """One name per value, so two cells filtering on the same value write the same condition."""
        for key, bound in self.items():
            if bound == value:
                return f":{key}"
        key = f"f{len(self)}"
        self[key] = value
        return f":{key}"


def _filters(filters, params: _Params) -> list[str]:
    parts = []
    for name, value in filters:
        column = _column(name)
        if name == "kind" and value == "individual":
            parts.append(f"{column} IN ({', '.join(repr(kind) for kind in INDIVIDUAL)})")
        else:
            parts.append(f"{column} = {params.bind(value)}")
    return parts


def _all(parts) -> str:
    return " AND ".join(f"({part})" for part in parts if part) or "1"


def condition(metric: Metric, filters, params: _Params) -> str:
    """The metric's own condition and its filters, with the filter values bound as parameters."""
    return _all([metric.where, *_filters(filters, params)])


def _column(name: str) -> str:
    return FILTER_COLUMNS.get(name, name)


class _SourceQuery:
    """One statement counting every measure of one source, in SQL, in steps whose work per row does
    not grow with the number of cells.

    Rows attached to a client (contacts, referrals …): the rows are first folded per client (and
    point), with one count per distinct condition a cell puts on the row itself ("home visits this
    month", "completed loans"); each client's sex and group are then looked up once, not once per
    row; each cell adds up those counts over the clients whose sex and group match, or, for người,
    counts the clients whose count is not zero. A person served by two points is one person in the
    total, which folds per client again over all points.

    Rows without a client (clients themselves, sessions, outreach …): the rows are grouped by the
    columns the filters name (sex, group, kind …), each distinct metric condition counted once per
    group; each cell adds up the few groups its filters select."""

    def __init__(self, source: str, measures: list[Measure], *, one_point: bool, by_origin: bool) -> None:
        self.measures = measures
        self.params = _Params()
        self.counters: dict[tuple, str] = {}
        self.parts = False     # the answer's rows are points, then corrections to their sum (the total)
        with_group = any(name == "group" for _m, filters in measures for name, _v in filters)
        rows = rows_sql(source, one_point=one_point, with_group=with_group)
        if SOURCES[source].attached:
            self.sql = self._per_client(rows, with_group, by_origin)
        else:
            self.sql = self._grouped(rows, by_origin)

    def _counter(self, where: str, value: str) -> str:
        return self.counters.setdefault((where, value), f"n{len(self.counters)}")

    def _counts(self) -> list[str]:
        counts = []
        for (where, value), alias in self.counters.items():
            if value == ROWS:
                counts.append(f"count(*) AS {alias}" if where == "1" else f"count(CASE WHEN {where} THEN 1 END) AS {alias}")
            else:
                counts.append(f"sum(CASE WHEN {where} THEN {value} END) AS {alias}")
        return counts

    def _per_client(self, rows: str, with_group: bool, by_origin: bool) -> str:
        finals = []
        for name, filters in self.measures:
            metric = REGISTRY[name]
            own = [(f, v) for f, v in filters if _column(f) not in CLIENT_COLUMNS]
            theirs = [(f, v) for f, v in filters if _column(f) in CLIENT_COLUMNS]
            alias = self._counter(_all([metric.where, *_filters(own, self.params)]),
                                  ROWS if metric.value == PEOPLE else metric.value)
            who = _all(_filters(theirs, self.params))
            if metric.value == PEOPLE:
                finals.append(f"count(CASE WHEN {alias} > 0 THEN 1 END)" if who == "1"
                              else f"count(CASE WHEN {who} AND {alias} > 0 THEN 1 END)")
            else:
                finals.append(f"coalesce(sum({alias}), 0)" if who == "1"
                              else f"coalesce(sum(CASE WHEN {who} THEN {alias} END), 0)")
        key = "client_id, origin" if by_origin else "client_id"
        stage = f"SELECT {', '.join([key, *self._counts()])} FROM ({rows}) GROUP BY {key}"
        columns = ", ".join(finals)
        if not by_origin:
            src = with_client(f"({stage}) AS r", "r.*", with_group=with_group)
            # Materialized: else SQLite would copy the client's group lookup into every cell that names it.
            return f"WITH src AS MATERIALIZED ({src}) SELECT {columns} FROM src"
        # The total is the points' columns added up, corrected for the clients some point other than
        # their own served (`home` is the point of the client's record; few): their rows are taken
        # off ("less") and they are counted once each ("once"). Counting every client again for the
        # total cost a third of the statement at 40 points.
        src = with_client(f"({stage}) AS r", "r.*, c.origin AS home", with_group=with_group)
        sums = ", ".join(f"sum({alias}) AS {alias}" for alias in self.counters.values())
        self.parts = True
        return (f"WITH src AS MATERIALIZED ({src}),"
                " visited AS (SELECT DISTINCT client_id FROM src WHERE origin != home),"
                f" once AS (SELECT sex, grp, {sums} FROM src WHERE client_id IN visited GROUP BY client_id)"
                f" SELECT 'point', origin, {columns} FROM src GROUP BY origin"
                f" UNION ALL SELECT 'less', NULL, {columns} FROM src WHERE client_id IN visited"
                f" UNION ALL SELECT 'once', NULL, {columns} FROM once")

    def _grouped(self, rows: str, by_origin: bool) -> str:
        if any(REGISTRY[name].value == PEOPLE for name, _f in self.measures):
            raise ValueError("distinct people need rows attached to a client")
        finals = []
        for name, filters in self.measures:
            metric = REGISTRY[name]
            alias = self._counter(_all([metric.where]), metric.value)
            when = _all(_filters(filters, self.params))
            finals.append(f"coalesce(sum({alias}), 0)" if when == "1"
                          else f"coalesce(sum(CASE WHEN {when} THEN {alias} END), 0)")
        dims = sorted({_column(name) for _m, filters in self.measures for name, _v in filters})
        key = ", ".join([*dims, "origin"])
        # Materialized so that each row's group lookup runs once (SQLite would repeat it per use).
        stage = (f"WITH raw AS MATERIALIZED ({rows}) SELECT {', '.join([key, *self._counts()])} FROM raw"
                 f" GROUP BY {key}")
        columns = ", ".join(finals)
        if not by_origin:
            return f"SELECT {columns} FROM ({stage})"
        return (f"WITH src AS MATERIALIZED ({stage}) SELECT origin, {columns} FROM src GROUP BY origin"
                f" UNION ALL SELECT NULL, {columns} FROM src")

    def read(self, conn, month: Month, origin: str | None):
        """(origin or None for the total, {measure: number}) for each row of the answer."""
        measures = self.measures
        rows = conn.execute(self.sql, {**self.params, **_month(month, origin)})
        if not self.parts:
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
            query = _SourceQuery(source, plan.by_source[source], one_point=one_point, by_origin=by_origin)
            found.extend(query.read(conn, month, origin))
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
        found |= {row[0] for row in conn.execute(
            # "+deleted": else SQLite walks clients_sort (deleted, …) instead of the origin index.
            f"WITH RECURSIVE o(code) AS (SELECT min(origin) FROM {table} WHERE +deleted = 0"
            f" UNION ALL SELECT (SELECT min(origin) FROM {table} WHERE origin > o.code AND +deleted = 0)"
            " FROM o WHERE o.code IS NOT NULL) SELECT code FROM o WHERE code IS NOT NULL")}
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
    params = _Params()
    when = condition(metric, tuple(sorted(cell.filter_dict.items())), params)
    with_group = "group" in cell.filter_dict
    sql = (f"WITH src AS ({source_sql(metric.source, one_point=origin is not None, with_group=with_group)})"
           f" SELECT DISTINCT {metric.ref_key} FROM src WHERE {when}")
    return [(metric.ref_table, key) for (key,) in conn.execute(sql, {**params, **_month(month, origin)})]
