"""Importing bundles: verify before decrypting, check every record, dry run, then one transaction.

Order of checks (docs/bundle-format.md): container shape and sizes; the
sender's key is pinned; the Ed25519 signature over the header; the payload's
SHA-256; a sealed key for us; decryption and decompression within the
declared sizes; every record's table, columns, values, origin and references.
A bundle that passes the checks of the whole file is applied in one transaction,
version-wins, so importing again (in any order) changes nothing; a record that
breaks a rule is not applied but held in the quarantine (app/sync/quarantine.py)
with the rule it broke, and the receipt tells the sender.

The payload is never decoded whole: it is decrypted, inflated and parsed as it is
read (from the file when a path is given), a batch of records at a time
(app/sync/record_pass.py), so memory stays flat whatever the bundle's size. Only a
small bundle's records are kept after a whole verified pass, so that the scan, the
dry run and the import decode it once (KEEP_DOCUMENT_BYTES).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from app.core.clock import utc_stamp
from app.core.i18n import N_, _
from app.core.progress import Part, Progress, interrupting
from app.core.roles import Permission
from app.store import bundle_log, change_log, key_ring, sync_alarms
from app.store.connection import on_server
from app.store.records import SYNCED_TABLES
from app.sync import chain, container, document_reader, identity, payload, quarantine, record_pass, relay
from app.sync.container import BundleRejected
from app.sync.export import BUNDLE_FORMAT, LOCAL_COLUMNS
from app.sync.persons import PossibleSamePerson
from app.sync.record_checks import MAX_TEXT, Refusal, integer, shown  # noqa: F401  (MAX_TEXT: part of the API)
from app.sync.record_pass import TableCounts

MAX_RECORDS = 5_000_000
MAX_SUPERSEDED = 10_000
REJECTED_SHOWN = 20


@dataclass
class ImportPlan:
    file: str
    header: dict
    sender: identity.Identity
    file_hash: str
    status: str                              # "new" | "already_imported" | "fork"
    counts: dict[str, TableCounts] = field(default_factory=dict)
    refused: list[Refusal] = field(default_factory=list)     # the first 1,000 held back, with the rule broken
    duplicates: list[PossibleSamePerson] = field(default_factory=list)
    key_change: dict | None = None
    unit_name: str = ""
    relayed_names: dict | None = None                        # a relaying office's names of its units
    box: container.Container | None = field(default=None, repr=False)
    payload_key: bytes = field(default=b"", repr=False)

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


def show(data: bytes | Path, file: str) -> dict:
    """The header of a bundle or receipt, read without any key (nothing is verified)."""
    return _container(data, file).header


def _container(source: bytes | Path, file: str) -> container.Container:
    """A bundle in memory, or on disk (then read piece by piece: any size costs a few megabytes)."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return container.read(bytes(source), file)
    try:
        return container.read_path(Path(source), file)
    except OSError as error:
        raise _reject(file, N_("the file cannot be read")) from error


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


def _payload_key(conn, header: dict, file: str) -> bytes:
    mine = {keys.fingerprint: keys for keys in identity.all_own_keys(conn)}
    for entry in header["recipients"]:
        fingerprint = entry.get("fingerprint") if isinstance(entry, dict) else None
        keys = mine.get(fingerprint) if isinstance(fingerprint, str) else None
        if keys is None:
            continue
        try:
            return payload.open_key(identity.unb64(entry["sealed_key"]), keys.enc)
        except (payload.PayloadError, KeyError, ValueError):
            raise _reject(file, N_("its contents do not decrypt or are damaged")) from None
    raise _reject(file, N_("it is encrypted for another office, not for this register"))


def _columns(conn) -> dict[str, set[str]]:
    return {table: set(change_log.columns(conn, table)) - LOCAL_COLUMNS for table in SYNCED_TABLES}


# A bundle whose document is at most this large (decompressed) is decoded once: its events are kept
# in memory after the first whole pass, and the next passes over the same file (scan, dry run,
# import) read them from there. A province's first bundles are a few MB each; a busy point's full
# bundle (50 MB and more) is streamed every time, so memory stays flat whatever the size.
KEEP_DOCUMENT_BYTES = 8 << 20
_kept: tuple[str, list] | None = None   # (file hash, events): one bundle, the one read last


