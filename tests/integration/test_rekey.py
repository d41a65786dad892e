"""Re-keying after a suspected compromise: a new data key, old slots end, nothing is lost."""

import pytest

from app.core.errors import WrongPassphrase, WrongRecoveryKey
from app.store import backup, clients, rekey, users
from app.store.register import unlock, unlock_with_recovery_key
from app.store.register_folder import DB_NAME, PENDING_NAME, SLOTS_NAME
from tests.conftest import PASSPHRASE


def _filled(register):
    clients.create(register, {"full_name": "Nguyễn Văn Đức", "sex": "male", "birth_year": 1990,
                              "intake_date": "2026-10-01", "main_group": "dependent"})
    users.add_user(register, "lan", "Trần Thị Lan", "counsellor", "mật khẩu của Lan rất dài")
    return register.paths.root


def test_rekey_changes_the_key_keeps_every_record_and_ends_old_slots(new_register):
    register, old_recovery = new_register
    root = _filled(register)
    old_key, old_slots = register.data_key, (root / SLOTS_NAME).read_bytes()
    before = {t: register.db[t].count for t in ("clients", "users", "audit_log")}

    result = rekey.rekey(register, PASSPHRASE)
    assert register.conn is None  # closed: the caller signs in again
    assert result.need_passphrase == ["lan"]
    assert result.backup.exists() and backup.read_manifest(result.backup).reason == "before-rekey"

    with unlock(root, "admin", PASSPHRASE) as again:
        assert again.data_key != old_key
        after = {t: again.db[t].count for t in ("clients", "users", "audit_log")}
        assert after["clients"] == before["clients"] and after["users"] == before["users"]
        assert [r[0] for r in again.conn.execute("SELECT action FROM audit_log ORDER BY seq DESC LIMIT 2")] \
            == ["register.unlock", "register.rekey"]
        # The administrator gives Lan a new passphrase; Lan's old one no longer opens anything.
        users.set_passphrase(again, "lan", "mật khẩu mới của Lan cũng dài")
    with pytest.raises(WrongPassphrase):
        unlock(root, "lan", "mật khẩu của Lan rất dài")
    unlock(root, "lan", "mật khẩu mới của Lan cũng dài").close()
    # The new recovery key works, the old one does not.
    with pytest.raises(WrongRecoveryKey):
        unlock_with_recovery_key(root, old_recovery.formatted(), "admin", "một mật khẩu mới tinh")
    unlock_with_recovery_key(root, result.recovery_key.formatted(), "admin", "một mật khẩu mới tinh").close()
    assert (root / SLOTS_NAME).read_bytes() != old_slots
    assert not (root / PENDING_NAME).exists()


def test_the_old_key_no_longer_opens_the_database(register):
    from app.store.connection import open_keyed

    root = _filled(register)
    old_key = register.data_key
    rekey.rekey(register, PASSPHRASE)
    with pytest.raises(WrongPassphrase):
        open_keyed(root / DB_NAME, old_key)


def test_a_wrong_passphrase_refuses_the_rekey_and_changes_nothing(register):
    root = _filled(register)
    slots = (root / SLOTS_NAME).read_bytes()
    with pytest.raises(WrongPassphrase):
        rekey.rekey(register, "not the passphrase")
    assert (root / SLOTS_NAME).read_bytes() == slots
    assert register.db["clients"].count == 1  # still open and usable


def test_a_rekey_cut_after_its_commit_point_is_finished_at_the_next_unlock(register, monkeypatch):
    root = _filled(register)
    monkeypatch.setattr(rekey, "_swap_in", lambda paths: (_ for _ in ()).throw(OSError("power cut")))
    with pytest.raises(OSError):
        rekey.rekey(register, PASSPHRASE)
    monkeypatch.undo()
    assert (root / PENDING_NAME).exists()  # new slots, old file, the copy waiting
    with unlock(root, "admin", PASSPHRASE) as again:
        assert again.db["clients"].count == 1
    assert not (root / PENDING_NAME).exists()


def test_a_rekey_cut_before_its_commit_point_leaves_the_old_key(register, monkeypatch):
    root = _filled(register)
    old_key = register.data_key
    monkeypatch.setattr(rekey.KeySlotFile, "save", lambda self, path: (_ for _ in ()).throw(OSError("power cut")))
    with pytest.raises(OSError):
        rekey.rekey(register, PASSPHRASE)
    monkeypatch.undo()
    with unlock(root, "admin", PASSPHRASE) as again:
        assert again.data_key == old_key and again.db["clients"].count == 1
    assert not (root / PENDING_NAME).exists()  # the copy under a key nobody holds is gone
    unlock(root, "lan", "mật khẩu của Lan rất dài").close()  # nothing ended


def test_tuvan_rekey_prints_the_new_recovery_key_and_who_needs_a_passphrase(register, tmp_path):
    import json

    from tests.conftest import run_cli

    root = _filled(register)
    register.close()
    sheet = tmp_path / "khoa-moi.pdf"
    result = run_cli("rekey", "--register", str(root), "--recovery-sheet", str(sheet), "--json",
                     env={"TUVAN_PASSPHRASE": PASSPHRASE})
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["need_passphrase"] == ["lan"] and sheet.read_bytes().startswith(b"%PDF")
    unlock_with_recovery_key(root, summary["recovery_key"], "admin", "một mật khẩu mới tinh").close()
    words = run_cli("rekey", "--register", str(root), env={"TUVAN_PASSPHRASE": "một mật khẩu mới tinh"})
    assert words.returncode == 0, words.stderr
    assert "KHÓA KHÔI PHỤC MỚI" in words.stdout and "lan" in words.stdout
    refused = run_cli("rekey", "--register", str(root), "--user", "lan",
                      env={"TUVAN_PASSPHRASE": "mật khẩu của Lan rất dài"})
    assert refused.returncode == 1 and len(refused.stderr.strip().splitlines()) == 1


def test_a_rekey_shows_its_progress_and_a_cancel_during_the_copy_changes_nothing(register, monkeypatch):
    from app.core.progress import Cancelled, Progress

    root = _filled(register)
    old_key = register.data_key
    counts = Progress()
    real_copy = backup.copy_pages

    def copy_then_cancel(conn, target, progress):
        real_copy(conn, target, progress)
        assert 0 < counts.snapshot().fraction < 1  # the backup counted, the copy under way
        counts.cancel()

    monkeypatch.setattr(backup, "copy_pages", copy_then_cancel)
    with pytest.raises(Cancelled):
        rekey.rekey(register, PASSPHRASE, counts)
    monkeypatch.undo()
    assert not (root / PENDING_NAME).exists()
    assert register.data_key == old_key and register.db["clients"].count == 1  # still open, as it was
    whole = Progress()
    rekey.rekey(register, PASSPHRASE, whole)
    assert whole.snapshot().fraction == 1.0
    with unlock(root, "admin", PASSPHRASE) as again:
        assert again.data_key != old_key and again.db["clients"].count == 1
