"""What the district has from each point: bundles, gaps in numbers and change ranges, fork and chain alarms."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from app.store import bundle_log, key_ring, sync_alarms


@dataclass
class PointChain:
    point: str
    unit_name: str = ""
    bundles: list[int] = field(default_factory=list)
    last_bundle_made: str | None = None
    last_import: str | None = None
    missing_bundles: list[int] = field(default_factory=list)
    missing_changes: list[tuple[int, int]] = field(default_factory=list)
    contiguous_upto: int = 0                       # every change 1..N has arrived
    open_alarms: list[dict] = field(default_factory=list)


def _merge_ranges(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for first, last in sorted(ranges):
        if merged and first <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    return [(a, b) for a, b in merged]


def chain_of(conn, point: str) -> PointChain:
    rows = bundle_log.received(conn, point)
    chain = PointChain(point)
    chain.unit_name = key_ring.unit_name(conn, point)
    chain.bundles = [r[0] for r in rows]
    if rows:
        chain.last_bundle_made = max(r[3] for r in rows)
        chain.last_import = max(r[4] for r in rows)
        # A number the sender declared superseded (its file may never have been written, a power cut
        # at the point) is not missing: the bundle that superseded it carries its changes again.
        superseded = {n for r in rows for n in json.loads(r[5])}
        chain.missing_bundles = sorted(set(range(1, max(chain.bundles) + 1)) - set(chain.bundles) - superseded)
        covered = _merge_ranges([(r[1], r[2]) for r in rows if r[1] <= r[2]])
        expected_from = 1
        for first, last in covered:
            if first > expected_from:
                chain.missing_changes.append((expected_from, first - 1))
            expected_from = last + 1
        chain.contiguous_upto = covered[0][1] if covered and covered[0][0] <= 1 else 0
    chain.open_alarms = [dict(zip(("seq", "kind", "raised_at"), r)) for r in sync_alarms.open_alarms(conn, point)]
    return chain


def check_links(register, sender: str, seq: int, file_hash: str, prev_hash: str | None) -> list[int]:
    """After bundle `seq` is recorded: does it name the bundle before it, and the one after it this one?

    A broken link means the point's history split (restored from an old backup, or copied to another
    computer) even though every number arrived once. The bundle is kept (it is validly signed); a
    "chain" alarm asks the officer to check with the point. Returns the numbers alarmed."""
    from app.core.clock import utc_stamp

    conn = register.conn
    alarmed = []
    links = []
    before = bundle_log.received_hash(conn, sender, seq - 1)
    if before is not None:
        links.append((seq, before, prev_hash))
    after = bundle_log.named_before(conn, sender, seq + 1)
    if after is not None:
        links.append((seq + 1, file_hash, after[0]))
    for alarmed_seq, known, named in links:
        if known == named:
            continue
        if sync_alarms.chain_alarm_exists(conn, sender, alarmed_seq, known, named or ""):
            continue
        sync_alarms.raise_alarm(conn, sender, alarmed_seq, "chain", known, named or "", utc_stamp())
        register.audit("bundle.chain_alarm", "bundles_received", f"{sender}:{alarmed_seq}")
        alarmed.append(alarmed_seq)
    return alarmed


def all_chains(conn) -> list[PointChain]:
    points = key_ring.point_codes(conn) | bundle_log.senders(conn)
    return [chain_of(conn, point) for point in sorted(points)]


def acknowledge_alarm(register, point: str, seq: int) -> None:
    from app.core.clock import utc_stamp
    from app.core.roles import Permission

    register.require(Permission.MANAGE_SETTINGS)
    with register.transaction():
        sync_alarms.acknowledge(register.conn, point, seq, utc_stamp(), register.user.id)
        register.audit("bundle.alarm_acknowledged", "sync_alarms", f"{point}:{seq}")
