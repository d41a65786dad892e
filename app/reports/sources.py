"""The engine's SQL: the rows a month's indicators are counted from, and the statements over them.

Each source is a SELECT over one month (`:first`, `:last`) that keeps only the rows some metric of
it can count, and names its columns the same way for every metric (`origin`, `client_id`, `sex`,
`grp` …). `SourceQuery` wraps a source in one aggregate statement per form, which the engine
(`engine.py`) runs and files; the drill-down selects from the same text, so a number and the
records behind it cannot disagree. Every statement of the engine is written here.

Deleted records never count, nor records attached to a client whose record is deleted.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.reports.metrics import FILTER_COLUMNS, INDIVIDUAL, PEOPLE, REGISTRY, ROWS, Metric

ALWAYS = "1 = 1"  # a condition that always holds, spelled for both engines
# The client's group at the end of the month: the last history entry starting on or before its
# last day (any point may have written it), else the group on the client's record.
GROUP_OF_CLIENT = ("coalesce((SELECT g.group_code FROM client_groups g WHERE g.client_id = c.id AND g.deleted = 0"
                   " AND g.start_date <= :last ORDER BY g.start_date DESC, g.seq DESC LIMIT 1), c.main_group)")


@dataclass(frozen=True)
class Source:
    rows: str               # SELECT of the rows (with their `origin`)
    attached: bool = True   # rows name a `client_id`: the client's sex and group come from the client's record

# Every source but `clients` lists rows attached to a client or none; the client's sex and group are
# joined after the rows are counted per client, so a client seen 30 times is looked up once.
SOURCES: dict[str, Source] = {
    # Cases closed before the month count in no client metric (most of an old register).
    "clients": Source("""
        SELECT c.id, c.origin, c.sex, {group} AS grp, c.intake_date, c.status, c.closed_date, c.closing_reason,
               c.legal_status, c.legal_start, c.legal_end
        FROM clients c
        WHERE +c.deleted = 0 AND c.intake_date <= :last
          AND (c.status != 'closed' OR c.closed_date IS NULL OR c.closed_date >= :first
               OR c.legal_status = 'post_rehab_management'){origin:c}""",
                      attached=False),
    # Every counselling lượt: one per contact with a named client, one per group-session participant.
    "turns": Source("""
        SELECT t.id AS contact_id, t.origin, t.kind, t.client_id
        FROM contacts t
        WHERE t.deleted = 0 AND t.client_id IS NOT NULL AND t.contact_date BETWEEN :first AND :last{origin:t}
        UNION ALL
        SELECT t.id, t.origin, t.kind, p.client_id
        FROM contacts t JOIN contact_participants p ON p.contact_id = t.id AND p.deleted = 0
        WHERE t.deleted = 0 AND t.kind = 'group' AND t.contact_date BETWEEN :first AND :last{origin:t}"""),
    # Group and community sessions (community ones mostly of people without a record).
    "sessions": Source("""
        SELECT t.id AS contact_id, t.origin, t.kind, t.attendee_count,
               (SELECT count(*) FROM contact_participants p WHERE p.contact_id = t.id AND p.deleted = 0) AS participants
        FROM contacts t
        WHERE t.deleted = 0 AND t.kind IN ('group', 'community') AND t.contact_date BETWEEN :first AND :last{origin:t}""",
                       attached=False),
    # Referrals that can count: made in the month; made before it and still pending; made before it
    # and settled since its first day. Three disjoint parts, so that each is read from an index.
    "referrals": Source("""
        SELECT r.id, r.origin, r.service, r.client_id, r.referred_date, r.outcome, r.outcome_date, r.amount
        FROM referrals r
        WHERE r.deleted = 0 AND r.referred_date BETWEEN :first AND :last{origin:r}
        UNION ALL
        SELECT r.id, r.origin, r.service, r.client_id, r.referred_date, r.outcome, r.outcome_date, r.amount
        FROM referrals r
        WHERE r.deleted = 0 AND r.outcome = 'pending' AND r.referred_date < :first{origin:r}
        UNION ALL
        SELECT r.id, r.origin, r.service, r.client_id, r.referred_date, r.outcome, r.outcome_date, r.amount
        FROM referrals r
        WHERE r.deleted = 0 AND r.outcome_date >= :first AND r.outcome != 'pending' AND r.referred_date < :first{origin:r}"""),
    "rehab": Source("""
        SELECT r.id, r.origin, r.client_id, r.registration_date, r.decision_date, r.start_date, r.outcome,
               r.outcome_date
        FROM rehab_registrations r
        WHERE r.deleted = 0 AND r.registration_date <= :last{origin:r}"""),
    "methadone": Source("""
        SELECT m.id, m.origin, m.client_id, m.start_date, m.status, m.end_date
        FROM methadone_episodes m
        WHERE m.deleted = 0 AND m.start_date <= :last{origin:m}"""),
    # A group is active in a month when it met in that month (a later "inactive" flag does not rewrite history).
    "active_groups": Source("""
        SELECT g.id, g.origin FROM groups g
        WHERE g.deleted = 0 AND EXISTS (SELECT 1 FROM group_meetings t WHERE t.group_id = g.id AND t.deleted = 0
                                        AND t.meeting_date BETWEEN :first AND :last){origin:g}""", attached=False),
    "meetings": Source("""
        SELECT t.id, t.origin FROM group_meetings t
        WHERE t.deleted = 0 AND t.meeting_date BETWEEN :first AND :last{origin:t}""", attached=False),
    "attendance": Source("""
        SELECT a.id, t.origin, a.client_id
        FROM meeting_attendance a JOIN group_meetings t ON t.id = a.meeting_id
        WHERE a.deleted = 0 AND t.deleted = 0 AND t.meeting_date BETWEEN :first AND :last{origin:t}"""),
    "members": Source("""
        SELECT m.id, m.origin, m.client_id
        FROM group_members m
        WHERE m.deleted = 0 AND m.joined_date <= :last AND (m.left_date IS NULL OR m.left_date > :last){origin:m}"""),
    "outreach": Source("""
        SELECT o.id, o.origin, o.kind, o.quantity, o.minutes, o.attendees
        FROM outreach o
        WHERE o.deleted = 0 AND o.activity_date BETWEEN :first AND :last{origin:o}""", attached=False),
}

CLIENT_COLUMNS = ("sex", "grp")  # what a row attached to a client takes from the client's record


def rows_sql(name: str, *, one_point: bool, with_group: bool) -> str:
    """The rows of source `name`, of one point (`:origin`) or of all. Only `clients` has its
    client columns here; `with_group` says whether a cell asks for the group at the month's end
    (else the group on the record, which costs nothing)."""
    text = SOURCES[name].rows.replace("{group}", GROUP_OF_CLIENT if with_group else "c.main_group")
    for alias in "cgtrmo":
        text = text.replace("{origin:%s}" % alias, f" AND {alias}.origin = :origin" if one_point else "")
    return text


def with_client(rows: str, keep: str, *, with_group: bool) -> str:
    """`keep` of `rows` (a table or a subquery named `r`) with the sex and group of each row's client,
    leaving out rows whose client's record is deleted."""
    group = GROUP_OF_CLIENT if with_group else "c.main_group"
    # clients_counted holds every column read here: one search of a narrow index per client, where
    # SQLite would pick the unique index on id and then fetch the whole record.
    return (f"SELECT {keep}, c.sex, {group} AS grp FROM {rows} JOIN clients c INDEXED BY clients_counted"
            " ON c.id = r.client_id AND +c.deleted = 0")


