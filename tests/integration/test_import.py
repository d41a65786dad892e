"""Spreadsheet import (issue 3, point 5): whole files or nothing, every problem by row and column,
no duplicates on a second import, CSV and XLSX, Vietnamese and English headers."""

from __future__ import annotations

import csv
import json
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from app.core.errors import PermissionDenied, UserError
from app.core.import_spec import CLIENTS, CONTACTS, header_key
from app.store import clients, contacts, importer, users
from app.store.importer import ImportRejected
from app.store.register import unlock
from tests.conftest import PASSPHRASE, run_cli

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "docs" / "import-samples"
KINDS_IN_ORDER = ("clients", "contacts", "referrals", "activities")

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Trương"]
MIDDLE = ["Văn", "Thị", "Minh", "Thanh", "Ngọc"]
GIVEN = ["Đức", "Lan", "Hùng", "Mai", "Tuấn", "Bình", "Ánh", "Phúc", "Hoa", "Lợi", "Sơn", "Tâm"]
VI_CLIENT_HEADER = ["STT", "Họ và tên", "Giới tính", "Năm sinh", "Số định danh cá nhân", "Ấp, khu phố",
                    "Ngày tiếp nhận", "Nhóm đối tượng"]
EN_CLIENT_HEADER = ["No.", "Full name", "Sex", "Year of birth", "Citizen ID", "Hamlet", "Intake date", "Group"]


def _people(count: int) -> list[list]:
    """Distinct, plausible clients; intake dates as a Vietnamese sheet writes them."""
    rows = []
    for n in range(count):
        name = f"{FAMILY[n % 10]} {MIDDLE[n // 10 % 5]} {GIVEN[n % 12]}"
        intake = date(2025, 1 + n % 12, 1 + n % 28)
        rows.append([n + 1, name, "Nữ" if "Thị" in name else "Nam", 1970 + n % 35, f"0890{n:08d}",
                     f"Ấp Mỹ {'Thạnh An Phú'.split()[n % 3]}", intake.strftime("%d/%m/%Y"),
                     ("Người nghiện ma túy", "nghi nghiện", "Sau cai", "dependent")[n % 4]])
    return rows


