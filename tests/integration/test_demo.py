"""Demo data: repeatable, never in the future, and something for every screen and form row."""

import json
import re

import pytest

from app.core.clock import local, utc_now
from app.core.validate import add_months
from app.core.vocab import CLIENT_GROUPS, CLOSING_REASONS, CONTACT_KINDS, OUTREACH_KINDS, REFERRAL_OUTCOMES
from app.demo import writer as demo
from app.store import audit, catalogs, today as today_screen
from app.store.records import SYNCED_TABLES
from tests.conftest import PASSPHRASE, run_cli

CLIENTS, MONTHS, SEED = 40, 12, 2026

# Columns holding the date something happened (planned dates such as next_follow_up may lie ahead).
EVENT_DATES = {
    "clients": ("intake_date", "determination_date", "legal_start", "consent_date", "consent_withdrawn", "closed_date"),
    "client_groups": ("start_date",),
    "contacts": ("contact_date",),
    "referrals": ("referred_date", "outcome_date"),
    "rehab_registrations": ("registration_date", "decision_date", "start_date", "outcome_date", "certificate_date"),
    "methadone_episodes": ("start_date", "end_date"),
    "groups": ("founded_date",),
    "group_members": ("joined_date", "left_date"),
    "group_meetings": ("meeting_date",),
    "outreach": ("activity_date",),
}


def _new_register(root):
    from app.core.unit import make_unit
    from app.store.register import create_register

    unit = make_unit("point", "MYHOA-01", "Điểm tư vấn xã Mỹ Hòa", "Ủy ban nhân dân xã Mỹ Hòa")
    register, _recovery = create_register(root, unit=unit, admin_login="admin",
                                          admin_full_name="Nguyễn Văn Đức", passphrase=PASSPHRASE)
    return register


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    register = _new_register(tmp_path_factory.mktemp("demo") / "register")
    stages = []
    summary = demo.fill(register, clients=CLIENTS, months=MONTHS, seed=SEED,
                        progress=lambda stage, done, total: stages.append((str(stage), done, total)))
    yield register, summary, stages
    register.close()


def _fingerprint(conn):
    """What a person would recognise as 'the same data': names, people's details, activities by day."""
    return {
        "clients": sorted(conn.execute(
            "SELECT code, full_name, alias, sex, birth_year, citizen_id, phone, hamlet, main_group, status"
            " FROM clients").fetchall()),
        "contacts": sorted(conn.execute(
            "SELECT contact_date, kind, duration_minutes, topics, next_follow_up FROM contacts").fetchall()),
        "referrals": sorted(conn.execute("SELECT referred_date, service, outcome, amount FROM referrals").fetchall()),
        "outreach": sorted(conn.execute("SELECT activity_date, kind, quantity, attendees FROM outreach").fetchall()),
    }


def _today():
    return local(utc_now()).date()


def test_same_seed_gives_the_same_data_and_another_seed_other_data(filled, tmp_path):
    register, summary, _stages = filled
    again = _new_register(tmp_path / "again")
    try:
        assert demo.fill(again, clients=CLIENTS, months=MONTHS, seed=SEED).counts == summary.counts
        assert _fingerprint(again.conn) == _fingerprint(register.conn)
    finally:
        again.close()
    other = _new_register(tmp_path / "other")
    try:
        demo.fill(other, clients=CLIENTS, months=MONTHS, seed=SEED + 1)
        assert _fingerprint(other.conn)["clients"] != _fingerprint(register.conn)["clients"]
    finally:
        other.close()


def test_counts_progress_and_people_look_real(filled):
    register, summary, stages = filled
    counts = summary.counts
    assert counts["clients"] == CLIENTS and 0 < counts["family_members"] < CLIENTS // 3
    assert counts["contacts"] > 5 * CLIENTS and counts["referrals"] >= 11 and counts["outreach"] >= 12 * 8
    last = {label: (done, total) for label, done, total in stages}
    assert set(last) == {str(label) for label in demo.STAGES.values()}
    assert all(done == total > 0 for done, total in last.values())  # every stage reported its end
    rows = register.conn.execute("SELECT full_name, alias, citizen_id, phone, main_group, related_client_id,"
                                 " relationship FROM clients").fetchall()
    names = [r[0] for r in rows if r[0]]
    assert all(len(name.split()) >= 2 for name in names) and any(r[1] for r in rows)
    assert sum(name.split()[0] == "Nguyễn" for name in names) >= len(names) // 5
    ids = [r[2] for r in rows if r[2]]
    assert len(ids) == len(set(ids)) and all(re.fullmatch(r"089\d{9}", i) for i in ids)
    assert all(re.fullmatch(r"0\d{3} \d{3} \d{3}", r[3]) for r in rows if r[3])
    family = [r for r in rows if r[4] == "family"]
    assert family and all(r[5] and r[6] for r in family)
    loans = [r[0] for r in register.conn.execute("SELECT amount FROM referrals WHERE service = 'loan'")]
    assert loans and all(amount and amount % 1_000_000 == 0 for amount in loans)


def test_no_event_date_lies_in_the_future_or_before_the_period(filled):
    register, _summary, _stages = filled
    today, start = _today().isoformat(), add_months(_today(), -MONTHS).isoformat()
    for table, columns in EVENT_DATES.items():
        for column in columns:
            first, last = register.conn.execute(f"SELECT min({column}), max({column}) FROM {table}").fetchone()
            assert last is None or start <= first <= last <= today, (table, column, first, last)
    born = register.conn.execute("SELECT max(birth_date) FROM clients").fetchone()[0]
    assert born is None or born < start


