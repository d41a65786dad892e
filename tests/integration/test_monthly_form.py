"""The monthly form counts the records: the seeds' real figures, month boundaries, form-file checks."""

from datetime import date

import pytest

from app.reports.engine import compute, compute_district, records_behind
from app.reports.form_file import FormFileError, default_form, parse_form
from app.reports.period import Month
from app.store import clients, contacts, outreach, referrals

MONTH = Month(2026, 10)


def _day(n: int) -> str:
    return date(2026, 10, 1 + n % 31).isoformat()


def _people(register, count: int, group: str = "dependent", sex: str = "male") -> list[str]:
    ids = []
    for n in range(count):
        ids.append(clients.create(register, {
            "full_name": f"Khách Hàng Số {n}", "sex": sex, "birth_year": 1980 + n % 30,
            "intake_date": "2026-09-01", "main_group": group}).id)
    return ids


def _contacts(register, kind: str, people: list[str], total: int) -> None:
    for n in range(total):
        contacts.add(register, {"kind": kind, "client_id": people[n % len(people)], "contact_date": _day(n)})


def _group_sessions(register, people: list[str], sizes: list[int]) -> None:
    start = 0
    for n, size in enumerate(sizes):
        contacts.add(register, {"kind": "group", "contact_date": _day(n)}, participants=people[start:start + size])
        start = (start + size) % (len(people) - max(sizes))


def _community(register, attendees: list[int]) -> None:
    for n, count in enumerate(attendees):
        contacts.add(register, {"kind": "community", "contact_date": _day(n), "attendee_count": count})


def _outreach(register, kind: str, records: list[dict]) -> None:
    for n, values in enumerate(records):
        outreach.add(register, {"kind": kind, "activity_date": _day(n), **values})


def test_an_giang_figures_appear_exactly(register):
    """An Giang (docs/domain.md): 220 individual, 38 group, 162 home, 8 community sessions with 298
    attendees, 53 broadcasts, over 7,000 leaflets, 6 boards."""
    people = _people(register, 60)
    _contacts(register, "office", people, 220)
    _contacts(register, "home", people, 162)
    _group_sessions(register, people, [8, 8, 7, 8, 7])  # 38 participations in 5 sessions
    _community(register, [40, 35, 38, 37, 36, 40, 37, 35])  # 8 sessions, 298 attendees
    _outreach(register, "broadcast", [{"quantity": 2, "minutes": 15}] * 26 + [{"quantity": 1, "minutes": 15}])
    _outreach(register, "leaflets", [{"quantity": 1000}] * 7)
    _outreach(register, "board", [{"quantity": 6}])
    result = compute(register.conn, default_form(), MONTH)
    assert result.value("5", "so_luong") == 220
    assert result.value("6", "so_luong") == 162
    assert result.value("9", "so_luong") == 38 and result.value("9.1", "so_luong") == 5
    assert result.value("10", "so_luong") == 8 and result.value("10.1", "so_luong") == 298
    assert result.value("29", "so_luong") == 53 and result.value("29.1", "so_luong") == 53 * 15
    assert result.value("30", "so_luong") == 7000
    assert result.value("31", "so_luong") == 6
    assert result.value("13", "so_luong") == 220 + 162 + 38
    assert result.value("5", "nguoi") == 60 and result.value("5", "nam") == 60 and result.value("5", "nu") == 0


def test_tien_giang_figures_appear_exactly(register):
    """Tiền Giang, first half of 2024 (docs/domain.md), entered in one month: 176 sessions with 6,421
    attendees, 773 leaflets, 9 people referred to methadone, 35 broadcasts of 15 minutes, 10 school
    sessions with 4,854 students, 7 loudspeaker campaigns with 1,535 attendees, 4 loans, 4 jobs."""
    people = _people(register, 20)
    attendees = [36] * 175 + [6421 - 36 * 175]
    _community(register, attendees)
    _outreach(register, "leaflets", [{"quantity": 773}])
    for person in people[:9]:
        referrals.add(register, {"client_id": person, "service": "methadone", "referred_date": _day(3)})
    _outreach(register, "broadcast", [{"quantity": 1, "minutes": 15}] * 35)
    _outreach(register, "school", [{"quantity": 1, "attendees": 485}] * 9 + [{"quantity": 1, "attendees": 489}])
    _outreach(register, "loudspeaker", [{"quantity": 1, "attendees": 219}] * 6 + [{"quantity": 1, "attendees": 221}])
    for service, count in (("loan", 4), ("job", 4)):
        for person in people[10:10 + count]:
            made = referrals.add(register, {"client_id": person, "service": service, "referred_date": _day(1)})
            referrals.record_outcome(register, made.id, "completed", _day(20),
                                     amount=27_500_000 if service == "loan" else None)
    result = compute(register.conn, default_form(), MONTH)
    assert result.value("10", "so_luong") == 176 and result.value("10.1", "so_luong") == 6421
    assert result.value("30", "so_luong") == 773
    assert result.value("25", "nguoi") == 9
    assert result.value("29", "so_luong") == 35 and result.value("29.1", "so_luong") == 525
    assert result.value("33", "so_luong") == 10 and result.value("33", "nguoi") == 4854
    assert result.value("32", "so_luong") == 7 and result.value("32", "nguoi") == 1535
    loans = next(r for r in default_form().rows() if r.code.startswith("18.") and "loan" in str(r.cells["so_luong"]))
    jobs = next(r for r in default_form().rows() if r.code.startswith("18.") and "job" in str(r.cells["so_luong"]))
    assert result.value(loans.code, "hoan_thanh") == 4 and result.value(jobs.code, "hoan_thanh") == 4
    assert result.value("19", "so_luong") == 110_000_000