def _events(plan: ImportPlan):
    """The document's events (document_reader), decrypted from the payload as they are read, or
    the events of the last whole pass over this same file."""
    kept = _kept
    if kept is not None and kept[0] == plan.file_hash:
        return iter(kept[1])
    box = plan.box
    raw_length = plan.header["payload"]["raw_length"]
    events = document_reader.read(payload.open_stream(_same_as_signed(box), box.payload_length, plan.payload_key,
                                                      raw_length))
    return _keeping(plan.file_hash, events) if raw_length <= KEEP_DOCUMENT_BYTES else events


def _keeping(file_hash: str, events):
    """`events`, kept once the document's head has come: the reader yields it last, after the
    whole payload was decrypted, its tags and SHA-256 checked and nothing found after the document,
    so only events of a whole, verified file are ever kept."""
    global _kept
    seen = []
    for event in events:
        seen.append(event)
        if event[0] == "head":
            _kept = (file_hash, seen)
        yield event


def forget_kept() -> None:
    """Drop the kept events (after an import, or when the register locks)."""
    global _kept
    _kept = None


def _same_as_signed(box: container.Container):
    """The payload's pieces, hashed again as they are read: a file changed on the disk since it was
    checked fails (inside the import's transaction, so nothing of it stays)."""
    digest = hashlib.sha256()
    for piece in box.pieces(payload.CHUNK + payload.TAG):
        digest.update(piece)
        yield piece
    if digest.hexdigest() != box.payload_sha256:
        raise payload.PayloadError("the file changed after it was checked")


def _counted(events, progress: Progress | Part):
    """The events, adding each batch's records to `progress` once the batch is done (and stopping
    there on a cancel: the caller's transaction rolls back)."""
    for event in events:
        yield event
        if event[0] == "rows":
            progress.add(len(event[3]))


def records_in(plan: ImportPlan) -> int:
    """The records the bundle says it holds (for a progress bar: each pass over it reads them once)."""
    counts = plan.header.get("counts")
    return sum(n for n in counts.values() if isinstance(n, int)) if isinstance(counts, dict) else 0


def _pass(plan: ImportPlan, work, progress: Progress | Part | None = None):
    """Run `work(events)` over a fresh read of the payload; damage found on the way rejects the bundle."""
    try:
        events = _events(plan)
        return work(_counted(events, progress) if progress is not None else events)
    except (payload.PayloadError, document_reader.DocumentError, OSError):
        raise _reject(plan.file, N_("its contents do not decrypt or are damaged")) from None
    except record_pass.TooManyRecords:
        raise _reject(plan.file, N_("it holds an unreasonable number of records")) from None


def _status(conn, sender: str, seq: int, file_hash: str) -> str:
    known = bundle_log.received_hash(conn, sender, seq)
    if known is None:
        return "new"
    return "already_imported" if known == file_hash else "fork"


def _origins(conn, sender: identity.Identity) -> tuple[set[str], str | None]:
    """Whose records `sender` may bring: its own, and an office's also those of the units an officer
    assigned to it here (relay.assign), never the list its key file claims."""
    if sender.role != "district":
        return {sender.unit_code}, None
    return {sender.unit_code} | relay.relayed_by(conn, sender.unit_code), sender.unit_code


PASSES_PLAN = 2   # a dry run reads the records twice (arriving origins, then every check)


def plan_import(register, data: bytes | Path, file: str, progress: Progress | Part | None = None) -> ImportPlan:
    """Verify, decrypt and compare a bundle with the register: the dry run. Writes nothing.

    `data` is the file's bytes or its path (a path keeps memory flat for any size). `progress`
    counts each record once per pass (PASSES_PLAN) and may cancel."""
    register.require(Permission.CASE_WORK)
    conn = register.conn
    box = _container(data, file)
    header = box.header
    _header_fields(header, file)
    sender, key_change = _sender(conn, header, file)
    if not sender.verify(box.signature, box.signed_part):
        raise _reject(file, N_("its signature does not match the sender's key (changed or forged)"))
    if box.payload_sha256 != header["payload"]["sha256"]:
        raise _reject(file, N_("its contents were changed or damaged after it was signed"))
    if register.unit().code == sender.unit_code:
        raise _reject(file, N_("it was made by this register itself"))
    if hasattr(register, "require_unit"):   # an office on a server: only officers serving the sender
        register.require_unit(sender.unit_code)
    key = _payload_key(conn, header, file)
    plan = ImportPlan(file, header, sender, box.file_hash, _status(conn, sender.unit_code, header["seq"], box.file_hash),
                      key_change=key_change, box=box, payload_key=key)
    if progress is not None:
        progress.expect(records_in(plan) * PASSES_PLAN)
    with interrupting(conn, progress):
        _scan(register, plan, progress)
        outcome = _pass(plan, lambda events: _checker(register, plan, write=False).run(events), progress)
    plan.counts, plan.refused, plan.duplicates = outcome.counts, outcome.refused, outcome.duplicates
    return plan


