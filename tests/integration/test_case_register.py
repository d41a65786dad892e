"""The case register's repositories on a real encrypted register."""

from datetime import date, timedelta

import pytest

from app.core.fields import FieldErrors
from app.store import clients, contacts, groups, outreach, referrals, search, today, treatment
from app.store.records import RecordNotFound

TODAY = date.today()


def _client(register, **extra):
    values = {"full_name": "Nguyễn Văn Đức", "sex": "male", "birth_year": 1990,
              "intake_date": (TODAY - timedelta(days=30)).isoformat(), "main_group": "dependent",
              "hamlet": "Ấp Mỹ Thạnh", "phone": "0912 345 678", "citizen_id": "089090001234", **extra}
    return clients.create(register, values)


def _log(register, table, row_id):
    return register.conn.execute(
        "SELECT count(*) FROM change_log WHERE table_name = ? AND row_id = ?", (table, row_id)).fetchone()[0]


def _audits(register, entity_id):
    return [r[0] for r in register.conn.execute(
        "SELECT action FROM audit_log WHERE entity_id = ? ORDER BY seq", (entity_id,))]


def test_create_client_sets_sync_columns_and_logs_everywhere(register):
    change = _client(register)
    row = clients.get(register.conn, change.id)
    assert row["code"] == "MYHOA-01-0001" and row["origin"] == "MYHOA-01"
    assert row["version"] > 0 and row["updated_by"] == register.user.id and row["deleted"] == 0
    assert _log(register, "clients", change.id) >= 1
    assert _audits(register, change.id) == ["record.create"]
    history = clients.group_history(register.conn, change.id)
    assert [h["group_code"] for h in history] == ["dependent"]
    assert _client(register, full_name="Trần Thị Lan", citizen_id="").id
    assert clients.get(register.conn, clients.search.search(register.conn, "lan")[0].id)["code"] == "MYHOA-01-0002"


def test_every_edit_raises_the_version_and_lands_in_both_logs(register):
    change = _client(register)
    before = clients.get(register.conn, change.id)["version"]
    edit = clients.edit(register, change.id, {"phone": "0987 654 321"})
    assert edit.fields == ("phone",)
    after = clients.get(register.conn, change.id)
    assert after["version"] > before
    assert _log(register, "clients", change.id) >= 2
    assert _audits(register, change.id)[-1] == "record.update"
    assert clients.edit(register, change.id, {"phone": "0987 654 321"}) is None  # nothing changed


def test_validation_names_each_field_and_changes_nothing(register):
    with pytest.raises(FieldErrors) as info:
        clients.create(register, {"sex": "x", "birth_year": "abc", "intake_date": "31/02/2026",
                                  "main_group": "dependent", "citizen_id": "12"})
    assert set(info.value.errors) >= {"full_name", "sex", "birth_year", "intake_date", "citizen_id"}
    assert "ngày/tháng/năm" in info.value.errors["intake_date"]
    assert register.db["clients"].count == 0


def test_search_ignores_diacritics_and_sorts_by_given_name(register):
    for name in ("Nguyễn Văn Đức", "Trần Thị Ánh", "Lê Văn An", "Phạm Văn Đạt", "Đỗ Thị Dung"):
        _client(register, full_name=name, citizen_id="")
    names = [h.full_name for h in search.search(register.conn, "")]
    assert names == ["Lê Văn An", "Trần Thị Ánh", "Đỗ Thị Dung", "Phạm Văn Đạt", "Nguyễn Văn Đức"]
    assert [h.full_name for h in search.search(register.conn, "nguyen van duc")] == ["Nguyễn Văn Đức"]
    assert [h.full_name for h in search.search(register.conn, "NGUYEN V D")] == ["Nguyễn Văn Đức"]
    assert [h.full_name for h in search.search(register.conn, "d")] == ["Đỗ Thị Dung", "Phạm Văn Đạt", "Nguyễn Văn Đức"]
    assert len(search.search(register.conn, "0912345678")) == 5
    assert search.count(register.conn, "van") == 3
    assert search.search(register.conn, "MYHOA-01-0003")[0].full_name == "Lê Văn An"


