"""Bad input (docs/design.md §9): mutated and forged bundles are rejected, never half-imported.

Valid bundles from real registers are mutated (bit flips, inserted and deleted
bytes, truncation, header fields changed and re-encoded with the original
signature, re-signing with another enrolled point's key, swapped recipient
entries, oversized lengths). Every import must either raise BundleRejected or be
the "already imported" no-op of the identical bundle: never another exception,
never a change to the register. A second fuzzer plays a dishonest enrolled point
that signs well-formed bundles full of hostile records; a third a relaying office
below that brings records of units it was and was not assigned.

Examples per test: TUVAN_FUZZ_EXAMPLES (default a few hundred; `make reliability`
runs 10,000).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import struct
import tempfile
import uuid
import zlib
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, configuration, event, given, settings
from hypothesis import strategies as st

from app.core.unit import make_unit
from app.demo import writer as demo
from app.store import clients
from app.store.register import create_register
from app.store.records import SYNCED_TABLES
from app.sync import container, export, identity, merge, payload, quarantine, relay
from app.sync.record_checks import FOREIGN_ORIGIN, NOT_ASSIGNED
from app.sync.container import MAGIC, BundleRejected
from tests.conftest import PASSPHRASE

EXAMPLES = int(os.environ.get("TUVAN_FUZZ_EXAMPLES", "300"))
RELAY = "BK-CA"          # an office below the district, relaying
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
ASSIGNED = {RELAY, "MYHOA-01"}
# Hypothesis keeps caches in ./.hypothesis; keep the working tree clean (no example database either).
configuration.set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "tuvan-hypothesis")
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None, print_blob=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])


def _register(root, role, code, name):
    register, _ = create_register(root / code, unit=make_unit(role, code, name), admin_login="admin",
                                  admin_full_name="Quản Trị Viên", passphrase=PASSPHRASE)
    return register


def _pin(receiver, sender, **how):
    me = identity.own_identity(sender)
    identity.pin(receiver, identity.identity_from_bytes(me.to_bytes()), me.confirmation, **how)


class World:
    """The registers and keys the fuzzers share (a plain class: failure reports print it short)."""

    def __init__(self, done, fresh, bundles: list[bytes], signers: dict, fingerprints: dict[str, str],
                 rows: dict[str, dict]):
        self.done = done                    # district that imported every base bundle
        self.fresh = fresh                  # district that imported nothing (dry runs only)
        self.bundles = bundles              # base bundles: two recipients; one also announces a key change
        self.signers = signers              # unit code -> current Ed25519 signing key
        self.fingerprints = fingerprints    # unit code -> current fingerprint
        self.rows = rows                    # table -> one real exported row (a template)
        self.seq = [1000]                   # bundle numbers of crafted bundles

    def __repr__(self) -> str:
        return "World(...)"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    done = _register(root, "district", "LX-CA", "Công an thành phố Long Xuyên")
    fresh = _register(root, "district", "CD-CA", "Công an huyện Châu Đốc")
    myhoa = _register(root, "point", "MYHOA-01", "Điểm tư vấn xã Mỹ Hòa")
    phuthanh = _register(root, "point", "PHUTHANH-01", "Điểm tư vấn xã Phú Thạnh")
    mythoi = _register(root, "point", "MYTHOI-01", "Điểm tư vấn xã Mỹ Thới")
    demo.fill(myhoa, clients=20, months=1, seed=7)
    clients.create(mythoi, {"full_name": "Lê Thị Bích", "sex": "female", "birth_year": 1988,
                            "intake_date": "2025-03-04", "main_group": "dependent"})
    for point in (myhoa, phuthanh, mythoi):
        for district in (done, fresh):
            _pin(point, district)
            _pin(district, point)
    # An office below LX-CA that relays: it serves MYHOA-01 and MYTHOI-01, LX-CA accepted MYHOA-01 only.
    relaying = _register(root, "district", RELAY, "Công an phường Bình Khánh")
    for point in (myhoa, mythoi):
        _pin(relaying, point)
    _pin(done, relaying, sends_here=True)
    relay.assign(done, RELAY, ["MYHOA-01"])
    identity.rotate_keys(mythoi)      # its bundle carries the key change, signed with the old key
    bundles = []
    for point in (myhoa, mythoi):
        made = export.export_bundles(point, root / "usb" / point.origin)
        assert len(made) == 1
        bundles.append(made[0].path.read_bytes())
    for data in bundles:
        assert merge.import_bundle(done, data, "base.tvb").applied
    # Record templates as a reader sees them (whatever the payload's table layout): a dry run.
    rows = {}
    for table in SYNCED_TABLES:
        columns = [c[1] for c in myhoa.conn.execute(f"PRAGMA table_info({table})") if c[1] not in export.LOCAL_COLUMNS]
        found = myhoa.conn.execute(f"SELECT {', '.join(columns)} FROM {table} LIMIT 1").fetchone()
        if found:
            rows[table] = dict(zip(columns, found))
    signers = {p.origin: identity.own_keys(p).sign for p in (myhoa, phuthanh, mythoi, relaying)}
    fingerprints = {p.origin: identity.own_keys(p).fingerprint for p in (myhoa, phuthanh, mythoi, relaying)}
    for point in (myhoa, phuthanh, mythoi, relaying):
        point.close()
    yield World(done, fresh, bundles, signers, fingerprints, rows)
    done.close()
    fresh.close()


def _snapshot(register) -> dict:
    conn = register.conn
    state = {t: conn.execute(f"SELECT count(*), coalesce(max(version), 0) FROM {t}").fetchone() for t in SYNCED_TABLES}
    for name, sql in {
        "change_log": "SELECT coalesce(max(change_no), 0) FROM change_log",
        "bundles_received": "SELECT count(*), group_concat(file_hash) FROM bundles_received",
        "sync_alarms": "SELECT count(*) FROM sync_alarms",
        "trusted_keys": "SELECT count(*), sum(active), group_concat(points) FROM trusted_keys",
        "audit_log": "SELECT coalesce(max(seq), 0) FROM audit_log",
    }.items():
        state[name] = conn.execute(sql).fetchone()
    return state


# --- taking a bundle apart and putting it together ------------------------------------

def _parts(data: bytes) -> tuple[dict, bytes, bytes]:
    (length,) = struct.unpack(">I", data[8:12])
    header = json.loads(data[12:12 + length])
    return header, data[12 + length:12 + length + 64], data[12 + length + 64:]


def _encode(header, style: str) -> bytes:
    if style == "canonical":
        try:
            return container.canonical(header)
        except UnicodeEncodeError:     # a lone surrogate: only an escaped form can carry it
            style = "ascii"
    if style == "ascii":
        return json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
    return json.dumps(header, indent=1).encode()       # valid JSON, not canonical


def _join(header_bytes: bytes, signature: bytes, body: bytes, length: int | None = None) -> bytes:
    return MAGIC + struct.pack(">I", len(header_bytes) if length is None else length) + header_bytes + signature + body


def _paths(value, prefix=()):
    """Every (path, value) inside a header, containers included."""
    yield prefix, value
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*prefix, index))


def _set(document, path, value):
    target = document
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value


def _copy(value):
    return json.loads(json.dumps(value))


# --- strategies --------------------------------------------------------------------

ODD_TEXT = st.sampled_from(["", " ", "\ud800", "\udfff", "\x00", "ơ\u0301", "NaN", "x" * 300, "0" * 64,
                            "MYHOA-01", "PHUTHANH-01", "LX-CA", "tuvan-bundle", "null", "\u2028"])
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=-2 ** 70, max_value=2 ** 70),
    st.sampled_from([0, 1, -1, 2 ** 31, 2 ** 32 - 1, 2 ** 62, 2 ** 63 - 1, 2 ** 63, 2 ** 64, -2 ** 63 - 1]),
    st.floats(), st.text(max_size=12), ODD_TEXT,
)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.text(max_size=6) | ODD_TEXT, inner, max_size=3), max_leaves=6)
IDS = st.binary(min_size=16, max_size=16) | st.sampled_from([bytes(16), bytes([1] * 16)])
HEADER_SIZES = st.one_of(st.integers(0, 2 ** 32 - 1),
                         st.sampled_from([0, 1, container.MAX_HEADER_BYTES, container.MAX_HEADER_BYTES + 1,
                                          2 ** 31, 2 ** 32 - 1]))


@st.composite
def mutations(draw, world: World):
    """(bytes, base bytes, dry_only): a mutated bundle; dry_only when re-signed by its own sender."""
    base = draw(st.sampled_from(world.bundles))
    header, signature, body = _parts(base)
    header_end = 12 + len(_encode(header, "canonical")) + 64
    kind = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "length", "field", "recipients",
                                 "resign_other", "resign_own"]))
    data = bytearray(base)

    def position(limit: int) -> int:
        return draw(st.one_of(st.integers(0, min(header_end, limit)), st.integers(0, limit)))

    if kind == "flip":
        for _ in range(draw(st.integers(1, 4))):
            spot = position(len(data) - 1)
            data[spot] ^= 1 << draw(st.integers(0, 7))
        return bytes(data), base, False
    if kind == "insert":
        spot = position(len(data))
        data[spot:spot] = draw(st.binary(min_size=0, max_size=40))
        return bytes(data), base, False
    if kind == "delete":
        spot = position(len(data) - 1)
        del data[spot:spot + draw(st.integers(0, 300))]
        return bytes(data), base, False
    if kind == "truncate":
        return bytes(data[:position(len(data))]), base, False
    if kind == "length":
        data[8:12] = struct.pack(">I", draw(HEADER_SIZES))
        return bytes(data), base, False

    changed = _copy(header)
    if kind in ("field", "resign_other", "resign_own"):
        for _ in range(draw(st.integers(0 if kind != "field" else 1, 3))):
            path, current = draw(st.sampled_from(list(_paths(changed))))
            action = draw(st.sampled_from(["replace", "delete", "add"]))
            if action == "replace" and path:
                _set(changed, path, draw(VALUES))
            elif action == "delete" and path and isinstance(_parent(changed, path), dict):
                del _parent(changed, path)[path[-1]]
            elif action == "add" and isinstance(current, dict):
                current[draw(st.text(max_size=8) | ODD_TEXT)] = draw(VALUES)
            elif action == "add" and isinstance(current, list):
                current.append(draw(VALUES))
    if kind == "recipients" or (kind != "field" and draw(st.booleans())):
        entries = changed.get("recipients")
        if isinstance(entries, list) and len(entries) >= 2 and all(isinstance(e, dict) for e in entries):
            how = draw(st.sampled_from(["order", "keys", "drop", "double"]))
            if how == "order":
                entries.reverse()
            elif how == "keys":
                entries[0]["sealed_key"], entries[1]["sealed_key"] = entries[1].get("sealed_key"), entries[0].get(
                    "sealed_key")
            elif how == "drop":
                entries.pop(draw(st.integers(0, len(entries) - 1)))
            else:
                entries.append(_copy(entries[0]))
    if kind == "resign_other" and draw(st.booleans()):
        # Pose as the other point too (its code and fingerprint) or as the sender (keep both).
        other = draw(st.sampled_from(["PHUTHANH-01", "MYHOA-01", "MYTHOI-01"]))
        if isinstance(changed.get("sender"), dict):
            what = draw(st.sampled_from(["both", "unit_code", "fingerprint"]))
            if what != "fingerprint":
                changed["sender"]["unit_code"] = other
            if what != "unit_code":
                changed["sender"]["fingerprint"] = world.fingerprints[other]
    if kind in ("field", "recipients") and draw(st.booleans()) and isinstance(changed.get("payload"), dict):
        changed["payload"]["length"] = draw(st.sampled_from([0, 2 ** 31, container.MAX_PAYLOAD_BYTES + 1, 2 ** 64]))
    header_bytes = _encode(changed, draw(st.sampled_from(["canonical", "canonical", "ascii", "indented"])))
    sender = header.get("sender", {}).get("unit_code")
    if kind == "resign_other":
        signer = world.signers[draw(st.sampled_from(sorted(set(world.signers) - {sender})))]
    elif kind == "resign_own":
        signer = world.signers[sender]
    else:
        signer = None
    if signer is not None:
        signature = signer.sign(MAGIC + struct.pack(">I", len(header_bytes)) + header_bytes)
    length = draw(st.one_of(st.none(), HEADER_SIZES)) if draw(st.integers(0, 9)) == 0 else None
    return _join(header_bytes, signature, body, length), base, kind == "resign_own"


def _reason(rejected: BundleRejected) -> str:
    return str(rejected.params.get("reason"))[:60]


def _kind(rejected: BundleRejected) -> str:
    """The reason without its numbers, so the tally groups alike rejections."""
    reason = str(rejected.params.get("reason")).split(" (")[0]
    return re.sub(r"[0-9a-f]{16,}|\d+", "#", reason)[:72]


@contextmanager
def _crashes_counted(tally, check):
    """An exception other than a rejection or a failed check is a crash: counted, then raised."""
    try:
        yield
    except (AssertionError, BundleRejected):
        raise
    except Exception:
        tally.add(check, crashes=1)
        raise


def _parent(document, path):
    target = document
    for step in path[:-1]:
        target = target[step]
    return target


@FUZZ
@given(st.data())
def test_mutated_bundles_are_rejected_and_change_nothing(world, tally, data):
    check = "fuzz: mutated and forged bundles"
    mutated, base, dry_only = data.draw(mutations(world))
    before = {"done": _snapshot(world.done), "fresh": _snapshot(world.fresh)}
    tally.add(check, trials=1)
    with _crashes_counted(tally, check):
        _check_mutated(world, mutated, base, dry_only, tally, check)
    changed = _snapshot(world.done) != before["done"] or _snapshot(world.fresh) != before["fresh"]
    tally.add(check, partial=int(changed))
    assert not changed


def _check_mutated(world, mutated, base, dry_only, tally, check):

    # A district that never saw the bundle: the dry run accepts only the untouched bundle.
    try:
        plan = merge.plan_import(world.fresh, mutated, "fuzz.tvb")
    except BundleRejected as rejected:
        event(_reason(rejected))  # --hypothesis-show-statistics: which check stopped it
        tally.note(check, **{"rejected: " + _kind(rejected): 1})
    else:
        assert mutated == base or dry_only, "a changed bundle passed every check"
        assert plan.status == "new"
        tally.note(check, **{"accepted (untouched, or re-signed by its own sender)": 1})

    # The district that imported it: rejected, or the identical bundle's "already imported".
    try:
        if dry_only:
            merge.plan_import(world.done, mutated, "fuzz.tvb")
        else:
            result = merge.import_bundle(world.done, mutated, "fuzz.tvb")
            assert mutated == base, "a changed bundle was imported"
            assert result.message_key == "already_imported" and not result.applied
    except BundleRejected as rejected:
        assert rejected.message  # formats in the current language without error


# --- a dishonest enrolled point: well-formed, validly signed, hostile contents ----------

def _craft(world: World, document, *, sender="PHUTHANH-01", seq=None, raw: bytes | None = None,
           role="point") -> bytes:
    """A bundle `sender` really signs and seals to both districts."""
    body = raw if raw is not None else json.dumps(document, separators=(",", ":")).encode()
    sealed, key = payload.seal(zlib.compress(body))
    header = {
        "format": "tuvan-bundle", "version": 1, "program": "fuzz",
        "sender": {"unit_code": sender, "role": role, "register_id": "fuzz",
                   "fingerprint": world.fingerprints[sender]},
        "seq": seq, "prev_hash": None, "changes": {"first": 1, "last": 1}, "created_at": "2026-01-01T00:00:00.000000Z",
        "counts": {}, "recipients": [
            {"fingerprint": identity.own_identity(d).fingerprint, "unit_code": d.origin,
             "sealed_key": identity.b64(payload.seal_key(key, identity.own_identity(d).enc_key))}
            for d in (world.done, world.fresh)],
        "payload": {"length": len(sealed), "sha256": hashlib.sha256(sealed).hexdigest(), "raw_length": len(body),
                    "compression": "zlib", "cipher": "chacha20poly1305", "chunk_size": payload.CHUNK},
    }
    return container.write(header, world.signers[sender].sign, sealed)


@st.composite
def hostile_documents(draw, world: World):
    world.seq[0] += 1
    seq = world.seq[0]
    tables = {}
    existing = [row[0] for row in world.done.conn.execute("SELECT id FROM contacts LIMIT 5")]
    for table in draw(st.lists(st.sampled_from(sorted(world.rows)), min_size=1, max_size=3, unique=True)):
        rows = []
        for _ in range(draw(st.integers(1, 3))):
            # Ids drawn (not made) so an example replays exactly; small pools repeat ids within and
            # across bundles, which exercises updates and duplicates.
            row = {**world.rows[table], "id": str(uuid.UUID(bytes=draw(IDS))), "origin": "PHUTHANH-01"}
            for _ in range(draw(st.integers(0, 3))):
                name = draw(st.sampled_from(sorted(row)))
                action = draw(st.sampled_from(["value", "value", "drop", "extra"]))
                if action == "value":
                    row[name] = draw(VALUES | st.sampled_from(["", "MYHOA-01", "x" * (merge.MAX_TEXT + 1)]))
                elif action == "drop":
                    row.pop(name)
                else:
                    row[draw(st.text(max_size=8) | ODD_TEXT)] = draw(VALUES)
            if existing and draw(st.integers(0, 9)) == 0:
                row["id"] = draw(st.sampled_from(existing))    # another point's record
            rows.append(row)
        tables[table] = _block(draw, rows)
    if draw(st.integers(0, 9)) == 0:
        tables[draw(st.text(max_size=10) | ODD_TEXT)] = draw(VALUES)
    document = {"format": "tuvan-records", "version": 1, "sender": "PHUTHANH-01", "seq": seq,
                "unit": {"code": "PHUTHANH-01", "name": draw(st.text(max_size=10) | ODD_TEXT)}, "tables": tables}
    if draw(st.integers(0, 9)) == 0:
        path, _value = draw(st.sampled_from([p for p in _paths(document) if p[0] and len(p[0]) <= 2]))
        _set(document, path, draw(VALUES))
    return document, seq


def _block(draw, rows: list[dict]):
    """Records in the payload's table layout ({"columns": [...], "rows": [[...], ...]}), sometimes bent."""
    columns = list(dict.fromkeys(name for row in rows for name in row))   # a dropped field is null
    block = {"columns": columns, "rows": [[row.get(name) for name in columns] for row in rows]}
    how = draw(st.sampled_from(["as is"] * 12 + ["short row", "long row", "record object", "repeated column",
                                                 "columns not text", "no rows", "list of objects"]))
    if how == "short row":
        block["rows"][0] = block["rows"][0][:-1]
    elif how == "long row":
        block["rows"][0].append(None)
    elif how == "record object":
        block["rows"][0] = rows[0]
    elif how == "repeated column":
        block["columns"].append(columns[0])
        for values in block["rows"]:
            values.append(values[0])
    elif how == "columns not text":
        block["columns"][0] = draw(VALUES)
    elif how == "no rows":
        block.pop("rows")
    elif how == "list of objects":
        return rows
    return block


