"""Planning the demo register's counselling work: contacts, referrals, treatment.

Pure functions of a random stream and the planned people (app/demo/people.py);
self-help groups and outreach are planned in app/demo/community.py.
Volumes follow the seeds: a dependent client is seen about every three weeks, a
point holds a group session or two and a community session most months, and
refers about two clients in a hundred contacts to a service.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from app.core.law import default_law_text, parse_law
from app.core.validate import add_months
from app.core.vocab import REFERRAL_OUTCOMES
from app.demo import data as D
from app.demo.people import Person, Roster, day_between, months, pick

LAW = parse_law(default_law_text())  # the demo plans terms by the program's own law file

# Days until the next follow-up, by group: dependent people are seen most often.
INTERVALS = {"dependent": (9, 27), "drug_user": (12, 32), "suspected": (12, 36), "post_rehab": (14, 40),
             "high_risk": (21, 50), "family": (30, 90)}
INDIVIDUAL_KINDS = {"office": 35, "home": 30, "phone": 22, "online": 13}
DURATIONS = {"office": (20, 60), "home": (30, 90), "phone": (5, 20), "online": (10, 30)}
TOPICS = {
    "dependent": ("voluntary_rehab", "methadone", "relapse_prevention", "drugs_harms", "health", "support_policies"),
    "drug_user": ("drugs_harms", "addiction_signs", "methadone", "health", "voluntary_rehab"),
    "suspected": ("addiction_signs", "drugs_harms", "health", "voluntary_rehab"),
    "post_rehab": ("relapse_prevention", "support_policies", "health", "family"),
    "high_risk": ("drugs_harms", "addiction_signs", "support_policies"),
    "family": ("family", "drugs_harms", "addiction_signs", "voluntary_rehab", "support_policies"),
    "session": ("drugs_harms", "relapse_prevention", "support_policies", "voluntary_rehab", "methadone", "health"),
}
COVID_PERIOD = (date(2020, 2, 1), date(2022, 6, 30))
SESSION_GROUPS = ("dependent", "drug_user", "post_rehab", "suspected")
DROP_OUT = 0.006  # chance, after each contact, that a client stops coming (the follow-up stays overdue)

REFERRAL_RATE = 0.065  # per individual contact: about 2 referrals per client over a case
SERVICE_WEIGHTS = {
    "dependent": {"determination": 2, "methadone": 3, "voluntary_rehab": 3, "health": 2, "hiv_test": 2,
                  "mental_health": 1, "social_protection": 1, "legal_aid": 1},
    "drug_user": {"determination": 2, "methadone": 2, "health": 2, "hiv_test": 2, "mental_health": 1, "vocational": 1},
    "suspected": {"determination": 4, "health": 2, "hiv_test": 1},
    "post_rehab": {"vocational": 3, "job": 3, "loan": 2, "social_protection": 2, "legal_aid": 1, "health": 1,
                   "mental_health": 1},
    "high_risk": {"vocational": 2, "job": 2, "hiv_test": 1, "health": 1, "legal_aid": 1},
    "family": {"loan": 2, "social_protection": 2, "health": 1, "legal_aid": 1},
}
OUTCOME_WEIGHTS = {"completed": 60, "failed": 15, "refused": 13}


@dataclass
class PlannedContact:
    day: date
    order: int  # ties on a day keep this order, so the "last contact" of a client is well defined
    values: dict[str, Any]
    person: Person | None = None
    participants: list[Person] = field(default_factory=list)


@dataclass
class PlannedReferral:
    person: Person
    day: date
    values: dict[str, Any]
    outcome: str = "pending"
    outcome_day: date | None = None


# --- counselling contacts ----------------------------------------------------

def plan_contacts(rng: random.Random, people: list[Person], roster: Roster, topics: list[str], start: date,
                  today: date) -> list[PlannedContact]:
    """Every contact of the period in date order: individual chains, then group and community sessions."""
    planned: list[PlannedContact] = []
    for person in people:
        planned += _chain(rng, person, roster, topics, today, len(planned))
    _cover_individual_kinds(rng, planned)
    _cover_agenda(rng, planned, people, today)
    planned += _sessions(rng, people, roster, topics, start, today, len(planned))
    return sorted(planned, key=lambda c: (c.day, c.order))


def _chain(rng: random.Random, person: Person, roster: Roster, topics: list[str], today: date,
           order: int) -> list[PlannedContact]:
    """A client's contacts: each sets the next follow-up, and the next visit comes around then."""
    stop = min(person.end, today)
    if person.closing == "lost":
        stop -= timedelta(days=rng.randint(60, 120))  # nobody reached them for months before closing
    limit = rng.randint(1, 4) if person.family else 100_000
    found: list[PlannedContact] = []
    day = person.intake
    while not found or (day <= stop and len(found) < limit):
        group = person.group_on(day)
        kind = "office" if not found else pick(rng, INDIVIDUAL_KINDS)  # intake happens at the office
        interval = rng.randint(*INTERVALS[group])
        values = _contact_values(rng, kind, day, group, person, roster, topics)
        if rng.random() < 0.88:
            values["next_follow_up"] = (day + timedelta(days=interval)).isoformat()
        found.append(PlannedContact(day, order + len(found), values, person))
        if rng.random() < DROP_OUT:
            break
        late = rng.randint(-3, 7) if rng.random() < 0.85 else rng.randint(10, 45)
        day += timedelta(days=max(1, interval + late))
    if len(found) == limit:
        found[-1].values.pop("next_follow_up", None)  # a family member's last talk plans no other
    return found