def source_sql(name: str, *, one_point: bool, with_group: bool) -> str:
    """Every row of source `name` with its client's columns: what a drill-down lists."""
    rows = rows_sql(name, one_point=one_point, with_group=with_group)
    if not SOURCES[name].attached:
        return rows
    return with_client(f"({rows}) AS r", "r.*", with_group=with_group)


# --- statements -----------------------------------------------------------------------------

Measure = tuple[str, tuple[tuple[str, str], ...]]  # (metric name, sorted filters): one aggregate


class Params(dict):
    def bind(self, value) -> str:
        """One name per value, so two cells filtering on the same value write the same condition."""
        for key, bound in self.items():
            if bound == value:
                return f":{key}"
        key = f"f{len(self)}"
        self[key] = value
        return f":{key}"


def _filters(filters, params: Params) -> list[str]:
    parts = []
    for name, value in filters:
        column = _column(name)
        if name == "kind" and value == "individual":
            parts.append(f"{column} IN ({', '.join(repr(kind) for kind in INDIVIDUAL)})")
        else:
            parts.append(f"{column} = {params.bind(value)}")
    return parts


def _all(parts) -> str:
    return " AND ".join(f"({part})" for part in parts if part) or ALWAYS


def condition(metric: Metric, filters, params: Params) -> str:
    """The metric's own condition and its filters, with the filter values bound as parameters."""
    return _all([metric.where, *_filters(filters, params)])


