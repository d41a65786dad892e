"""Data-subject export (issue 3, point 7): everything held about one client, as JSON or PDF."""

from __future__ import annotations

import json
import subprocess
from datetime import date, timedelta

import pytest

from app.core.errors import PermissionDenied
from app.core.roles import Role
from app.reports import subject_export
from app.reports.subject_fields import PROFILE_FIELDS, PROFILE_OMITS, SECTIONS
from app.store import clients, contacts, groups, records, referrals, staff, treatment
from app.store.register import SignedInUser
from tests.conftest import PASSPHRASE, assert_owner_only, poppler, run_cli

TODAY = date.today()
NAME = "Nguyễn Văn Đức"
LONG_NOTE = "Khách hàng chia sẻ về hoàn cảnh gia đình, việc làm và quyết tâm cai nghiện. " * 60


def _days_ago(n: int) -> str:
    return (TODAY - timedelta(days=n)).isoformat()


def build_client(register, *, contacts_count: int = 3) -> dict[str, str]:
    """A client with every kind of record the export covers; returns the ids involved."""
    lan = staff.add(register, {"full_name": "Trần Thị Lan", "kind": "counsellor"}).id
    duc = clients.create(register, {
        "full_name": NAME, "alias": "Đức Lùn", "sex": "male", "birth_year": 1990, "birth_date": "15/03/1990",
        "citizen_id": "089090001234", "phone": "0912 345 678", "hamlet": "Ấp Mỹ Thạnh", "commune": "Mỹ Hòa",
        "province": "An Giang", "intake_date": _days_ago(200), "main_group": "dependent",
        "substances": ["heroin", "meth"], "injecting": 1, "previous_treatments": ["compulsory"],
        "hiv": "no", "consent_date": _days_ago(200), "consent_scope": "Tư vấn và chuyển gửi",
        "counsellor_id": lan, "notes": LONG_NOTE,
    }).id
    other = clients.create(register, {"full_name": "Lê Văn An", "sex": "male", "birth_year": 1988,
                                      "intake_date": _days_ago(150), "main_group": "dependent"}).id
    clients.change_group(register, duc, {"group_code": "post_rehab", "start_date": _days_ago(30)})
    mother = clients.add_family_member(register, duc, {
        "full_name": "Phạm Thị Hạnh", "sex": "female", "birth_year": 1965, "intake_date": _days_ago(100),
        "relationship": "Mẹ"}).id
    for n in range(contacts_count):
        contacts.add(register, {"kind": "home", "client_id": duc, "contact_date": _days_ago(199 - n),
                                "topics": ["relapse_prevention"], "duration_minutes": 45, "counsellor_id": lan,
                                "notes": LONG_NOTE if n == 0 else f"Lượt thăm thứ {n + 1}."})
    session = contacts.add(register, {"kind": "group", "contact_date": _days_ago(60), "topics": ["methadone"],
                                      "notes": "Anh An kể chuyện tái nghiện."}, participants=[duc, other])[0].id
    loan = referrals.add(register, {"client_id": duc, "service": "loan", "referred_date": _days_ago(90),
                                    "referred_to": "Ngân hàng Chính sách xã hội"}).id
    referrals.record_outcome(register, loan, "completed", _days_ago(40), amount="30.000.000")
    rehab = treatment.add_rehab(register, duc, {"registration_date": _days_ago(180), "start_date": _days_ago(170),
                                                "term_months": 6, "provider": "Trạm y tế xã Mỹ Hòa",
                                                "decision_no": "15/QĐ-UBND"}).id
    methadone = treatment.add_methadone(register, duc, {"site": "Cơ sở methadone Long Xuyên",
                                                        "start_date": _days_ago(160)}).id
    group = groups.create(register, {"name": "Nhóm tự lực Mỹ Hòa", "founded_date": _days_ago(300)}).id
    member = groups.add_member(register, group, duc, _days_ago(25)).id
    groups.record_meeting(register, group, {"meeting_date": _days_ago(10), "topic": "Chia sẻ kinh nghiệm"},
                          [duc, other])
    return {"client": duc, "other": other, "mother": mother, "session": session, "loan": loan,
            "rehab": rehab, "methadone": methadone, "member": member, "counsellor": lan}


