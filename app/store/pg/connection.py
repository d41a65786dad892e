"""A connection to an office register on PostgreSQL that the repositories use as they use SQLite's.

`execute`, `executemany`, cursors that iterate and fetch tuples, `in_transaction`, and the same
exception classes as the SQLCipher connection (app/store/connection.py), so a repository catches
an IntegrityError the same way on both engines. Every statement is spelled for PostgreSQL by
app/store/pg/dialect.py; personal values are sealed on the way in and opened on the way out
(app/store/pg/personal.py).

Off this computer the connection must be TLS with the server's certificate checked against the
office's CA (sslmode=verify-full): a plain or unchecked connection would let a machine on the
network read names or pose as the office's server.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Iterator

from app.core.errors import DatabaseUnreachable
from app.store.connection import DatabaseError, IntegrityError, OperationalError
from app.store.pg.dialect import translate
from app.store.pg.personal import Sealer

LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1", "")


def _psycopg():
    try:
        import psycopg
    except ImportError as error:  # the program was installed without the office-server extra
        raise DatabaseUnreachable(detail="psycopg is not installed (pip install 'tuvan[office-server]')") from error
    return psycopg


def is_local(host: str) -> bool:
    """Whether `host` is this computer: a socket folder or a loopback address."""
    return host.startswith("/") or host in LOCAL_HOSTS


def check_transport(params: dict[str, str]) -> None:
    """Refuse a connection off this computer without verify-full TLS."""
    hosts = [h.strip() for h in params.get("host", "").split(",")] or [""]
    if all(is_local(h) for h in hosts):
        return
    if params.get("sslmode") != "verify-full":
        raise DatabaseUnreachable(detail=(
            f"the server {params.get('host')} is not on this computer: the connection must use TLS with the "
            "server's certificate checked (sslmode=verify-full and sslrootcert=<the office's CA file>)"))


class _IntOrFloat:
    """numeric (what sum() of integers returns) as int or float, as SQLite gives it."""

    @staticmethod
    def make(psycopg):
        from psycopg.adapt import Loader

        class NumericLoader(Loader):
            def load(self, data):
                text = bytes(data).decode()
                return float(text) if any(c in text for c in ".eEN") else int(text)

        return NumericLoader


class PgCursor:
    """A cursor whose rows have their sealed values opened."""

    def __init__(self, cursor, sealer: Sealer | None):
        self._cursor = cursor
        self._sealer = sealer

    @property
    def description(self):
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    def _open(self, row):
        return self._sealer.open_row(row) if self._sealer is not None else row

    def fetchone(self):
        if self._cursor.description is None:
            return None
        return self._open(self._cursor.fetchone())

    def fetchall(self):
        if self._cursor.description is None:
            return []
        return [self._open(r) for r in self._cursor.fetchall()]

    def fetchmany(self, size: int = 100):
        return [self._open(r) for r in self._cursor.fetchmany(size)]

    def __iter__(self):
        if self._cursor.description is None:
            return iter(())
        return (self._open(r) for r in self._cursor)

    def close(self) -> None:
        self._cursor.close()


# INSERT INTO t (a, b) VALUES (%s, %s) [ON CONFLICT …]: the statements whose rows can go several at once
_MANY_VALUES = re.compile(r"^(INSERT INTO [\w.]+ \([^)]*\) VALUES )(\((?:%s, )*%s\))(.*)$", re.DOTALL)


class _Done:
    """What executemany answers when it wrote rows several to a statement: how many changed."""

    description = None

    def __init__(self, rowcount: int):
        self.rowcount = rowcount

    def fetchall(self):
        return []


class _Rows(list):
    """Rows already read, with a cursor's reading methods."""

    description = None
    rowcount = -1

    def fetchone(self):
        return self[0] if self else None

    def fetchall(self):
        return list(self)


def _mapped(error: Exception) -> Exception:
    """The SQLCipher connection's exception for a psycopg one, its message in SQLite's words where
    a caller reads it (record_checks.schema_refusal names the field from it)."""
    psycopg = _psycopg()
    diag = getattr(error, "diag", None)
    if isinstance(error, psycopg.errors.CheckViolation) and diag is not None:
        table, name = diag.table_name or "", diag.constraint_name or ""
        column = name.removeprefix(f"{table}_").removesuffix("_check")
        return IntegrityError(f"CHECK constraint failed: {column}")
    if isinstance(error, psycopg.errors.NotNullViolation) and diag is not None:
        return IntegrityError(f"NOT NULL constraint failed: {diag.table_name}.{diag.column_name}")
    if isinstance(error, psycopg.errors.QueryCanceled):
        return OperationalError(f"interrupted: {error}")  # as SQLite says it (app/core/progress.interrupting)
    if isinstance(error, psycopg.IntegrityError):
        return IntegrityError(str(error))
    if isinstance(error, (psycopg.OperationalError, psycopg.errors.UndefinedTable, psycopg.errors.UndefinedColumn)):
        return OperationalError(str(error))
    return DatabaseError(str(error))