def _column(name: str) -> str:
    return FILTER_COLUMNS.get(name, name)


class SourceQuery:
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
        self.params = Params()
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
                counts.append(f"count(*) AS {alias}" if where == ALWAYS else f"count(CASE WHEN {where} THEN 1 END) AS {alias}")
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
                finals.append(f"count(CASE WHEN {alias} > 0 THEN 1 END)" if who == ALWAYS
                              else f"count(CASE WHEN {who} AND {alias} > 0 THEN 1 END)")
            else:
                finals.append(f"coalesce(sum({alias}), 0)" if who == ALWAYS
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
                f" once AS (SELECT min(sex) AS sex, min(grp) AS grp, {sums} FROM src WHERE client_id IN (SELECT client_id FROM visited) GROUP BY client_id)"
                f" SELECT 'point', origin, {columns} FROM src GROUP BY origin"
                f" UNION ALL SELECT 'less', NULL, {columns} FROM src WHERE client_id IN (SELECT client_id FROM visited)"
                f" UNION ALL SELECT 'once', NULL, {columns} FROM once")

    def _grouped(self, rows: str, by_origin: bool) -> str:
        if any(REGISTRY[name].value == PEOPLE for name, _f in self.measures):
            raise ValueError("distinct people need rows attached to a client")
        finals = []
        for name, filters in self.measures:
            metric = REGISTRY[name]
            alias = self._counter(_all([metric.where]), metric.value)
            when = _all(_filters(filters, self.params))
            finals.append(f"coalesce(sum({alias}), 0)" if when == ALWAYS
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


def service_codes_sql() -> str:
    """The referral services of the register's catalog, which a form's cells may name."""
    return "SELECT code FROM catalog_items WHERE kind = 'service'"


def points_sql(table: str) -> str:
    """The origins of `table`'s live records, walking its origin index from one point to the next
    instead of reading every record."""
    # "+deleted": else SQLite walks clients_sort (deleted, …) instead of the origin index.
    return (f"WITH RECURSIVE o(code) AS (SELECT min(origin) FROM {table} WHERE +deleted = 0"
            f" UNION ALL SELECT (SELECT min(origin) FROM {table} WHERE origin > o.code AND +deleted = 0)"
            " FROM o WHERE o.code IS NOT NULL) SELECT code FROM o WHERE code IS NOT NULL")


def records_behind_sql(metric: Metric, filters, *, one_point: bool, with_group: bool) -> tuple[str, Params]:
    """The keys of the records a cell counts: the same source and condition as its number."""
    params = Params()
    when = condition(metric, filters, params)
    sql = (f"WITH src AS ({source_sql(metric.source, one_point=one_point, with_group=with_group)})"
           f" SELECT DISTINCT {metric.ref_key} FROM src WHERE {when}")
    return sql, params


# --- twelve months at a glance (reports/trends.py) -------------------------------------------------
# One statement per series over the whole span (:first .. :last), grouped by month and point, so a
# year of a 300-point office is one pass per series, not twelve forms. The same rules as the form:
# deleted records never count, nor records of a deleted client.
_MONTH = "substr({day}, 1, 7)"
TREND_SERIES: dict[str, str] = {
    "new_clients": f"""
        SELECT {_MONTH.format(day='c.intake_date')} AS month, c.origin, count(*) AS value FROM clients c
        WHERE c.deleted = 0 AND c.intake_date BETWEEN :first AND :last GROUP BY 1, 2""",
    # lượt: one per contact with a named client, one per group-session participant
    "contacts": f"""
        WITH turns AS MATERIALIZED (
            SELECT t.contact_date AS day, t.origin, t.client_id FROM contacts t
            WHERE t.deleted = 0 AND t.client_id IS NOT NULL AND t.contact_date BETWEEN :first AND :last
            UNION ALL
            SELECT t.contact_date, t.origin, p.client_id FROM contacts t
            JOIN contact_participants p ON p.contact_id = t.id AND p.deleted = 0
            WHERE t.deleted = 0 AND t.kind = 'group' AND t.contact_date BETWEEN :first AND :last)
        SELECT {_MONTH.format(day='day')} AS month, turns.origin, count(*) AS value, count(DISTINCT client_id) AS people
        FROM turns JOIN clients c ON c.id = turns.client_id AND c.deleted = 0 GROUP BY 1, 2
        UNION ALL  -- the register's people: a client served by two points is one person (origin NULL)
        SELECT {_MONTH.format(day='day')}, NULL, 0, count(DISTINCT client_id)
        FROM turns JOIN clients c ON c.id = turns.client_id AND c.deleted = 0 GROUP BY 1""",
    "referrals_made": f"""
        SELECT {_MONTH.format(day='r.referred_date')} AS month, r.origin, count(*) AS value FROM referrals r
        JOIN clients c ON c.id = r.client_id AND c.deleted = 0
        WHERE r.deleted = 0 AND r.referred_date BETWEEN :first AND :last GROUP BY 1, 2""",
    "referrals_completed": f"""
        SELECT {_MONTH.format(day='r.outcome_date')} AS month, r.origin, count(*) AS value FROM referrals r
        JOIN clients c ON c.id = r.client_id AND c.deleted = 0
        WHERE r.deleted = 0 AND r.outcome = 'completed' AND r.outcome_date BETWEEN :first AND :last GROUP BY 1, 2""",
    # A follow-up due in a month is missed when the client had no later contact by that month's end.
    # The client's next later day comes from one window over their contacts (a correlated lookup
    # per follow-up took a minute at 40 busy points); the frame starts half a day on, so a second
    # contact on the same day is not "later".
    "follow_ups_missed": f"""
        WITH named AS MATERIALIZED (
            SELECT t.client_id, t.origin, t.next_follow_up,
                   min(t.contact_date) OVER (PARTITION BY t.client_id ORDER BY julianday(t.contact_date)
                                             RANGE BETWEEN 0.5 FOLLOWING AND UNBOUNDED FOLLOWING) AS later
            FROM contacts t WHERE t.deleted = 0 AND t.contact_date <= :last
              AND t.client_id IN (SELECT client_id FROM contacts  -- only clients with a follow-up due then
                                  WHERE deleted = 0 AND next_follow_up BETWEEN :first AND :last))
        SELECT {_MONTH.format(day='named.next_follow_up')} AS month, named.origin, count(*) AS value FROM named
        JOIN clients c ON c.id = named.client_id AND c.deleted = 0
        WHERE named.next_follow_up BETWEEN :first AND :last
          AND (named.later IS NULL
               OR named.later > date(named.next_follow_up, 'start of month', '+1 month', '-1 day'))
        GROUP BY 1, 2""",
}