@pytest.fixture
def built(register):
    return build_client(register)


def _json(register, client_id):
    return json.loads(subject_export.export_client(register, client_id, "json"))


def test_json_holds_every_kind_of_record(register, built):
    records.viewed(register, "clients", built["client"])
    data = _json(register, built["client"])
    sections = data["sections"]
    assert data["client"]["name"] == f"{NAME} (Đức Lùn)"
    assert data["unit"]["code"] == "MYHOA-01" and data["unit"]["name"] == "Điểm tư vấn xã Mỹ Hòa"
    assert data["exported_at"].endswith("Z") and data["exported_by"]["login"] == "admin"
    assert "91/2025/QH15" in data["legal_basis"] and "356/2025" in data["legal_basis"]

    profile = sections["profile"]["records"][0]
    assert profile["full_name"] == NAME and profile["birth_date"] == "1990-03-15"
    assert profile["main_group_label"] == "Người sau cai nghiện" and profile["injecting"] is True
    assert profile["substances_label"] == ["Heroin", "Ma túy đá (methamphetamine)"]
    assert profile["counsellor_id_label"] == "Trần Thị Lan" and profile["notes"] == LONG_NOTE.strip()
    labels = {f["name"]: f["label"] for f in sections["profile"]["fields"]}
    assert labels["citizen_id"] and labels["sex"] != "sex"

    assert [h["group_code"] for h in sections["group_history"]["records"]] == ["dependent", "post_rehab"]
    family = sections["family"]["records"]
    assert [(f["name"], f["relationship"], f["link"]) for f in family] == [
        ("Phạm Thị Hạnh", "Mẹ", "family_member")]

    visits = sections["contacts"]["records"]
    assert len(visits) == 4 and visits[0]["notes"] == LONG_NOTE.strip()
    shared = [v for v in visits if v["shared_session"]]
    assert [v["id"] for v in shared] == [built["session"]]
    assert shared[0]["kind_label"] == "Tư vấn nhóm tại văn phòng"
    # Other participants and the session's notes about them stay out.
    assert shared[0]["notes"] is None and shared[0]["notes_withheld"]
    everything = json.dumps(data, ensure_ascii=False)
    assert "Anh An" not in everything and "Lê Văn An" not in everything

    loan = sections["referrals"]["records"][0]
    assert (loan["service_label"], loan["outcome_label"], loan["amount"]) == (
        "Vay vốn", "Hoàn thành (đã nhận dịch vụ)", 30_000_000)
    assert sections["rehab"]["records"][0]["decision_no"] == "15/QĐ-UBND"
    assert sections["methadone"]["records"][0]["status_label"] == "Đang điều trị"
    assert sections["self_help_groups"]["records"][0]["group_name"] == "Nhóm tự lực Mỹ Hòa"
    assert sections["meetings"]["records"][0]["topic"] == "Chia sẻ kinh nghiệm"

    log = sections["access_log"]["records"]
    actions = [(e["action"], e["entity"]) for e in log]
    assert ("record.create", "clients") in actions and ("record.update", "referrals") in actions
    assert ("record.create", "contact_participants") in actions and ("record.create", "meeting_attendance") in actions
    assert ("record.view", "clients") in actions and actions[-1] == ("client.export", "clients")
    assert {e["user_id_label"] for e in log} == {"Nguyễn Thị Hồng Nhung (admin)"}
    assert log[-1]["detail"] == {"format": "json"}
    assert log[-1]["action_label"] == "Xuất dữ liệu cá nhân của khách hàng"
    group_change = next(e for e in log if e["action"] == "record.update" and e["entity"] == "clients")
    assert group_change["detail_label"] == "Nhóm đối tượng"
    assert not any(e["record_id"] == built["other"] for e in log)


def test_every_client_column_is_in_the_profile(register, built):
    columns = {row[1] for row in register.conn.execute("PRAGMA table_info(clients)")}
    assert columns - PROFILE_OMITS == {f.name for f in PROFILE_FIELDS}
    for section in SECTIONS:  # and every other section's fields exist in its table
        if section.table and section.key not in ("profile", "self_help_groups", "meetings"):
            table_columns = {row[1] for row in register.conn.execute(f"PRAGMA table_info({section.table})")}
            assert {f.name for f in section.fields} <= table_columns, section.key


