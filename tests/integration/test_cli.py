"""The command line as a user or a script sees it: output, exit codes, languages."""

import json

import pytest

from tests.conftest import PASSPHRASE, run_cli


@pytest.fixture
def cli_register(tmp_path):
    root = tmp_path / "reg"
    result = run_cli("init", "--register", str(root), "--role", "point", "--code", "myhoa-01",
                     "--name", "Điểm tư vấn xã Mỹ Hòa", "--office", "UBND xã Mỹ Hòa",
                     "--full-name", "Nguyễn Văn Đức", "--recovery-sheet", str(tmp_path / "sheet.pdf"),
                     "--json", env={"TUVAN_NEW_PASSPHRASE": PASSPHRASE})
    assert result.returncode == 0, result.stderr
    return root, json.loads(result.stdout)


def _files(root):
    return {p.name: p.read_bytes() for p in root.iterdir() if p.name in ("register.db", "keyslots.json")}


def test_init_prints_the_recovery_key_and_writes_the_sheet(cli_register, tmp_path):
    root, summary = cli_register
    assert summary["code"] == "MYHOA-01" and summary["role"] == "point"
    assert len(summary["recovery_key"]) == 44
    sheet = (tmp_path / "sheet.pdf").read_bytes()
    assert sheet.startswith(b"%PDF") and b"LiberationMono" in sheet


def test_init_in_vietnamese_shows_the_key_once(tmp_path):
    result = run_cli("init", "--register", str(tmp_path / "r"), "--role", "district", "--code", "CT",
                     "--name", "Công an xã", env={"TUVAN_PASSPHRASE": PASSPHRASE})
    assert result.returncode == 0
    assert "KHÓA KHÔI PHỤC" in result.stdout


def test_check_reports_counts_as_json(cli_register):
    root, _ = cli_register
    result = run_cli("check", "--register", str(root), "--json", env={"TUVAN_PASSPHRASE": PASSPHRASE})
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["ok"] and summary["counts"]["users"] == 1 and summary["schema_version"] >= 1


@pytest.mark.parametrize("lang, words", [("vi", "Sai tên người dùng hoặc mật khẩu"), ("en", "Wrong user name or passphrase")])
def test_wrong_passphrase_is_one_line_exit_1_and_changes_nothing(cli_register, lang, words):
    root, _ = cli_register
    before = _files(root)
    result = run_cli("check", "--register", str(root), "--lang", lang, env={"TUVAN_PASSPHRASE": "sai mật khẩu"})
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0]
    assert "hmac" not in result.stderr.lower() and "sqlcipher" not in result.stderr.lower()
    assert _files(root) == before


def test_missing_passphrase_without_a_terminal_says_what_to_do(cli_register):
    root, _ = cli_register
    result = run_cli("check", "--register", str(root), input="")
    assert result.returncode == 1 and "TUVAN_PASSPHRASE" in result.stderr


def test_recover_sets_a_new_passphrase(cli_register):
    root, summary = cli_register
    result = run_cli("recover", "--register", str(root), "--recovery-key", summary["recovery_key"].lower(),
                     "--user", "admin", env={"TUVAN_NEW_PASSPHRASE": "mật khẩu mới sau khi quên"})
    assert result.returncode == 0, result.stderr
    assert run_cli("check", "--register", str(root), env={"TUVAN_PASSPHRASE": PASSPHRASE}).returncode == 1
    ok = run_cli("check", "--register", str(root), env={"TUVAN_PASSPHRASE": "mật khẩu mới sau khi quên"})
    assert ok.returncode == 0


def test_users_add_list_passwd(cli_register):
    root, _ = cli_register
    env = {"TUVAN_PASSPHRASE": PASSPHRASE, "TUVAN_NEW_PASSPHRASE": "lan có mật khẩu dài"}
    assert run_cli("users", "add", "lan", "--full-name", "Trần Thị Lan", "--register", str(root), env=env).returncode == 0
    listing = run_cli("users", "list", "--register", str(root), "--json", env=env)
    assert [u["login"] for u in json.loads(listing.stdout)["users"]] == ["admin", "lan"]
    env2 = {"TUVAN_PASSPHRASE": "lan có mật khẩu dài", "TUVAN_NEW_PASSPHRASE": "lan đổi mật khẩu mới"}
    assert run_cli("users", "passwd", "--user", "lan", "--register", str(root), env=env2).returncode == 0
    denied = run_cli("users", "add", "x2", "--user", "lan", "--register", str(root),
                     env={"TUVAN_PASSPHRASE": "lan đổi mật khẩu mới", "TUVAN_NEW_PASSPHRASE": "abc def ghi jkl"})
    assert denied.returncode == 1 and "Vai trò" in denied.stderr


def test_backup_restore_and_audit_verify(cli_register, tmp_path):
    root, _ = cli_register
    env = {"TUVAN_PASSPHRASE": PASSPHRASE}
    out = tmp_path / "usb" / "sao-luu.tvbak"
    made = run_cli("backup", "--register", str(root), "--out", str(out), "--json", env=env)
    assert made.returncode == 0 and json.loads(made.stdout)["bytes"] > 0
    restored = run_cli("restore", "--backup", str(out), "--register", str(tmp_path / "restored"), env=env)
    assert restored.returncode == 0, restored.stderr
    verify = run_cli("audit", "verify", "--register", str(tmp_path / "restored"), "--json", env=env)
    assert verify.returncode == 0 and json.loads(verify.stdout)["ok"]
    junk = tmp_path / "junk.tvbak"
    junk.write_bytes(b"PK\x03\x04 nonsense")
    bad = run_cli("restore", "--backup", str(junk), "--register", str(tmp_path / "x"), env=env)
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x").exists()


def test_a_tampered_audit_log_fails_verify_with_exit_2(cli_register):
    from app.store.register import unlock

    root, _ = cli_register
    with unlock(root, "admin", PASSPHRASE) as reg:
        reg.conn.execute("DROP TRIGGER audit_log_no_update")
        reg.conn.execute("UPDATE audit_log SET action = 'forged' WHERE seq = 1")
    result = run_cli("audit", "verify", "--register", str(root), env={"TUVAN_PASSPHRASE": PASSPHRASE})
    assert result.returncode == 2 and "1" in result.stderr


def test_demo_creates_once_and_tells_the_passphrase(tmp_path):
    first = run_cli("demo", "--register", str(tmp_path / "demo"))
    assert first.returncode == 0, first.stderr
    assert "demo-tuvan-2026" in first.stdout
    again = run_cli("demo", "--register", str(tmp_path / "demo"), "--json")
    assert json.loads(again.stdout)["created"] is False
