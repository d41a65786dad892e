"""Which units' records an office accepts from another office: assigned here, never self-asserted.

A district's key file claims the units it serves (its `points`, covered by its version 2
fingerprint). The receiving office accepts relayed records of a unit only after an officer
assigned that unit to the sending office (`relay_points`); a unit belongs to one sending office at
a time, so when two offices claim it, or an office claims a point this office also receives
directly, the officer sees it (`claims`) and decides. Assignments are by unit code, so they survive
a key change of either side. An office's own key file lists every unit it serves at any depth
(identity.served_units), which lets the office above assign them in turn (commune → province →
national).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.clock import utc_stamp
from app.core.errors import UserError
from app.core.i18n import N_
from app.core.roles import Permission
from app.store import key_ring, relay_points
from app.sync import identity


class NotAnOffice(UserError):
    exit_code = 2
    template = N_("No receiving office with the code {code} is trusted here: trust its key file first.")


class NotClaimed(UserError):
    exit_code = 2
    template = N_("The office {via} does not list {codes} in its key file. Ask it for its current key file and "
                  "trust it again, then assign the units.")


@dataclass(frozen=True)
class Claim:
    point: str
    name: str
    claimed_by: tuple[str, ...]      # offices whose key files list it
    assigned_to: str | None          # the office accepted as sending its records, if any
    direct: bool                     # this office also trusts the unit's own key

    @property
    def disputed(self) -> bool:
        """Someone other than the assigned office claims it too (or it is claimed but not assigned)."""
        others = set(self.claimed_by) - {self.assigned_to}
        return bool(others) and (self.assigned_to is not None or len(self.claimed_by) > 1 or self.direct)


def relayed_by(conn, via: str) -> set[str]:
    """Unit codes whose records `via` may send here."""
    return relay_points.relayed_by(conn, via)


def claims(conn) -> list[Claim]:
    """Every unit an active office key claims or an assignment names, with who claims it."""
    claimed: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for office in identity.offices_below(conn):
        for code in office.points:
            claimed.setdefault(code, []).append(office.unit_code)
        for code, name in office.point_names:
            names.setdefault(code, name)
    assigned = {code: (via, name) for code, via, name in relay_points.assignments(conn)}
    direct = set(identity.trusted_points(conn))
    return [Claim(code, assigned.get(code, ("", ""))[1] or names.get(code, ""), tuple(sorted(claimed.get(code, []))),
                  assigned[code][0] if code in assigned else None, code in direct)
            for code in sorted(set(claimed) | set(assigned))]


def unassigned_claims(conn, via: str) -> list[str]:
    """What `via` claims that nobody has been assigned yet and no other office claims: the officer's
    natural choice when trusting it."""
    return [c.point for c in claims(conn)
            if c.claimed_by == (via,) and c.assigned_to is None and not c.direct]


def assign(register, via: str, codes: list[str]) -> dict[str, str | None]:
    """Accept `via` as the sender of these units' records (administrators). A unit assigned to
    another office moves (the officer chose it); returns code -> the office it moved from, or None."""
    register.require(Permission.MANAGE_SETTINGS)
    conn = register.conn
    office = [k for k in identity.trusted_list(conn, "district") if k.unit_code == via]
    if not office:
        raise NotAnOffice(code=via)
    listed = set(office[0].points)
    missing = sorted(set(codes) - listed)
    if missing:
        raise NotClaimed(via=via, codes=", ".join(missing))
    names = dict(office[0].point_names)
    moved: dict[str, str | None] = {}
    with register.transaction():
        for code in sorted(set(codes)):
            before = relay_points.assigned_to(conn, code)
            moved[code] = before if before is not None and before != via else None
            relay_points.assign(conn, code, via, names.get(code, ""), utc_stamp(), register.user.id)
            register.audit("relay.assign", "relay_points", code, {"via": via, "moved_from": moved[code]})
        # Units assigned to it: the office sends its bundles here (it does not receive ours).
        key_ring.sends_here(conn, via)
    return moved


def unassign(register, codes: list[str]) -> list[str]:
    """Stop accepting these units' records from any other office (administrators); returns those removed."""
    register.require(Permission.MANAGE_SETTINGS)
    removed = []
    with register.transaction():
        for code in sorted(set(codes)):
            if relay_points.unassign(register.conn, code):
                register.audit("relay.unassign", "relay_points", code)
                removed.append(code)
    return removed


def learn_names(conn, via: str, names: object) -> None:
    """Names of relayed units as the sending office knows them (a bundle's unit.relayed): kept for the
    units assigned to it, so forms and screens can show names rather than codes."""
    if not isinstance(names, dict):
        return
    for code in relayed_by(conn, via):
        name = names.get(code)
        if isinstance(name, str) and name.strip():
            relay_points.rename(conn, code, via, name.strip()[:200])
