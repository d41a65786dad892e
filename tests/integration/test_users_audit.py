"""Users and roles, and the hash-chained audit log."""

import pytest

from app.core.errors import LastAdmin, PermissionDenied, UserExists, WeakPassphrase, WrongPassphrase
from app.core.roles import Role
from app.store import audit, settings, users
from app.store.register import unlock



def test_admin_adds_users_who_can_unlock_with_their_role(register):
    users.add_user(register, "Lan", "Trần Thị Lan", "counsellor", "lan mật khẩu dài")
    users.add_user(register, "hung", "Lê Văn Hùng", Role.REPORTER, "hùng mật khẩu dài")
    assert [u.login for u in users.list_users(register.conn)] == ["admin", "lan", "hung"]
    root = register.paths.root
    register.close()
    with unlock(root, "LAN", "lan mật khẩu dài") as lan:
        assert lan.user.role is Role.COUNSELLOR
        with pytest.raises(PermissionDenied):
            users.add_user(lan, "x1", "X", "counsellor", "some long passphrase")
    with unlock(root, "hung", "hùng mật khẩu dài") as hung:
        with pytest.raises(PermissionDenied):
            settings.update(hung, {"auto_lock_minutes": 5})


def test_duplicate_login_and_weak_passphrase_change_nothing(register):
    with pytest.raises(UserExists):
        users.add_user(register, "admin", "Another", "counsellor", "some long passphrase")
    with pytest.raises(WeakPassphrase):
        users.add_user(register, "newbie", "Newbie", "counsellor", "123")
    assert len(users.list_users(register.conn)) == 1
    assert len(register.load_slots().slots) == 2


def test_a_user_changes_their_own_passphrase_but_not_anothers(register):
    users.add_user(register, "lan", "Trần Thị Lan", "counsellor", "lan mật khẩu dài")
    users.add_user(register, "mai", "Đỗ Thị Mai", "counsellor", "mai mật khẩu dài")
    root = register.paths.root
    register.close()
    with unlock(root, "lan", "lan mật khẩu dài") as lan:
        users.set_passphrase(lan, "lan", "lan mật khẩu mới hơn")
        with pytest.raises(PermissionDenied):
            users.set_passphrase(lan, "mai", "bị lan đổi mất rồi")
    with pytest.raises(WrongPassphrase):
        unlock(root, "lan", "lan mật khẩu dài")
    unlock(root, "lan", "lan mật khẩu mới hơn").close()
    unlock(root, "mai", "mai mật khẩu dài").close()


def test_the_last_admin_cannot_be_demoted_and_deactivated_users_cannot_unlock(register):
    with pytest.raises(LastAdmin):
        users.set_role(register, "admin", "counsellor")
    users.add_user(register, "lan", "Trần Thị Lan", "counsellor", "lan mật khẩu dài")
    users.set_role(register, "lan", "counsellor", active=False)
    root = register.paths.root
    register.close()
    with pytest.raises(WrongPassphrase):
        unlock(root, "lan", "lan mật khẩu dài")


def test_settings_are_validated_and_return_what_changed(register):
    changed = settings.update(register, {"auto_lock_minutes": "5", "unit_name": "Điểm tư vấn xã Mỹ Hòa"})
    assert changed == {"auto_lock_minutes": 5}
    from app.core.errors import InvalidInput

    with pytest.raises(InvalidInput):
        settings.update(register, {"auto_lock_minutes": 0})
    assert settings.get(register.conn, "auto_lock_minutes") == 5


def test_audit_log_records_who_did_what_and_is_append_only(register):
    users.add_user(register, "lan", "Trần Thị Lan", "counsellor", "lan mật khẩu dài")
    actions = [e["action"] for e in audit.recent(register.conn)]
    assert actions[:2] == ["user.add", "register.create"][: len(actions[:2])] or "user.add" in actions
    assert all(e["login"] == "admin" for e in audit.recent(register.conn))
    from app.store.connection import IntegrityError

    for sql in ("UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(IntegrityError, match="append-only"):
            register.conn.execute(sql)
    assert audit.verify(register.conn).ok


def test_audit_verify_finds_the_first_tampered_entry(register):
    for n in range(5):
        with register.transaction():
            register.audit("note", detail={"n": n})
    register.conn.execute("DROP TRIGGER audit_log_no_update")
    register.conn.execute("UPDATE audit_log SET detail = '{\"n\":99}' WHERE seq = 4")
    report = audit.verify(register.conn)
    assert not report.ok and report.first_broken == 4


def test_audit_verify_finds_a_removed_entry(register):
    for n in range(5):
        with register.transaction():
            register.audit("note", detail={"n": n})
    register.conn.execute("DROP TRIGGER audit_log_no_delete")
    register.conn.execute("DELETE FROM audit_log WHERE seq = 3")
    assert audit.verify(register.conn).first_broken == 4
