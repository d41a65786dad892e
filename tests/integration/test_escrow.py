"""The escrow slot: a point allows its receiving office to help when every passphrase is lost."""

import shutil

import pytest

from app.core.errors import WrongPassphrase
from app.core.unit import make_unit
from app.store import clients, rekey
from app.store.register import create_register, unlock
from app.store.register_folder import SLOTS_NAME
from app.sync import escrow, identity
from tests.conftest import PASSPHRASE, create_office_register

TEMPORARY = "mật khẩu tạm do huyện đặt"


def _register(root, role, code, name):
    register, _ = create_register(root, unit=make_unit(role, code, name), admin_login="admin",
                                  admin_full_name="Quản Trị", passphrase=PASSPHRASE)
    return register


def _pin(a, b):
    other = identity.own_identity(b)
    identity.pin(a, other, other.confirmation)


@pytest.fixture
def offices(tmp_path, office_engine):
    point = _register(tmp_path / "point", "point", "MYHOA-01", "Điểm tư vấn xã Mỹ Hòa")
    district = create_office_register(tmp_path / "district", "LX-CA", "Công an Long Xuyên", office_engine,
                                      full_name="Quản Trị")
    _pin(point, district)
    _pin(district, point)
    clients.create(point, {"full_name": "Nguyễn Văn Đức", "sex": "male", "birth_year": 1990,
                           "intake_date": "2026-10-01", "main_group": "dependent"})
    yield point, district
    for register in (point, district):
        register.close()


def _lose_every_passphrase(point, usb):
    """The point's administrator closes the register; its key-slot file goes to the office on a USB stick."""
    root = point.paths.root
    point.close()
    usb.mkdir(exist_ok=True)
    shutil.copy(root / SLOTS_NAME, usb / SLOTS_NAME)
    return root


def test_the_office_gives_the_points_administrator_a_temporary_passphrase(offices, tmp_path):
    point, district = offices
    allowed = escrow.allow(point)
    assert [o.unit_code for o in allowed] == ["LX-CA"]
    assert [o.unit_code for o in escrow.offices(point)] == ["LX-CA"]
    root = _lose_every_passphrase(point, tmp_path / "usb")

    result = escrow.rescue(district, tmp_path / "usb" / SLOTS_NAME, TEMPORARY)
    assert result.unit_code == "MYHOA-01"
    assert district.conn.execute("SELECT count(*) FROM audit_log WHERE action = 'escrow.rescue'").fetchone()[0] == 1
    shutil.copy(tmp_path / "usb" / SLOTS_NAME, root / SLOTS_NAME)
    with pytest.raises(WrongPassphrase):
        unlock(root, "admin", PASSPHRASE)  # the forgotten passphrase's slot was replaced
    with unlock(root, "admin", TEMPORARY) as again:
        assert again.db["clients"].count == 1 and again.user.login == "admin"


def test_another_office_cannot_open_it_and_changes_nothing(offices, tmp_path):
    point, _district = offices
    stranger = _register(tmp_path / "other", "district", "CT-CA", "Công an Châu Thành")
    escrow.allow(point)
    _lose_every_passphrase(point, tmp_path / "usb")
    before = (tmp_path / "usb" / SLOTS_NAME).read_bytes()
    with pytest.raises(escrow.EscrowNotForThisOffice) as info:
        escrow.rescue(stranger, tmp_path / "usb" / SLOTS_NAME, TEMPORARY)
    assert "Không có gì bị thay đổi" in info.value.message or "Nothing was changed" in info.value.message
    assert (tmp_path / "usb" / SLOTS_NAME).read_bytes() == before
    stranger.close()


def test_withdrawn_escrow_no_longer_helps(offices, tmp_path):
    point, district = offices
    escrow.allow(point)
    escrow.withdraw(point)
    assert escrow.offices(point) == []
    _lose_every_passphrase(point, tmp_path / "usb")
    with pytest.raises(escrow.EscrowNotForThisOffice):
        escrow.rescue(district, tmp_path / "usb" / SLOTS_NAME, TEMPORARY)


def test_escrow_needs_a_trusted_office_and_a_point(tmp_path, offices):
    lone = _register(tmp_path / "lone", "point", "LONE-01", "Điểm lẻ")
    with pytest.raises(escrow.NoOfficeTrusted):
        escrow.allow(lone)
    lone.close()
    point, district = offices
    with pytest.raises(escrow.EscrowPointsOnly):
        escrow.allow(district)
    with pytest.raises(escrow.EscrowOfficesOnly):
        escrow.rescue(point, point.paths.slots, TEMPORARY)


def test_a_rekey_seals_the_escrow_again_for_the_same_office(offices, tmp_path):
    point, district = offices
    escrow.allow(point)
    root = point.paths.root
    rekey.rekey(point, PASSPHRASE)
    point = unlock(root, "admin", PASSPHRASE)
    assert [o.unit_code for o in escrow.offices(point)] == ["LX-CA"]
    _lose_every_passphrase(point, tmp_path / "usb")
    escrow.rescue(district, tmp_path / "usb" / SLOTS_NAME, TEMPORARY)
    shutil.copy(tmp_path / "usb" / SLOTS_NAME, root / SLOTS_NAME)
    with unlock(root, "admin", TEMPORARY) as again:
        assert again.db["clients"].count == 1


def test_the_escrow_commands(offices, tmp_path):
    import json

    from tests.conftest import run_cli

    point, district = offices
    point_root, district_root = point.paths.root, district.paths.root
    point.close()
    district.close()
    env = {"TUVAN_PASSPHRASE": PASSPHRASE}
    shown = run_cli("escrow", "show", "--register", str(point_root), env=env)
    assert shown.returncode == 0 and "tuvan escrow allow" in shown.stdout
    allowed = run_cli("escrow", "allow", "--register", str(point_root), "--json", env=env)
    assert allowed.returncode == 0, allowed.stderr
    assert json.loads(allowed.stdout) == {"offices": ["LX-CA"]}
    usb = tmp_path / "usb"
    usb.mkdir()
    shutil.copy(point_root / SLOTS_NAME, usb / SLOTS_NAME)
    rescued = run_cli("escrow", "rescue", "--register", str(district_root), "--slots", str(usb / SLOTS_NAME),
                      env={**env, "TUVAN_NEW_PASSPHRASE": TEMPORARY})
    assert rescued.returncode == 0, rescued.stderr
    assert "MYHOA-01" in rescued.stdout
    shutil.copy(usb / SLOTS_NAME, point_root / SLOTS_NAME)
    unlock(point_root, "admin", TEMPORARY).close()
    # The point cannot rescue, the office cannot allow: one line each, exit 1.
    wrong = run_cli("escrow", "allow", "--register", str(district_root), env=env)
    assert wrong.returncode == 1 and len(wrong.stderr.strip().splitlines()) == 1