def test_duplicates_by_citizen_id_name_and_year_or_similar_name_in_hamlet(register):
    first = _client(register)
    hits = clients.possible_duplicates(register.conn, {"citizen_id": "089090001234"})
    assert [(h.client.id, h.reason) for h in hits] == [(first.id, "citizen_id")]
    hits = clients.possible_duplicates(register.conn, {"full_name": "nguyen van duc", "birth_year": 1990})
    assert [h.reason for h in hits] == ["name_and_year"]
    hits = clients.possible_duplicates(register.conn, {"full_name": "Nguyễn Văn Đứt", "hamlet": "Ấp Mỹ Thạnh"})
    assert [h.reason for h in hits] == ["similar_name_same_hamlet"]
    assert clients.possible_duplicates(register.conn, {"full_name": "Võ Thị Hoa", "birth_year": 1990,
                                                       "hamlet": "Ấp Mỹ Thạnh"}) == []


def test_home_visit_with_follow_up_appears_on_today_until_the_next_contact(register):
    client = _client(register)
    visit = contacts.add(register, {"kind": "home", "client_id": client.id,
                                    "contact_date": (TODAY - timedelta(days=10)).isoformat(),
                                    "next_follow_up": (TODAY - timedelta(days=2)).isoformat(),
                                    "topics": ["relapse_prevention"], "duration_minutes": 45})
    assert visit[0].client_id == client.id
    agenda = today.agenda(register.conn, TODAY)
    assert [f["client_id"] for f in agenda.follow_ups] == [client.id]
    contacts.add(register, {"kind": "phone", "client_id": client.id, "contact_date": TODAY.isoformat()})
    assert today.agenda(register.conn, TODAY).follow_ups == []


def test_referral_loop_and_loan_amount(register):
    client = _client(register)
    made = referrals.add(register, {"client_id": client.id, "service": "loan",
                                    "referred_date": (TODAY - timedelta(days=20)).isoformat(),
                                    "referred_to": "Ngân hàng Chính sách xã hội"})
    assert [r["id"] for r in today.agenda(register.conn, TODAY).referrals] == [made.id]
    with pytest.raises(FieldErrors):
        referrals.record_outcome(register, made.id, "completed", (TODAY - timedelta(days=30)).isoformat())
    referrals.record_outcome(register, made.id, "completed", TODAY.isoformat(), amount="30.000.000")
    row = referrals.for_client(register.conn, client.id)[0]
    assert row["outcome"] == "completed" and row["amount"] == 30_000_000
    assert today.agenda(register.conn, TODAY).referrals == []


def test_closing_a_case_and_group_history(register):
    client = _client(register)
    clients.change_group(register, client.id, {"group_code": "post_rehab", "start_date": TODAY.isoformat()})
    assert [h["group_code"] for h in clients.group_history(register.conn, client.id)] == ["dependent", "post_rehab"]
    with pytest.raises(FieldErrors):
        clients.close_case(register, client.id, {"closing_reason": "", "closed_date": TODAY.isoformat()})
    clients.close_case(register, client.id, {"closing_reason": "moved_away", "closed_date": TODAY.isoformat()})
    row = clients.get(register.conn, client.id)
    assert row["status"] == "closed" and row["closing_reason"] == "moved_away"
    assert search.count(register.conn, "", include_closed=False) == 0