def _contact_values(rng: random.Random, kind: str, day: date, group: str, person: Person, roster: Roster,
                    topics: list[str]) -> dict[str, Any]:
    low, high = DURATIONS[kind]
    volunteer = roster.volunteer_for(person.hamlet)
    home_by_volunteer = kind == "home" and volunteer and rng.random() < 0.6
    values = {
        "kind": kind, "contact_date": day.isoformat(), "duration_minutes": rng.randrange(low, high + 1, 5),
        "topics": _topics(rng, group, day, topics),
        "counsellor_id": volunteer if home_by_volunteer else person.values["counsellor_id"],
        "location": person.hamlet if kind == "home" else D.OFFICE if kind == "office" else "",
    }
    if rng.random() < 0.15:
        values["notes"] = rng.choice(D.CONTACT_NOTES)
    return values


def _topics(rng: random.Random, group: str, day: date, known: list[str]) -> list[str]:
    offered = [t for t in TOPICS[group] if t in known]
    chosen = rng.sample(offered, min(len(offered), rng.choice((1, 1, 2, 2, 3))))
    if COVID_PERIOD[0] <= day <= COVID_PERIOD[1] and "covid" in known and rng.random() < 0.3:
        chosen.append("covid")
    return chosen


def _cover_individual_kinds(rng: random.Random, planned: list[PlannedContact]) -> None:
    later = [c for c in planned if c.day != c.person.intake]
    for kind in INDIVIDUAL_KINDS:
        if later and not any(c.values["kind"] == kind for c in planned):
            contact = later.pop(rng.randrange(len(later)))
            contact.values.update(kind=kind, duration_minutes=DURATIONS[kind][0],
                                  location=contact.person.hamlet if kind == "home" else "")


