"""Read-only views of the sync tables for the Sync screen (and any other front end).

A point's outbox (what the next bundle holds and what the receiving office
has acknowledged), the trusted keys with their state, and whether a fork
alarm for one bundle file is open or acknowledged. Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.store import bundle_log, change_log, key_ring, sync_alarms
from app.store.records import SYNCED_TABLES
from app.sync import identity
from app.sync.export import acknowledged
from app.sync.receipts import Receipt, latest_receipt


@dataclass(frozen=True)
class SentBundle:
    seq: int
    created_at: str
    file_name: str
    first_change: int
    last_change: int
    records: int


@dataclass(frozen=True)
class Outbox:
    offices: list[tuple[str, str]]          # (unit code, unit name) of the trusted receiving offices
    acknowledged: int                       # every change up to this number is acknowledged
    last_change: int                        # the newest change in this register
    pending: dict[str, int]                 # table -> records changed after `acknowledged`
    receipt: Receipt | None
    receipt_bundle: SentBundle | None       # the bundle the latest receipt names
    last_sent: SentBundle | None

    @property
    def changes(self) -> int:
        return max(self.last_change - self.acknowledged, 0)

    @property
    def records(self) -> int:
        return sum(self.pending.values())


def _sent(conn, seq: int | None = None) -> SentBundle | None:
    row = bundle_log.sent_bundle(conn, seq)
    return SentBundle(*row) if row else None


def point_outbox(conn) -> Outbox:
    """What a point would send now: counted per table from the change log, rows are not loaded."""
    offices = [(i.unit_code, i.unit_name) for i in identity.receiving_offices(conn)]
    after = acknowledged(conn, sorted({code for code, _name in offices}))
    last = change_log.last_change(conn)
    counted = change_log.records_changed_after(conn, after)
    pending = {table: counted[table] for table in SYNCED_TABLES if counted.get(table)}
    receipt = latest_receipt(conn)
    named = _sent(conn, receipt.last_seq) if receipt else None
    return Outbox(offices, after, last, pending, receipt, named, _sent(conn))


@dataclass(frozen=True)
class TrustedKey:
    unit_code: str
    unit_name: str
    role: str
    fingerprint: str            # as the officer compared it (version 2 covers code, role and point list)
    pinned_at: str
    active: bool
    replaced_by: str | None
    key_fingerprint: str        # as bundle headers name the key
    direction: str              # "up": receives our bundles; "down": sends its bundles here


def trusted_keys(conn) -> list[TrustedKey]:
    """Every pinned key, the ones in use first (replaced keys stay listed: old bundles name them)."""
    return [TrustedKey(code, name, role, confirmed or fingerprint, pinned_at, bool(active), replaced_by, fingerprint,
                       direction)
            for code, name, role, fingerprint, pinned_at, active, replaced_by, confirmed, direction
            in key_ring.listing(conn)]


def fork_state(conn, sender: str, seq: int, file_hash: str) -> str:
    """For a bundle file that forks a chain: "none" (no alarm yet), "open" or "acknowledged"."""
    acknowledged_at = sync_alarms.acknowledgements(conn, sender, seq, file_hash)
    if not acknowledged_at:
        return "none"
    return "open" if any(at is None for at in acknowledged_at) else "acknowledged"