def _write_csv(path: Path, header: list, rows: list[list], *, delimiter: str = ",",
               encoding: str = "utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as out:
        writer = csv.writer(out, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _write_xlsx(path: Path, header: list, rows: list[list], *, title: str | None = None) -> Path:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _count(register, table: str) -> int:
    return register.conn.execute(f"SELECT count(*) FROM {table} WHERE deleted = 0").fetchone()[0]


@pytest.fixture
def closed_register(new_register):
    register = new_register[0]
    root = register.paths.root
    register.close()
    return root


def _cli_import(root, *args):
    return run_cli("import", "--register", str(root), *args, env={"TUVAN_PASSPHRASE": PASSPHRASE})


# --- the acceptance case ----------------------------------------------------------

def test_bad_date_in_row_37_imports_nothing_then_the_corrected_file_imports_everything_once(closed_register, tmp_path):
    rows = _people(50)
    rows[35][6] = "31/02/2025"  # data row 36 = spreadsheet row 37 (the header is row 1)
    bad = _write_csv(tmp_path / "khach-hang.csv", VI_CLIENT_HEADER, rows)

    refused = _cli_import(closed_register, "--kind", "clients", str(bad))
    assert refused.returncode == 1
    assert refused.stdout.strip().splitlines() == [
        "dòng 37, cột Ngày tiếp nhận: không phải ngày tháng: hãy ghi theo dạng ngày/tháng/năm, ví dụ 30/11/2026"]
    assert "Chưa nhập gì" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
    with unlock(closed_register, None, PASSPHRASE) as register:
        assert _count(register, "clients") == 0

    rows[35][6] = "28/02/2025"
    good = _write_csv(tmp_path / "khach-hang.csv", VI_CLIENT_HEADER, rows)
    first = _cli_import(closed_register, "--kind", "clients", str(good), "--json")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["new"] == 50
    again = _cli_import(closed_register, "--kind", "clients", str(good), "--json", "--lang", "en")
    assert again.returncode == 0, again.stderr
    summary = json.loads(again.stdout)
    assert (summary["new"], summary["present"]) == (0, 50)
    with unlock(closed_register, None, PASSPHRASE) as register:
        assert _count(register, "clients") == 50
        assert _count(register, "client_groups") == 50
        row = register.conn.execute("SELECT intake_date, citizen_id, main_group FROM clients WHERE full_name = ?",
                                    (rows[35][1],)).fetchone()
        assert row == ("2025-02-28", rows[35][4], "dependent")


def test_the_same_in_english_from_xlsx_with_date_cells(register, tmp_path):
    rows = _people(40)
    for row in rows:  # a workbook holds real dates
        day, month, year = (int(p) for p in row[6].split("/"))
        row[6] = date(year, month, day)
    rows[35][6] = "2025-13-01"  # typed as text, and wrong
    path = _write_xlsx(tmp_path / "clients.xlsx", EN_CLIENT_HEADER, rows)
    planned = importer.plan(register, "clients", path)
    assert [(p.row, p.column) for p in planned.problems] == [(37, "Intake date")]
    with pytest.raises(ImportRejected) as refused:
        importer.apply(register, "clients", path)
    assert "1" in refused.value.message and _count(register, "clients") == 0

    rows[35][6] = date(2025, 1, 13)
    path = _write_xlsx(tmp_path / "clients.xlsx", EN_CLIENT_HEADER, rows)
    result = importer.apply(register, "clients", path)
    assert result.plan.count(importer.NEW) == 40 and len(result.changes) == 40
    again = importer.apply(register, "clients", path)
    assert again.changes == [] and again.plan.count(importer.PRESENT) == 40
    assert _count(register, "clients") == 40


def test_every_problem_is_reported_with_its_row_and_column(register, tmp_path):
    rows = _people(5)
    rows[0][2] = "không rõ"          # sex
    rows[2][3] = "năm 90"            # birth year
    rows[2][4] = "12345"             # citizen ID
    rows[4][7] = "học sinh"          # group
    path = _write_csv(tmp_path / "c.csv", VI_CLIENT_HEADER, rows)
    planned = importer.plan(register, "clients", path)
    found = {(p.row, p.column) for p in planned.problems}
    assert found == {(2, "Giới tính"), (4, "Năm sinh"), (4, "Số định danh cá nhân"), (6, "Nhóm đối tượng")}
    assert all(str(p).startswith(f"dòng {p.row}, cột {p.column}: ") for p in planned.problems)


def test_dry_run_shows_the_rows_and_writes_nothing(closed_register, tmp_path):
    path = _write_csv(tmp_path / "c.csv", VI_CLIENT_HEADER, _people(3))
    shown = _cli_import(closed_register, "--kind", "clients", str(path), "--dry-run", "--lang", "en")
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.strip().splitlines()
    assert lines[0].startswith("row 2: new: Nguyễn Văn Đức · Male · 1970")
    assert "Dry run: nothing was written" in lines[-1] and "3 would be imported" in lines[-1]
    as_json = json.loads(_cli_import(closed_register, "--kind", "clients", str(path), "--dry-run", "--json").stdout)
    assert as_json["dry_run"] and as_json["new"] == 3
    with unlock(closed_register, None, PASSPHRASE) as register:
        assert _count(register, "clients") == 0
        assert register.conn.execute("SELECT count(*) FROM audit_log WHERE action = 'import.apply'").fetchone()[0] == 0


# --- the samples in docs/import-samples -------------------------------------------------

@pytest.mark.parametrize("first, second", [("csv", "xlsx"), ("xlsx", "csv")])
def test_the_samples_import_cleanly_into_a_fresh_register(register, first, second):
    counts = {}
    for kind in KINDS_IN_ORDER:
        planned = importer.plan(register, kind, SAMPLES / f"{kind}.{first}")
        assert planned.problems == [] and planned.warnings == [], (kind, planned.problems, planned.warnings)
        counts[kind] = len(importer.apply(register, kind, SAMPLES / f"{kind}.{first}").plan.rows)
    assert counts == {"clients": 10, "contacts": 12, "referrals": 6, "activities": 10}
    assert (_count(register, "clients"), _count(register, "referrals"), _count(register, "outreach")) == (10, 6, 8)
    assert _count(register, "contacts") == 12 + 2  # plus a group and a community session from activities

    mother = register.conn.execute("SELECT related_client_id, relationship FROM clients WHERE code = 'MH-007'").fetchone()
    son = register.conn.execute("SELECT id FROM clients WHERE code = 'MH-001'").fetchone()[0]
    assert mother == (son, "Mẹ")
    assert register.conn.execute("SELECT code FROM clients WHERE full_name = 'Võ Văn Bình'").fetchone()[0] == "MYHOA-01-0001"
    assert register.conn.execute("SELECT amount FROM referrals WHERE service = 'loan'").fetchone()[0] == 30_000_000
    session = register.conn.execute(
        "SELECT id FROM contacts WHERE kind = 'group' AND contact_date = '2025-04-15'").fetchone()[0]
    assert len(contacts.participants(register.conn, session)) == 4

    for kind in KINDS_IN_ORDER:  # the same data in the other format is already there
        again = importer.apply(register, kind, SAMPLES / f"{kind}.{second}")
        assert again.changes == [] and again.plan.count(importer.PRESENT) == counts[kind]


def test_every_sample_header_is_a_documented_column():
    for kind in KINDS_IN_ORDER:
        with (SAMPLES / f"{kind}.csv").open(encoding="utf-8-sig") as sample:
            header = next(csv.reader(sample))
        documented = (ROOT / "docs" / "import.md").read_text(encoding="utf-8")
        for name in header[1:]:
            assert f"| {name} |" in documented, (kind, name)


# --- headers, encodings, layouts ---------------------------------------------------------

def test_headers_match_ignoring_case_diacritics_spaces_and_marks():
    for written in ("Họ và tên", "HỌ VÀ TÊN", "Ho va ten", "Họ tên", "ho ten", "Full name", "full_name", "Họ và tên (*)"):
        assert CLIENTS.match(written).field == "full_name", written
    assert CONTACTS.match("Thời gian (phút)").field == "duration_minutes"
    assert CONTACTS.match("Số phút").field == "duration_minutes"
    assert header_key(" Ngày  tiếp nhận ") == "ngaytiepnhan"
    assert CLIENTS.match("Màu tóc") is None


def _cp1258(text: str) -> bytes:
    """How Vietnamese Windows writes text: base letters with hats, tone marks as combining characters."""
    out = b""
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            tone = "".join(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tone))
            out += base.encode("cp1258") + tone.encode("cp1258")
    return out


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "cp1258"])
def test_semicolon_csv_in_the_encodings_excel_writes(register, tmp_path, encoding):
    text = "\r\n".join(";".join(str(c) for c in row) for row in [VI_CLIENT_HEADER, *_people(3)]) + "\r\n"
    path = tmp_path / "c.csv"
    path.write_bytes(_cp1258(text) if encoding == "cp1258" else text.encode(encoding))
    result = importer.apply(register, "clients", path)
    assert result.plan.problems == [] and len(result.changes) == 3
    names = {r[0] for r in register.conn.execute("SELECT full_name FROM clients")}
    assert names == {"Nguyễn Văn Đức", "Trần Văn Lan", "Lê Văn Hùng"}