def test_group_sessions_participants_and_self_help_meetings(register):
    a = _client(register, full_name="Lê Văn An", citizen_id="")
    b = _client(register, full_name="Võ Văn Bé", citizen_id="")
    changes = contacts.add(register, {"kind": "group", "contact_date": TODAY.isoformat(), "topics": ["methadone"]},
                           participants=[a.id, b.id, a.id])
    assert len(changes) == 3
    assert len(contacts.for_client(register.conn, a.id)) == 1
    group = groups.create(register, {"name": "Nhóm tự lực Mỹ Hòa", "founded_date": TODAY.isoformat()})
    groups.add_member(register, group.id, a.id, TODAY.isoformat())
    groups.add_member(register, group.id, a.id, TODAY.isoformat())  # already a member: no second row
    groups.add_member(register, group.id, b.id, TODAY.isoformat())
    groups.record_meeting(register, group.id, {"meeting_date": TODAY.isoformat(), "topic": "Chia sẻ"}, [a.id])
    listing = groups.listing(register.conn)
    assert listing[0]["member_count"] == 2 and listing[0]["last_meeting"] == TODAY.isoformat()
    assert groups.meetings(register.conn, group.id)[0]["attendee_count"] == 1


def test_outreach_and_community_sessions_need_their_counts(register):
    with pytest.raises(FieldErrors) as info:
        outreach.add(register, {"kind": "broadcast", "activity_date": TODAY.isoformat()})
    assert "minutes" in info.value.errors
    outreach.add(register, {"kind": "broadcast", "activity_date": TODAY.isoformat(), "minutes": 15, "quantity": 2})
    outreach.add(register, {"kind": "leaflets", "activity_date": TODAY.isoformat(), "quantity": 500})
    with pytest.raises(FieldErrors):
        contacts.add(register, {"kind": "community", "contact_date": TODAY.isoformat()})
    contacts.add(register, {"kind": "community", "contact_date": TODAY.isoformat(), "attendee_count": 37})
    first = TODAY.replace(day=1).isoformat()
    assert sum(o["quantity"] for o in outreach.in_period(register.conn, first, TODAY.isoformat())) == 502


def test_rehab_term_ending_this_month_shows_on_today(register):
    client = _client(register)
    from app.core.validate import add_months

    start = add_months(TODAY.replace(day=1), -6)  # a 6-month term ending on the 1st of this month
    treatment.add_rehab(register, client.id, {"registration_date": start.isoformat(), "start_date": start.isoformat(),
                                              "term_months": 6, "provider": "Trạm y tế xã"})
    rows = treatment.rehab_for_client(register.conn, client.id)
    assert rows[0]["end_date"] == TODAY.replace(day=1).isoformat()
    assert [r["client_id"] for r in today.agenda(register.conn, TODAY).rehab_ending] == [client.id]
    with pytest.raises(FieldErrors):
        treatment.add_rehab(register, client.id, {"registration_date": TODAY.isoformat(), "term_months": 3})
    treatment.add_methadone(register, client.id, {"site": "Cơ sở methadone Long Xuyên", "start_date": TODAY.isoformat()})
    assert treatment.methadone_for_client(register.conn, client.id)[0]["status"] == "on_treatment"


def test_records_are_never_deleted_only_tombstoned(register):
    from app.store.connection import IntegrityError

    client = _client(register)
    visit = contacts.add(register, {"kind": "office", "client_id": client.id, "contact_date": TODAY.isoformat()})[0]
    contacts.remove(register, visit.id)
    assert contacts.for_client(register.conn, client.id) == []
    with pytest.raises(RecordNotFound):
        contacts.remove(register, visit.id)
    with pytest.raises(IntegrityError):
        register.conn.execute("DELETE FROM contacts")


def test_a_reporter_cannot_change_records(register):
    from app.core.errors import PermissionDenied
    from app.core.roles import Role
    from app.store.register import SignedInUser

    register.user = SignedInUser(register.user.id, "x", "X", Role.REPORTER)
    with pytest.raises(PermissionDenied):
        _client(register)