@FUZZ
@given(st.data())
def test_hostile_records_from_an_enrolled_point_are_applied_or_held_never_half(world, tally, data):
    check = "fuzz: hostile records, validly signed"
    document, seq = data.draw(hostile_documents(world))
    bundle = _craft(world, document, seq=seq)
    before = _snapshot(world.done)
    tally.add(check, trials=1)
    with _crashes_counted(tally, check):
        outcome = _check_hostile(world, bundle, before, document)
    tally.note(check, **{outcome: 1})
    if outcome.startswith("rejected"):
        changed = _snapshot(world.done) != before
        tally.add(check, partial=int(changed))
        assert not changed, f"{outcome}, yet the register changed"


def _doc_records(document) -> list[tuple[str, dict]]:
    """(table, record) of every row a reader can take as a record: in a well-formed block, an array as
    long as the column list, with a text id."""
    found = []
    tables = document.get("tables") if isinstance(document, dict) else None
    for table, block in (tables.items() if isinstance(tables, dict) else []):
        if not isinstance(block, dict) or not isinstance(block.get("rows"), list):
            continue
        columns = block.get("columns")
        if not (isinstance(columns, list) and all(isinstance(c, str) for c in columns)
                and len(set(columns)) == len(columns)):
            continue
        for row in block["rows"]:
            # A row is an array as long as the column list; the reader also takes a record written as
            # an object (it then passes the same checks).
            record = dict(zip(columns, row)) if isinstance(row, list) and len(row) == len(columns) else row
            if isinstance(record, dict):
                # Only a well-formed id can be written; others are refused (and may not even encode).
                if isinstance(record.get("id"), str) and UUID.match(record["id"]) and table in SYNCED_TABLES:
                    found.append((table, record))
    return found