def _cover_agenda(rng: random.Random, planned: list[PlannedContact], people: list[Person], today: date) -> None:
    """The Today screen lists the follow-up of each open case's last contact: make some overdue, some due."""
    last: dict[int, PlannedContact] = {}
    for contact in planned:  # chains are in date order
        last[contact.person.index] = contact
    active = [last[p.index] for p in people if not p.closing and p.index in last]

    def follow_up(contact: PlannedContact) -> date | None:
        value = contact.values.get("next_follow_up")
        return date.fromisoformat(value) if value else None

    if not any((f := follow_up(c)) and f < today for c in active):
        candidates = [c for c in active if (today - c.day).days >= 2]
        if candidates:
            contact = rng.choice(candidates)
            overdue = day_between(rng, contact.day + timedelta(days=1), today - timedelta(days=1))
            contact.values["next_follow_up"] = overdue.isoformat()
    if not any((f := follow_up(c)) and today <= f <= today + timedelta(days=7) for c in active):
        candidates = [c for c in active if not ((f := follow_up(c)) and f < today)] or active
        if candidates:
            contact = rng.choice(candidates)
            due = day_between(rng, max(today, contact.day + timedelta(days=1)), today + timedelta(days=7))
            contact.values["next_follow_up"] = due.isoformat()


def _sessions(rng: random.Random, people: list[Person], roster: Roster, topics: list[str], start: date,
              today: date, order: int) -> list[PlannedContact]:
    """Group sessions at the office (named participants) and community sessions (a head count)."""
    eligible = [p for p in people if not p.family]
    per_month = 1 + len(eligible) // 1500
    found: list[PlannedContact] = []
    for first, last in months(start, today):
        for _ in range(rng.randint(per_month, per_month + 1)):
            day = day_between(rng, first, last)
            pool = [p for p in eligible if p.open_on(day) and p.group_on(day) in SESSION_GROUPS]
            if len(pool) >= 3:
                found.append(_group_session(rng, day, pool, roster, topics, order + len(found)))
        for _ in range(rng.choice((0, 1, 1, 2))):
            found.append(_community_session(rng, day_between(rng, first, last), roster, topics, order + len(found)))
    if not any(c.values["kind"] == "community" for c in found):
        found.append(_community_session(rng, day_between(rng, start, today), roster, topics, order + len(found)))
    if not any(c.values["kind"] == "group" for c in found):
        pool = [p for p in eligible if p.open_on(today)]
        found.append(_group_session(rng, today, pool, roster, topics, order + len(found)))
    return found


def _group_session(rng: random.Random, day: date, pool: list[Person], roster: Roster, topics: list[str],
                   order: int) -> PlannedContact:
    values = {"kind": "group", "contact_date": day.isoformat(), "duration_minutes": rng.choice((60, 90, 120)),
              "topics": _topics(rng, "session", day, topics), "counsellor_id": rng.choice(roster.counsellors),
              "location": D.OFFICE, "notes": D.GROUP_SESSION_NOTE}
    return PlannedContact(day, order, values, participants=rng.sample(pool, min(len(pool), rng.randint(4, 8))))


def _community_session(rng: random.Random, day: date, roster: Roster, topics: list[str],
                       order: int) -> PlannedContact:
    hamlet = rng.choice(sorted(roster.by_hamlet))
    values = {"kind": "community", "contact_date": day.isoformat(), "attendee_count": rng.randint(20, 60),
              "duration_minutes": rng.choice((60, 90, 120)), "topics": _topics(rng, "session", day, topics),
              "counsellor_id": rng.choice(roster.counsellors),
              "location": rng.choice(D.COMMUNITY_VENUES).format(hamlet=hamlet),
              "notes": D.COMMUNITY_SESSION_NOTE.format(host=rng.choice(D.COMMUNITY_HOSTS))}
    return PlannedContact(day, order, values)


# --- referrals and treatment -------------------------------------------------

def plan_referrals(rng: random.Random, planned: list[PlannedContact], services: list[str],
                   today: date) -> list[PlannedReferral]:
    """Referrals are made during individual contacts; suspected and dependent people first get a determination."""
    found = []
    for contact in planned:
        person = contact.person
        if person is None:
            continue
        group = person.group_on(contact.day)
        at_intake = contact.day == person.intake and group in ("suspected", "dependent", "drug_user")
        if at_intake and rng.random() < 0.35:
            service = "determination"
        elif rng.random() < REFERRAL_RATE:
            service = pick(rng, SERVICE_WEIGHTS[group])
        else:
            continue
        if service in services:
            found.append(_referral(rng, person, contact.day, service, contact.values["counsellor_id"], today))
    _cover_referrals(rng, found, planned, services, today)
    return sorted(found, key=lambda r: r.day)


