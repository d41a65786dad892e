"""Closing a month freezes its numbers; later corrections show once, as amendments."""

import pytest

from app.core.errors import PermissionDenied
from app.reports import closing
from app.reports.monthly import monthly_report
from app.reports.period import Month
from app.store import clients, contacts

OCT, NOV, DEC = Month(2026, 10), Month(2026, 11), Month(2026, 12)


@pytest.fixture
def person(register):
    return clients.create(register, {"full_name": "Lê Văn An", "sex": "male", "birth_year": 1990,
                                     "intake_date": "2026-09-01", "main_group": "dependent"}).id


def test_a_closed_month_keeps_its_numbers_and_later_edits_become_amendments(register, person, monkeypatch):
    for day in ("2026-10-05", "2026-10-06"):
        contacts.add(register, {"kind": "office", "client_id": person, "contact_date": day})
    monkeypatch.setattr(closing, "today", lambda: __import__("datetime").date(2026, 11, 2))
    closure = closing.close_month(register, OCT)
    assert closure.closed_by == register.user.full_name and len(closure.digest) == 64
    late = contacts.add(register, {"kind": "office", "client_id": person, "contact_date": "2026-10-20"})
    assert late[0].closed_months == ("10/2026",)  # the save is flagged
    october = monthly_report(register, OCT)
    assert october.closure is not None and october.result.value("5", "so_luong") == 2  # frozen
    november = monthly_report(register, NOV)
    changed = [(a.month, a.row, a.column, a.closed_value, a.current_value) for a in november.amendments]
    assert (OCT, "5", "so_luong", 2, 3) in changed and (OCT, "13", "so_luong", 2, 3) in changed
    # Closing November freezes the amendments it reported: December does not repeat them.
    monkeypatch.setattr(closing, "today", lambda: __import__("datetime").date(2026, 12, 1))
    closing.close_month(register, NOV)
    assert monthly_report(register, DEC).amendments == []
    contacts.add(register, {"kind": "office", "client_id": person, "contact_date": "2026-10-21"})
    again = [(a.row, a.closed_value, a.current_value) for a in monthly_report(register, DEC).amendments
             if a.row == "5"]
    assert again == [("5", 3, 4)]


def test_a_month_cannot_be_closed_before_it_ends_or_twice(register, monkeypatch):
    monkeypatch.setattr(closing, "today", lambda: __import__("datetime").date(2026, 10, 30))
    with pytest.raises(closing.MonthNotOver):
        closing.close_month(register, OCT)
    monkeypatch.setattr(closing, "today", lambda: __import__("datetime").date(2026, 10, 31))
    closing.close_month(register, OCT)
    with pytest.raises(closing.MonthAlreadyClosed):
        closing.close_month(register, OCT)
    from app.store.connection import IntegrityError

    with pytest.raises(IntegrityError):
        register.conn.execute("UPDATE month_closures SET snapshot = '{}'")


def test_only_the_chair_closes_a_month(register):
    from app.core.roles import Role
    from app.store.register import SignedInUser

    register.user = SignedInUser(register.user.id, "lan", "Lan", Role.COUNSELLOR)
    with pytest.raises(PermissionDenied):
        closing.close_month(register, OCT)