def _state_of(register, records) -> dict:
    return {(table, r["id"]): register.conn.execute(f"SELECT origin, version FROM {table} WHERE id = ?",
                                                    (r["id"],)).fetchone() for table, r in records}


def _check_hostile(world, bundle, before, document) -> str:
    records = _doc_records(document)
    states = _state_of(world.done, records)
    try:
        plan = merge.plan_import(world.done, bundle, "hostile.tvb")
    except BundleRejected as rejected:
        event(_reason(rejected))
        return "rejected: " + _kind(rejected)
    held_before = len(quarantine.held(world.done.conn, include_resolved=True))
    try:
        result = merge.apply_import(world.done, plan)
    except BundleRejected as rejected:
        event(_reason(rejected))
        return "rejected: " + _kind(rejected)
    event("applied, bad records held" if plan.rejected else "applied")
    assert result.applied
    after = _snapshot(world.done)
    # A record changed only to a later state of the sender's own (one row per new id, however often a
    # bundle repeats it); everything else stays as it was.
    for key, state in _state_of(world.done, records).items():
        if state != states[key]:
            assert state[0] == "PHUTHANH-01", (key, state)
            assert states[key] is None or (states[key][0] == "PHUTHANH-01" and state[1] > states[key][1])
    for table in SYNCED_TABLES:
        new_ids = {r["id"] for t, r in records if t == table and states[(t, r["id"])] is None}
        assert 0 <= after[table][0] - before[table][0] <= len(new_ids), table
    # Every refusal is held for the officer (the same refusal of the same state once).
    held = len(quarantine.held(world.done.conn, include_resolved=True)) - held_before
    assert held <= len(plan.refused)
    for r in plan.refused:
        assert world.done.conn.execute(
            "SELECT 1 FROM quarantine WHERE sender = 'PHUTHANH-01' AND table_name = ? AND record_id = ?"
            " AND version = ? AND reason = ?", (r.table, r.record_id, r.version, str(r.reason))).fetchone(), r
    assert world.done.clock.last < 2 ** 63 - 2 ** 32   # the clock can still count on
    return "applied, bad records held" if plan.rejected else "applied"


