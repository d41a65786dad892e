"""Backups: encrypted, rotated; restore verified before it replaces anything."""

import zipfile

import pytest

from app.core.errors import BackupInvalid, OtherRegisterAtPath, WrongPassphrase
from app.store import backup, settings, users
from app.store.register import unlock
from tests.conftest import PASSPHRASE


def _tree(root):
    return {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_backup_restores_the_state_it_was_taken_in(register, tmp_path):
    out = tmp_path / "b.tvbak"
    backup.write_backup(register, out)
    users.add_user(register, "lan", "Trần Thị Lan", "counsellor", "lan mật khẩu dài")
    root = register.paths.root
    register.close()
    result = backup.restore_backup(out, root, "admin", PASSPHRASE)
    assert result.previous is not None and (result.previous / "register.db").exists()
    with unlock(root, "admin", PASSPHRASE) as restored:
        assert [u.login for u in users.list_users(restored.conn)] == ["admin"]


def test_restore_into_an_empty_place(register, tmp_path):
    out = tmp_path / "b.tvbak"
    backup.write_backup(register, out)
    result = backup.restore_backup(out, tmp_path / "new-pc" / "register", None, PASSPHRASE)
    assert result.previous is None
    unlock(result.root, "admin", PASSPHRASE).close()


def test_damaged_backup_or_wrong_passphrase_changes_nothing(register, tmp_path):
    out = tmp_path / "b.tvbak"
    backup.write_backup(register, out)
    root = register.paths.root
    register.close()
    before = _tree(root)
    with pytest.raises(WrongPassphrase):
        backup.restore_backup(out, root, "admin", "not the passphrase")
    damaged = tmp_path / "damaged.tvbak"
    with zipfile.ZipFile(out) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = bytearray(source.read(item))
            if item.filename == "register.db":
                data[5000:5016] = bytes(16)  # a flipped block inside page 2
            target.writestr(item, bytes(data))
    with pytest.raises(BackupInvalid):
        backup.restore_backup(damaged, root, "admin", PASSPHRASE)
    (tmp_path / "junk.tvbak").write_bytes(b"not a backup")
    with pytest.raises(BackupInvalid):
        backup.restore_backup(tmp_path / "junk.tvbak", root, "admin", PASSPHRASE)
    assert _tree(root) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_different_register_is_not_replaced_unless_asked(register, tmp_path, unit):
    from app.store.register import create_register

    out = tmp_path / "b.tvbak"
    backup.write_backup(register, out)
    other, _ = create_register(tmp_path / "other", unit=unit, admin_login="admin",
                               admin_full_name="Khác", passphrase=PASSPHRASE)
    other.close()
    with pytest.raises(OtherRegisterAtPath):
        backup.restore_backup(out, tmp_path / "other", "admin", PASSPHRASE)
    result = backup.restore_backup(out, tmp_path / "other", "admin", PASSPHRASE, replace_other=True)
    assert result.previous.exists()


def test_rotation_keeps_the_newest(register):
    settings.update(register, {"backups_kept": 3})
    made = [backup.backup_now(register) for _ in range(5)]
    kept = backup.list_backups(register.paths.backups)
    assert sorted(kept) == sorted(made[-3:])


def test_a_scheduled_backup_restores_into_a_new_register_with_every_record(register, tmp_path):
    from datetime import timedelta

    from app.demo import writer as demo
    from app.store.records import SYNCED_TABLES

    demo.fill(register, clients=25, months=3, seed=4)
    usb = tmp_path / "usb"
    usb.mkdir()
    settings.update(register, {"backup_folder": str(usb), "backup_every_hours": 24})
    assert backup.backup_due(register.conn) and backup.backup_stale(register.conn)
    made = backup.scheduled_backup(register)
    assert made.path.parent == usb and not made.fallback
    assert not backup.backup_due(register.conn)
    later = backup.last_backup_at(register.conn) + timedelta(days=8)
    assert backup.backup_stale(register.conn, later) and backup.backup_due(register.conn, later)
    counts = {t: register.db[t].count for t in SYNCED_TABLES}
    preview = backup.preview_backup(made.path, "admin", PASSPHRASE)
    assert preview.unit_code == "MYHOA-01" and preview.counts["clients"] == counts["clients"]
    result = backup.restore_backup(made.path, tmp_path / "new-pc" / "register", "admin", PASSPHRASE)
    with unlock(result.root, "admin", PASSPHRASE) as restored:
        assert {t: restored.db[t].count for t in SYNCED_TABLES} == counts
        assert restored.conn.execute("SELECT count(*) FROM client_search").fetchone()[0] == \
            register.conn.execute("SELECT count(*) FROM client_search").fetchone()[0]


def test_a_missing_backup_folder_falls_back_beside_the_register(register, tmp_path):
    settings.update(register, {"backup_folder": str(tmp_path / "unplugged-usb")})
    made = backup.scheduled_backup(register)
    assert made.fallback and made.path.parent == register.paths.backups


def test_a_restore_counts_its_work_and_a_cancel_replaces_nothing(register, tmp_path):
    from app.core.progress import Cancelled, Progress

    out = tmp_path / "b.tvbak"
    backup.write_backup(register, out)
    users.add_user(register, "lan", "Trần Thị Lan", "counsellor", "lan mật khẩu dài")
    root = register.paths.root
    register.close()
    before = _tree(root)

    class CancelAfterUnpacking(Progress):
        def add(self, amount: int) -> None:
            super().add(amount)
            if self.snapshot().fraction >= 0.5:  # unpacked: the check is next
                self.cancel()

    with pytest.raises(Cancelled):
        backup.restore_backup(out, root, "admin", PASSPHRASE, progress=CancelAfterUnpacking())
    assert _tree(root) == before
    assert [p.name for p in root.parent.iterdir() if ".restoring-" in p.name] == []
    counts = Progress()
    backup.restore_backup(out, root, "admin", PASSPHRASE, progress=counts)
    assert counts.snapshot().fraction == 1.0
    with unlock(root, "admin", PASSPHRASE) as restored:
        assert [u.login for u in users.list_users(restored.conn)] == ["admin"]