def _referral(rng: random.Random, person: Person, day: date, service: str, counsellor: str | None,
              today: date) -> PlannedReferral:
    values = {"service": service, "referred_date": day.isoformat(), "counsellor_id": counsellor,
              "referred_to": rng.choice(D.REFERRED_TO.get(service, ("",)))}
    if service == "loan":  # An Giang: 30.000.000 đồng to raise snails; Tiền Giang: 110 million for 6 families
        values.update(amount=rng.choice(D.LOAN_MILLIONS) * 1_000_000, notes=rng.choice(D.LOAN_PURPOSES))
    referral = PlannedReferral(person, day, values)
    decided = day + timedelta(days=rng.randint(15, 60) if service == "loan" else rng.randint(2, 40))
    forgotten = rng.random() < 0.05 and (today - decided).days < 180  # nobody asked about the outcome yet
    if decided <= today and not forgotten:
        referral.outcome, referral.outcome_day = pick(rng, OUTCOME_WEIGHTS), decided
    return referral


def _cover_referrals(rng: random.Random, found: list[PlannedReferral], planned: list[PlannedContact],
                     services: list[str], today: date) -> None:
    """Every service and every outcome, so each row of the referral form has something."""
    individual = [c for c in planned if c.person is not None and not c.person.family]
    older = [c for c in individual if (today - c.day).days >= 45] or individual
    for service in services:
        if older and not any(r.values["service"] == service for r in found):
            contact = rng.choice(older)
            found.append(_referral(rng, contact.person, contact.day, service, contact.values["counsellor_id"], today))
    for outcome in REFERRAL_OUTCOMES:
        tally = {code: sum(r.outcome == code for r in found) for code in REFERRAL_OUTCOMES}
        candidates = [r for r in found if tally[r.outcome] > 1 and (outcome == "pending" or r.day < today)]
        if tally[outcome] or not candidates:
            continue
        if outcome == "pending":
            referral = max(candidates, key=lambda r: r.day)
            referral.outcome, referral.outcome_day = "pending", None
        else:
            referral = rng.choice(candidates)
            referral.outcome = outcome
            referral.outcome_day = day_between(rng, referral.day, min(today, referral.day + timedelta(days=30)))


Rehab = tuple[Person, dict[str, Any], dict[str, Any]]  # (client, registration, outcome recorded later)


def plan_treatment(rng: random.Random, chosen: list[PlannedReferral], people: list[Person], start: date,
                   today: date) -> tuple[list[Rehab], list[tuple[Person, dict[str, Any]]]]:
    """Rehab registrations and methadone episodes follow the referrals that succeeded."""
    rehabs, episodes = [], []
    for referral in chosen:
        if referral.outcome == "completed" and referral.values["service"] == "voluntary_rehab":
            rehabs.append(_rehab(rng, referral.person, referral.outcome_day, today))
        elif referral.outcome == "completed" and referral.values["service"] == "methadone":
            episodes.append(_methadone(rng, referral.person, referral.outcome_day, today))
    _cover_rehab_outcomes(rng, rehabs, people, today)
    month_end = add_months(today.replace(day=1), 1) - timedelta(days=1)
    if not any(_ends_in(values, today.replace(day=1), month_end) and not outcome for _, values, outcome in rehabs):
        ending = _rehab_ending_this_month(rng, people, start, today, month_end)
        if ending:
            rehabs.append(ending)
    pool = [p for p in people if not p.family and not p.closing]
    if not episodes and pool:
        person = rng.choice(pool)
        episodes.append(_methadone(rng, person, day_between(rng, person.intake, today), today))
    return rehabs, episodes


def _ends_in(values: dict[str, Any], first: date, last: date) -> bool:
    begins = values.get("start_date")
    return bool(begins) and first <= add_months(date.fromisoformat(begins), values["term_months"]) <= last