@st.composite
def relayed_documents(draw, world: World):
    """What an office below may send: records of itself, of a unit assigned to it, of a unit it serves
    but was not assigned, of a point the district trusts directly, or of a made-up unit."""
    world.seq[0] += 1
    seq = world.seq[0]
    tables = {}
    for table in draw(st.lists(st.sampled_from(sorted(world.rows)), min_size=1, max_size=3, unique=True)):
        rows = []
        for _ in range(draw(st.integers(1, 4))):
            origin = draw(st.sampled_from([RELAY, "MYHOA-01", "MYHOA-01", "MYTHOI-01", "PHUTHANH-01"])
                          | st.text(max_size=8) | ODD_TEXT | VALUES)
            row = {**world.rows[table], "id": str(uuid.UUID(bytes=draw(IDS))), "origin": origin,
                   "version": draw(st.integers(1, 2 ** 62))}
            rows.append(row)
        tables[table] = _block(draw, rows)
    names = draw(st.sampled_from([None, {"MYHOA-01": "Điểm tư vấn xã Mỹ Hòa"}, {"MYTHOI-01": "x" * 500}, []]))
    unit = {"code": RELAY, "name": "Công an phường Bình Khánh", "role": "district"}
    if names is not None:
        unit["relayed"] = names
    return {"format": "tuvan-records", "version": 1, "sender": RELAY, "seq": seq, "unit": unit, "tables": tables}, seq


