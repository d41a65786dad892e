"""Demo data: fill a point register with months (or years) of realistic work.

The plan comes from app/demo/people.py, activities.py and community.py: every
choice follows from the seed, one random stream per part (drawing outreach
differently leaves the clients as they were), and no choice depends on what
the database hands back. This module writes the plan through the
repositories, so validation, sync columns, the change log and the audit log
happen exactly as for records people type.

Rows are committed in batches of a few thousand: a commit per row would be
slow, one huge transaction would hold the whole fill in the WAL.

Event dates (intake, contacts, referrals, meetings, outreach) lie in the last
`months` months and never after today (Vietnam's date). Planned dates (next
follow-up, end of a rehab term or of post-rehab management) may lie ahead,
as they do in a real register.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pathlib import Path

from app.core.clock import local, utc_now
from app.core.errors import RegisterNotFound, UserError, WrongPassphrase
from app.core.i18n import N_
from app.core.roles import Permission
from app.core.unit import make_unit
from app.core.validate import add_months
from app.demo import activities, community
from app.demo import data as D
from app.demo import people as people_plan
from app.demo.people import Person, Roster
from app.store import catalogs, contacts, groups, holdings, law_terms, outreach, referrals, treatment, users
from app.store import clients as client_store
from app.store import staff as staff_store
from app.store.register import create_register, unlock
from app.store.register_folder import register_paths
from app.store.vault import KeySlotFile

Progress = Callable[[str, int, int], None]  # (stage label to translate with _(), rows done, rows planned)

MIN_CLIENTS = 20  # fewer cannot show every group, closing reason and Today list at once
MAX_MONTHS = 240
BATCH_ROWS = 2000

STAGES = {
    "setup": N_("Hamlets and staff"),
    "clients": N_("Clients and family members"),
    "contacts": N_("Counselling contacts"),
    "referrals": N_("Referrals and treatment"),
    "groups": N_("Self-help groups"),
    "outreach": N_("Outreach"),
    "cases": N_("Group changes and closed cases"),
}


class NotTheDemoRegister(UserError):
    template = N_("The register in {path} is not the demo register: it does not open with the demo "
                  "passphrase, so nothing was changed in it. To make a demo register, name a new folder, "
                  "for example: tuvan demo --register demo-register")


class DemoTooSmall(UserError):
    template = N_("Demo data needs at least {clients} clients and 1 to {months} months "
                  "(use --clients 0 for an empty register).")


@dataclass
class DemoSummary:
    counts: dict[str, int]
    seconds: float
    stage_seconds: dict[str, float] = field(default_factory=dict)


def fill(register, *, clients: int = 150, months: int = 12, seed: int = 2026,
         progress: Progress | None = None, today: date | None = None) -> DemoSummary:
    """Fill `register` with `clients` clients (family members included) and `months` months of work."""
    register.require(Permission.MANAGE_SETTINGS)  # hamlets go into a catalog only administrators edit
    check_size(clients, months)
    today = today or local(utc_now()).date()
    start = add_months(today, -months)
    progress = progress or (lambda stage, done, total: None)
    began, seconds = time.perf_counter(), {}

    def rng(part: str) -> random.Random:
        return random.Random(f"{seed}:{part}")

    def stage(name: str, work: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        result = work()
        seconds[name] = round(time.perf_counter() - started, 2)
        return result

    hamlets = list(D.HAMLETS[:max(6, min(len(D.HAMLETS), clients // 20))])
    roster = stage("setup", lambda: _write_setup(register, rng("staff"), hamlets, clients, progress))
    people = people_plan.plan_people(rng("clients"), clients, roster, hamlets, start, today)
    stage("clients", lambda: _write_people(register, people, progress))
    topics = sorted(catalogs.codes(register.conn, "topic"))
    planned = activities.plan_contacts(rng("contacts"), people, roster, topics, start, today)
    stage("contacts", lambda: _write_contacts(register, planned, progress))
    services = sorted(catalogs.codes(register.conn, "service"))
    chosen = activities.plan_referrals(rng("referrals"), planned, services, today)
    rehabs, episodes = activities.plan_treatment(rng("treatment"), chosen, people, start, today)
    stage("referrals", lambda: _write_referrals(register, chosen, rehabs, episodes, progress))
    self_help = community.plan_groups(rng("groups"), people, roster, start, today)
    stage("groups", lambda: _write_groups(register, self_help, progress))
    items = community.plan_outreach(rng("outreach"), roster, hamlets, start, today)
    stage("outreach", lambda: _write_outreach(register, items, progress))
    stage("cases", lambda: _write_case_events(register, people_plan.case_events(people), progress))
    return DemoSummary(holdings.counts(register.conn), round(time.perf_counter() - began, 2), seconds)


def check_size(clients: int, months: int) -> None:
    """Refuse sizes that cannot show every screen (0 clients is allowed: an empty register)."""
    if (clients and clients < MIN_CLIENTS) or clients < 0 or not 1 <= months <= MAX_MONTHS:
        raise DemoTooSmall(clients=MIN_CLIENTS, months=MAX_MONTHS)


class _Batches:
    """Commit every `size` rows of one stage, reporting progress at each commit."""

    def __init__(self, register, stage: str, total: int, progress: Progress, size: int = BATCH_ROWS):
        self.register, self.label, self.total, self.progress, self.size = (
            register, STAGES[stage], total, progress, size)
        self.done = self._since = 0
        self._transaction = None

    def __enter__(self) -> _Batches:
        self._begin()
        self.progress(self.label, 0, self.total)
        return self

    def _begin(self) -> None:
        self._transaction = self.register.transaction()
        self._transaction.__enter__()

    def add(self, rows: int = 1) -> None:
        self.done += rows
        self._since += rows
        if self._since >= self.size:
            transaction, self._transaction = self._transaction, None
            transaction.__exit__(None, None, None)  # commit
            self._since = 0
            self.progress(self.label, self.done, max(self.total, self.done))
            self._begin()

    def __exit__(self, *exc) -> bool:
        transaction, self._transaction = self._transaction, None
        suppressed = transaction.__exit__(*exc)  # commit, or roll back this batch on an error
        if exc[0] is None:
            self.progress(self.label, self.done, self.done)
        return bool(suppressed)


# --- writing the plan --------------------------------------------------------

def _write_setup(register, rng: random.Random, hamlets: list[str], clients: int, progress: Progress) -> Roster:
    accounts = [(u.id, u.full_name, u.role.value) for u in users.list_users(register.conn) if u.active]
    staff = people_plan.plan_staff(rng, accounts, hamlets, clients)
    with _Batches(register, "setup", len(hamlets) + len(staff), progress) as batch:
        for name in hamlets:
            catalogs.save_item(register, "hamlet", name)
            batch.add()
        for person in staff:
            person.id = staff_store.add(register, person.values).id
            batch.add()
    return Roster.of(staff)


def _write_people(register, people: list[Person], progress: Progress) -> None:
    # Codes are numbered here: next_code reads every code of the point, once per client.
    prefix, number = client_store.next_code(register.conn, register.origin).rsplit("-", 1)
    with _Batches(register, "clients", len(people), progress) as batch:
        for offset, person in enumerate(people):
            values = {**person.values, "code": f"{prefix}-{int(number) + offset:04d}"}
            if person.related is not None:
                person.id = client_store.add_family_member(register, person.related.id, values).id
            else:
                person.id = client_store.create(register, values).id
            batch.add()


def _write_contacts(register, planned: list[activities.PlannedContact], progress: Progress) -> None:
    total = sum(1 + len(c.participants) for c in planned)
    with _Batches(register, "contacts", total, progress) as batch:
        for contact in planned:
            values = {**contact.values, "client_id": contact.person.id} if contact.person else contact.values
            contacts.add(register, values, [p.id for p in contact.participants])
            batch.add(1 + len(contact.participants))


def _write_referrals(register, chosen: list[activities.PlannedReferral], rehabs: list[activities.Rehab],
                     episodes: list[tuple[Person, dict]], progress: Progress) -> None:
    total = (sum(1 + (r.outcome != "pending") for r in chosen) + sum(1 + bool(o) for *_, o in rehabs)
             + len(episodes))
    with _Batches(register, "referrals", total, progress) as batch:
        for referral in chosen:
            referral_id = referrals.add(register, {**referral.values, "client_id": referral.person.id}).id
            batch.add()
            if referral.outcome != "pending":  # the loop is closed later, as a counsellor would
                referrals.record_outcome(register, referral_id, referral.outcome, referral.outcome_day.isoformat())
                batch.add()
        law = law_terms.current(register.conn)
        for person, values, outcome in rehabs:
            rule = law.rehab_term(date.fromisoformat(values["registration_date"]), first=True)
            if rule is not None and rule.fixed:  # the law sets it (24 months the first time, 36 later)
                values = {**values, "term_months": ""}
            rehab_id = treatment.add_rehab(register, person.id, values).id
            batch.add()
            if outcome:
                treatment.edit_rehab(register, rehab_id, outcome)
                batch.add()
        for person, values in episodes:
            treatment.add_methadone(register, person.id, values)
            batch.add()


def _write_groups(register, planned: list[community.PlannedGroup], progress: Progress) -> None:
    total = sum(1 + sum(1 + len(e[2][1]) if e[0] == "meeting" else 1 for e in g.events) for g in planned)
    with _Batches(register, "groups", total, progress) as batch:
        for group in planned:
            group_id = groups.create(register, group.values).id
            batch.add()
            member_ids: dict[int, str] = {}
            for event, day, detail in group.events:
                if event == "join":
                    member_ids[detail.index] = groups.add_member(register, group_id, detail.id, day.isoformat()).id
                    batch.add()
                elif event == "leave":
                    groups.end_membership(register, member_ids[detail.index], day.isoformat())
                    batch.add()
                else:
                    meeting, present = detail
                    batch.add(len(groups.record_meeting(register, group_id, meeting, [p.id for p in present])))


def _write_outreach(register, planned: list[dict[str, Any]], progress: Progress) -> None:
    with _Batches(register, "outreach", len(planned), progress) as batch:
        for values in planned:
            outreach.add(register, values)
            batch.add()


def _write_case_events(register, events: list[tuple[str, Person, dict[str, Any]]], progress: Progress) -> None:
    write = {"edit": client_store.edit, "change_group": client_store.change_group, "close": client_store.close_case}
    with _Batches(register, "cases", len(events), progress) as batch:
        for event, person, values in events:
            write[event](register, person.id, values)
            batch.add()


DEMO_PASSPHRASE = "demo-tuvan-2026"
DEMO_USERS = (
    ("lan", "Trần Thị Lan", "counsellor"),
    ("hung", "Lê Văn Hùng", "reporter"),
)


def open_or_create_demo(root, *, clients: int = 150, months: int = 12, seed: int = 2026,
                        progress: Progress | None = None):
    """The demo register at `root`: created (users admin, lan, hung; one passphrase) if missing,
    filled if it has no clients. Returns (register, created, filled summary or None, clients before)."""
    check_size(clients, months)
    root = Path(root)
    try:
        register_paths(root)
        created = False
    except RegisterNotFound:
        created = True
    if created:
        unit = make_unit("point", "MYHOA-01", "Điểm tư vấn, chăm sóc, hỗ trợ điều trị nghiện xã Mỹ Hòa",
                         "Ủy ban nhân dân xã Mỹ Hòa")
        register, _recovery = create_register(root, unit=unit, admin_login="admin",
                                              admin_full_name="Nguyễn Văn Đức", passphrase=DEMO_PASSPHRASE)
        for login, full_name, role in DEMO_USERS:
            users.add_user(register, login, full_name, role, DEMO_PASSPHRASE)
    else:
        # The demo's users are looked for first, so that another register is not tried with the
        # demo passphrase (a failed try would count against its unlock throttle).
        slots = KeySlotFile.load(register_paths(root).slots)
        if not all(slots.has_login(login) for login, _name, _role in DEMO_USERS):
            raise NotTheDemoRegister(path=root)
        try:
            register = unlock(root, "admin", DEMO_PASSPHRASE)  # proves it is the demo register
        except WrongPassphrase:
            raise NotTheDemoRegister(path=root) from None
    had_clients = holdings.counts(register.conn)["clients"]
    filled = None
    if clients and not had_clients:
        filled = fill(register, clients=clients, months=months, seed=seed, progress=progress)
    return register, created, filled, had_clients