def test_month_boundaries_follow_vietnam_time(register):
    person = _people(register, 1)[0]
    for stamp in ("2026-10-31T23:30:00+07:00", "2026-10-31T16:30:00Z",      # 23:30 on 31 October
                  "2026-11-01T00:10:00+07:00", "2026-10-31T17:10:00Z"):     # 00:10 on 1 November
        contacts.add(register, {"kind": "phone", "client_id": person, "contact_date": stamp})
    october = compute(register.conn, default_form(), Month(2026, 10))
    november = compute(register.conn, default_form(), Month(2026, 11))
    assert october.value("7", "so_luong") == 2
    assert november.value("7", "so_luong") == 2


def test_a_cell_lists_the_records_behind_it(register):
    people = _people(register, 3)
    _contacts(register, "home", people, 5)
    refs = records_behind(register.conn, default_form(), MONTH, "6", "so_luong")
    assert len(refs) == 5 and {table for table, _id in refs} == {"contacts"}
    people_refs = records_behind(register.conn, default_form(), MONTH, "6", "nguoi")
    assert sorted(i for _t, i in people_refs) == sorted(people)


def test_deleted_records_and_other_months_do_not_count(register):
    person = _people(register, 1)[0]
    kept = contacts.add(register, {"kind": "office", "client_id": person, "contact_date": "2026-10-05"})
    gone = contacts.add(register, {"kind": "office", "client_id": person, "contact_date": "2026-10-06"})
    contacts.add(register, {"kind": "office", "client_id": person, "contact_date": "2026-09-30"})
    contacts.remove(register, gone[0].id)
    assert kept
    assert compute(register.conn, default_form(), MONTH).value("5", "so_luong") == 1


def test_district_form_has_a_column_per_point_and_the_total(register):
    """Records of several origins (as a district holds after merging) are counted per point."""
    people = _people(register, 4)
    _contacts(register, "home", people, 6)
    register.conn.execute("UPDATE contacts SET origin = 'PHUTHANH-01' WHERE seq % 2 = 0")
    register.conn.execute("UPDATE clients SET origin = 'PHUTHANH-01' WHERE seq % 2 = 0")
    result = compute_district(register.conn, default_form(), MONTH)
    assert set(result.by_point) == {"MYHOA-01", "PHUTHANH-01"}
    assert result.value("6", "so_luong") == 6
    assert sum(values["6"]["so_luong"] for values in result.by_point.values()) == 6


@pytest.mark.parametrize("cell, reason", [
    ("contacts.cont kind=home", "contacts.cont"),
    ("contacts.count colour=red", "colour"),
    ("contacts.count kind=sauna", "sauna"),
    ("contacts.count kind", "kind"),
])
def test_a_form_with_a_wrong_cell_is_refused_naming_the_row(cell, reason):
    data = {"columns": [{"code": "n", "label_vi": "Số"}],
            "sections": [{"code": "I", "label_vi": "A", "rows": [
                {"code": "ok", "label_vi": "Đúng", "cells": {"n": "contacts.count"}},
                {"code": "7b", "label_vi": "Sai", "cells": {"n": cell}}]}]}
    with pytest.raises(FormFileError) as info:
        parse_form(data, "thu.toml")
    assert "7b" in info.value.message and reason in info.value.message


def test_the_district_form_counts_each_point_as_its_own_form_would(tmp_path, office_engine):
    """Each point's column, counted from its share of one read, equals that point's form read on its
    own, month after month, for every row (demo data of every kind, spread over three origins), in
    an office's register on either engine."""
    from app.demo import writer as demo
    from tests.conftest import create_office_register

    register = create_office_register(tmp_path / "office", "MYHOA-01", "Văn phòng", office_engine)
    demo.fill(register, clients=60, months=4, seed=11)
    for table in ("clients", "contacts", "contact_participants", "referrals", "rehab_registrations",
                  "methadone_episodes", "groups", "group_members", "group_meetings", "meeting_attendance", "outreach"):
        register.conn.execute(f"UPDATE {table} SET origin = 'PHUTHANH-01' WHERE seq % 3 = 1")
        register.conn.execute(f"UPDATE {table} SET origin = 'BINHHOA-01' WHERE seq % 3 = 2")
    # A client's group history is written by the client's own point.
    register.conn.execute("UPDATE client_groups SET origin = (SELECT origin FROM clients c WHERE c.id = client_id)")
    form = default_form()
    latest = Month.of(date.today())
    for month in (latest, latest.previous(), latest.previous().previous()):
        result = compute_district(register.conn, form, month)
        assert set(result.by_point) == {"MYHOA-01", "PHUTHANH-01", "BINHHOA-01"}
        assert result.values == compute(register.conn, form, month).values
        for origin, values in result.by_point.items():
            assert values == compute(register.conn, form, month, origin).values, (month, origin)
        assert any(v for row in result.values.values() for v in row.values()), "the month is not empty"
    register.close()
