"""Possible same persons across points, and the district officer's decisions on them.

Someone who moved between communes can be registered by two points. The
district lists pairs of clients from different points with the same citizen
ID, or with the same name (diacritics ignored), birth year and sex, and the
officer marks each pair "same person" or "different people" in person_links.
The points' records are never changed: a decision is the district's own note.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from app.core.clock import utc_stamp
from app.core.errors import InvalidInput
from app.core.i18n import N_
from app.core.roles import Permission
from app.core.text import fold
from app.store import person_links, search
from app.store.records import RecordNotFound

DECISIONS = ("same", "different")
MAX_GROUP = 12          # a very common name in one birth year would otherwise make hundreds of pairs
_FIELDS = ("id", "code", "full_name", "alias", "birth_year", "sex", "citizen_id", "origin", "hamlet", "commune")


@dataclass(frozen=True)
class PossibleSamePerson:
    incoming: dict          # the arriving client (id, code, name, birth year, origin)
    existing: dict          # a client of another point
    reason: str             # "citizen_id" | "name_year_sex"


def same_persons(conn, arriving: list[dict], limit: int = 200) -> list[PossibleSamePerson]:
    """Clients of other points who may be the same person as an arriving one (same citizen id; or
    name, birth year and sex): what an import's dry run lists."""
    found: list[PossibleSamePerson] = []
    keys = person_links.CANDIDATE_COLUMNS
    for client in arriving:
        if client.get("deleted") or len(found) >= limit:
            continue
        hits = []
        if client.get("citizen_id"):
            hits += [(row, "citizen_id")
                     for row in person_links.same_citizen_id(conn, client["citizen_id"], client["origin"])]
        name = str(client.get("full_name") or "")
        expression = search.match_expression(name, prefix=False)
        if expression and not hits:
            for row in person_links.same_name_year_sex(conn, expression, client["origin"], client.get("birth_year"),
                                                       client.get("sex")):
                if fold(row[2]) == fold(name):
                    hits.append((row, "name_year_sex"))
        for row, reason in hits:
            found.append(PossibleSamePerson({k: client.get(k) for k in keys}, dict(zip(keys, row)), reason))
    return found[:limit]


@dataclass(frozen=True)
class PersonPair:
    a: dict                   # the two clients (id, code, names, birth year, sex, point, hamlet, commune)
    b: dict
    reason: str               # "citizen_id" | "name_year_sex"
    decision: str | None      # "same" | "different" | None (not decided yet)

    @property
    def key(self) -> tuple[str, str]:
        return self.a["id"], self.b["id"]


def _ordered(first: str, second: str) -> tuple[str, str]:
    return (first, second) if first < second else (second, first)


def _pairs(group: list[dict]) -> list[tuple[dict, dict]]:
    found = []
    for first, second in combinations(group[:MAX_GROUP], 2):
        if first["origin"] != second["origin"]:
            found.append((first, second) if first["id"] < second["id"] else (second, first))
    return found


def possible_same_persons(conn, *, include_decided: bool = True, limit: int = 2000) -> list[PersonPair]:
    """Cross-point pairs, undecided first; a pair found by citizen ID is not listed again by name."""
    clients = [dict(zip(_FIELDS, row)) for row in person_links.live_clients(conn, _FIELDS)]
    by_citizen: dict[str, list[dict]] = {}
    by_name: dict[tuple, list[dict]] = {}
    for client in clients:
        citizen = "".join((client["citizen_id"] or "").split())
        if citizen:
            by_citizen.setdefault(citizen, []).append(client)
        name = fold(client["full_name"])
        if name:
            by_name.setdefault((name, client["birth_year"], client["sex"]), []).append(client)
    reasons: dict[tuple[str, str], tuple[str, dict, dict]] = {}
    for reason, groups in (("citizen_id", by_citizen), ("name_year_sex", by_name)):
        for group in groups.values():
            for first, second in _pairs(group) if len(group) > 1 else ():
                reasons.setdefault((first["id"], second["id"]), (reason, first, second))
    decided = person_links.decisions(conn)
    pairs = [PersonPair(first, second, reason, decided.get(key)) for key, (reason, first, second) in reasons.items()]
    if not include_decided:
        pairs = [p for p in pairs if p.decision is None]
    pairs.sort(key=lambda p: (p.decision is not None, p.reason != "citizen_id", fold(p.a["full_name"]), p.key))
    return pairs[:limit]


def decide(register, client_a: str, client_b: str, decision: str | None) -> None:
    """Record "same" or "different" for a pair (None forgets the decision); the clients stay as they are."""
    register.require(Permission.CASE_WORK)
    if decision is not None and decision not in DECISIONS:
        raise InvalidInput(field=N_("Decision"), problem=N_("choose 'same' or 'different'"))
    first, second = _ordered(client_a, client_b)
    found = person_links.count_clients(register.conn, first, second)
    if first == second or found != 2:
        raise RecordNotFound()
    with register.transaction():
        if decision is None:
            person_links.forget(register.conn, first, second)
        else:
            person_links.decide(register.conn, first, second, decision, utc_stamp(), register.user.id)
        register.audit("person_link.decide", "person_links", f"{first}:{second}", {"decision": decision})