def test_every_kind_group_service_outcome_and_reason_occurs(filled):
    register, _summary, _stages = filled

    def found(sql):
        return {r[0] for r in register.conn.execute(sql)}

    assert found("SELECT kind FROM contacts") == set(CONTACT_KINDS)
    assert found("SELECT kind FROM outreach") == set(OUTREACH_KINDS)
    assert found("SELECT group_code FROM client_groups") == set(CLIENT_GROUPS)
    assert found("SELECT service FROM referrals") == catalogs.codes(register.conn, "service")
    assert found("SELECT outcome FROM referrals") == set(REFERRAL_OUTCOMES)
    assert found("SELECT closing_reason FROM clients WHERE status = 'closed'") == set(CLOSING_REASONS)
    assert found("SELECT kind FROM staff") == {"board", "counsellor", "volunteer"}
    assert register.conn.execute("SELECT count(*) FROM client_groups").fetchone()[0] > CLIENTS  # groups changed
    sessions = register.conn.execute(
        "SELECT count(*) FROM contacts c WHERE kind = 'group' AND EXISTS"
        " (SELECT 1 FROM contact_participants p WHERE p.contact_id = c.id)").fetchone()[0]
    assert {"completed", "dropped_out", "ongoing"} <= found("SELECT outcome FROM rehab_registrations")
    assert sessions and not register.conn.execute(
        "SELECT count(*) FROM contacts WHERE kind = 'community' AND attendee_count IS NULL").fetchone()[0]
    assert not register.conn.execute(
        "SELECT count(*) FROM outreach WHERE kind = 'broadcast' AND minutes IS NULL").fetchone()[0]


def test_self_help_group_meets_twice_a_month_with_about_eight_members(filled):
    register, _summary, _stages = filled
    from app.store import groups

    group = groups.listing(register.conn)[0]
    meetings = groups.meetings(register.conn, group["id"])
    assert 4 <= group["member_count"] <= 8 and MONTHS * 2 - 3 <= len(meetings) <= MONTHS * 2 + 1
    assert all(m["attendee_count"] <= 8 for m in meetings) and sum(m["attendee_count"] for m in meetings) > 0


def test_today_screen_has_follow_ups_referrals_and_a_rehab_term_ending(filled):
    register, _summary, _stages = filled
    today = _today()
    agenda = today_screen.agenda(register.conn, today)
    due = [f["next_follow_up"] for f in agenda.follow_ups]
    assert any(d < today.isoformat() for d in due), "an overdue follow-up"
    assert any(d >= today.isoformat() for d in due), "a follow-up due this week"
    assert agenda.referrals, "referrals waiting for an outcome"
    month = today.isoformat()[:7]
    assert any(r["end_date"].startswith(month) for r in agenda.rehab_ending), "a rehab term ending this month"


def test_every_demo_row_is_in_the_change_log_and_the_audit_log(filled):
    register, _summary, _stages = filled
    conn = register.conn
    for table in SYNCED_TABLES:
        missing = conn.execute(f"SELECT count(*) FROM {table} t WHERE NOT EXISTS (SELECT 1 FROM change_log l"
                               f" WHERE l.table_name = '{table}' AND l.row_id = t.id)").fetchone()[0]
        unaudited = conn.execute(f"SELECT count(*) FROM {table} t WHERE NOT EXISTS (SELECT 1 FROM audit_log a"
                                 f" WHERE a.entity = '{table}' AND a.entity_id = t.id"
                                 f" AND a.action = 'record.create')").fetchone()[0]
        assert (missing, unaudited) == (0, 0), table
    assert conn.execute("SELECT count(*) FROM audit_log WHERE action = 'record.update'").fetchone()[0] > 0
    assert audit.verify(conn).ok
    assert not conn.execute("SELECT count(*) FROM clients WHERE origin != 'MYHOA-01' OR version <= 0").fetchone()[0]


def test_too_small_is_refused_before_anything_is_written(register):
    with pytest.raises(demo.DemoTooSmall):
        demo.fill(register, clients=5, months=12)
    assert register.conn.execute("SELECT count(*) FROM clients").fetchone()[0] == 0


def test_demo_command_fills_once_and_prints_counts(tmp_path):
    root = str(tmp_path / "demo")
    first = run_cli("demo", "--register", root, "--clients", "25", "--months", "8", "--seed", "7", "--json")
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    assert summary["created"] and summary["filled"] and summary["seed"] == 7
    assert summary["counts"]["clients"] == 25 and summary["counts"]["contacts"] > 0
    assert summary["passphrase"] == "demo-tuvan-2026"
    again = run_cli("demo", "--register", root, "--lang", "en")
    assert again.returncode == 0, again.stderr
    assert "It already holds 25 clients" in again.stdout and "demo-tuvan-2026" in again.stdout
    empty = run_cli("demo", "--register", str(tmp_path / "empty"), "--clients", "0", "--json")
    assert json.loads(empty.stdout)["counts"]["clients"] == 0
    small = run_cli("demo", "--register", str(tmp_path / "small"), "--clients", "3", "--lang", "en")
    assert small.returncode == 1 and "at least 20 clients" in small.stderr
    assert not (tmp_path / "small").exists()