def _scan(register, plan: ImportPlan, progress: Progress | Part | None = None) -> None:
    """Pass 1: the head must match the header; note arriving origins for the reference checks."""
    conn = register.conn
    head, tables_ok = _pass(plan, lambda events: record_pass.scan(conn, events, _columns(conn),
                                                                  _origins(conn, plan.sender), MAX_RECORDS,
                                                                  plan.file_hash), progress)
    if (head.get("format") != "tuvan-records" or head.get("sender") != plan.sender_code
            or head.get("seq") != plan.seq or not tables_ok):
        raise _reject(plan.file, N_("its contents do not match its header"))
    unit = head.get("unit")
    name = unit.get("name") if isinstance(unit, dict) else None
    plan.unit_name = shown(name, 200) if isinstance(name, str) else ""
    plan.relayed_names = unit.get("relayed") if isinstance(unit, dict) else None


def _checker(register, plan: ImportPlan, *, write: bool) -> record_pass.Checker:
    conn = register.conn
    return record_pass.Checker(register, plan.sender_code, plan.seq, _columns(conn), _origins(conn, plan.sender),
                               register.unit().code, write)


@dataclass(frozen=True)
class ImportResult:
    plan: ImportPlan
    applied: bool
    message_key: str   # "imported" | "already_imported"


def apply_import(register, plan: ImportPlan, *, accept_fork: bool = False,
                 progress: Progress | Part | None = None) -> ImportResult:
    """Apply a verified plan in one transaction (version-wins upserts); refused records are held.
    Every check is made again while writing (on the records kept from the dry run if the bundle is
    small, else on a fresh read of the file): `plan` then says what was done. `progress` counts each
    record once (twice when the dry run's scan must be made again); a cancel rolls the whole bundle
    back."""
    if plan.status == "already_imported":
        return ImportResult(plan, False, "already_imported")
    if plan.status == "fork" and not accept_fork:
        _raise_fork_alarm(register, plan)
        raise _reject(plan.file, _("bundle {seq} from {point} was already imported with different contents (a "
                                   "restored backup or a copied key?). The alarm is on the Sync screen; "
                                   "acknowledge it to import anyway").format(seq=plan.seq, point=plan.sender_code))
    max_version = _apply(register, plan, progress)
    if max_version is None:   # another officer imported it since this one's dry run
        return ImportResult(plan, False, "already_imported")
    register.clock.observe(max_version)
    return ImportResult(plan, True, "imported")


def _status_now(register, plan: ImportPlan) -> str:
    """The bundle's status as its transaction starts. On a server two officers may import at once:
    bundles of one point are applied one after the other (a lock held to the transaction's end),
    and the second to apply a bundle finds it imported."""
    conn = register.conn
    if not on_server(conn):
        return plan.status
    conn.execute("SELECT pg_advisory_xact_lock(hashtext(?))", (f"tuvan import {plan.sender_code}",))
    return _status(conn, plan.sender_code, plan.seq, plan.file_hash)