def test_a_family_member_sees_who_they_are_linked_to(register, built):
    data = _json(register, built["mother"])
    assert [(f["link"], f["name"], f["relationship"]) for f in data["sections"]["family"]["records"]] == [
        ("family_of", f"{NAME} (Đức Lùn)", "Mẹ")]
    assert data["sections"]["contacts"]["records"] == []  # the son's file stays his


def test_deleted_records_are_still_exported_and_flagged(register, built):
    visit = contacts.for_client(register.conn, built["client"])[0]["id"]
    contacts.remove(register, visit)
    visits = _json(register, built["client"])["sections"]["contacts"]["records"]
    assert [v["deleted"] for v in visits if v["id"] == visit] == [True]


def test_json_is_stable_utf8_with_iso_dates(register, built):
    data = subject_export.collect(register.conn, built["client"])
    first, second = subject_export.to_json(data), subject_export.to_json(data)
    assert first == second and NAME.encode("utf-8") in first
    intake = json.loads(first)["sections"]["profile"]["records"][0]["intake_date"]
    assert date.fromisoformat(intake) == TODAY - timedelta(days=200)
    assert subject_export.to_pdf(data, register.unit()).startswith(b"%PDF")  # no exporting user: still renders


def test_pdf_is_a_readable_document_with_diacritics(register, built):
    pdf = subject_export.export_client(register, built["client"], "pdf")
    assert pdf.startswith(b"%PDF") and b"LiberationSerif" in pdf
    exported = [r for r in register.conn.execute(
        "SELECT detail FROM audit_log WHERE action = 'client.export' AND entity_id = ?", (built["client"],))]
    assert exported == [('{"format":"pdf"}',)]
    text = subprocess.run([poppler("pdftotext"), "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()
    for words in (NAME, "THÔNG TIN CÁ NHÂN ĐƯỢC LƯU GIỮ", "91/2025/QH15", "Nhật ký truy cập", "Vay vốn",
                  "30.000.000", "Trang 1/", (TODAY - timedelta(days=200)).strftime("%d/%m/%Y")):
        assert words in text, words


def test_long_notes_and_many_contacts_flow_over_pages(register):
    ids = build_client(register, contacts_count=150)
    pdf = subject_export.export_client(register, ids["client"], "pdf")
    text = subprocess.run([poppler("pdftotext"), "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    pages = text.count("\f")
    assert pages > 5 and f"Trang {pages}/{pages}" in text
    assert "Lượt thăm thứ 150." in text


def test_a_reporter_cannot_export(register, built):
    register.user = SignedInUser(register.user.id, "hung", "Hùng", Role.REPORTER)
    with pytest.raises(PermissionDenied):
        subject_export.export_client(register, built["client"], "json")
    assert register.conn.execute("SELECT count(*) FROM audit_log WHERE action = 'client.export'").fetchone()[0] == 0


def test_cli_export_client_by_code(register, built, tmp_path):
    root = register.paths.root
    code = clients.get(register.conn, built["client"])["code"]
    register.close()
    out = tmp_path / "out" / "duc.json"
    env = {"TUVAN_PASSPHRASE": PASSPHRASE}
    result = run_cli("export-client", "--register", str(root), "--client", code.lower(), "--format", "json",
                     "--out", str(out), "--json", env=env)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["path"] == str(out) and summary["code"] == code and summary["counts"]["contacts"] == 4
    assert_owner_only(out)
    assert json.loads(out.read_text(encoding="utf-8"))["client"]["id"] == built["client"]

    pdf = tmp_path / "duc.pdf"
    result = run_cli("export-client", "--register", str(root), "--client", built["client"], "--out", str(pdf), env=env)
    assert result.returncode == 0, result.stderr
    assert str(pdf) in result.stdout and pdf.read_bytes().startswith(b"%PDF")

    missing = run_cli("export-client", "--register", str(root), "--client", "KHONG-CO", "--out",
                      str(tmp_path / "x.pdf"), env=env)
    assert missing.returncode == 1 and "KHONG-CO" in missing.stderr and not (tmp_path / "x.pdf").exists()
