"""The monthly form as people receive it: the Decree 30 PDF, XLSX, CSV, JSON and `tuvan report`."""

import csv
import io
import json
import subprocess
import unicodedata
from datetime import date

import openpyxl
import pytest

from app.core.clock import today
from app.core.i18n import set_language
from app.reports import closing
from app.reports.form_exports import to_csv, to_json, to_xlsx
from app.reports.form_file import default_form, parse_form
from app.reports.form_pdf import form_pdf
from app.reports.monthly import monthly_report
from app.reports.period import Month
from app.store import clients, contacts, outreach, referrals
from app.store import settings as register_settings
from tests.conftest import PASSPHRASE, PERSON, assert_owner_only, create_office_register, poppler, run_cli

OCT, NOV = Month(2026, 10), Month(2026, 11)
NATION, MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"


def pdf_text(pdf: bytes, page: int | None = None, layout: bool = False) -> str:
    args = [poppler("pdftotext"), "-raw" if not layout else "-layout"]
    if page:
        args += ["-f", str(page), "-l", str(page)]
    text = subprocess.run([*args, "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode("utf-8")
    return unicodedata.normalize("NFC", text)


def flat(text: str) -> str:
    """Lines joined: a label wrapped over two lines of its cell reads as one."""
    return " ".join(text.split())


def pages(pdf: bytes) -> int:
    info = subprocess.run([poppler("pdfinfo"), "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def page_size(pdf: bytes) -> tuple[float, float]:
    info = subprocess.run([poppler("pdfinfo"), "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    words = next(line for line in info.splitlines() if line.startswith("Page size:")).split()
    return float(words[2]), float(words[4])


# --- records -------------------------------------------------------------------------

def _day(n: int) -> str:
    return date(2026, 10, 1 + n % 31).isoformat()


def _people(register, count: int, sex: str = "male", group: str = "dependent") -> list[str]:
    return [clients.create(register, {"full_name": f"Khách Hàng {sex} {n}", "sex": sex, "birth_year": 1985 + n % 20,
                                      "intake_date": "2026-09-01", "main_group": group}).id for n in range(count)]


def fill_october(register) -> None:
    """A busy month: counselling of every kind, outreach with thousands of leaflets, a 110,000,000 đồng loan."""
    men, women = _people(register, 12), _people(register, 4, sex="female", group="high_risk")
    people = men + women
    for n in range(47):
        contacts.add(register, {"kind": "office", "client_id": people[n % len(people)], "contact_date": _day(n)})
    for n in range(33):
        contacts.add(register, {"kind": "home", "client_id": people[n % len(people)], "contact_date": _day(n)})
    contacts.add(register, {"kind": "group", "contact_date": _day(3)}, participants=people[:6])
    contacts.add(register, {"kind": "community", "contact_date": _day(9), "attendee_count": 41})
    outreach.add(register, {"kind": "leaflets", "activity_date": _day(4), "quantity": 7000})
    outreach.add(register, {"kind": "broadcast", "activity_date": _day(5), "quantity": 3, "minutes": 15})
    for person in men[:4]:
        made = referrals.add(register, {"client_id": person, "service": "loan", "referred_date": _day(2)})
        referrals.record_outcome(register, made.id, "completed", _day(20), amount=27_500_000)
    register_settings.update(register, {"place_name": "Long Xuyên",
                                        "office_name": "Ủy ban nhân dân xã Mỹ Hòa"})


@pytest.fixture
def october(register):
    fill_october(register)
    return register


def _as_points(register, points: list[str]) -> None:
    """Give the records several origins, as a district holds them after merging bundles."""
    from app.store.records import SYNCED_TABLES

    for table in SYNCED_TABLES:
        for n, point in enumerate(points):
            register.conn.execute(f"UPDATE {table} SET origin = ? WHERE seq % ? = ?", (point, len(points), n))


@pytest.fixture
def district(tmp_path, office_engine):
    register = create_office_register(tmp_path / "district", "LX-CA", "Công an phường Long Xuyên", office_engine,
                                      full_name=PERSON)
    register_settings.put(register.conn, "office_name", "Công an tỉnh An Giang", register.user.id)
    fill_october(register)
    yield register
    register.close()


# --- PDF -----------------------------------------------------------------------------

def test_pdf_has_the_national_header_every_row_label_and_vietnamese_numbers(october):
    report = monthly_report(october, OCT)
    pdf = form_pdf(report)
    assert pdf.startswith(b"%PDF") and b"LiberationSerif" in pdf
    text = flat(pdf_text(pdf))
    assert NATION in text and MOTTO in text
    assert "BÁO CÁO KẾT QUẢ HOẠT ĐỘNG THÁNG" in text and "Tháng 10 năm 2026" in text
    assert "Ủy ban nhân dân xã Mỹ Hòa".upper() in text and "ĐIỂM TƯ VẤN XÃ MỸ HÒA" in text
    assert "Long Xuyên, ngày " in text
    missing = [row.label_vi for row in default_form().rows() if row.label_vi not in text]
    assert missing == []
    assert "7.000" in text and "110.000.000" in text  # Vietnamese thousands dots
    assert "NGƯỜI LẬP BIỂU" in text and "(Ký, ghi rõ họ tên)" in text
    assert "CHỦ NHIỆM ĐIỂM TƯ VẤN" in text and "(Ký, ghi rõ họ tên, đóng dấu)" in text


@pytest.mark.parametrize("unit_name, place", [
    ("Điểm tư vấn xã Mỹ Hòa", "Mỹ Hòa"),
    ("Công an phường Long Xuyên, tỉnh An Giang", "Long Xuyên"),
    ("Trung tâm công tác xã hội tỉnh An Giang", "An Giang"),
    ("Điểm tư vấn số 2", "……"),
])
def test_the_place_before_the_date_comes_from_the_unit_name_when_not_set(unit_name, place):
    from types import SimpleNamespace

    from app.reports.form_table import place_of

    assert place_of(SimpleNamespace(place_name="", unit=SimpleNamespace(name=unit_name))) == place
    assert place_of(SimpleNamespace(place_name="Long Xuyên", unit=SimpleNamespace(name=unit_name))) == "Long Xuyên"


def test_page_numbers_start_on_page_two_at_the_top(october):
    pdf = form_pdf(monthly_report(october, OCT))
    count = pages(pdf)
    assert count >= 2
    first_lines = [next(line.strip() for line in pdf_text(pdf, n, layout=True).splitlines() if line.strip())
                   for n in range(1, count + 1)]
    assert not first_lines[0].isdigit()
    assert first_lines[1:] == [str(n) for n in range(2, count + 1)]


def test_a_long_form_splits_across_pages_with_its_header_repeated(october):
    cells = {"luot": "contacts.count kind=home", "nguoi": "contacts.people kind=home"}
    rows = [{"code": str(n), "label_vi": f"Chỉ tiêu thử số {n} về tư vấn tại gia đình", "cells": cells}
            for n in range(1, 151)]
    form = parse_form({"code": "dai", "title_vi": "BIỂU DÀI", "columns": [
        {"code": "luot", "label_vi": "Số lượt"}, {"code": "nguoi", "label_vi": "Số người"}],
        "sections": [{"code": "I", "label_vi": "TƯ VẤN", "rows": rows}]}, "dai.toml")
    pdf = form_pdf(monthly_report(october, OCT, form=form))
    count = pages(pdf)
    assert count >= 4
    for page in range(1, count + 1):
        text = flat(pdf_text(pdf, page))
        assert "Số lượt" in text and "Số người" in text and "Nội dung" in text, page
    text = flat(pdf_text(pdf))
    assert all(f"Chỉ tiêu thử số {n} về tư vấn tại gia đình" in text for n in range(1, 151))


def test_the_signatures_never_stand_alone_on_the_last_page(october, monkeypatch):
    """Whatever the length of the form, the last page holds the end of the table with the signatures."""
    from app.reports import form_pdf as module

    builds, original = [], module._build
    monkeypatch.setattr(module, "_build", lambda report, keep, **kw: builds.append(keep) or original(report, keep, **kw))
    for count in range(56, 72):
        rows = [{"code": str(n), "label_vi": f"Dòng số {n}", "cells": {"luot": "contacts.count kind=home"}}
                for n in range(1, count + 1)]
        form = parse_form({"code": "thu", "title_vi": "BIỂU THỬ",
                           "columns": [{"code": "luot", "label_vi": "Số lượt"}],
                           "sections": [{"code": "I", "label_vi": "TƯ VẤN", "rows": rows}]}, "thu.toml")
        pdf = form_pdf(monthly_report(october, OCT, form=form))
        last = flat(pdf_text(pdf, pages(pdf)))
        assert "NGƯỜI LẬP BIỂU" in last and f"Dòng số {count}" in last, count
    assert 2 in builds  # some length put the signatures alone on a page, and the table's end followed them


def test_a_closed_month_says_so_and_the_next_form_lists_corrections(october, monkeypatch):
    monkeypatch.setattr(closing, "today", lambda: date(2026, 11, 2))
    closing.close_month(october, OCT)
    person = october.conn.execute("SELECT id FROM clients LIMIT 1").fetchone()[0]
    contacts.add(october, {"kind": "office", "client_id": person, "contact_date": "2026-10-30"})
    closed = flat(pdf_text(form_pdf(monthly_report(october, OCT))))
    assert "đã được chốt" in closed and PERSON in closed
    november = flat(pdf_text(form_pdf(monthly_report(october, NOV))))
    assert "Điều chỉnh số liệu các tháng đã chốt" in november
    assert "10/2026 5. Tư vấn cá nhân tại văn phòng Điểm tư vấn" in november
    assert "47 48" in november  # closed value, current value


def test_the_pdf_speaks_english_when_asked(october):
    set_language("en")
    text = flat(pdf_text(form_pdf(monthly_report(october, OCT))))
    assert "SOCIALIST REPUBLIC OF VIET NAM" in text and "Independence - Freedom - Happiness" in text
    assert "MONTHLY ACTIVITY REPORT" in text and "Individual counselling at the point's office" in text
    assert "PREPARED BY" in text


def test_district_pdf_has_a_column_per_point_and_the_total(district):
    _as_points(district, ["MYHOA-01", "BINHDUC-02", "MYTHANH-03"])
    report = monthly_report(district, OCT)
    pdf = form_pdf(report)
    width, height = page_size(pdf)
    assert width < height  # up to 4 points: portrait
    text = flat(pdf_text(pdf))
    assert "Tổng cộng" in text and "Các điểm tư vấn" in text and "3 điểm tư vấn" in text
    assert "THỦ TRƯỞNG ĐƠN VỊ" in text
    # Which form column each row shows: once on the section line when its rows agree, else on the row.
    assert "TƯ VẤN (Số lượng (lượt, buổi))" in text and "KHÁCH HÀNG (Số người)" in text
    assert "Số thành viên nhóm đến cuối tháng (Số người)" in text


def test_district_with_many_points_is_landscape_and_splits_the_points(district):
    points = [f"DIEM-{n:02d}" for n in range(1, 17)]
    _as_points(district, points)
    report = monthly_report(district, OCT)
    assert len(report.result.by_point) == 16
    pdf = form_pdf(report)
    width, height = page_size(pdf)
    assert width > height
    text = flat(pdf_text(pdf))
    assert all(point.replace("-", "- ") in text or point in text for point in points)
    assert "Bảng (tiếp theo)" in text and "Tổng cộng" in text


# --- XLSX, CSV, JSON -------------------------------------------------------------------

def _sheet_rows(data: bytes) -> tuple[openpyxl.worksheet.worksheet.Worksheet, dict[str, int]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    by_code = {}
    header = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 2).value == "Nội dung")
    for r in range(header + 1, sheet.max_row + 1):
        code = sheet.cell(r, 1).value
        if code:
            by_code[str(code)] = r
    return sheet, by_code


def test_xlsx_holds_the_numbers_formatted(october):
    report = monthly_report(october, OCT)
    sheet, rows = _sheet_rows(to_xlsx(report))
    columns = [c.code for c in report.form.columns]
    for row in report.form.rows():
        for index, column in enumerate(columns):
            assert sheet.cell(rows[row.code], 3 + index).value == report.result.value(row.code, column) \
                if column in row.cells else sheet.cell(rows[row.code], 3 + index).value is None
    leaflets = sheet.cell(rows["30"], 3)
    assert leaflets.value == 7000 and '"."' in leaflets.number_format and leaflets.font.name == "Times New Roman"
    assert sheet.cell(rows["I"], 2).font.bold and sheet.cell(rows["5"], 3).border.left.style == "thin"
    assert sheet["A1"].value == "ỦY BAN NHÂN DÂN XÃ MỸ HÒA" and sheet["C1"].value == NATION


def test_district_xlsx_total_is_a_sum_formula_over_the_points(district):
    _as_points(district, ["MYHOA-01", "BINHDUC-02", "MYTHANH-03"])
    report = monthly_report(district, OCT)
    sheet, rows = _sheet_rows(to_xlsx(report))
    assert [sheet.cell(rows["I"] - 1, c).value for c in range(3, 7)] == ["BINHDUC-02", "MYHOA-01", "MYTHANH-03",
                                                                         "Tổng cộng"]
    for code in ("1", "5", "6", "30"):
        r = rows[code]
        assert sheet.cell(r, 6).value == f"=SUM(C{r}:E{r})"
        points = [sheet.cell(r, c).value for c in range(3, 6)]
        assert sum(points) == report.result.value(code, "so_luong" if code in ("5", "6", "30") else "nguoi")


def test_district_total_counts_a_person_once_and_says_why(district):
    """A client referred by two points is one person in the total: the total is the register's number."""
    _as_points(district, ["MYHOA-01", "BINHDUC-02"])
    person = district.conn.execute("SELECT id FROM clients WHERE origin = 'MYHOA-01' LIMIT 1").fetchone()[0]
    for _ in range(2):
        referrals.add(district, {"client_id": person, "service": "methadone", "referred_date": _day(6)})
    last = district.conn.execute("SELECT max(seq) FROM referrals").fetchone()[0]
    district.conn.execute("UPDATE referrals SET origin = 'MYHOA-01' WHERE seq = ?", (last - 1,))
    district.conn.execute("UPDATE referrals SET origin = 'BINHDUC-02' WHERE seq = ?", (last,))
    report = monthly_report(district, OCT)
    sheet, rows = _sheet_rows(to_xlsx(report))
    r = rows["25"]  # "Số người được giới thiệu điều trị methadone": people
    assert [sheet.cell(r, c).value for c in range(3, 5)] == [1, 1]
    assert sheet.cell(r, 5).value == 1 and sheet.cell(r, 5).comment is not None


def test_csv_round_trips_the_numbers_and_opens_in_excel(october):
    report = monthly_report(october, OCT)
    data = to_csv(report)
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8 Vietnamese
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert lines[0][:2] == ["TT", "Nội dung"] and lines[0][2:] == [c.label for c in report.form.columns]
    by_code = {line[0]: line for line in lines[1:]}
    assert list(by_code) == [row.code for row in report.form.rows()]
    for row in report.form.rows():
        assert by_code[row.code][1] == row.label_vi
        for index, column in enumerate(c.code for c in report.form.columns):
            expected = report.result.value(row.code, column) if column in row.cells else None
            assert by_code[row.code][2 + index] == ("" if expected is None else str(expected))


def test_district_csv_has_a_column_per_point_and_the_total(district):
    _as_points(district, ["MYHOA-01", "BINHDUC-02"])
    report = monthly_report(district, OCT)
    lines = list(csv.reader(io.StringIO(to_csv(report).decode("utf-8-sig"))))
    assert lines[0] == ["TT", "Nội dung", "Cột", "BINHDUC-02", "MYHOA-01", "Tổng cộng"]
    home = next(line for line in lines if line[0] == "6")
    assert home[2] == "Số lượng (lượt, buổi)" and int(home[3]) + int(home[4]) == int(home[5]) == 33


def test_json_round_trips_every_number_with_its_context(october, monkeypatch):
    monkeypatch.setattr(closing, "today", lambda: date(2026, 11, 2))
    closing.close_month(october, OCT)
    person = october.conn.execute("SELECT id FROM clients LIMIT 1").fetchone()[0]
    contacts.add(october, {"kind": "home", "client_id": person, "contact_date": "2026-10-30"})
    report = monthly_report(october, OCT)
    data = json.loads(to_json(report))
    assert data["values"] == report.result.values
    assert data["month"] == "2026-10" and data["unit"]["code"] == "MYHOA-01"
    assert data["form"]["code"] == "point-monthly" and data["form"]["version"] == 1
    assert data["closed"]["closed_by"] == PERSON and len(data["closed"]["digest"]) == 64
    assert list(data["values"]) == [row.code for row in report.form.rows()]  # form order, not text order
    assert to_json(report) == to_json(report)
    later = json.loads(to_json(monthly_report(october, NOV)))
    assert {"month": "2026-10", "row": "6", "column": "so_luong", "point": None, "closed_value": 33,
            "current_value": 34} in later["amendments"]


# --- tuvan report --------------------------------------------------------------------------

def test_cli_writes_the_monthly_form_in_every_format(october, tmp_path):
    october.close()
    root = str(tmp_path / "register")
    env = {"TUVAN_PASSPHRASE": PASSPHRASE}
    for fmt in ("pdf", "xlsx", "csv", "json"):
        out = tmp_path / "out" / f"thang-10.{fmt}"
        result = run_cli("report", "monthly", "--register", root, "--month", "2026-10", "--out", str(out), env=env)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == str(out)
        assert_owner_only(out)
    assert (tmp_path / "out" / "thang-10.pdf").read_bytes().startswith(b"%PDF")
    assert json.loads((tmp_path / "out" / "thang-10.json").read_text(encoding="utf-8"))["values"]["30"]["so_luong"] == 7000
    assert "30,Số tờ rơi phát ra,7000" in (tmp_path / "out" / "thang-10.csv").read_text(encoding="utf-8-sig")
    explicit = run_cli("report", "monthly", "--register", root, "--month", "10/2026", "--format", "json",
                       "--out", str(tmp_path / "so-lieu.dat"), "--json", env=env)
    assert explicit.returncode == 0 and json.loads(explicit.stdout)["format"] == "json"
    unknown = run_cli("report", "monthly", "--register", root, "--month", "2026-10", "--out",
                      str(tmp_path / "x.txt"), env=env)
    assert unknown.returncode == 1 and ".xlsx" in unknown.stderr and len(unknown.stderr.splitlines()) == 1


def test_cli_refuses_a_bad_form_file_naming_the_row(register, tmp_path):
    register.close()
    bad = tmp_path / "bieu.toml"
    bad.write_text('code = "thu"\n[[columns]]\ncode = "n"\nlabel_vi = "Số"\n[[sections]]\ncode = "I"\n'
                   'label_vi = "A"\n[[sections.rows]]\ncode = "7b"\nlabel_vi = "Sai"\n'
                   '[sections.rows.cells]\nn = "contacts.cont kind=home"\n', encoding="utf-8")
    env = {"TUVAN_PASSPHRASE": PASSPHRASE}
    result = run_cli("report", "form", "--register", str(tmp_path / "register"), "--file", str(bad), env=env)
    assert result.returncode == 1
    assert "7b" in result.stderr and "contacts.cont" in result.stderr and len(result.stderr.splitlines()) == 1
    good = run_cli("report", "form", "--register", str(tmp_path / "register"), "--file",
                   str(default_form().path), "--json", env=env)
    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout)["rows"] == len(default_form().rows())


def test_cli_closes_a_month(register, tmp_path):
    register.close()
    env = {"TUVAN_PASSPHRASE": PASSPHRASE}
    root = str(tmp_path / "register")
    last_month = Month.of(today()).previous()  # the child process runs on the real clock
    closed = run_cli("report", "close", "--register", root, "--month", last_month.code, "--json", env=env)
    assert closed.returncode == 0, closed.stderr
    assert json.loads(closed.stdout)["closed_by"] == PERSON
    again = run_cli("report", "close", "--register", root, "--month", last_month.code, env=env)
    assert again.returncode == 1 and last_month.label in again.stderr