@FUZZ
@given(st.data())
def test_relayed_records_are_taken_only_for_the_units_assigned_to_the_office(world, tally, data):
    check = "fuzz: relayed records, validly signed by an office below"
    document, seq = data.draw(relayed_documents(world))
    bundle = _craft(world, document, sender=RELAY, seq=seq, role="district")
    before = _snapshot(world.done)
    foreign = {}     # (table, id) of each record of a unit not assigned -> its state before
    for table, record in _doc_records(document):
        if not (isinstance(record.get("origin"), str) and record["origin"] in ASSIGNED):
            foreign[(table, record["id"])] = world.done.conn.execute(
                f"SELECT origin, version FROM {table} WHERE id = ?", (record["id"],)).fetchone()
    assigned_ids = {(t, r["id"]) for t, r in _doc_records(document)
                    if isinstance(r.get("origin"), str) and r["origin"] in ASSIGNED}
    everything_before = _state_of(world.done, _doc_records(document))
    tally.add(check, trials=1)
    with _crashes_counted(tally, check):
        try:
            plan = merge.plan_import(world.done, bundle, "relayed.tvb")
            merge.apply_import(world.done, plan)
        except BundleRejected as rejected:
            event(_reason(rejected))
            tally.note(check, **{"rejected: " + _kind(rejected): 1})
            changed = _snapshot(world.done) != before
            tally.add(check, partial=int(changed))
            assert not changed
            return
    outcome = "applied, some held" if plan.rejected else "applied"
    tally.note(check, **{outcome: 1})
    event(outcome)
    for key, state in _state_of(world.done, _doc_records(document)).items():
        if state is not None and state[0] not in ASSIGNED:
            assert everything_before[key] == state, key     # a state of another unit: it was there before
    for refused in plan.refused:
        if refused.field == "origin":
            # A unit not assigned is named with the office; a non-text origin is simply not valid.
            assert refused.reason in (NOT_ASSIGNED, FOREIGN_ORIGIN)
            assert refused.reason != NOT_ASSIGNED or RELAY in refused.rule()
    # Nothing of a unit not assigned here ever reaches the register through this office (an id the
    # bundle also carries for an assigned unit may change: that record is the assigned unit's).
    for (table, row_id), state in foreign.items():
        if (table, row_id) in assigned_ids:
            continue
        assert world.done.conn.execute(f"SELECT origin, version FROM {table} WHERE id = ?",
                                       (row_id,)).fetchone() == state, (table, row_id)
    names = dict(world.done.conn.execute("SELECT point_code, point_name FROM relay_points"))
    assert set(names) == {"MYHOA-01"} and len(names["MYHOA-01"]) <= 200