def test_editing_a_group_session_changes_its_participants_and_the_form(register):
    from app.reports.engine import compute
    from app.reports.form_file import default_form
    from app.reports.period import Month

    a = _client(register, full_name="Lê Văn An", citizen_id="")
    b = _client(register, full_name="Võ Văn Bé", citizen_id="")
    c = _client(register, full_name="Đặng Thị Cúc", citizen_id="", sex="female")
    when = TODAY.isoformat()
    session = contacts.add(register, {"kind": "group", "contact_date": when, "topics": ["methadone"]},
                           participants=[a.id, b.id])[0].id
    month = Month(TODAY.year, TODAY.month)

    def row9():
        result = compute(register.conn, default_form(), month)
        return result.value("9", "so_luong"), result.value("9", "nu")

    assert row9() == (2, 0)
    changes = contacts.edit_session(register, session, {"contact_date": when, "duration_minutes": "90",
                                                        "topics": ["methadone"]}, participants=[a.id, c.id])
    assert {(ch.table, ch.action) for ch in changes} == {
        ("contacts", "updated"), ("contact_participants", "deleted"), ("contact_participants", "created")}
    assert contacts.participants(register.conn, session) == [a.id, c.id]
    assert row9() == (2, 1)  # Bé is no longer counted, Cúc is
    assert contacts.for_client(register.conn, b.id) == []
    # Saving the same again changes nothing; taking Bé back adds one row, and the log has every step.
    assert contacts.edit_session(register, session, {"contact_date": when, "duration_minutes": "90",
                                                     "topics": ["methadone"]}, participants=[a.id, c.id]) == []
    contacts.edit_session(register, session, {"contact_date": when, "topics": ["methadone"]},
                          participants=[a.id, b.id, c.id])
    assert row9() == (3, 1)
    assert register.conn.execute(
        "SELECT count(*) FROM change_log WHERE table_name = 'contact_participants'").fetchone()[0] >= 5
    with pytest.raises(FieldErrors):
        contacts.edit_session(register, session, {"contact_date": ""}, participants=[a.id])
    assert set(contacts.participants(register.conn, session)) == {a.id, b.id, c.id}  # a refused edit changes nothing


def test_a_community_session_keeps_needing_its_attendee_count(register):
    session = contacts.add(register, {"kind": "community", "contact_date": TODAY.isoformat(),
                                      "attendee_count": 37})[0].id
    with pytest.raises(FieldErrors) as info:
        contacts.edit_session(register, session, {"contact_date": TODAY.isoformat(), "attendee_count": ""})
    assert "attendee_count" in info.value.errors
    contacts.edit_session(register, session, {"contact_date": TODAY.isoformat(), "attendee_count": "41"})
    assert contacts.sessions(register.conn, TODAY.isoformat(), TODAY.isoformat())[0]["attendee_count"] == 41


def test_correcting_and_removing_a_self_help_meeting(register):
    a = _client(register, full_name="Lê Văn An", citizen_id="")
    b = _client(register, full_name="Võ Văn Bé", citizen_id="")
    group = groups.create(register, {"name": "Nhóm tự lực Mỹ Hòa", "founded_date": TODAY.isoformat()})
    meeting = groups.record_meeting(register, group.id, {"meeting_date": TODAY.isoformat(), "topic": "Chia sẻ"},
                                    [a.id])[0].id
    changes = groups.edit_meeting(register, meeting, {"meeting_date": TODAY.isoformat(), "topic": "Việc làm"},
                                  [a.id, b.id])
    assert [(c.table, c.action) for c in changes] == [("group_meetings", "updated"),
                                                       ("meeting_attendance", "created")]
    assert groups.meetings(register.conn, group.id)[0]["attendee_count"] == 2
    assert groups.meetings(register.conn, group.id)[0]["topic"] == "Việc làm"
    with pytest.raises(FieldErrors):
        groups.edit_meeting(register, meeting, {"meeting_date": ""}, [b.id])
    assert sorted(groups.attendance(register.conn, meeting)) == sorted([a.id, b.id])
    groups.remove_meeting(register, meeting)
    assert groups.meetings(register.conn, group.id) == []
    assert groups.listing(register.conn)[0]["last_meeting"] is None
    assert _audits(register, meeting)[-1] == "record.delete"
