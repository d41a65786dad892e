"""Two programs on one register: commands may share it, a second window is told, re-keying and
restoring wait for the register to be theirs alone, and a killed program leaves no lock behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.errors import RegisterBusy, RegisterInUse, RegisterInWindow
from app.core.i18n import set_language
from app.store import backup, register_folder, rekey
from app.store.register import unlock
from app.store.register_lock import claim_alone, claim_window, lock_path
from tests.conftest import PASSPHRASE, OtherProgram, run_cli

@pytest.fixture
def closed(register) -> Path:
    root = register.paths.root
    register.close()
    return root


def test_a_second_window_is_told_which_computer_has_the_register(closed):
    other = OtherProgram(closed, "window")
    try:
        with pytest.raises(RegisterInWindow) as refused:
            claim_window(closed)
        message = refused.value.message
        assert "đang được mở ở một cửa sổ Tư Vấn khác" in message and "thanh tác vụ" in message
        import socket

        assert socket.gethostname() in message and str(closed) in message
        set_language("en")
        assert "already open in another Tư Vấn window" in refused.value.message
    finally:
        other.end()
    claim_window(closed).release()  # free again once the other window closed


def test_commands_share_the_register_with_an_open_window(closed):
    other = OtherProgram(closed, "open")
    try:
        checked = run_cli("check", "--register", str(closed), env={"TUVAN_PASSPHRASE": PASSPHRASE})
        assert checked.returncode == 0, checked.stderr
        with unlock(closed, None, PASSPHRASE) as register:
            assert register.user.login == "admin"
    finally:
        other.end()


def test_rekey_waits_until_no_other_program_has_the_register_open(closed):
    slots_before = (closed / "keyslots.json").read_bytes()
    other = OtherProgram(closed, "open")
    try:
        register = unlock(closed, None, PASSPHRASE)
        with pytest.raises(RegisterInUse) as refused:
            rekey.rekey(register, PASSPHRASE)
        assert "Chưa có gì bị thay đổi" in refused.value.message
        register.close()
        assert (closed / "keyslots.json").read_bytes() == slots_before
        assert not register_folder.pending_path(register.paths).exists()
        cli = run_cli("rekey", "--register", str(closed), env={"TUVAN_PASSPHRASE": PASSPHRASE})
        assert cli.returncode == 1 and "đang được mở ở một cửa sổ hoặc một lệnh Tư Vấn khác" in cli.stderr
    finally:
        other.end(kill=True)  # a program that dies holds nothing
    with unlock(closed, None, PASSPHRASE) as register:
        rekey.rekey(register, PASSPHRASE)
    assert (closed / "keyslots.json").read_bytes() != slots_before


def test_restore_waits_until_no_other_program_has_the_register_open(closed, tmp_path):
    with unlock(closed, None, PASSPHRASE) as register:
        made = backup.backup_now(register)
    other = OtherProgram(closed, "open")
    try:
        with pytest.raises(RegisterInUse):
            backup.restore_backup(made, closed, None, PASSPHRASE)
        assert sorted(p.name for p in closed.parent.iterdir()) == sorted([closed.name, lock_path(closed).name])
    finally:
        other.end()
    restored = backup.restore_backup(made, closed, None, PASSPHRASE)
    assert restored.previous is not None and restored.previous.is_dir()


def test_nobody_opens_a_register_while_it_is_being_replaced(closed):
    other = OtherProgram(closed, "alone")
    try:
        with pytest.raises(RegisterBusy):
            unlock(closed, None, PASSPHRASE)
        refused = run_cli("check", "--register", str(closed), env={"TUVAN_PASSPHRASE": PASSPHRASE})
        assert refused.returncode == 1 and "đang được một chương trình Tư Vấn khác đổi khóa" in refused.stderr
    finally:
        other.end()
    with unlock(closed, None, PASSPHRASE):
        pass


def test_claims_inside_one_program_never_conflict(closed):
    with unlock(closed, None, PASSPHRASE) as first, unlock(closed, None, PASSPHRASE) as second:
        assert first.user.id == second.user.id
        window, again = claim_window(closed), claim_window(closed)
        with claim_alone(closed):
            pass
        window.release()
        again.release()
    other = OtherProgram(closed, "alone")  # everything was given back
    other.end()
