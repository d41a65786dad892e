"""What Windows does to files, tested rather than assumed (run on Windows by `make windows-test`).

Folders with Vietnamese letters and spaces, paths near Windows' old 260-character limit, a file
another program holds open, a CSV for Excel, time in Asia/Ho_Chi_Minh without system zoneinfo.
The same tests run on Linux, where they check the same promises.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from tests.conftest import run_cli

DEMO = {"TUVAN_PASSPHRASE": "demo-tuvan-2026"}
MONTH = (datetime.now().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    """`C:\\Users\\Nguyễn Văn A\\Tài liệu\\` as a counsellor's own folder, with a demo register in it."""
    folder = tmp_path_factory.mktemp("home") / "Nguyễn Văn A" / "Tài liệu"
    register = folder / "Điểm tư vấn Mỹ Hòa"
    made = run_cli("demo", "--register", str(register), "--clients", "20", "--months", "2", env=DEMO)
    assert made.returncode == 0, made.stderr
    return folder


def test_register_backup_and_exports_under_vietnamese_folder_names(documents):
    register = documents / "Điểm tư vấn Mỹ Hòa"
    backup = documents / "Sao lưu" / "sổ tháng 11.tvbak"
    done = run_cli("backup", "--register", str(register), "--out", str(backup), env=DEMO)
    assert done.returncode == 0, done.stderr
    assert backup.is_file() and b"Nguy" not in backup.read_bytes()[:4096]  # encrypted, not a copy of names
    for kind, magic in (("pdf", b"%PDF-"), ("xlsx", b"PK"), ("csv", b"\xef\xbb\xbf")):
        out = documents / "Báo cáo" / f"Báo cáo tháng {MONTH}.{kind}"
        made = run_cli("report", "monthly", "--register", str(register), "--month", MONTH, "--format", kind,
                       "--out", str(out), env=DEMO)
        assert made.returncode == 0, made.stderr
        assert out.read_bytes().startswith(magic)
    assert run_cli("check", "--register", str(register), env=DEMO).returncode == 0


def test_a_csv_that_excel_reads_in_vietnamese(documents):
    """UTF-8 with a byte-order mark (Excel then reads Vietnamese), Windows line ends, one form row a line."""
    out = documents / "excel.csv"
    made = run_cli("report", "monthly", "--register", str(documents / "Điểm tư vấn Mỹ Hòa"), "--month", MONTH,
                   "--format", "csv", "--out", str(out), env=DEMO)
    assert made.returncode == 0, made.stderr
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == data.count(b"\n") > 10
    text = data.decode("utf-8-sig")
    assert "Số" in text and "ư" in text and "\ufffd" not in text


def test_paths_near_the_260_character_limit(tmp_path):
    """Near the limit everything works; past it the user reads what to do, never a traceback."""
    near = tmp_path
    while len(str(near / "Điểm tư vấn" / "register.db")) < 236:
        near = near / "Điểm tư vấn"
    made = run_cli("init", "--register", str(near), "--role", "point", "--code", "DAI-01", "--name", "Điểm dài",
                   env={"TUVAN_NEW_PASSPHRASE": "mật khẩu rất dài 2026"})
    assert made.returncode == 0, made.stderr
    assert len(str(near / "register.db")) < 260
    beyond = tmp_path.joinpath(*["thư mục rất sâu"] * 20, "sổ đăng ký")
    assert len(str(beyond)) > 300
    too_long_name = tmp_path / ("Điểm tư vấn chăm sóc hỗ trợ " * 10).strip()  # over 255 bytes: Linux refuses
    for code, root in (("DAI-02", beyond), ("DAI-03", too_long_name)):
        tried = run_cli("init", "--register", str(root), "--role", "point", "--code", code, "--name", "Điểm sâu",
                        env={"TUVAN_NEW_PASSPHRASE": "mật khẩu rất dài 2026"})
        assert "Traceback" not in tried.stderr and "ngoài dự kiến" not in tried.stderr, tried.stderr
        if tried.returncode != 0 or (root is too_long_name and sys.platform != "win32"):
            # what to do, and nothing half-made (Windows with long paths enabled, or Wine, accepts them)
            assert tried.returncode in (1, 2) and "quá dài" in tried.stderr, tried.stderr
            assert not os.path.lexists(root) if len(root.name.encode()) > 255 else not (root / "register.db").exists()
            assert [item.name for item in tmp_path.rglob(".*creating*")] == []


HOLD = """
import sys, time
path = sys.argv[1]
handle = open(path, "rb")  # as Excel holds a workbook: no FILE_SHARE_DELETE on Windows
print("holding", flush=True)
sys.stdin.readline()
handle.close()
"""


def test_writing_over_a_file_another_program_holds_open(documents):
    register = documents / "Điểm tư vấn Mỹ Hòa"
    out = documents / "đang mở.xlsx"
    out.write_bytes(b"the workbook the user has open")
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(out)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        tried = run_cli("report", "monthly", "--register", str(register), "--month", MONTH, "--format", "xlsx",
                        "--out", str(out), env=DEMO)
    finally:
        holder.communicate("\n", timeout=30)
    leftovers = [item.name for item in documents.iterdir() if item.name.endswith(".part")]
    assert leftovers == []
    if sys.platform == "win32":  # Windows refuses to replace an open file: say so, change nothing
        assert tried.returncode == 1, tried.stderr  # refused, as any write that cannot be done
        assert "đang được mở trong một chương trình khác" in tried.stderr
        assert out.read_bytes() == b"the workbook the user has open"
    else:  # POSIX replaces the name; the other program keeps reading its old file
        assert tried.returncode == 0, tried.stderr
        assert out.read_bytes().startswith(b"PK")


def test_time_counts_in_ho_chi_minh_city_without_system_zoneinfo():
    """Windows has no /usr/share/zoneinfo: the program's zone comes from the tzdata package there."""
    import zoneinfo

    from app.core.clock import LOCAL_ZONE

    assert str(LOCAL_ZONE) == "Asia/Ho_Chi_Minh"
    assert LOCAL_ZONE.utcoffset(datetime(2026, 12, 6, tzinfo=timezone.utc)) == timedelta(hours=7)
    new_year = datetime(2026, 12, 31, 17, 30, tzinfo=timezone.utc).astimezone(LOCAL_ZONE)
    assert (new_year.year, new_year.month, new_year.day, new_year.hour) == (2027, 1, 1, 0)  # a new month in Vietnam
    if sys.platform == "win32":
        assert not any(zoneinfo.TZPATH) or "Asia/Ho_Chi_Minh" in zoneinfo.available_timezones()


def test_a_register_on_a_drive_that_was_removed(tmp_path):
    """Windows: a register on a USB stick that is not plugged in names the drive; nothing is made."""
    import string
    from pathlib import Path

    if sys.platform == "win32":
        used = {letter for letter in string.ascii_uppercase if Path(f"{letter}:\\").exists()}
        letter = next(letter for letter in reversed(string.ascii_uppercase) if letter not in used)
        root = Path(f"{letter}:\\Sổ đăng ký Mỹ Hòa")
    else:
        root = tmp_path / "usb" / "Sổ đăng ký Mỹ Hòa"  # Linux: the stick's mount folder is gone
    tried = run_cli("check", "--register", str(root), env=DEMO)
    assert tried.returncode != 0 and "Traceback" not in tried.stderr
    if sys.platform == "win32":
        assert f"Ổ đĩa {letter}:\\" in tried.stderr and "cắm lại" in tried.stderr, tried.stderr
    else:
        assert "Không tìm thấy sổ đăng ký" in tried.stderr, tried.stderr
    assert not root.exists()