def _apply(register, plan: ImportPlan, progress: Progress | Part | None) -> int | None:
    """Write the bundle in one transaction; the highest version written (None: it was imported
    meanwhile)."""
    conn = register.conn
    if progress is not None:
        progress.expect(records_in(plan) * (1 if record_pass.scanned(conn, plan.file_hash) else 2))
    with register.transaction(), interrupting(conn, progress):
        now = _status_now(register, plan)
        if now == "already_imported":
            return None
        if now != plan.status:
            raise _reject(plan.file, N_("another officer imported a different bundle with its number meanwhile: "
                                        "check it again (dry run) before importing"))
        if plan.key_change:
            identity.follow_key_change(register, plan.key_change)
        if not record_pass.scanned(conn, plan.file_hash):   # another file was checked since its dry run
            _scan(register, plan, progress)
        outcome = _pass(plan, lambda events: _checker(register, plan, write=True).run(events), progress)
        forget_kept()
        plan.counts, plan.refused = outcome.counts, outcome.refused
        if plan.unit_name:
            key_ring.rename_unit(conn, plan.sender_code, plan.unit_name)
        relay.learn_names(conn, plan.sender_code, plan.relayed_names)
        counts = {t: c.__dict__ for t, c in plan.counts.items()}
        bundle_log.record_received(conn, plan.sender_code, plan.seq, plan.file_hash, plan.header.get("prev_hash"),
                                   plan.header["changes"]["first"], plan.header["changes"]["last"],
                                   str(plan.header.get("created_at", ""))[:40], utc_stamp(), register.user.id,
                                   json.dumps(counts), json.dumps(_superseded_numbers(plan.header)))
        if plan.status == "fork":
            sync_alarms.acknowledge(conn, plan.sender_code, plan.seq, utc_stamp(), register.user.id, kind="fork")
        chain.check_links(register, plan.sender_code, plan.seq, plan.file_hash, plan.header.get("prev_hash"))
        register.audit("bundle.import", "bundles_received", f"{plan.sender_code}:{plan.seq}",
                       {"new": plan.totals().new, "updated": plan.totals().updated, "refused": plan.rejected})
    return outcome.max_version


@dataclass(frozen=True)
class RetryResult:
    applied: int       # held records that now pass and were written (or were already there)
    still_held: int


def retry_held(register, sender: str) -> RetryResult:
    """Check the records held from `sender` again and apply those that now pass (after the officer
    pinned a refreshed key file or assigned a unit, or after the program was updated). One transaction."""
    register.require(Permission.CASE_WORK)
    conn = register.conn
    pinned = [k for k in identity.trusted_list(conn) if k.unit_code == sender]
    entries = [e for e in quarantine.held(conn, sender) if e.refusal.record is not None]
    if not pinned or not entries:
        return RetryResult(0, len(quarantine.held(conn, sender)))
    blocks: dict[tuple[str, tuple], list] = {}
    for entry in entries:
        record = entry.refusal.record
        columns = tuple(sorted(record))
        blocks.setdefault((entry.refusal.table, columns), []).append([record[c] for c in columns])
    events = [("rows", table, list(columns), rows) for (table, columns), rows in blocks.items()]
    origins = _origins(conn, pinned[0])
    with register.transaction():
        before = len(quarantine.held(conn, sender))
        record_pass.scan(conn, iter(events + [("head", {}, True)]), _columns(conn), origins, MAX_RECORDS)
        # Those that still fail keep the entries they came from.
        checker = record_pass.Checker(register, sender, 0, _columns(conn), origins, register.unit().code, True)
        checker.hold_again = False
        outcome = checker.run(iter(events))
        closed = before - len(quarantine.held(conn, sender))
        register.audit("bundle.retry_held", "quarantine", sender, {"applied": closed})
    register.clock.observe(outcome.max_version)
    return RetryResult(closed, len(quarantine.held(conn, sender)))


def _raise_fork_alarm(register, plan: ImportPlan) -> None:
    known = bundle_log.received_hash(register.conn, plan.sender_code, plan.seq)
    if sync_alarms.alarm_exists(register.conn, plan.sender_code, plan.seq, plan.file_hash):
        return
    with register.transaction():
        sync_alarms.raise_alarm(register.conn, plan.sender_code, plan.seq, "fork", known, plan.file_hash, utc_stamp())
        register.audit("bundle.fork_alarm", "bundles_received", f"{plan.sender_code}:{plan.seq}")


def import_bundle(register, data: bytes | Path, file: str, *, dry_run: bool = False, accept_fork: bool = False):
    plan = plan_import(register, data, file)
    if dry_run:
        return plan
    return apply_import(register, plan, accept_fork=accept_fork)