class PgConnection:
    """One psycopg connection in autocommit mode; transactions are explicit (`transaction()`)."""

    engine = "postgresql"

    def __init__(self, raw, sealer: Sealer | None = None):
        self.raw = raw
        self.sealer = sealer
        self._watch: threading.Event | None = None
        self._columns: dict[str, list[tuple]] = {}

    def set_progress_handler(self, handler, every: int) -> None:
        """SQLite's cancel hook, done the server's way: while `handler` is set, a watcher asks it
        five times a second and, when it answers 1, cancels the statement the server is running."""
        if self._watch is not None:
            self._watch.set()
            self._watch = None
        if handler is None:
            return
        stop = self._watch = threading.Event()

        def watch() -> None:
            while not stop.wait(0.2):
                if handler():
                    self.raw.cancel_safe()
                    return

        threading.Thread(target=watch, name="tuvan-pg-cancel", daemon=True).start()

    def _params(self, statement, params):
        if params is None:
            return {} if statement.named else ()
        if self.sealer is None or not (statement.sealed or statement.sealed_names):
            return params
        if statement.named:
            hows = dict(statement.sealed_names)
            return {k: (self.sealer.sealed(hows[k], v) if k in hows else v) for k, v in params.items()}
        values = list(params)
        for position, how in statement.sealed:
            if position < len(values):
                values[position] = self.sealer.sealed(how, values[position])
        return values

    def execute(self, sql: str, params=None) -> PgCursor:
        statement = translate(sql)
        if statement.columns_of is not None:   # PRAGMA table_info: asked per batch by the merge; tables do not change
            if statement.columns_of not in self._columns:
                self._columns[statement.columns_of] = self._run(statement, params).fetchall()
            return _Rows(self._columns[statement.columns_of])
        return self._run(statement, params)

    def _run(self, statement, params) -> PgCursor:
        psycopg = _psycopg()
        try:
            cursor = self.raw.execute(statement.sql, self._params(statement, params), prepare=False)
        except psycopg.Error as error:
            raise _mapped(error) from error
        return PgCursor(cursor, self.sealer)

    def executemany(self, sql: str, rows) -> PgCursor:
        statement = translate(sql)
        psycopg = _psycopg()
        rows = [self._params(statement, r) for r in rows]
        cursor = self.raw.cursor()
        many = _MANY_VALUES.match(statement.sql) if len(rows) > 1 and not statement.named else None
        if many is not None and "%%" in many.group(1) + many.group(3):
            many = None   # (a literal % would need psycopg's own spelling)
        try:
            # In a transaction a failed statement spoils the transaction on PostgreSQL (SQLite undoes
            # the one statement): a savepoint keeps the caller's recovery path (record_pass) open.
            with (self.raw.transaction() if self.in_transaction else contextlib.nullcontext()):
                if many is not None:
                    try:
                        with self.raw.transaction():
                            return _Done(self._many_rows(many, rows))
                    except psycopg.Error:
                        pass  # e.g. one record twice in a batch of upserts: row by row says which
                if rows:
                    cursor.executemany(statement.sql, rows)
        except psycopg.Error as error:
            raise _mapped(error) from error
        return PgCursor(cursor, self.sealer)

    def _many_rows(self, many: re.Match, rows: list) -> int:
        """An INSERT of many rows as statements of several rows each: one round trip and one plan
        per few hundred rows, where one per row made the server's import 2.4 times SQLite's."""
        psycopg = _psycopg()
        head, values, tail = many.group(1), many.group(2), many.group(3)
        width = values.count("%s")
        per = max(1, min(500, 30_000 // width))   # PostgreSQL takes at most 65,535 parameters
        changed = 0
        # PostgreSQL's own $n placeholders on a raw cursor: psycopg's parsing of a statement with
        # thousands of %s took most of the time the several-row statements saved.
        with psycopg.RawCursor(self.raw) as cursor:
            for start in range(0, len(rows), per):
                part = rows[start:start + per]
                groups = ", ".join("(" + ", ".join(f"${n * width + k + 1}" for k in range(width)) + ")"
                                   for n in range(len(part)))
                cursor.execute(head + groups + tail, [v for row in part for v in row], prepare=False)
                changed += max(cursor.rowcount, 0)
        return changed

    @property
    def in_transaction(self) -> bool:
        psycopg = _psycopg()
        return self.raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction (a savepoint when nested)."""
        psycopg = _psycopg()
        try:
            with self.raw.transaction():
                yield
        except psycopg.Error as error:
            raise _mapped(error) from error

    def close(self) -> None:
        self.raw.close()


def connect(conninfo: str, *, user: str, password: str, sealer: Sealer | None = None,
            read_only: bool = False) -> PgConnection:
    """Connect as `user` to the register's database, TLS checked (check_transport)."""
    psycopg = _psycopg()
    from psycopg.conninfo import conninfo_to_dict

    params = {k: str(v) for k, v in conninfo_to_dict(conninfo).items()}
    check_transport(params)
    params.update(user=user, password=password, application_name="tuvan", connect_timeout="10")
    try:
        raw = psycopg.connect(**params, autocommit=True)
    except psycopg.OperationalError as error:
        text = str(error)
        if ("password authentication failed" in text or "is not permitted to log in" in text
                or "role" in text and "does not exist" in text):  # as a register file: no hint which
            from app.core.errors import WrongPassphrase

            raise WrongPassphrase() from error
        raise DatabaseUnreachable(detail=text.strip().splitlines()[0] if text.strip() else type(error).__name__) from error
    raw.adapters.register_loader("numeric", _IntOrFloat.make(psycopg))
    raw.execute("SET search_path = tuvan, pg_temp")
    raw.execute("SET TIME ZONE 'UTC'")
    if read_only:
        raw.execute("SET default_transaction_read_only = on")
    return PgConnection(raw, sealer)
