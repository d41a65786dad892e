"""Key slots: passphrases, recovery key, tampering, slow-down after failures."""

import json

import pytest

from app.core.errors import UnlockThrottled, WrongPassphrase, WrongRecoveryKey
from app.store.register import unlock, unlock_with_recovery_key
from app.store.throttle import UnlockThrottle, delay_after
from app.store.vault import FLOOR_MEMORY_KIB, KeySlotFile, calibrate
from tests.conftest import PASSPHRASE


def _close(new_register):
    register, recovery = new_register
    root = register.paths.root
    register.close()
    return root, recovery


def test_wrong_passphrase_and_unknown_user_are_refused_alike(new_register):
    root, _ = _close(new_register)
    for login, secret in (("admin", "not the passphrase"), ("nobody", PASSPHRASE)):
        with pytest.raises(WrongPassphrase) as info:
            unlock(root, login, secret)
        assert "Sai tên người dùng hoặc mật khẩu" in info.value.message


def test_recovery_key_opens_and_sets_a_new_passphrase(new_register):
    root, recovery = _close(new_register)
    with unlock_with_recovery_key(root, recovery.formatted(), "admin", "một mật khẩu mới tinh") as reg:
        assert reg.user.login == "admin"
    with pytest.raises(WrongPassphrase):
        unlock(root, "admin", PASSPHRASE)
    unlock(root, "admin", "một mật khẩu mới tinh").close()


def test_a_wrong_recovery_key_is_refused(new_register):
    from app.core.recovery_key import RecoveryKey

    root, _ = _close(new_register)
    with pytest.raises(WrongRecoveryKey):
        unlock_with_recovery_key(root, RecoveryKey.generate().formatted(), "admin", "một mật khẩu mới tinh")


@pytest.mark.parametrize("field, value", [
    ("iterations", 1), ("memory_kib", FLOOR_MEMORY_KIB + 1024), ("lanes", 2),
])
def test_a_slot_with_edited_parameters_does_not_open(new_register, field, value):
    root, _ = _close(new_register)
    path = root / "keyslots.json"
    raw = json.loads(path.read_text())
    slot = next(s for s in raw["slots"] if s["kind"] == "user")
    slot["kdf"][field] = value
    path.write_text(json.dumps(raw))
    with pytest.raises(WrongPassphrase):
        unlock(root, "admin", PASSPHRASE)


def test_a_slot_copied_to_another_register_id_does_not_open(new_register):
    root, _ = _close(new_register)
    path = root / "keyslots.json"
    raw = json.loads(path.read_text())
    raw["register_id"] = "01900000-0000-7000-8000-000000000000"
    path.write_text(json.dumps(raw))
    with pytest.raises(WrongPassphrase):
        unlock(root, "admin", PASSPHRASE)


def test_slot_file_names_no_user(new_register):
    register, _ = new_register
    text = register.paths.slots.read_text()
    assert "admin" not in text.replace('"admin": true', "").replace('"admin": false', "")
    slots = KeySlotFile.load(register.paths.slots)
    assert {s.kind for s in slots.slots} == {"user", "recovery"}


def test_calibration_reaches_the_target_and_never_goes_below_the_floor():
    import time

    params = calibrate(0.2)
    assert params.memory_kib >= FLOOR_MEMORY_KIB and params.iterations >= 2
    started = time.perf_counter()
    params.derive(b"x")
    assert time.perf_counter() - started > 0.05
    floor = calibrate(0)
    assert (floor.memory_kib, floor.iterations, floor.lanes) == (FLOOR_MEMORY_KIB, 2, 1)


def test_failed_unlocks_slow_down_and_success_resets(new_register):
    root, _ = _close(new_register)
    for _ in range(3):
        with pytest.raises(WrongPassphrase):
            unlock(root, "admin", "wrong wrong wrong")
    with pytest.raises(UnlockThrottled) as info:
        unlock(root, "admin", PASSPHRASE)  # even the right passphrase waits
    assert "giây" in info.value.message
    now = [1000.0]
    throttle = UnlockThrottle(root / "unlock-state.json", clock=lambda: now[0])
    throttle.succeeded()
    unlock(root, "admin", PASSPHRASE).close()


def test_delays_grow_and_are_capped():
    assert [delay_after(n) for n in range(6)] == [0, 0, 0, 2, 4, 8]
    assert delay_after(100) == 300


def test_throttle_waits_out(tmp_path):
    now = [0.0]
    throttle = UnlockThrottle(tmp_path / "t.json", clock=lambda: now[0])
    for _ in range(4):
        throttle.failed()
    assert throttle.seconds_left() == 4
    now[0] += 4
    throttle.check()