def _cover_rehab_outcomes(rng: random.Random, rehabs: list[Rehab], people: list[Person], today: date) -> None:
    """A completed term and a dropped-out one, when the period is long enough for a 6-month term to end."""
    latest = add_months(today.replace(day=1), -6) - timedelta(days=12)  # registered by then: over before this month
    for result in ("completed", "dropped_out"):
        pool = [p for p in people if not p.family and p.intake <= min(latest, p.end)
                and p.group_on(p.intake) in ("dependent", "drug_user")]
        if pool and not any(outcome.get("outcome") == result for *_, outcome in rehabs):
            person = rng.choice(pool)
            registered = day_between(rng, person.intake, min(latest, person.end))
            rehabs.append(_rehab(rng, person, registered, today, term=6, result=result))


def _rehab(rng: random.Random, person: Person, registered: date, today: date, *, term: int | None = None,
           result: str | None = None) -> Rehab:
    drawn = term or rng.choice((6, 6, 9, 12))  # drawn always, so the rest of the plan stays the same
    rule = LAW.rehab_term(registered, first=True)
    values: dict[str, Any] = {"registration_date": registered.isoformat(), "provider": rng.choice(D.REHAB_PROVIDERS),
                              "term_months": rule.fixed if rule is not None and rule.fixed else drawn}
    decided = registered + timedelta(days=rng.randint(3, 10))
    if decided > today:
        return person, values, {}  # registered, waiting for the commune's decision
    values.update(decision_no=D.LEGAL_DECISION.format(n=rng.randint(12, 350)), decision_date=decided.isoformat(),
                  start_date=decided.isoformat())
    ends = add_months(decided, values["term_months"])
    if ends >= today.replace(day=1):
        return person, values, {}
    result = result or pick(rng, {"completed": 65, "dropped_out": 20, "transferred": 10, "ongoing": 5})
    if result == "ongoing":
        return person, values, {}  # the term is over but nobody has recorded how it went
    if result == "completed":
        certified = min(today, ends + timedelta(days=rng.randint(0, 10))).isoformat()
        return person, values, {"outcome": "completed", "outcome_date": certified, "certificate_date": certified,
                                "certificate_no": D.REHAB_CERTIFICATE.format(n=rng.randint(1, 99))}
    stopped = day_between(rng, decided + timedelta(days=30), ends)
    return person, values, {"outcome": result, "outcome_date": stopped.isoformat()}


def _rehab_ending_this_month(rng: random.Random, people: list[Person], start: date, today: date,
                             month_end: date) -> Rehab | None:
    """A registration whose term ends this month, for the Today screen (needs 7 months or more of data)."""
    ends = day_between(rng, min(today + timedelta(days=1), month_end), month_end)
    for term in (12, 9, 6):
        begins = add_months(ends, -term)
        registered = begins - timedelta(days=rng.randint(3, 10))
        pool = [p for p in people if not p.family and not p.closing and p.intake <= registered
                and p.group_on(registered) in ("dependent", "drug_user")]
        if registered >= start and pool:
            values = {"registration_date": registered.isoformat(), "term_months": term,
                      "decision_no": D.LEGAL_DECISION.format(n=rng.randint(12, 350)),
                      "decision_date": begins.isoformat(), "start_date": begins.isoformat(),
                      "provider": rng.choice(D.REHAB_PROVIDERS)}
            return rng.choice(pool), values, {}
    return None


def _methadone(rng: random.Random, person: Person, began: date, today: date) -> tuple[Person, dict[str, Any]]:
    values: dict[str, Any] = {"site": rng.choice(D.METHADONE_SITES), "start_date": began.isoformat()}
    days = (today - began).days
    if days > 60:
        status = pick(rng, {"on_treatment": 60, "dropped_out": 33, "completed": 7})
        if status != "on_treatment":
            values.update(status=status, end_date=(began + timedelta(days=rng.randint(30, days))).isoformat())
    return person, values
