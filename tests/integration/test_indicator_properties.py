"""The SQL indicator engine against a plain reference, over random registers (hypothesis).

Each example is a real encrypted register holding a few dozen random records of every kind, dated
around two month boundaries, some deleted, spread over two points; every metric with every filter
value is counted for three months by the engine (a point's form, one point's share, the office
form with a column per point) and by `indicator_reference`, and must agree number for number and
record for record (the drill-down).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, configuration, given, settings, strategies as st

from app.core.vocab import CLIENT_GROUPS, CLOSING_REASONS, OUTREACH_KINDS
from app.reports.engine import compute, compute_district, records_behind
from app.reports.form_file import parse_form
from app.reports.metrics import FILTER_VALUES, REGISTRY
from app.reports.period import Month
from app.store.records import SYNCED_TABLES
from tests.integration import indicator_reference as reference

configuration.set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "tuvan-hypothesis")  # keep the tree clean
MONTHS = (Month(2026, 9), Month(2026, 10), Month(2026, 11))
SERVICES = ("methadone", "loan", "job")
ORIGINS = ("DIEM-A", "DIEM-B")
START = date(2026, 8, 27)


def _values(name: str) -> list[str]:
    return sorted(SERVICES if name == "service" else FILTER_VALUES[name])


def every_cell_form():
    """A form with one row per metric and filter choice: no filter, each value of each filter, and a
    pair of filters where the metric has two (e.g. group=dependent sex=female)."""
    rows = []
    for metric in REGISTRY.values():
        choices = [""] + [f"{name}={value}" for name in sorted(metric.filters) for value in _values(name)]
        names = sorted(metric.filters)
        if len(names) >= 2:
            choices += [f"{names[0]}={a} {names[1]}={b}" for a in _values(names[0])[:3] for b in _values(names[1])[:2]]
        rows += [{"code": f"r{len(rows) + n}", "label_vi": metric.name, "cells": {"n": f"{metric.name} {choice}".strip()}}
                 for n, choice in enumerate(choices)]
    return parse_form({"code": "every-cell", "columns": [{"code": "n", "label_vi": "Số"}],
                       "sections": [{"code": "I", "label_vi": "Tất cả", "rows": rows}]})


FORM = every_cell_form()

days = st.integers(0, 75).map(lambda n: (START + timedelta(days=n)).isoformat())
maybe_days = st.none() | days


def _later(first: str, gap: int) -> str:
    return (date.fromisoformat(first) + timedelta(days=gap)).isoformat()


@st.composite
def registers(draw):
    """Rows per table (as column dicts) for one random register."""
    n_clients = draw(st.integers(1, 10))
    clients = []
    for _ in range(n_clients):
        intake = draw(days)
        closed = draw(st.booleans())
        legal = draw(st.sampled_from(["none", "post_rehab_management", "post_rehab_management"]))
        legal_start = draw(maybe_days) if legal != "none" else None
        clients.append({"sex": draw(st.sampled_from(["male", "female", "other"])),
                        "main_group": draw(st.sampled_from(sorted(CLIENT_GROUPS))), "intake_date": intake,
                        "status": "closed" if closed else "active",
                        "closed_date": draw(st.none() | st.integers(0, 60).map(lambda g: _later(intake, g))) if closed else None,
                        "closing_reason": draw(st.sampled_from(sorted(CLOSING_REASONS))) if closed else "",
                        "legal_status": legal, "legal_start": legal_start,
                        "legal_end": _later(legal_start, draw(st.integers(1, 60))) if legal_start and draw(st.booleans()) else None})
    pick = st.integers(0, n_clients - 1)
    out = {"clients": clients, "client_groups": [], "contacts": [], "contact_participants": [], "referrals": [],
           "rehab_registrations": [], "methadone_episodes": [], "groups": [], "group_members": [],
           "group_meetings": [], "meeting_attendance": [], "outreach": []}
    for _ in range(draw(st.integers(0, 8))):
        out["client_groups"].append({"client_id": draw(pick), "group_code": draw(st.sampled_from(sorted(CLIENT_GROUPS))),
                                     "start_date": draw(days)})
    for _ in range(draw(st.integers(0, 25))):
        kind = draw(st.sampled_from(["office", "home", "phone", "online", "group", "community"]))
        contact = {"kind": kind, "contact_date": draw(days), "client_id": draw(pick) if kind not in ("group", "community") else None,
                   "attendee_count": draw(st.none() | st.integers(0, 40)) if kind == "community" else None}
        out["contacts"].append(contact)
        if kind == "group":
            for person in draw(st.sets(pick, max_size=4)):
                out["contact_participants"].append({"contact_id": len(out["contacts"]) - 1, "client_id": person})
    for _ in range(draw(st.integers(0, 10))):
        made = draw(days)
        outcome = draw(st.sampled_from(["pending", "completed", "completed", "refused", "failed"]))
        out["referrals"].append({"client_id": draw(pick), "service": draw(st.sampled_from(SERVICES)), "referred_date": made,
                                 "outcome": outcome, "amount": draw(st.none() | st.integers(0, 5_000_000)),
                                 "outcome_date": None if outcome == "pending" else _later(made, draw(st.integers(0, 50)))})
    for _ in range(draw(st.integers(0, 5))):
        registered = draw(days)
        decided = _later(registered, draw(st.integers(0, 20))) if draw(st.booleans()) else None
        started = _later(decided, draw(st.integers(0, 10))) if decided and draw(st.booleans()) else None
        outcome = draw(st.sampled_from(["ongoing", "completed", "dropped_out", "transferred"]))
        out["rehab_registrations"].append({
            "client_id": draw(pick), "registration_date": registered, "decision_date": decided, "start_date": started,
            "outcome": outcome, "term_months": 6,
            "outcome_date": None if outcome == "ongoing" and draw(st.booleans()) else _later(registered, draw(st.integers(0, 60)))})
    for _ in range(draw(st.integers(0, 5))):
        started = draw(days)
        status = draw(st.sampled_from(["on_treatment", "dropped_out", "completed"]))
        out["methadone_episodes"].append({"client_id": draw(pick), "start_date": started, "status": status,
                                          "end_date": _later(started, draw(st.integers(0, 50))) if draw(st.booleans()) else None})
    for _ in range(draw(st.integers(0, 3))):
        out["groups"].append({"name": "Nhóm", "active": draw(st.integers(0, 1))})
    if out["groups"]:
        group = st.integers(0, len(out["groups"]) - 1)
        for _ in range(draw(st.integers(0, 6))):
            out["group_meetings"].append({"group_id": draw(group), "meeting_date": draw(days)})
            for person in draw(st.sets(pick, max_size=3)):
                out["meeting_attendance"].append({"meeting_id": len(out["group_meetings"]) - 1, "client_id": person})
        for _ in range(draw(st.integers(0, 6))):
            joined = draw(days)
            out["group_members"].append({"group_id": draw(group), "client_id": draw(pick), "joined_date": joined,
                                         "left_date": _later(joined, draw(st.integers(0, 40))) if draw(st.booleans()) else None})
    for _ in range(draw(st.integers(0, 6))):
        out["outreach"].append({"kind": draw(st.sampled_from(sorted(OUTREACH_KINDS))), "activity_date": draw(days),
                                "quantity": draw(st.integers(0, 5)), "minutes": draw(st.none() | st.integers(0, 30)),
                                "attendees": draw(st.none() | st.integers(0, 200))})
    # Which rows are marked deleted, and which point made each row.
    for rows in out.values():
        for row in rows:
            row["deleted"] = int(draw(st.integers(0, 9)) == 0)
            row["origin"] = draw(st.sampled_from(ORIGINS))
    return out


# Which earlier table each reference column points into (the generator writes indexes).
LINKS = {"client_id": "clients", "contact_id": "contacts", "group_id": "groups", "meeting_id": "group_meetings"}


def _write(register, tables: dict) -> None:
    ids: dict[str, list[str]] = {}
    with register.transaction():
        for table, rows in tables.items():
            ids[table] = []
            for row in rows:
                values = {name: (ids[LINKS[name]][value] if name in LINKS and value is not None else value)
                          for name, value in row.items()}
                values.update(id=str(uuid.uuid4()), version=1, updated_at="2026-12-01T00:00:00Z")
                if table == "clients":
                    values.update(code=f"K{len(ids[table])}", birth_year=1990)
                names = ", ".join(values)
                register.conn.execute(f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(values))})",
                                      list(values.values()))
                ids[table].append(values["id"])


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """An empty register made once; each example works on a copy of its folder."""
    from app.core.unit import make_unit
    from app.store.register import create_register

    folder = tmp_path_factory.mktemp("template") / "register"
    register, _ = create_register(folder, unit=make_unit("district", "VP-01", "Văn phòng"), admin_login="admin",
                                  admin_full_name="Người Thử", passphrase="indicator properties 2026")
    register.close()
    return folder


def _numbers(result) -> dict:
    return {row: values["n"] for row, values in result.values.items()}


def _counts_as_the_reference(register, tables) -> None:
    _write(register, tables)
    reg = reference.Register(register.conn)
    cells = [(row.code, row.cells["n"]) for row in FORM.rows()]
    for month in MONTHS:
        expected = {code: reference.count(reg, cell.metric, cell.filter_dict, month)[0] for code, cell in cells}
        assert _numbers(compute(register.conn, FORM, month)) == expected, month
        office = compute_district(register.conn, FORM, month)
        assert _numbers(office) == expected, month
        assert sorted(office.by_point) == reg.points()
        for origin in ORIGINS:
            mine = {code: reference.count(reg, cell.metric, cell.filter_dict, month, origin)[0]
                    for code, cell in cells}
            assert _numbers(compute(register.conn, FORM, month, origin)) == mine, (month, origin)
            if origin in office.by_point:
                assert {row: v["n"] for row, v in office.by_point[origin].items()} == mine, (month, origin)
        for code, cell in cells:
            behind = records_behind(register.conn, FORM, month, code, "n")
            assert len(behind) == len(set(behind))
            assert set(behind) == reference.count(reg, cell.metric, cell.filter_dict, month)[1], (month, code)


EXAMPLES = settings(max_examples=int(os.environ.get("TUVAN_PROPERTY_EXAMPLES", "50")), deadline=None, database=None,
                    print_blob=True, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@EXAMPLES
@given(tables=registers())
def test_the_sql_engine_counts_as_the_plain_reference(template, tables):
    from app.store.register import unlock

    work = Path(tempfile.mkdtemp(prefix="tuvan-props-"))
    try:
        shutil.copytree(template, work / "register")
        register = unlock(work / "register", "admin", "indicator properties 2026")
        try:
            _counts_as_the_reference(register, tables)
        finally:
            register.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


@pytest.fixture(scope="module")
def server_office(tmp_path_factory, pg_cluster):
    """An office on the PostgreSQL server, emptied of records before each example (as the server's
    superuser: TRUNCATE fires no row trigger, and records are otherwise never deleted)."""
    import psycopg

    from tests.conftest import create_office_register

    office = create_office_register(tmp_path_factory.mktemp("server") / "office", "VP-01", "Văn phòng", pg_cluster)
    dbname = office.location["conninfo"].split("dbname=")[1].split()[0].strip("'")
    with psycopg.connect(pg_cluster.dsn(dbname=dbname), autocommit=True) as superuser:
        def empty() -> None:
            superuser.execute(f"TRUNCATE {', '.join(f'tuvan.{t}' for t in (*SYNCED_TABLES, 'change_log'))}")
        yield office, empty
    office.close()


@EXAMPLES
@given(tables=registers())
def test_the_sql_engine_counts_as_the_plain_reference_on_postgresql(server_office, tables):
    office, empty = server_office
    empty()
    _counts_as_the_reference(office, tables)