def test_a_title_above_the_header_keeps_the_spreadsheets_row_numbers(register, tmp_path):
    rows = _people(3)
    rows[1][6] = "hôm qua"
    path = _write_xlsx(tmp_path / "c.xlsx", VI_CLIENT_HEADER, rows, title="DANH SÁCH KHÁCH HÀNG NĂM 2025")
    planned = importer.plan(register, "clients", path)
    assert planned.header_row == 2
    assert [(p.row, p.column) for p in planned.problems] == [(4, "Ngày tiếp nhận")]


def test_unknown_columns_warn_and_missing_columns_stop_the_file(register, tmp_path):
    path = _write_csv(tmp_path / "c.csv", [*VI_CLIENT_HEADER, "Màu tóc"], [[*r, "đen"] for r in _people(2)])
    planned = importer.plan(register, "clients", path)
    assert planned.ok and [(w.row, w.column) for w in planned.warnings] == [(1, "Màu tóc")]
    assert planned.count(importer.NEW) == 2

    header = [h for h in VI_CLIENT_HEADER if h != "Giới tính"]
    path = _write_csv(tmp_path / "d.csv", header, [r[:2] + r[3:] for r in _people(2)])
    planned = importer.plan(register, "clients", path)
    assert [(p.row, p.column, p.message) for p in planned.problems] == [(1, "Giới tính / Sex", "thiếu cột này")]


