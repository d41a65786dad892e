"""What the district has from each point: bundles, gaps in numbers and change ranges, fork and chain alarms."""

from __future__ import annotations

import json
from dataclasses import dataclass, field


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
    rows = conn.execute("SELECT seq, first_change, last_change, created_at, imported_at, supersedes"
                        " FROM bundles_received WHERE sender = ? ORDER BY seq", (point,)).fetchall()
    chain = PointChain(point)
    name = conn.execute("SELECT unit_name FROM trusted_keys WHERE unit_code = ? ORDER BY active DESC LIMIT 1",
                        (point,)).fetchone()
    chain.unit_name = name[0] if name else ""
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
    chain.open_alarms = [dict(zip(("seq", "kind", "raised_at"), r)) for r in conn.execute(
        "SELECT seq, kind, raised_at FROM sync_alarms WHERE sender = ? AND acknowledged_at IS NULL ORDER BY seq",
        (point,))]
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
    before = conn.execute("SELECT file_hash FROM bundles_received WHERE sender = ? AND seq = ?",
                          (sender, seq - 1)).fetchone()
    if before is not None:
        links.append((seq, before[0], prev_hash))
    after = conn.execute("SELECT prev_hash FROM bundles_received WHERE sender = ? AND seq = ?",
                         (sender, seq + 1)).fetchone()
    if after is not None:
        links.append((seq + 1, file_hash, after[0]))
    for alarmed_seq, known, named in links:
        if known == named:
            continue
        exists = conn.execute("SELECT 1 FROM sync_alarms WHERE sender = ? AND seq = ? AND kind = 'chain'"
                              " AND known_hash = ? AND other_hash = ?",
                              (sender, alarmed_seq, known, named or "")).fetchone()
        if exists:
            continue
        conn.execute("INSERT INTO sync_alarms (sender, seq, kind, known_hash, other_hash, raised_at)"
                     " VALUES (?, ?, 'chain', ?, ?, ?)", (sender, alarmed_seq, known, named or "", utc_stamp()))
        register.audit("bundle.chain_alarm", "bundles_received", f"{sender}:{alarmed_seq}")
        alarmed.append(alarmed_seq)
    return alarmed


def all_chains(conn) -> list[PointChain]:
    points = {r[0] for r in conn.execute("SELECT unit_code FROM trusted_keys WHERE role = 'point'")}
    points |= {r[0] for r in conn.execute("SELECT DISTINCT sender FROM bundles_received")}
    return [chain_of(conn, point) for point in sorted(points)]


def acknowledge_alarm(register, point: str, seq: int) -> None:
    from app.core.clock import utc_stamp
    from app.core.roles import Permission

    register.require(Permission.MANAGE_SETTINGS)
    with register.transaction():
        register.conn.execute("UPDATE sync_alarms SET acknowledged_at = ?, acknowledged_by = ? WHERE sender = ?"
                              " AND seq = ? AND acknowledged_at IS NULL", (utc_stamp(), register.user.id, point, seq))
        register.audit("bundle.alarm_acknowledged", "sync_alarms", f"{point}:{seq}")