def test_hostile_payload_shapes_are_rejected(world):
    """Shapes a fuzzer rarely builds: deep nesting, other encodings, a decompression bomb."""
    start = '{"format":"tuvan-records","version":1,"sender":"PHUTHANH-01","seq":%d,"tables":'
    cases = {
        "deep": lambda seq: (start % seq).encode() + b"[" * 50_000 + b"]" * 50_000 + b"}",
        "utf-16": lambda seq: (start % seq + "{}}").encode("utf-16"),
        "surrogate bytes": lambda seq: (start % seq).encode() + b'{"staff":[{"full_name":"\xed\xa0\x80"}]}}',
        "not an object": lambda seq: b"[%d]" % seq,
        "trailing garbage": lambda seq: (start % seq + "{}}xx").encode(),
    }
    before = _snapshot(world.done)
    for name, make in cases.items():
        world.seq[0] += 1
        with pytest.raises(BundleRejected):
            merge.import_bundle(world.done, _craft(world, None, seq=world.seq[0], raw=make(world.seq[0])), name)
    # A zlib bomb: 64 MiB of zeros declared as 100 bytes stops after 101 bytes of output.
    world.seq[0] += 1
    bomb = zlib.compress(b"\0" * (64 << 20), 9)
    sealed, key = payload.seal(bomb)
    with pytest.raises(payload.PayloadError):
        payload.open_payload(sealed, key, 100)
    assert _snapshot(world.done) == before


