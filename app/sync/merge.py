"""Importing bundles: verify before decrypting, check every record, dry run, then one transaction.

Order of checks (docs/bundle-format.md): container shape and sizes; the
sender's key is pinned; the Ed25519 signature over the header; the payload's
SHA-256; a sealed key for us; decryption and decompression within the
declared sizes; every record's table, columns, values, origin and references.
A bundle that passes the checks of the whole file is applied in one transaction,
version-wins, so importing again (in any order) changes nothing; a record that
breaks a rule is not applied but held in the quarantine (app/sync/quarantine.py)
with the rule it broke, and the receipt tells the sender.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from app.core.clock import utc_stamp
from app.core.i18n import N_, _
from app.core.roles import Permission
from app.core.text import fold
from app.store import search
from app.store.connection import sqlcipher
from app.store.records import SYNCED_TABLES
from app.sync import chain, container, identity, payload, quarantine, relay
from app.sync.container import BundleRejected
from app.sync.export import BUNDLE_FORMAT, LOCAL_COLUMNS
from app.sync.record_checks import (
    MAX_TEXT,  # noqa: F401  (part of the API)
    NOT_A_TABLE,
    OTHER_OWNER,
    Refusal,
    check_references,
    check_row,
    references,
    integer,
    refusal,
    schema_refusal,
    shown,
)

MAX_RECORDS = 5_000_000
MAX_SUPERSEDED = 10_000
REJECTED_SHOWN = 20


@dataclass
class TableCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0


@dataclass(frozen=True)
class PossibleSamePerson:
    incoming: dict          # the arriving client (id, code, name, birth year, origin)
    existing: dict          # a client of another point
    reason: str             # "citizen_id" | "name_year_sex"


@dataclass
class ImportPlan:
    file: str
    header: dict
    sender: identity.Identity
    file_hash: str
    status: str                              # "new" | "already_imported" | "fork"
    counts: dict[str, TableCounts] = field(default_factory=dict)
    refused: list[Refusal] = field(default_factory=list)     # held back, with the rule each broke
    duplicates: list[PossibleSamePerson] = field(default_factory=list)
    rows: dict[str, list[dict]] = field(default_factory=dict)         # to apply: new and updated records
    passed: dict[str, list[str]] = field(default_factory=dict)       # ids that passed every check (incl. unchanged)
    new_ids: set[tuple[str, str]] = field(default_factory=set)       # (table, id) of the new records
    key_change: dict | None = None
    unit_name: str = ""
    relayed_names: dict | None = None                                # a relaying office's names of its units

    @property
    def seq(self) -> int:
        return self.header["seq"]

    @property
    def sender_code(self) -> str:
        return self.sender.unit_code

    @property
    def rejected(self) -> int:
        return sum(c.rejected for c in self.counts.values())

    @property
    def problems(self) -> list[str]:
        """The first refusals, as text in the current language."""
        return [str(r) for r in self.refused[:REJECTED_SHOWN]]

    def totals(self) -> TableCounts:
        total = TableCounts()
        for c in self.counts.values():
            total.new += c.new
            total.updated += c.updated
            total.unchanged += c.unchanged
            total.rejected += c.rejected
        return total


def show(data: bytes, file: str) -> dict:
    """The header of a bundle or receipt, read without any key (nothing is verified)."""
    return container.read(data, file).header


def _reject(file: str, reason: str) -> BundleRejected:
    return BundleRejected(file=file, reason=reason)


def _header_fields(header: dict, file: str) -> None:
    try:
        ok = (header["format"] == BUNDLE_FORMAT and header["version"] == 1
              and isinstance(header["sender"]["fingerprint"], str) and isinstance(header["sender"]["unit_code"], str)
              and integer(header["seq"]) and header["seq"] >= 1
              and integer(header["changes"]["first"]) and integer(header["changes"]["last"])
              and 0 < header["changes"]["first"] <= header["changes"]["last"] + 1
              and (header.get("prev_hash") is None or isinstance(header["prev_hash"], str))
              and isinstance(header["recipients"], list)
              and isinstance(header["payload"]["sha256"], str) and integer(header["payload"]["raw_length"])
              and isinstance(header["counts"], dict)
              and _superseded_numbers(header) is not None)
    except (KeyError, TypeError):
        ok = False
    if not ok:
        raise _reject(file, N_("it is not a Tư Vấn bundle of this version, or its header is damaged"))


def _superseded_numbers(header: dict) -> list[int] | None:
    """The header's optional "supersedes": earlier numbers of this sender whose files may never have
    been written (docs/bundle-format.md §9); None if it is malformed."""
    numbers = header.get("supersedes", [])
    if not isinstance(numbers, list) or len(numbers) > MAX_SUPERSEDED:
        return None
    if not all(integer(n) and 1 <= n < header["seq"] for n in numbers):
        return None
    return sorted(set(numbers))


def _sender(conn, header: dict, file: str) -> tuple[identity.Identity, dict | None]:
    fingerprint = header["sender"]["fingerprint"]
    pinned = identity.trusted(conn, fingerprint, include_inactive=False)
    if pinned is not None:
        if pinned.unit_code != header["sender"]["unit_code"]:
            raise _reject(file, N_("the sender's unit code does not match its key"))
        return pinned, None
    announcement = header.get("key_change")
    if isinstance(announcement, dict):
        new = _verified_key_change(conn, announcement)
        if new is not None and new.fingerprint == fingerprint and new.unit_code == header["sender"]["unit_code"]:
            return new, announcement
    raise _reject(file, N_("it is signed by a key that is not trusted here (import and confirm the sender's key first)"))


def _verified_key_change(conn, announcement: dict) -> identity.Identity | None:
    try:
        statement = announcement["statement"]
        old = identity.trusted(conn, statement["old_fingerprint"], include_inactive=False)
        new = identity.identity_from_dict(statement["new"])
        signature = identity.unb64(announcement["signature"])
    except (KeyError, TypeError, ValueError, AttributeError, identity.IdentityInvalid):
        return None
    if old is None or new.unit_code != old.unit_code or new.role != old.role:
        return None
    if not old.verify(signature, identity.canonical(statement)):
        return None
    return identity.Identity(new.role, new.unit_code, new.unit_name, new.register_id, new.sign_public,
                             new.enc_public, old.points, 1, old.point_names)


def _open(conn, header: dict, box: container.Container, file: str) -> dict:
    own = identity.all_own_keys(conn)
    mine = {keys.fingerprint: keys for keys in own}
    for entry in header["recipients"]:
        fingerprint = entry.get("fingerprint") if isinstance(entry, dict) else None
        keys = mine.get(fingerprint) if isinstance(fingerprint, str) else None
        if keys is None:
            continue
        try:
            key = payload.open_key(identity.unb64(entry["sealed_key"]), keys.enc)
            return payload.open_payload(box.payload, key, header["payload"]["raw_length"])
        except (payload.PayloadError, KeyError, ValueError):
            raise _reject(file, N_("its contents do not decrypt or are damaged")) from None
    raise _reject(file, N_("it is encrypted for another office, not for this register"))


def _columns(conn) -> dict[str, set[str]]:
    return {table: {row[1] for row in conn.execute(f"PRAGMA table_info({table})")} - LOCAL_COLUMNS
            for table in SYNCED_TABLES}


def _rows_of(block: Any) -> list | None:
    """A table block {"columns": [...], "rows": [[...], ...]} as records (dicts); None if malformed."""
    if not isinstance(block, dict) or not isinstance(block.get("columns"), list) or not isinstance(block.get("rows"), list):
        return None
    columns = block["columns"]
    if not all(isinstance(c, str) for c in columns) or len(set(columns)) != len(columns):
        return None
    width = len(columns)
    return [dict(zip(columns, row)) if isinstance(row, list) and len(row) == width else row
            for row in block["rows"]]


def _existing(conn, table: str, ids: list[str]) -> dict[str, tuple[int, str]]:
    found = {}
    for start in range(0, len(ids), 900):
        batch = ids[start:start + 900]
        for row_id, version, origin in conn.execute(
                f"SELECT id, version, origin FROM {table} WHERE id IN ({','.join('?' * len(batch))})", batch):
            found[row_id] = (version, origin)
    return found


def _status(conn, sender: str, seq: int, file_hash: str) -> str:
    row = conn.execute("SELECT file_hash FROM bundles_received WHERE sender = ? AND seq = ?", (sender, seq)).fetchone()
    if row is None:
        return "new"
    return "already_imported" if row[0] == file_hash else "fork"


def plan_import(register, data: bytes, file: str) -> ImportPlan:
    """Verify, decrypt and compare a bundle with the register: the dry run. Writes nothing."""
    register.require(Permission.CASE_WORK)
    conn = register.conn
    box = container.read(data, file)
    header = box.header
    _header_fields(header, file)
    sender, key_change = _sender(conn, header, file)
    if not sender.verify(box.signature, box.signed_part):
        raise _reject(file, N_("its signature does not match the sender's key (changed or forged)"))
    if hashlib.sha256(box.payload).hexdigest() != header["payload"]["sha256"]:
        raise _reject(file, N_("its contents were changed or damaged after it was signed"))
    if register.unit().code == sender.unit_code:
        raise _reject(file, N_("it was made by this register itself"))
    document = _open(conn, header, box, file)
    if (document.get("format") != "tuvan-records" or document.get("sender") != sender.unit_code
            or document.get("seq") != header["seq"] or not isinstance(document.get("tables"), dict)):
        raise _reject(file, N_("its contents do not match its header"))
    plan = ImportPlan(file, header, sender, box.file_hash, _status(conn, sender.unit_code, header["seq"], box.file_hash),
                      key_change=key_change)
    unit = document.get("unit")
    name = unit.get("name") if isinstance(unit, dict) else None
    plan.unit_name = shown(name, 200) if isinstance(name, str) else ""
    plan.relayed_names = unit.get("relayed") if isinstance(unit, dict) else None
    _check_records(conn, plan, document["tables"], _origins(conn, sender), register.unit().code)
    plan.duplicates = _same_persons(conn, plan.rows.get("clients", []))
    return plan


def _origins(conn, sender: identity.Identity) -> tuple[set[str], str | None]:
    """Whose records `sender` may bring: its own, and an office's also those of the units an officer
    assigned to it here (relay.assign), never the list its key file claims."""
    if sender.role != "district":
        return {sender.unit_code}, None
    return {sender.unit_code} | relay.relayed_by(conn, sender.unit_code), sender.unit_code


def _check_records(conn, plan: ImportPlan, tables: dict, origins: tuple[set[str], str | None], own_code: str) -> None:
    """Sort every record into new, updated, unchanged or refused (with the rule it broke)."""
    columns = _columns(conn)
    candidates: dict[str, list[dict]] = {}
    arriving: dict[tuple[str, str], str] = {}      # (table, id) -> origin, of the records that passed
    total = 0
    for table, block in tables.items():
        rows = _rows_of(block)
        if table not in columns or rows is None:
            name = shown(table, 40)
            plan.refused.append(refusal(name, None, NOT_A_TABLE))
            plan.counts.setdefault(name, TableCounts()).rejected += len(rows) if rows else 1
            continue
        total += len(rows)
        if total > MAX_RECORDS:
            raise _reject(plan.file, N_("it holds an unreasonable number of records"))
        counts = plan.counts.setdefault(table, TableCounts())
        good = []
        for row in rows:
            problem = check_row(table, row, columns[table], *origins)
            if problem:
                counts.rejected += 1
                plan.refused.append(problem)
            else:
                good.append(row)
        existing = _existing(conn, table, [r["id"] for r in good])
        kept = []
        for row in good:
            known = existing.get(row["id"])
            if known is not None and known[1] != row["origin"]:
                counts.rejected += 1
                plan.refused.append(refusal(table, row, OTHER_OWNER, "id", origin=shown(known[1], 30)))
                continue
            arriving[(table, row["id"])] = row["origin"]
            plan.passed.setdefault(table, []).append(row["id"])
            if known is not None and row["version"] <= known[0]:
                counts.unchanged += 1
                continue
            kept.append((row, known is None))
        candidates[table] = kept
    owners = _owners_of_references(conn, candidates, arriving)
    for table, kept in candidates.items():
        counts = plan.counts[table]
        accepted = []
        for row, new in kept:
            problem = check_references(table, row, lambda t, i: arriving.get((t, i)) or owners.get((t, i)), {own_code})
            if problem:
                counts.rejected += 1
                plan.refused.append(problem)
                continue
            if new:
                counts.new += 1
                plan.new_ids.add((table, row["id"]))
            else:
                counts.updated += 1
            accepted.append(row)
        plan.rows[table] = accepted


def _owners_of_references(conn, candidates: dict[str, list], arriving: dict) -> dict[tuple[str, str], str]:
    """The origin of every record the candidates name that the register already holds."""
    wanted: dict[str, set[str]] = {}
    for table, kept in candidates.items():
        for row, _new in kept:
            for _column, target, target_id in references(table, row):
                if (target, target_id) not in arriving:
                    wanted.setdefault(target, set()).add(target_id)
    return {(target, row_id): origin for target, ids in wanted.items()
            for row_id, (_version, origin) in _existing(conn, target, sorted(ids)).items()}


def _same_persons(conn, arriving: list[dict], limit: int = 200) -> list[PossibleSamePerson]:
    """Clients of other points who may be the same person (same citizen id; or name, birth year and sex)."""
    found: list[PossibleSamePerson] = []
    keys = ("id", "code", "full_name", "birth_year", "sex", "origin")
    for client in arriving:
        if client.get("deleted") or len(found) >= limit:
            continue
        hits = []
        if client.get("citizen_id"):
            hits += [(row, "citizen_id") for row in conn.execute(
                # "citizen_id != ''" lets SQLite use the partial index (a scan per client made imports quadratic)
                "SELECT id, code, full_name, birth_year, sex, origin FROM clients WHERE citizen_id = ?"
                " AND citizen_id != '' AND origin != ? AND deleted = 0", (client["citizen_id"], client["origin"]))]
        name = str(client.get("full_name") or "")
        expression = search.match_expression(name, prefix=False)
        if expression and not hits:
            for row in conn.execute(
                    "SELECT c.id, c.code, c.full_name, c.birth_year, c.sex, c.origin FROM client_search s CROSS JOIN"
                    " clients c ON c.seq = s.rowid WHERE client_search MATCH ? AND c.origin != ? AND c.deleted = 0"
                    " AND c.birth_year = ? AND c.sex = ?",
                    (expression, client["origin"], client.get("birth_year"), client.get("sex"))):
                if fold(row[2]) == fold(name):
                    hits.append((row, "name_year_sex"))
        for row, reason in hits:
            found.append(PossibleSamePerson({k: client.get(k) for k in keys}, dict(zip(keys, row)), reason))
    return found


@dataclass(frozen=True)
class ImportResult:
    plan: ImportPlan
    applied: bool
    message_key: str   # "imported" | "already_imported"


def apply_import(register, plan: ImportPlan, *, accept_fork: bool = False) -> ImportResult:
    """Apply a verified plan in one transaction (version-wins upserts); refused records are held."""
    if plan.status == "already_imported":
        return ImportResult(plan, False, "already_imported")
    if plan.status == "fork" and not accept_fork:
        _raise_fork_alarm(register, plan)
        raise _reject(plan.file, _("bundle {seq} from {point} was already imported with different contents (a "
                                   "restored backup or a copied key?). The alarm is on the Sync screen; "
                                   "acknowledge it to import anyway").format(seq=plan.seq, point=plan.sender_code))
    max_version = _apply(register, plan)
    register.clock.observe(max_version)
    return ImportResult(plan, True, "imported")


def _apply(register, plan: ImportPlan) -> int:
    """Write the plan in one transaction; the highest version written."""
    conn = register.conn
    max_version = 0
    with register.transaction():
        if plan.key_change:
            identity.follow_key_change(register, plan.key_change)
        for table, rows in plan.rows.items():
            for group in _by_columns(rows):
                written = _upsert_or_refuse(register, plan, table, group)
                max_version = max([max_version] + [r["version"] for r in written])
        search.reindex(conn, [r["id"] for r in plan.rows.get("clients", [])])
        if plan.unit_name:
            conn.execute("UPDATE trusted_keys SET unit_name = ? WHERE unit_code = ? AND active = 1",
                         (plan.unit_name, plan.sender_code))
        relay.learn_names(conn, plan.sender_code, plan.relayed_names)
        quarantine.hold(conn, plan.sender_code, plan.seq, plan.refused)
        quarantine.resolve(conn, plan.sender_code, plan.passed)
        counts = {t: c.__dict__ for t, c in plan.counts.items()}
        conn.execute(
            "INSERT OR REPLACE INTO bundles_received (sender, seq, file_hash, prev_hash, first_change, last_change,"
            " created_at, imported_at, imported_by, counts, supersedes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (plan.sender_code, plan.seq, plan.file_hash, plan.header.get("prev_hash"),
             plan.header["changes"]["first"], plan.header["changes"]["last"], str(plan.header.get("created_at", ""))[:40],
             utc_stamp(), register.user.id, json.dumps(counts), json.dumps(_superseded_numbers(plan.header))))
        if plan.status == "fork":
            conn.execute("UPDATE sync_alarms SET acknowledged_at = ?, acknowledged_by = ? WHERE sender = ? AND seq = ?"
                         " AND kind = 'fork' AND acknowledged_at IS NULL",
                         (utc_stamp(), register.user.id, plan.sender_code, plan.seq))
        chain.check_links(register, plan.sender_code, plan.seq, plan.file_hash, plan.header.get("prev_hash"))
        register.audit("bundle.import", "bundles_received", f"{plan.sender_code}:{plan.seq}",
                       {"new": plan.totals().new, "updated": plan.totals().updated, "refused": plan.rejected})
    return max_version


def _upsert_or_refuse(register, plan: ImportPlan, table: str, rows: list[dict]) -> list[dict]:
    """Write rows; if the register's own rules (CHECK, NOT NULL) refuse some, find them one by one
    and hold them instead. Returns the rows written."""
    try:
        with register.transaction():
            _upsert(register.conn, table, rows)
        return rows
    except (sqlcipher.IntegrityError, OverflowError):
        pass
    written = []
    for row in rows:
        try:
            with register.transaction():
                _upsert(register.conn, table, [row])
            written.append(row)
        except (sqlcipher.IntegrityError, OverflowError) as error:
            _refuse_late(plan, table, row, str(error))
    return written


def _refuse_late(plan: ImportPlan, table: str, row: dict, error: str) -> None:
    """A record that passed the checks but broke a rule of the schema (e.g. an unknown code)."""
    plan.refused.append(schema_refusal(table, row, error))
    counts = plan.counts[table]
    counts.rejected += 1
    if row["id"] in plan.passed.get(table, ()):
        plan.passed[table].remove(row["id"])
    # The dry run counted it as new or updated: it is neither now.
    if (table, row["id"]) in plan.new_ids:
        counts.new -= 1
    else:
        counts.updated -= 1


def _by_columns(rows: list[dict]) -> list[list[dict]]:
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    return list(groups.values())


def _upsert(conn, table: str, rows: list[dict]) -> None:
    columns = sorted(rows[0])
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != "id")
    conn.executemany(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        f" ON CONFLICT(id) DO UPDATE SET {updates} WHERE excluded.version > {table}.version",
        [tuple(row[c] for c in columns) for row in rows])


@dataclass(frozen=True)
class RetryResult:
    applied: int       # held records that now passed and were written (or were already there)
    still_held: int


def retry_held(register, sender: str) -> RetryResult:
    """Check the records held from `sender` again and apply those that now pass (after the officer
    pinned a refreshed key file, or after the program was updated). One transaction."""
    register.require(Permission.CASE_WORK)
    conn = register.conn
    pinned = [k for k in identity.trusted_list(conn) if k.unit_code == sender]
    entries = [e for e in quarantine.held(conn, sender) if e.refusal.record is not None]
    if not pinned or not entries:
        return RetryResult(0, len(quarantine.held(conn, sender)))
    key = pinned[0]
    origins = _origins(conn, key)
    tables: dict[str, dict] = {}
    for entry in entries:
        record = entry.refusal.record
        columns = sorted(record)
        block = tables.setdefault((entry.refusal.table, tuple(columns)), {"columns": columns, "rows": []})
        block["rows"].append([record[c] for c in columns])
    passed: dict[str, list[str]] = {}
    max_version = 0
    with register.transaction():
        for (table, _columns), block in tables.items():
            part = ImportPlan(f"{sender}: quarantine", {}, key, "", "new")
            _check_records(conn, part, {table: block}, origins, register.unit().code)
            for name, rows in part.rows.items():
                for group in _by_columns(rows):
                    written = _upsert_or_refuse(register, part, name, group)
                    max_version = max([max_version] + [r["version"] for r in written])
            search.reindex(conn, [r["id"] for r in part.rows.get("clients", [])])
            for name, ids in part.passed.items():
                passed.setdefault(name, []).extend(ids)
        closed = quarantine.resolve(conn, sender, passed)
        register.audit("bundle.retry_held", "quarantine", sender, {"applied": closed})
    register.clock.observe(max_version)
    return RetryResult(closed, len(quarantine.held(conn, sender)))


def _raise_fork_alarm(register, plan: ImportPlan) -> None:
    known = register.conn.execute("SELECT file_hash FROM bundles_received WHERE sender = ? AND seq = ?",
                                  (plan.sender_code, plan.seq)).fetchone()[0]
    exists = register.conn.execute("SELECT 1 FROM sync_alarms WHERE sender = ? AND seq = ? AND other_hash = ?",
                                   (plan.sender_code, plan.seq, plan.file_hash)).fetchone()
    if exists:
        return
    with register.transaction():
        register.conn.execute(
            "INSERT INTO sync_alarms (sender, seq, kind, known_hash, other_hash, raised_at) VALUES (?, ?, 'fork', ?, ?, ?)",
            (plan.sender_code, plan.seq, known, plan.file_hash, utc_stamp()))
        register.audit("bundle.fork_alarm", "bundles_received", f"{plan.sender_code}:{plan.seq}")


def import_bundle(register, data: bytes, file: str, *, dry_run: bool = False, accept_fork: bool = False):
    plan = plan_import(register, data, file)
    if dry_run:
        return plan
    return apply_import(register, plan, accept_fork=accept_fork)
