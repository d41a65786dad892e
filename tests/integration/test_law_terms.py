"""The law's terms as records are saved: a rehabilitation's term by its registration date, the
management term, the Today list, another law file chosen by an administrator (issue 16, point 3)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from app.core.clock import today as clock_today
from app.core.fields import FieldErrors
from app.core.law import LawFileError
from app.core.validate import add_months
from app.store import clients, law_terms, today, treatment
from tests.conftest import PASSPHRASE, run_cli

TODAY = clock_today()
NEW_LAW = date(2026, 7, 1)


def _client(register, **extra):
    return clients.create(register, {"full_name": "Trần Văn Bảy", "sex": "male", "birth_year": 1990,
                                     "intake_date": "2022-03-01", "main_group": "dependent", **extra})


def _rehab(register, client_id, registered: date, **values):
    return treatment.add_rehab(register, client_id, {"registration_date": registered.isoformat(), **values})


def _row(register, rehab_id):
    return register.conn.execute("SELECT term_months, end_date FROM rehab_registrations WHERE id = ?",
                                 (rehab_id,)).fetchone()


@pytest.mark.skipif(TODAY < NEW_LAW, reason="the new law is not in force yet on this machine's date")
def test_from_july_2026_the_law_sets_24_months_the_first_time_and_36_after(register):
    client = _client(register)
    first = _rehab(register, client.id, NEW_LAW, decision_date=NEW_LAW.isoformat(), term_months="")
    assert _row(register, first.id) == (24, add_months(NEW_LAW, 24).isoformat())
    later = _rehab(register, client.id, NEW_LAW + timedelta(days=30))
    assert _row(register, later.id)[0] == 36
    with pytest.raises(FieldErrors) as refused:
        _rehab(register, _client(register, full_name="Lê Văn Tám").id, NEW_LAW, term_months=12)
    assert "24" in str(refused.value.errors["term_months"]) and "120/2025/QH15" in str(refused.value.errors)


def test_a_registration_before_july_2026_keeps_6_to_12_months(register):
    client = _client(register)
    kept = _rehab(register, client.id, date(2026, 6, 30), term_months=12)
    assert _row(register, kept.id)[0] == 12
    with pytest.raises(FieldErrors) as refused:
        _rehab(register, client.id, date(2026, 6, 1), term_months=24)
    assert "73/2021/QH14" in str(refused.value.errors["term_months"])
    with pytest.raises(FieldErrors):
        _rehab(register, client.id, date(2026, 6, 1))  # a range: the counsellor chooses


def test_correcting_an_outcome_never_stops_on_a_term_written_before_the_law(register):
    client = _client(register)
    old = _rehab(register, client.id, date(2026, 6, 30), term_months=6)
    # as a register written before this version holds it: a 6-month term on a July registration
    register.conn.execute("UPDATE rehab_registrations SET registration_date = '2026-07-15' WHERE id = ?", (old.id,))
    treatment.edit_rehab(register, old.id, {"outcome": "dropped_out", "outcome_date": "2026-09-01"})
    with pytest.raises(FieldErrors):
        treatment.edit_rehab(register, old.id, {"term_months": 6})  # changing the term itself is held to the law


def test_a_management_without_an_end_gets_the_law_s_year_and_shows_on_today(register):
    start = add_months(TODAY.replace(day=1), -12)
    managed = _client(register, legal_status="post_rehab_management", legal_start=start.isoformat(), legal_end="")
    record = register.conn.execute("SELECT legal_end FROM clients WHERE id = ?", (managed.id,)).fetchone()
    assert record[0] == add_months(start, 12).isoformat()
    _client(register, full_name="Võ Thị Chín", legal_status="managed_user",
            legal_start=TODAY.isoformat(), legal_end="")  # ends next year: not on today's list
    agenda = today.agenda(register.conn, TODAY)
    assert [row["client_id"] for row in agenda.management_ending] == [managed.id]


def test_an_administrator_chooses_another_law_file_and_a_bad_one_changes_nothing(register):
    text = ('code = "test"\n[[rehab]]\nfrom = "2022-01-01"\nfirst = { months = 9 }\nlater = { months = 9 }\n'
            'basis_vi = "Quy định thử"\n')
    law_terms.choose(register, text, "thu.toml")
    client = _client(register)
    assert _row(register, _rehab(register, client.id, date(2026, 8, 1)).id)[0] == 9
    with pytest.raises(LawFileError):
        law_terms.choose(register, "[[rehab]\n", "hong.toml")
    assert law_terms.current(register.conn).code == "test"
    law_terms.choose(register, "", "terms.toml")
    assert law_terms.current(register.conn).code == "vn-terms"


def test_tuvan_law_show_and_choose(register, tmp_path):
    root = str(register.paths.root)
    register.close()
    env = {"TUVAN_PASSPHRASE": PASSPHRASE, "TUVAN_LANG": "vi"}
    shown = run_cli("law", "show", "--register", root, env=env)
    assert shown.returncode == 0, shown.stderr
    assert "lần đầu 24 tháng, các lần sau 36 tháng" in shown.stdout and "Căn cứ: Luật số 120/2025/QH15" in shown.stdout
    bad = tmp_path / "hong.toml"
    bad.write_text("[[rehab]\n", encoding="utf-8")
    refused = run_cli("law", "choose", "--file", str(bad), "--register", root, env=env)
    assert refused.returncode == 1 and "dòng 1, cột 8" in refused.stderr
    as_json = json.loads(run_cli("law", "show", "--json", "--register", root, env=env).stdout)
    assert as_json["code"] == "vn-terms" and as_json["rehab"][1]["first"] == [24, 24]