def test_chunks_cannot_be_dropped_reordered_or_cut(monkeypatch):
    monkeypatch.setattr(payload, "CHUNK", 64)
    document = {"format": "tuvan-records", "tables": {"notes": ["chunked " * 40]}}
    compressed, raw = payload.encode(document, level=0)
    sealed, key = payload.seal(compressed)
    step = payload.CHUNK + payload.TAG
    chunks = [sealed[i:i + step] for i in range(0, len(sealed), step)]
    assert len(chunks) >= 4
    assert payload.open_payload(sealed, key, raw) == document
    broken = {
        "last chunk dropped": b"".join(chunks[:-1]),
        "first chunk dropped": b"".join(chunks[1:]),
        "two chunks swapped": b"".join([chunks[1], chunks[0], *chunks[2:]]),
        "a chunk repeated": b"".join([*chunks, chunks[-1]]),
        "cut inside a chunk": sealed[:-5],
        "cut to a tag": sealed[:step + payload.TAG],
        "empty": b"",
    }
    for name, body in broken.items():
        with pytest.raises(payload.PayloadError):
            payload.open_payload(body, key, raw)
        assert name
    for wrong in (0, raw - 1, raw + 1, payload.MAX_RAW_BYTES + 1):
        with pytest.raises(payload.PayloadError):
            payload.open_payload(sealed, key, wrong)
    with pytest.raises(payload.PayloadError):
        payload.open_payload(sealed, bytes(32), raw)
