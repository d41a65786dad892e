"""The records of a bundle, checked (and written) a batch at a time as the document is decrypted.

Two passes over the stream (app/sync/document_reader.py), so memory does not grow with the bundle:

1. `scan`: the origin of every arriving record that others may name (clients, contacts, groups,
   meetings, staff) goes into a temporary table in memory (a few dozen bytes each), so that a
   reference to a record arriving later in the same bundle is judged like one already here; the
   document's head (format, sender, seq, unit) is read at the end.
2. `check`: every record is sorted into new, updated, unchanged or refused (with the rule it broke);
   when applying, each batch is written at once (version-wins), refusals are held in the
   quarantine, and entries a corrected record answers are closed. The dry run writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from app.store import arriving, search
from app.store.connection import sqlcipher
from app.store.records import REFERENCES
from app.sync import quarantine
from app.sync.persons import PossibleSamePerson, same_persons
from app.sync.record_checks import (
    NOT_A_TABLE,
    OTHER_OWNER,
    Refusal,
    check_references,
    check_rows,
    references,
    refusal,
    schema_refusal,
    shown,
)

TARGETS = sorted({target for columns in REFERENCES.values() for target in columns.values()})
REFUSALS_KEPT = 1000        # kept in memory for the screens; every one is held when applying
SAME_PERSONS_SHOWN = 200


class TooManyRecords(ValueError):
    pass


@dataclass
class TableCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0


@dataclass
class Outcome:
    """What one pass found (and, when applying, did)."""

    counts: dict[str, TableCounts] = field(default_factory=dict)
    refused: list[Refusal] = field(default_factory=list)        # the first REFUSALS_KEPT
    duplicates: list[PossibleSamePerson] = field(default_factory=list)
    max_version: int = 0

    def refuse(self, table: str, problem: Refusal) -> None:
        self.counts.setdefault(table, TableCounts()).rejected += 1
        if len(self.refused) < REFUSALS_KEPT:
            self.refused.append(problem)


def scanned(conn, bundle: str) -> bool:
    """Whether the arriving origins noted last are those of `bundle` (its file hash): applying right
    after the dry run need not read the file a third time."""
    return arriving.scanned_bundle(conn) == bundle


def scan(conn, events: Iterator[tuple], columns_of: dict, origins: tuple, max_records: int,
         bundle: str = "") -> tuple[dict, bool]:
    """Pass 1: note the origins of arriving referable records; the document's head and whether its
    "tables" member was an object."""
    arriving.start_scan(conn)
    total = 0
    for event in events:
        if event[0] == "head":
            if bundle:
                arriving.mark_scanned(conn, bundle)
            return event[1], event[2]
        if event[0] != "rows":
            continue
        _kind, table, columns, rows = event
        total += len(rows)
        if total > max_records:
            raise TooManyRecords()
        if table not in TARGETS or table not in columns_of:
            continue
        records, problems = check_rows(table, columns, rows, columns_of[table], *origins)
        passing = [(table, r["id"], r["origin"]) for r, problem in zip(records, problems) if problem is None]
        arriving.note(conn, passing)
    return {}, False


def _owners(conn, wanted: dict[str, set[str]]) -> dict[tuple[str, str], str]:
    """Origin of each named record: arriving in this bundle, else already here."""
    owners: dict[tuple[str, str], str] = {}
    for target, ids in wanted.items():
        ordered = sorted(ids)
        for row_id, origin in arriving.arriving_origins(conn, target, ordered):
            owners[(target, row_id)] = origin
        missing = [i for i in ordered if (target, i) not in owners]
        for row_id, (_version, origin) in arriving.versions(conn, target, missing).items():
            owners[(target, row_id)] = origin
    return owners


class Checker:
    """Pass 2 over one bundle: `write` applies each batch inside the caller's transaction."""

    def __init__(self, register, sender: str, seq: int, columns_of: dict, origins: tuple, own_code: str,
                 write: bool) -> None:
        self.register, self.conn = register, register.conn
        self.sender, self.seq = sender, seq
        self.columns_of, self.origins, self.own_code, self.write = columns_of, origins, own_code, write
        self.hold_again = True       # False when retrying held records: their entries stay as they were
        self.outcome = Outcome()

    def run(self, events: Iterator[tuple]) -> Outcome:
        for event in events:
            if event[0] == "rows":
                self.batch(event[1], event[2], event[3])
            elif event[0] == "bad_table":
                name = shown(event[1], 40)
                self._hold([refusal(name, None, NOT_A_TABLE)], name)
        return self.outcome

    def _hold(self, problems: list[Refusal], table: str) -> None:
        for problem in problems:
            self.outcome.refuse(table, problem)
        if self.write and self.hold_again and problems:
            quarantine.hold(self.conn, self.sender, self.seq, problems)

    def batch(self, table: str, columns: list[str], rows: list) -> None:
        if table not in self.columns_of:
            self._hold([refusal(shown(table, 40), None, NOT_A_TABLE)], shown(table, 40))
            return
        counts = self.outcome.counts.setdefault(table, TableCounts())
        problems, good = [], []
        for row, problem in zip(*check_rows(table, columns, rows, self.columns_of[table], *self.origins)):
            (problems.append(problem) if problem else good.append(row))
        existing = arriving.versions(self.conn, table, [r["id"] for r in good])
        named = [references(table, row) for row in good]
        wanted: dict[str, set[str]] = {}
        for refs in named:
            for _column, target, target_id in refs:
                wanted.setdefault(target, set()).add(target_id)
        owners = _owners(self.conn, wanted)
        owner_of = lambda t, i: owners.get((t, i))  # noqa: E731
        passed, to_write = [], []     # passed: ids now held here in this state (unchanged or written)
        for row, refs in zip(good, named):
            known = existing.get(row["id"])
            if known is not None and known[1] != row["origin"]:
                problems.append(refusal(table, row, OTHER_OWNER, "id", origin=shown(known[1], 30)))
                continue
            problem = check_references(table, row, owner_of, {self.own_code}, refs) if refs else None
            if problem:
                problems.append(problem)
                continue
            if known is not None and row["version"] <= known[0]:
                counts.unchanged += 1
                passed.append(row["id"])
                continue
            to_write.append((row, known is None))
        if self.write:
            written = self._write(table, to_write, problems)
        else:
            written = {id(row) for row, _new in to_write}
        for row, new in to_write:
            if id(row) not in written:
                continue
            passed.append(row["id"])
            if new:
                counts.new += 1
            else:
                counts.updated += 1
            self.outcome.max_version = max(self.outcome.max_version, row["version"])
        self._hold(problems, table)
        if self.write:
            quarantine.resolve(self.conn, self.sender, {table: passed})
            if table == "clients":
                search.reindex(self.conn, [row["id"] for row, _new in to_write if id(row) in written])
        elif table == "clients" and len(self.outcome.duplicates) < SAME_PERSONS_SHOWN:
            self.outcome.duplicates += same_persons(self.conn, [row for row, _new in to_write],
                                                    SAME_PERSONS_SHOWN - len(self.outcome.duplicates))

    def _write(self, table: str, rows: list[tuple[dict, bool]], problems: list[Refusal]) -> set[int]:
        """Upsert, each group of rows with the same fields at once; rows the schema's own rules (CHECK,
        NOT NULL) refuse are found one by one and refused. The ids (id()) written.

        No savepoint around a group: SQLite undoes only the statement (one row) that breaks a rule,
        and a savepoint would make it keep a copy of every page the group changes (it cost more than
        half of an import). After a refusal, the rows that did go in are those now at their version."""
        written: set[int] = set()
        groups: dict[tuple, list[dict]] = {}
        for row, new in rows:   # new: not here before this batch, so a plain insert does
            groups.setdefault((new, *sorted(row)), []).append(row)
        for (new, *_columns), group in groups.items():
            try:
                arriving.upsert(self.conn, table, group, new)
                written.update(id(row) for row in group)
                continue
            except (sqlcipher.IntegrityError, OverflowError):
                pass
            now = arriving.versions(self.conn, table, [row["id"] for row in group])
            for row in group:
                if now.get(row["id"], (None,))[0] == row["version"]:
                    written.add(id(row))
                    continue
                try:
                    arriving.upsert(self.conn, table, [row])
                    written.add(id(row))
                except (sqlcipher.IntegrityError, OverflowError) as error:
                    problems.append(schema_refusal(table, row, str(error)))
        return written
