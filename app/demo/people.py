"""Planning the demo register's people: staff, clients, family members and how each case goes.

Pure functions of a random stream: nothing here touches the register, so the
same seed gives the same plan. app/demo/writer.py writes the plan through the
repositories; app/demo/activities.py and community.py plan the work done with these people.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from app.core.validate import add_months
from app.core.vocab import CLOSING_REASONS
from app.demo import data as D

# Shares of the main groups among clients who are not family members (Tiền Giang: 49 high-risk of 143;
# Hậu Giang: 23 dependent, 22 suspected), and how many are men.
GROUP_SHARES = {"dependent": 0.34, "post_rehab": 0.20, "high_risk": 0.18, "suspected": 0.16, "drug_user": 0.12}
FAMILY_SHARE = 0.15
MALE_SHARE = {"dependent": 0.93, "post_rehab": 0.95, "drug_user": 0.9, "suspected": 0.9, "high_risk": 0.8}
CASE_MONTHS = 72  # mean length of a case before it closes; with 10 years this gives ~30 contacts a client
CLOSING_WEIGHTS = {"completed": 35, "moved_away": 20, "lost": 25, "deceased": 5, "withdrew_consent": 15}
GROUP_CHANGES = {  # first group -> (chance, later group, days after intake)
    "suspected": ((0.35, "dependent", (30, 120)), (0.15, "drug_user", (30, 120))),
    "drug_user": ((0.15, "dependent", (60, 240)),),
    "dependent": ((0.2, "post_rehab", (180, 420)),),
    "high_risk": ((0.05, "drug_user", (60, 365)),),
}


@dataclass
class Person:
    """A client as planned: the group history and the last day the case is open are known up front."""

    index: int
    intake: date
    values: dict[str, Any]
    groups: list[tuple[date, str]]
    end: date  # the closing date, or today while the case is open
    closing: str = ""
    related: Person | None = None
    id: str = ""  # given when the client is written

    @property
    def family(self) -> bool:
        return self.groups[0][1] == "family"

    @property
    def hamlet(self) -> str:
        return self.values.get("hamlet", "")

    def group_on(self, day: date) -> str:
        current = self.groups[0][1]
        for start, code in self.groups:
            if start <= day:
                current = code
        return current

    def open_on(self, day: date) -> bool:
        return self.intake <= day <= self.end


@dataclass
class PlannedStaff:
    values: dict[str, Any]
    id: str = ""


@dataclass
class Roster:
    """Who does the work, once the staff are written and have ids."""

    board: list[str]
    counsellors: list[str]
    volunteers: list[str]
    by_hamlet: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, staff: list[PlannedStaff]) -> Roster:
        kinds = {kind: [s.id for s in staff if s.values["kind"] == kind]
                 for kind in ("board", "counsellor", "volunteer")}
        by_hamlet = {hamlet: s.id for s in staff for hamlet in s.values.get("hamlets", ())}
        return cls(kinds["board"], kinds["counsellor"], kinds["volunteer"], by_hamlet)

    def volunteer_for(self, hamlet: str) -> str | None:
        return self.by_hamlet.get(hamlet)


# --- small helpers -----------------------------------------------------------

def pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def day_between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


def months(start: date, today: date) -> Iterable[tuple[date, date]]:
    """(first day, last day) of each calendar month of the period, clipped to it."""
    first = start.replace(day=1)
    while first <= today:
        following = add_months(first, 1)
        yield max(first, start), min(following - timedelta(days=1), today)
        first = following


def full_name(rng: random.Random, sex: str, family_name: str | None = None) -> str:
    family_name = family_name or pick(rng, D.FAMILY_NAMES)
    middle = pick(rng, D.MIDDLE_NAMES[sex])
    return " ".join(part for part in (family_name, middle, rng.choice(D.GIVEN_NAMES[sex])) if part)


def phone(rng: random.Random) -> str:
    digits = rng.choice(D.PHONE_PREFIXES) + f"{rng.randint(0, 9_999_999):07d}"
    return f"{digits[:4]} {digits[4:7]} {digits[7:]}"


def citizen_id(rng: random.Random, sex: str, birth_year: int, used: set[str]) -> str:
    """12 digits: province, century and sex, year of birth, then a serial (unique in the register)."""
    century_sex = (0 if birth_year < 2000 else 2) + (1 if sex == "female" else 0)
    while True:
        number = f"{D.CITIZEN_PROVINCE_CODE}{century_sex}{birth_year % 100:02d}{rng.randint(0, 999_999):06d}"
        if number not in used:
            used.add(number)
            return number


def quota(rng: random.Random, n: int, shares: dict[str, float]) -> list[str]:
    """Exactly proportional counts (largest remainder), in random order."""
    exact = {code: n * share for code, share in shares.items()}
    counts = {code: int(value) for code, value in exact.items()}
    for code in sorted(exact, key=lambda c: counts[c] - exact[c])[:n - sum(counts.values())]:
        counts[code] += 1
    codes = [code for code, count in counts.items() for _ in range(count)]
    rng.shuffle(codes)
    return codes


# --- staff -------------------------------------------------------------------

def plan_staff(rng: random.Random, accounts: list[tuple[str, str, str]], hamlets: list[str],
               clients: int) -> list[PlannedStaff]:
    """The point board, counsellors and the volunteer team (each volunteer covers one or two hamlets).

    `accounts` are the register's users (id, full name, role): the first administrator chairs the
    board, counsellors are counsellors, reporters sit on the board and write the reports.
    """
    def person(name: str, kind: str, position: str, user_id: str | None = None, covered=None) -> PlannedStaff:
        values = {"full_name": name, "kind": kind, "position": position, "phone": phone(rng), "user_id": user_id}
        if covered:
            values["hamlets"] = list(covered)
        return PlannedStaff(values)

    admins = [(uid, name) for uid, name, role in accounts if role == "admin"]
    staff = [person(admins[0][1], "board", D.CHAIR, admins[0][0])] if admins else []
    staff += [person(full_name(rng, "female"), "board", D.VICE_CHAIR),
              person(full_name(rng, "male"), "board", D.BOARD_POLICE)]
    staff += [person(name, "board", D.BOARD_MEMBER, uid) for uid, name, role in accounts if role == "reporter"]
    counsellors = [person(name, "counsellor", D.COUNSELLOR, uid)
                   for uid, name, role in accounts if role == "counsellor"]
    while len(counsellors) < 2 + clients // 2000:
        counsellors.append(person(full_name(rng, rng.choice(("female", "male"))), "counsellor", D.COUNSELLOR))
    team = len(hamlets) // 2 + 1
    volunteers = []
    for number in range(team):
        position = D.TEAM_LEADER if number == 0 else D.TEAM_DEPUTY if number == 1 else D.VOLUNTEER
        sex = rng.choice(("female", "male", "male"))
        volunteers.append(person(full_name(rng, sex), "volunteer", position, covered=hamlets[number::team]))
    return staff + counsellors + volunteers


# --- clients -----------------------------------------------------------------

def plan_people(rng: random.Random, n: int, roster: Roster, hamlets: list[str], start: date,
                today: date) -> list[Person]:
    """Clients in intake order; a family member comes after the client they relate to."""
    used_ids: set[str] = set()
    span = (today - start).days
    main = quota(rng, n - round(n * FAMILY_SHARE), GROUP_SHARES)
    people = []
    for index, group in enumerate(main):
        # About a quarter is the caseload the point already followed when it started the register.
        if index == 0:
            intake = start
        elif rng.random() < 0.25:
            intake = day_between(rng, start, start + timedelta(days=min(20, span)))
        else:
            intake = day_between(rng, start, today)
        person = Person(index, intake, {}, [(intake, group)], today)
        person.values = _client_values(rng, person, group, roster, hamlets, start, used_ids)
        _plan_case(rng, person, today)
        people.append(person)
    _cover_cases(rng, people, today)
    for index in range(len(main), n):
        people.append(_family_member(rng, index, rng.choice(people[:len(main)]), today, used_ids))
    return sorted(people, key=lambda p: (p.intake, p.index))


def _client_values(rng: random.Random, person: Person, group: str, roster: Roster, hamlets: list[str],
                   start: date, used_ids: set[str]) -> dict[str, Any]:
    intake = person.intake
    sex = "male" if rng.random() < MALE_SHARE[group] else "female"
    age = rng.randint(15, 25) if group == "high_risk" else int(rng.triangular(18, 55, 30))
    birth_year = intake.year - age
    values: dict[str, Any] = {
        "full_name": full_name(rng, sex), "sex": sex, "birth_year": birth_year,
        "intake_date": intake.isoformat(), "main_group": group, "counsellor_id": rng.choice(roster.counsellors),
        "education": rng.choice(D.EDUCATION), "occupation": rng.choice(D.OCCUPATIONS),
        "income": rng.choice(D.INCOMES), "family_support": rng.choice(D.FAMILY_SUPPORT),
        "poor_household": rng.random() < 0.12, "province": D.PROVINCE, "old_district": D.OLD_DISTRICT,
    }
    if rng.random() < 0.18:
        values["alias"] = rng.choice(D.ALIASES)
        if rng.random() < 0.1:
            values["full_name"] = ""  # only the nickname is known yet
    if rng.random() < 0.3:
        values["birth_date"] = date(birth_year, rng.randint(1, 12), rng.randint(1, 28)).isoformat()
    if rng.random() < 0.85:
        values["citizen_id"] = citizen_id(rng, sex, birth_year, used_ids)
    if rng.random() < 0.8:
        values["phone"] = phone(rng)
    if rng.random() < 0.94:
        values.update(hamlet=rng.choice(hamlets), commune=D.COMMUNE,
                      address=f"Số {rng.randint(1, 250)}, tổ {rng.randint(1, 12)}")
        values["volunteer_id"] = roster.volunteer_for(values["hamlet"])
    else:
        values["commune"] = rng.choice(D.OTHER_COMMUNES)  # came from a nearby commune
    if rng.random() < 0.97:
        values.update(consent_date=intake.isoformat(), consent_scope=D.CONSENT_SCOPE)
    values.update(_drug_use(rng, group, birth_year, age))
    values.update(_legal_and_health(rng, group, values, intake, start))
    if rng.random() < 0.1:
        values["notes"] = rng.choice(D.CONTACT_NOTES)
    return values


def _drug_use(rng: random.Random, group: str, birth_year: int, age: int) -> dict[str, Any]:
    if group == "high_risk":
        return {"substances": ["cannabis"]} if rng.random() < 0.2 else {}
    # Young people mostly use "ma túy đá"; older ones started on heroin.
    weights = ({"meth": 7, "heroin": 1, "cannabis": 1, "ecstasy": 0.5, "ketamine": 0.5} if birth_year >= 1988
               else {"meth": 4, "heroin": 5, "cannabis": 0.5, "opium": 0.3, "ecstasy": 0.2})
    substances = list(dict.fromkeys(pick(rng, weights) for _ in range(1 + (rng.random() < 0.3))))
    values: dict[str, Any] = {"substances": substances, "years_of_use": rng.randint(1, max(1, min(25, age - 14)))}
    values["injecting"] = None if rng.random() < 0.1 else int("heroin" in substances and rng.random() < 0.35)
    if rng.random() < {"post_rehab": 1.0, "dependent": 0.25}.get(group, 0):
        values["previous_treatments"] = [pick(rng, {"compulsory": 5, "voluntary_centre": 3, "home_community": 2})]
        if rng.random() < 0.2:
            values["previous_treatments"].append("methadone")
    return values


def _legal_and_health(rng: random.Random, group: str, values: dict[str, Any], intake: date,
                      start: date) -> dict[str, Any]:
    result: dict[str, Any] = {}
    if group in ("dependent", "drug_user") and rng.random() < (0.6 if group == "dependent" else 0.2):
        result.update(determination_date=max(start, intake - timedelta(days=rng.randint(0, 60))).isoformat(),
                      determination_facility=D.DETERMINATION_FACILITY,
                      determination_result="dependent" if group == "dependent" else "not_dependent")
    managed = {"post_rehab": ("post_rehab_management", 0.8), "dependent": ("managed_user", 0.35),
               "drug_user": ("managed_user", 0.35)}.get(group)
    if managed and rng.random() < managed[1]:
        legal_start = max(start, intake - timedelta(days=rng.randint(0, 90)))
        result.update(legal_status=managed[0], legal_decision_no=D.LEGAL_DECISION.format(n=rng.randint(12, 350)),
                      legal_start=legal_start.isoformat(),
                      legal_end=add_months(legal_start, rng.choice((12, 24))).isoformat())
    injecting = values.get("injecting") == 1
    result["hiv"] = pick(rng, {"yes": 0.15, "no": 0.55, "unknown": 0.3} if injecting
                         else {"yes": 0.02, "no": 0.5, "unknown": 0.48})
    result["hepatitis"] = pick(rng, {"yes": 0.08, "no": 0.4, "unknown": 0.52})
    uses_meth = "meth" in values.get("substances", [])
    result["mental_health"] = pick(rng, {"yes": 0.12 if uses_meth else 0.03, "no": 0.4, "unknown": 0.5})
    return result


def _plan_case(rng: random.Random, person: Person, today: date) -> None:
    """How long the case stays open, why it closes, and how the main group changes on the way."""
    closes = person.intake + timedelta(days=int(rng.expovariate(1 / (CASE_MONTHS * 30.4))) + 7)
    if closes < today:
        person.end, person.closing = closes, pick(rng, CLOSING_WEIGHTS)
    roll = rng.random()
    for chance, new_group, (low, high) in GROUP_CHANGES.get(person.groups[0][1], ()):
        if roll < chance:
            day = person.intake + timedelta(days=rng.randint(low, high))
            if day <= min(person.end, today):
                person.groups.append((day, new_group))
            break
        roll -= chance


def _cover_cases(rng: random.Random, people: list[Person], today: date) -> None:
    """Every closing reason and at least one change of group, even in a small demo."""
    open_cases = [p for p in people if not p.closing and (today - p.intake).days >= 14]
    for reason in CLOSING_REASONS:
        if open_cases and not any(p.closing == reason for p in people):
            person = open_cases.pop(rng.randrange(len(open_cases)))
            person.closing = reason
            person.end = person.intake + timedelta(days=rng.randint(7, (today - person.intake).days))
            person.groups = [g for g in person.groups if g[0] <= person.end]
    if not any(len(p.groups) > 1 for p in people):
        candidates = [p for p in people if p.groups[0][1] == "suspected" and (p.end - p.intake).days >= 2]
        if candidates:
            person = rng.choice(candidates)
            person.groups.append((person.intake + (person.end - person.intake) // 2, "dependent"))


def _family_member(rng: random.Random, index: int, related: Person, today: date, used_ids: set[str]) -> Person:
    sex = "female" if rng.random() < 0.75 else "male"  # mostly mothers and wives
    relationship = rng.choice(D.RELATIONSHIPS[sex])
    related_age = related.intake.year - related.values["birth_year"]
    offset = {"Mẹ": 25, "Cha": 27, "Vợ": -2, "Chồng": 2, "Con gái": -25}.get(relationship, rng.randint(-8, 8))
    if related_age + offset < 16:
        relationship, offset = ("Mẹ", 25) if sex == "female" else ("Cha", 27)
    birth_year = related.values["birth_year"] - offset - rng.randint(-3, 3)
    shares_family_name = relationship not in ("Mẹ", "Vợ", "Chồng") and related.values["full_name"]
    family_name = related.values["full_name"].split(" ")[0] if shares_family_name else None
    intake = min(related.end, today, related.intake + timedelta(days=rng.randint(0, 60)))
    person = Person(index, intake, {}, [(intake, "family")], related.end, related=related)
    if related.closing:
        person.closing = related.closing if related.closing in ("moved_away", "withdrew_consent") else "completed"
    person.values = {
        "full_name": full_name(rng, sex, family_name), "sex": sex, "birth_year": birth_year,
        "intake_date": intake.isoformat(), "relationship": relationship,
        "hamlet": related.hamlet, "commune": related.values.get("commune", ""), "province": D.PROVINCE,
        "address": related.values.get("address", ""), "counsellor_id": related.values["counsellor_id"],
        "volunteer_id": related.values.get("volunteer_id"), "occupation": rng.choice(D.OCCUPATIONS[:9]),
        "consent_date": intake.isoformat(), "consent_scope": D.CONSENT_SCOPE,
    }
    if rng.random() < 0.8:
        person.values["citizen_id"] = citizen_id(rng, sex, birth_year, used_ids)
    if rng.random() < 0.9:
        person.values["phone"] = phone(rng)
    return person


# --- later events of a case file ---------------------------------------------

def case_events(people: list[Person]) -> list[tuple[str, Person, dict[str, Any]]]:
    """("edit" | "change_group" | "close", person, values): determinations, new groups, closings."""
    events = []
    for person in people:
        for day, group in person.groups[1:]:
            if person.group_on(day - timedelta(days=1)) == "suspected":
                events.append(("edit", person, {
                    "determination_date": day.isoformat(), "determination_facility": D.DETERMINATION_FACILITY,
                    "determination_result": "dependent" if group == "dependent" else "not_dependent"}))
            events.append(("change_group", person, {"group_code": group, "start_date": day.isoformat(),
                                                    "note": D.GROUP_CHANGE_NOTES.get(group, "")}))
    for person in people:
        if person.closing:
            note = D.CLOSING_NOTES[person.closing]
            extra = {"notes": f"{person.values['notes']}\n{note}" if person.values.get("notes") else note}
            if person.closing == "withdrew_consent" and person.values.get("consent_date"):
                extra["consent_withdrawn"] = person.end.isoformat()
            events.append(("edit", person, extra))
            events.append(("close", person, {"closing_reason": person.closing, "closed_date": person.end.isoformat()}))
    return events
