"""Planning the demo register's community work: self-help groups and outreach.

Pure functions of a random stream, the planned people and the roster (app/demo/people.py),
like the counselling work in app/demo/activities.py.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from app.core.vocab import OUTREACH_KINDS
from app.demo import data as D
from app.demo.people import Person, Roster, day_between, months

GROUP_SIZE = 8  # regular members of a self-help group (An Giang: 8 at each point)


@dataclass
class PlannedGroup:
    values: dict[str, Any]
    events: list[tuple[str, date, Any]]  # ("join" | "leave", day, person) or ("meeting", day, (values, persons))


# --- self-help groups --------------------------------------------------------

def plan_groups(rng: random.Random, people: list[Person], roster: Roster, start: date,
                today: date) -> list[PlannedGroup]:
    """One or two groups of about 8 regular members meeting twice a month; members leave and join."""
    eligible = [p for p in people if not p.family and any(g in ("post_rehab", "dependent") for _, g in p.groups)]
    taken: set[int] = set()
    planned = []
    for number in range(1 if len(eligible) < 40 else 2):
        name, meets = D.SELF_HELP_GROUPS[number]
        founded = day_between(rng, start, min(today, start + timedelta(days=20)))
        group = PlannedGroup({"name": name, "founded_date": founded.isoformat(), "rules": D.GROUP_RULES,
                              "meets": meets}, [])
        members: dict[int, tuple[Person, date]] = {}
        for day in _meeting_days(founded, today, D.GROUP_MEETING_DAYS[number]):
            for index, (person, joined) in list(members.items()):
                if person.end < day or rng.random() < 0.015:
                    group.events.append(("leave", max(joined, min(person.end, day - timedelta(days=1))), person))
                    del members[index]
            while len(members) < GROUP_SIZE:
                free = [p for p in eligible if p.index not in taken and p.open_on(day)]
                pool = [p for p in free if p.group_on(day) == "post_rehab"] or free  # members finished rehab
                if not pool:
                    break
                person = rng.choice(pool)
                taken.add(person.index)
                members[person.index] = (person, day)
                group.events.append(("join", day, person))
            present = [person for person, _ in members.values() if rng.random() < 0.8]
            meeting = {"meeting_date": day.isoformat(), "topic": rng.choice(D.MEETING_TOPICS),
                       "facilitator_id": rng.choice(roster.counsellors)}
            group.events.append(("meeting", day, (meeting, present)))
        planned.append(group)
    return planned


def _meeting_days(founded: date, today: date, days_of_month: tuple[int, int]):
    for first, _last in months(founded, today):
        for day_of_month in days_of_month:
            day = date(first.year, first.month, day_of_month)
            if founded <= day <= today:
                yield day


# --- outreach ----------------------------------------------------------------

def plan_outreach(rng: random.Random, roster: Roster, hamlets: list[str], start: date,
                  today: date) -> list[dict[str, Any]]:
    """Outreach month by month, in the volumes the seeds report for one point, in date order."""
    planned = []
    for first, last in months(start, today):
        for kind, times in _outreach_counts(rng, first.month).items():
            planned += [_outreach_item(rng, kind, day_between(rng, first, last), roster, hamlets)
                        for _ in range(times)]
    for kind in OUTREACH_KINDS:
        if not any(item["kind"] == kind for item in planned):
            planned.append(_outreach_item(rng, kind, day_between(rng, start, today), roster, hamlets))
    return sorted(planned, key=lambda item: item["activity_date"])


def _outreach_counts(rng: random.Random, month: int) -> dict[str, int]:
    # An Giang: about two broadcasts a week, ~7,000 leaflets and 6 boards over the pilot; Tiền Giang:
    # loudspeaker campaigns and school sessions a few times a half-year; teams meet monthly.
    return {"broadcast": rng.randint(2, 6), "leaflets": rng.randint(1, 2), "board": 1,
            "loudspeaker": int(rng.random() < 0.35), "school": int(month not in (6, 7, 8) and rng.random() < 0.3),
            "community_meeting": rng.randint(1, 2), "team_meeting": 1 + (month % 3 == 0),
            "training": int(rng.random() < 0.2)}


def _outreach_item(rng: random.Random, kind: str, day: date, roster: Roster, hamlets: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {"kind": kind, "activity_date": day.isoformat(), "quantity": 1,
                              "staff_id": rng.choice(roster.counsellors)}
    hamlet = rng.choice(hamlets)
    if kind == "broadcast":  # Tiền Giang: 15 minutes each
        values.update(minutes=rng.choice((10, 15, 15, 20)), location=D.RADIO, notes=rng.choice(D.BROADCAST_NOTES),
                      staff_id=rng.choice(roster.board[:1] + roster.counsellors))
    elif kind == "leaflets":
        values.update(quantity=rng.randrange(100, 501, 50), location=hamlet, staff_id=rng.choice(roster.volunteers))
    elif kind == "board":
        values.update(quantity=min(6, len(hamlets)), location=D.BOARDS_PLACE, notes=D.BOARDS_NOTE,
                      staff_id=roster.volunteers[0])
    elif kind == "loudspeaker":  # Tiền Giang: 7 campaigns, 1,535 people
        values.update(attendees=rng.randint(100, 300), location=hamlet, notes=D.LOUDSPEAKER_NOTE,
                      staff_id=roster.volunteer_for(hamlet) or roster.volunteers[0])
    elif kind == "school":  # Tiền Giang: 10 sessions, 4,854 students
        values.update(attendees=rng.randint(200, 600), location=rng.choice(D.SCHOOLS), notes=D.SCHOOL_NOTE)
    elif kind == "community_meeting":  # Tiền Giang: 176 meetings, 6,421 people
        values.update(attendees=rng.randint(20, 60), location=rng.choice(D.COMMUNITY_VENUES).format(hamlet=hamlet),
                      notes=D.COMMUNITY_MEETING_NOTE.format(host=rng.choice(D.COMMUNITY_HOSTS)))
    elif kind == "team_meeting":
        board_meeting = rng.random() < 0.3
        values.update(attendees=len(roster.board if board_meeting else roster.volunteers) + 1,
                      location=D.MEETING_HALL, notes=D.TEAM_MEETINGS[int(board_meeting)],
                      staff_id=roster.board[0])
    elif kind == "training":
        values.update(attendees=rng.randint(1, 4), notes=rng.choice(D.TRAININGS))
    return values