def test_files_that_are_not_spreadsheets_are_refused_with_a_reason(register, tmp_path):
    (tmp_path / "a.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / "b.xlsx").write_bytes(b"not a zip")
    for name in ("a.xls", "b.xlsx", "missing.csv"):
        with pytest.raises(importer.ImportFileError) as refused:
            importer.plan(register, "clients", tmp_path / name)
        assert name in refused.value.message


# --- duplicates and references -------------------------------------------------------------

def test_a_client_already_in_the_register_is_recognised_and_never_overwritten(register, tmp_path):
    clients.create(register, {"full_name": "Nguyễn Văn Đức", "sex": "male", "birth_year": 1970,
                              "intake_date": "2024-12-01", "main_group": "dependent", "phone": "0912 000 000"})
    clients.create(register, {"code": "MH-9", "full_name": "Trần Thị Lan", "sex": "female", "birth_year": 1980,
                              "intake_date": "2024-12-01", "main_group": "dependent"})
    rows = _people(2)  # row 2: Nguyễn Văn Đức, 1970 -> same name and birth year
    path = _write_csv(tmp_path / "c.csv", VI_CLIENT_HEADER, rows)
    result = importer.apply(register, "clients", path)
    assert [r.action for r in result.plan.rows] == ["present", "new"]
    assert clients.get(register.conn, result.plan.rows[0].existing_id)["phone"] == "0912 000 000"

    clash = _write_csv(tmp_path / "d.csv", ["Mã hồ sơ", *VI_CLIENT_HEADER[1:]], [["MH-9", *_people(3)[2][1:]]])
    planned = importer.plan(register, "clients", clash)
    assert [(p.row, p.column) for p in planned.problems] == [(2, "Mã hồ sơ")]
    assert "Trần Thị Lan" in planned.problems[0].message


def test_repeated_rows_in_one_file_are_imported_once_with_a_warning(register, tmp_path):
    rows = _people(2)
    rows.append(list(rows[0]))
    rows[2][1] = "Nguyen Van Duc"  # the same citizen ID, written without diacritics
    path = _write_csv(tmp_path / "c.csv", VI_CLIENT_HEADER, rows)
    result = importer.apply(register, "clients", path)
    assert [r.action for r in result.plan.rows] == ["new", "new", "repeat"]
    assert [(w.row, w.message) for w in result.plan.warnings] == [(4, "cùng một người với dòng 2; chỉ nhập một lần")]
    assert _count(register, "clients") == 2


def _two_clients(register):
    for code, name, citizen in (("MH-1", "Lê Thị Mai", "089179003456"), ("MH-2", "Võ Văn Bình", "089085004321")):
        clients.create(register, {"code": code, "full_name": name, "sex": "female" if "Thị" in name else "male",
                                  "birth_year": 1980, "citizen_id": citizen, "intake_date": "2025-01-02",
                                  "main_group": "dependent"})


def test_contacts_name_their_client_by_record_code_or_citizen_id(register, tmp_path):
    _two_clients(register)
    header = ["Record code", "Citizen ID", "Full name", "Kind", "Date", "Minutes", "Topics"]
    rows = [["MH-1", "", "Le Thi Mai", "home", "03/02/2025", 30, "Drugs and their harms; methadone"],
            ["", "89085004321", "", "Điện thoại", "2025-02-04", "", ""],   # the leading 0 lost by Excel
            ["MH-3", "", "", "office", "05/02/2025", "", ""],
            ["MH-1", "", "Võ Văn Bình", "office", "05/02/2025", "", ""],
            ["", "", "", "phone", "06/02/2025", "", ""],
            ["MH-2", "", "", "nhóm", "07/02/2025", 60, ""]]
    path = _write_csv(tmp_path / "k.csv", header, rows)
    planned = importer.plan(register, "contacts", path)
    assert [(p.row, p.column) for p in planned.problems] == [(4, "Record code"), (5, "Full name"), (6, "Record code")]
    del rows[2:5]
    path = _write_csv(tmp_path / "k.csv", header, rows)
    result = importer.apply(register, "contacts", path)
    assert result.plan.count(importer.NEW) == 3
    stored = register.conn.execute("SELECT kind, client_id, topics FROM contacts ORDER BY contact_date").fetchall()
    mai, binh = (clients.search.search(register.conn, code)[0].id for code in ("MH-1", "MH-2"))
    assert stored[0] == ("home", mai, '["drugs_harms", "methadone"]')
    assert stored[1][:2] == ("phone", binh)
    assert stored[2][:2] == ("group", None)  # a group session: the client is a participant
    assert contacts.participants(register.conn, result.changes[-2].id) == [binh]
    assert importer.apply(register, "contacts", path).changes == []


def test_referrals_are_matched_on_client_service_and_date(register, tmp_path):
    _two_clients(register)
    header = ["Mã hồ sơ", "Dịch vụ", "Ngày giới thiệu", "Kết quả", "Ngày có kết quả", "Số tiền vay (đồng)"]
    rows = [["MH-1", "Vay vốn", "10/02/2025", "Hoàn thành", "14/03/2025", "30.000.000"],
            ["MH-2", "methadone", "10/02/2025", "đang chờ", "", ""]]
    path = _write_xlsx(tmp_path / "r.xlsx", header, rows)
    result = importer.apply(register, "referrals", path)
    assert len(result.changes) == 2
    assert register.conn.execute("SELECT service, outcome, amount FROM referrals ORDER BY service").fetchall() == [
        ("loan", "completed", 30_000_000), ("methadone", "pending", None)]
    rows[1][3] = "Từ chối"  # a changed outcome is not an edit: the referral is already there
    again = importer.apply(register, "referrals", _write_xlsx(tmp_path / "r.xlsx", header, rows))
    assert again.changes == [] and again.plan.count(importer.PRESENT) == 2


def test_activities_hold_outreach_and_sessions(register, tmp_path):
    _two_clients(register)
    header = ["Activity", "Date", "Quantity", "Minutes each", "Attendees", "Location", "Participants"]
    rows = [["Radio broadcast", "06/01/2025", 4, 15, "", "Đài truyền thanh xã", ""],
            ["tờ rơi", "14/01/2025", 500, "", "", "Chợ", ""],
            ["Community session", "12/04/2025", 3, 90, 60, "Nhà văn hóa", ""],
            ["phát thanh", "07/01/2025", 2, "", "", "", ""]]
    planned = importer.plan(register, "activities", _write_csv(tmp_path / "a.csv", header, rows))
    assert [(p.row, p.column) for p in planned.problems] == [(4, "Quantity"), (5, "Minutes each")]
    rows[2][2], rows[3][3] = "", 10
    rows.append(["group", "28/04/2025", "", 60, "", "Trạm y tế", "MH-1; 089085004321"])
    path = _write_csv(tmp_path / "a.csv", header, rows)
    result = importer.apply(register, "activities", path)
    assert result.summary()["new_by_table"] == {"outreach": 3, "contacts": 2}
    community = register.conn.execute("SELECT attendee_count, duration_minutes FROM contacts WHERE kind = 'community'")
    assert community.fetchone() == (60, 90)
    group = register.conn.execute("SELECT id FROM contacts WHERE kind = 'group'").fetchone()[0]
    assert len(contacts.participants(register.conn, group)) == 2
    assert importer.apply(register, "activities", path).changes == []


def test_a_reporter_may_not_import(register, tmp_path):
    users.add_user(register, "hung", "Lê Văn Hùng", "reporter", "báo cáo viên mật khẩu dài")
    root = register.paths.root
    register.close()
    path = _write_csv(tmp_path / "c.csv", VI_CLIENT_HEADER, _people(1))
    with unlock(root, "hung", "báo cáo viên mật khẩu dài") as reporter:
        with pytest.raises(PermissionDenied):
            importer.plan(reporter, "clients", path)


def test_codes_the_program_gives_never_take_a_code_written_later_in_the_file(register, tmp_path):
    people = _people(3)
    rows = [["", *people[0][1:]], ["MYHOA-01-0001", *people[1][1:]], ["", *people[2][1:]]]
    path = _write_csv(tmp_path / "c.csv", ["Mã hồ sơ", *VI_CLIENT_HEADER[1:]], rows)
    importer.apply(register, "clients", path)
    codes = dict(register.conn.execute("SELECT full_name, code FROM clients"))
    assert codes == {"Trần Văn Lan": "MYHOA-01-0001", "Nguyễn Văn Đức": "MYHOA-01-0002", "Lê Văn Hùng": "MYHOA-01-0003"}


def test_counsellors_and_volunteers_are_named_by_full_name(register, tmp_path):
    from app.store import staff

    lan = staff.add(register, {"full_name": "Trần Thị Lan", "kind": "counsellor"}).id
    hoa = staff.add(register, {"full_name": "Lê Thị Hoa", "kind": "volunteer"}).id
    staff.add(register, {"full_name": "Nguyễn Văn Bình", "kind": "counsellor"})
    staff.add(register, {"full_name": "Nguyễn Văn Bình", "kind": "volunteer"})  # two people, one name
    path = tmp_path / "khach-hang.csv"
    header = "Họ và tên,Giới tính,Năm sinh,Ngày tiếp nhận,Nhóm đối tượng,Tư vấn viên phụ trách,Tình nguyện viên\n"
    path.write_text(header + "Võ Văn An,Nam,1990,03/10/2026,Người nghi nghiện,tran thi lan,Lê Thị Hoa\n"
                    "Đỗ Văn Bảy,Nam,1991,03/10/2026,Người nghi nghiện,Phạm Văn Tư,\n"
                    "Lý Văn Cường,Nam,1992,03/10/2026,Người nghi nghiện,Nguyễn Văn Bình,\n", encoding="utf-8")
    plan = importer.plan(register, "clients", path)
    problems = {(p.row, p.column): p.message for p in plan.problems}
    assert "Phạm Văn Tư" in problems[(3, "Tư vấn viên phụ trách")]
    assert "có 2 cán bộ cùng tên" in problems[(4, "Tư vấn viên phụ trách")]
    assert plan.rows[0].shown["counsellor_id"] == "Trần Thị Lan"
    with pytest.raises(UserError):
        importer.apply(register, "clients", path)
    path.write_text(header + "Võ Văn An,Nam,1990,03/10/2026,Người nghi nghiện,tran thi lan,Lê Thị Hoa\n",
                    encoding="utf-8")
    importer.apply(register, "clients", path)
    row = register.conn.execute("SELECT counsellor_id, volunteer_id FROM clients WHERE full_name = 'Võ Văn An'"
                                ).fetchone()
    assert tuple(row) == (lan, hoa)


def test_who_carried_out_an_activity_is_kept_for_sessions_and_outreach(register, tmp_path):
    from app.store import staff

    lan = staff.add(register, {"full_name": "Trần Thị Lan", "kind": "counsellor"}).id
    path = tmp_path / "hoat-dong.csv"
    path.write_text("Hoạt động,Ngày,Số lượng,Số người tham dự,Người thực hiện\n"
                    "Tư vấn tại cộng đồng,03/10/2026,,37,Trần Thị Lan\n"
                    "Tờ rơi,04/10/2026,500,,tran thi lan\n", encoding="utf-8")
    result = importer.apply(register, "activities", path)
    assert len(result.changes) == 2
    assert register.conn.execute("SELECT counsellor_id FROM contacts WHERE kind = 'community'").fetchone()[0] == lan
    assert register.conn.execute("SELECT staff_id FROM outreach").fetchone()[0] == lan
