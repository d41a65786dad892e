"""Sync bundles between real encrypted registers: round trip, idempotence, rejections, gaps, receipts."""

from __future__ import annotations

import pytest

from app.core.unit import make_unit
from app.reports.engine import compute
from app.reports.form_file import default_form
from app.reports.period import Month
from app.demo import writer as demo
from app.store import contacts
from app.store.register import create_register
from app.store.records import SYNCED_TABLES
from app.sync import chain, container, export, identity, merge, quarantine, receipts
from app.sync.container import BundleRejected
from tests.conftest import PASSPHRASE, create_office_register


def _register(tmp_path, role, code, name):
    register, _ = create_register(tmp_path / code, unit=make_unit(role, code, name), admin_login="admin",
                                  admin_full_name="Quản Trị Viên", passphrase=PASSPHRASE)
    return register


def _enroll(point, district):
    """Both sides exchange key files and confirm the fingerprint (as read aloud)."""
    district_id = identity.own_identity(district)
    identity.pin(point, identity.identity_from_bytes(district_id.to_bytes()), district_id.confirmation.lower())
    point_id = identity.own_identity(point)
    identity.pin(district, identity.identity_from_bytes(point_id.to_bytes()), point_id.confirmation.replace(" ", "-"))


@pytest.fixture
def sites(tmp_path, office_engine):
    district = create_office_register(tmp_path / "LX-CA", "LX-CA", "Công an thành phố Long Xuyên", office_engine)
    points = []
    for code, name, seed in (("MYHOA-01", "Điểm tư vấn xã Mỹ Hòa", 1), ("PHUTHANH-01", "Điểm tư vấn xã Phú Thạnh", 2)):
        point = _register(tmp_path, "point", code, name)
        demo.fill(point, clients=30, months=3, seed=seed)
        _enroll(point, district)
        points.append(point)
    yield district, points, tmp_path
    for register in (district, *points):
        register.close()


def _counts(register, origin=None):
    where = " WHERE origin = ?" if origin else ""
    return {t: register.conn.execute(f"SELECT count(*) FROM {t}{where}", (origin,) if origin else ()).fetchone()[0]
            for t in SYNCED_TABLES}


def _export(point, tmp_path):
    return export.export_bundles(point, tmp_path / "usb" / point.origin)


def test_round_trip_every_record_arrives_and_forms_add_up(sites):
    district, points, tmp_path = sites
    for point in points:
        for bundle in _export(point, tmp_path):
            plan = merge.plan_import(district, bundle.path.read_bytes(), bundle.path.name)
            assert plan.rejected == 0 and plan.status == "new"
            assert plan.totals().new == sum(bundle.counts.values())
            result = merge.apply_import(district, plan)
            assert result.applied
    for point in points:
        assert _counts(district, point.origin) == _counts(point)
    month = Month.of(__import__("datetime").date.today())
    total = compute(district.conn, default_form(), month)
    parts = [compute(p.conn, default_form(), month) for p in points]
    for row in default_form().rows():
        for column in row.cells:
            assert total.value(row.code, column) == sum(p.value(row.code, column) for p in parts), (row.code, column)
    assert district.conn.execute("SELECT count(*) FROM client_search").fetchone()[0] == sum(
        _counts(p)["clients"] for p in points) - district.conn.execute(
        "SELECT count(*) FROM clients WHERE deleted = 1").fetchone()[0]


def test_reimport_in_any_order_changes_nothing(sites):
    district, points, tmp_path = sites
    files = [b.path for p in points for b in _export(p, tmp_path)]
    for path in files:
        merge.import_bundle(district, path.read_bytes(), path.name)
    before = _counts(district)
    changes = district.conn.execute("SELECT max(change_no) FROM change_log").fetchone()[0]
    for path in reversed(files):
        result = merge.import_bundle(district, path.read_bytes(), path.name)
        assert result.message_key == "already_imported" and not result.applied
    assert _counts(district) == before
    assert district.conn.execute("SELECT max(change_no) FROM change_log").fetchone()[0] == changes


def test_dry_run_writes_nothing(sites):
    district, points, tmp_path = sites
    bundle = _export(points[0], tmp_path)[0]
    before = _counts(district)
    plan = merge.import_bundle(district, bundle.path.read_bytes(), bundle.path.name, dry_run=True)
    assert plan.totals().new > 0 and _counts(district) == before


def test_later_exports_resend_until_a_receipt_arrives(sites):
    district, points, tmp_path = sites
    point = points[0]
    first = _export(point, tmp_path)[0]
    from app.store import contacts

    client = point.conn.execute("SELECT id FROM clients LIMIT 1").fetchone()[0]
    contacts.add(point, {"kind": "phone", "client_id": client, "contact_date": "2026-01-05"})
    second = _export(point, tmp_path)[0]
    assert second.first_change == 1 and second.seq == 2 and second.last_change > first.last_change
    for bundle in (first, second):
        merge.import_bundle(district, bundle.path.read_bytes(), bundle.path.name)
    receipt_file = tmp_path / "receipt.tvr"
    issued = receipts.export_receipt(district, point.origin, receipt_file)
    assert issued.upto_change == second.last_change
    got = receipts.import_receipt(point, receipt_file.read_bytes(), receipt_file.name)
    assert got.upto_change == second.last_change
    with pytest.raises(export.NothingToExport):
        _export(point, tmp_path)
    contacts.add(point, {"kind": "phone", "client_id": client, "contact_date": "2026-01-06"})
    third = _export(point, tmp_path)[0]
    assert third.first_change == second.last_change + 1 and sum(third.counts.values()) == 1


def test_a_missing_bundle_is_a_gap_until_it_arrives(sites):
    district, points, tmp_path = sites
    point = points[0]
    from app.store import contacts

    client = point.conn.execute("SELECT id FROM clients LIMIT 1").fetchone()[0]
    made = []
    for n in range(4):
        made.append(_export(point, tmp_path)[0])
        contacts.add(point, {"kind": "phone", "client_id": client, "contact_date": f"2026-01-0{n + 1}"})
    for index in (0, 1, 3):
        merge.import_bundle(district, made[index].path.read_bytes(), made[index].path.name)
    assert chain.chain_of(district.conn, point.origin).missing_bundles == [3]
    merge.import_bundle(district, made[2].path.read_bytes(), made[2].path.name)
    assert chain.chain_of(district.conn, point.origin).missing_bundles == []


def _mutate(data: bytes, position: int) -> bytes:
    changed = bytearray(data)
    changed[position] ^= 0x01
    return bytes(changed)


def test_flipped_bits_truncation_and_strangers_are_rejected_without_change(sites):
    district, points, tmp_path = sites
    bundle = _export(points[0], tmp_path)[0]
    data = bundle.path.read_bytes()
    before = _counts(district)
    positions = sorted({0, 5, 9, 12, 40, 100, 400, len(data) // 3, len(data) // 2, len(data) - 200, len(data) - 1}
                       | set(range(0, len(data), max(1, len(data) // 300))))
    for position in positions:
        with pytest.raises(BundleRejected):
            merge.import_bundle(district, _mutate(data, position), "flipped.tvb")
    for cut in (10, 100, len(data) // 2, len(data) - 1):
        with pytest.raises(BundleRejected) as info:
            merge.import_bundle(district, data[:cut], "cut.tvb")
    assert "cắt" in info.value.message or "truncated" in info.value.message or "hỏng" in info.value.message
    assert _counts(district) == before


def test_unpinned_signer_other_district_and_foreign_origin_are_rejected(sites):
    district, points, tmp_path = sites
    stranger = _register(tmp_path, "point", "LA-01", "Điểm lạ")
    demo.fill(stranger, clients=20, months=2, seed=9)
    identity.pin(stranger, identity.own_identity(district), identity.own_identity(district).confirmation)
    bundle = _export(stranger, tmp_path)[0]
    with pytest.raises(BundleRejected) as info:
        merge.import_bundle(district, bundle.path.read_bytes(), bundle.path.name)
    assert "tin cậy" in info.value.message
    other = _register(tmp_path, "district", "KHAC-CA", "Công an nơi khác")
    _enroll(points[0], other)
    _enroll(points[0], district)
    # A point that trusts only the other district: its bundle is not for us.
    lone = _register(tmp_path, "point", "LE-01", "Điểm chỉ gửi nơi khác")
    demo.fill(lone, clients=20, months=2, seed=5)
    _enroll(lone, other)
    lone_id = identity.own_identity(lone)
    identity.pin(district, lone_id, lone_id.confirmation)
    wrong = _export(lone, tmp_path)[0]
    with pytest.raises(BundleRejected) as info:
        merge.import_bundle(district, wrong.path.read_bytes(), wrong.path.name)
    assert "cơ quan khác" in info.value.message
    stranger.close()
    other.close()
    lone.close()


def test_a_record_of_another_point_is_held_back_and_the_rest_imported(sites):
    district, points, tmp_path = sites
    mine, theirs = points
    # The Mỹ Hòa point writes a record claiming Phú Thạnh as its origin (a forged or buggy sender).
    mine.conn.execute("UPDATE contacts SET origin = 'PHUTHANH-01', version = version + 1 WHERE seq = 1")
    forged = mine.conn.execute("SELECT id FROM contacts WHERE seq = 1").fetchone()[0]
    bundle = _export(mine, tmp_path)[0]
    plan = merge.plan_import(district, bundle.path.read_bytes(), bundle.path.name)
    assert plan.rejected == 1 and "PHUTHANH-01" in plan.problems[0]
    assert merge.apply_import(district, plan).applied
    # Everything else arrived; the forged record did not, under either code.
    assert _counts(district, "MYHOA-01")["contacts"] == _counts(mine)["contacts"] - 1
    assert _counts(district, "PHUTHANH-01")["contacts"] == 0
    (held,) = quarantine.held(district.conn)
    assert (held.sender, held.refusal.record_id, held.refusal.field) == ("MYHOA-01", forged, "origin")


def test_a_key_change_is_followed_when_signed_by_the_old_key(sites):
    district, points, tmp_path = sites
    point = points[0]
    old = identity.own_keys(point).fingerprint
    identity.rotate_keys(point)
    assert identity.own_keys(point).fingerprint != old
    bundle = _export(point, tmp_path)[0]
    result = merge.import_bundle(district, bundle.path.read_bytes(), bundle.path.name)
    assert result.applied
    assert identity.trusted(district.conn, identity.own_keys(point).fingerprint, include_inactive=False)
    assert identity.trusted(district.conn, old, include_inactive=False) is None


def test_fork_alarm_when_a_number_comes_back_with_other_contents(sites):
    district, points, tmp_path = sites
    point = points[0]
    first = _export(point, tmp_path)[0]
    merge.import_bundle(district, first.path.read_bytes(), first.path.name)
    point.conn.execute("DELETE FROM bundles_sent")  # as if restored from a backup made before the export
    again = _export(point, tmp_path)[0]
    assert again.seq == first.seq
    with pytest.raises(BundleRejected):
        merge.import_bundle(district, again.path.read_bytes(), again.path.name)
    assert chain.chain_of(district.conn, point.origin).open_alarms
    result = merge.import_bundle(district, again.path.read_bytes(), again.path.name, accept_fork=True)
    assert result.applied and not chain.chain_of(district.conn, point.origin).open_alarms


def test_wrong_fingerprint_is_not_pinned(sites):
    district, points, tmp_path = sites
    lone = _register(tmp_path, "point", "MOI-01", "Điểm mới")
    with pytest.raises(identity.FingerprintMismatch):
        identity.pin(district, identity.own_identity(lone), "AAAA BBBB CCCC DDDD EEEE FFFF GGGG HHHH")
    assert identity.trusted(district.conn, identity.own_identity(lone).fingerprint) is None
    lone.close()


def test_one_active_key_per_unit_and_retired_keys_stay_retired(sites):
    district, points, tmp_path = sites
    impostor = _register(tmp_path / "x", "point", "MYHOA-01", "Điểm giả mạo")  # claims Mỹ Hòa's code
    fake = identity.own_identity(impostor)
    with pytest.raises(identity.UnitAlreadyTrusted):
        identity.pin(district, fake, fake.confirmation)
    real = identity.trusted_list(district.conn, "point")[0]
    identity.untrust(district, real.fingerprint)
    with pytest.raises(identity.KeyRetired):
        identity.pin(district, real, real.confirmation)
    identity.pin(district, fake, fake.confirmation)  # after the officer removed the old key on purpose
    impostor.close()


def _contact(point, note):
    client = point.conn.execute("SELECT id FROM clients LIMIT 1").fetchone()[0]
    contacts.add(point, {"kind": "phone", "client_id": client, "contact_date": "2026-01-02", "notes": note})


def test_a_chain_alarm_when_a_bundle_does_not_follow_the_one_before(sites):
    """Every number arrives once, but bundle 3 was made by a copy of the point that split off after
    bundle 1 (restored from a backup): 3 names a bundle 2 the district never saw."""
    district, points, tmp_path = sites
    point = points[0]
    (one,) = export.export_bundles(point, tmp_path / "a")
    _contact(point, "bản gốc")
    (two,) = export.export_bundles(point, tmp_path / "b")
    point.conn.execute("DELETE FROM bundles_sent WHERE seq = 2")  # the copy restored after bundle 1
    _contact(point, "bản sao")
    (two_copy,) = export.export_bundles(point, tmp_path / "c")
    _contact(point, "bản sao, lần hai")
    (three_copy,) = export.export_bundles(point, tmp_path / "d")
    assert (one.seq, two.seq, two_copy.seq, three_copy.seq) == (1, 2, 2, 3)

    # 3 before 2: the alarm is raised when 2 arrives and does not match what 3 names.
    for bundle in (one, three_copy):
        assert merge.import_bundle(district, bundle.path.read_bytes(), bundle.path.name).applied
    assert chain.chain_of(district.conn, point.origin).open_alarms == []
    assert merge.import_bundle(district, two.path.read_bytes(), two.path.name).applied  # the data is kept
    alarms = chain.chain_of(district.conn, point.origin).open_alarms
    assert [(a["seq"], a["kind"]) for a in alarms] == [(3, "chain")]
    assert chain.chain_of(district.conn, point.origin).missing_bundles == []
    # Importing again raises nothing new; acknowledging clears it.
    merge.import_bundle(district, two.path.read_bytes(), two.path.name)
    assert len(chain.chain_of(district.conn, point.origin).open_alarms) == 1
    chain.acknowledge_alarm(district, point.origin, 3)
    assert chain.chain_of(district.conn, point.origin).open_alarms == []


def test_an_unbroken_chain_raises_nothing_in_any_order(sites):
    district, points, tmp_path = sites
    point = points[0]
    made = []
    for n in range(3):
        _contact(point, f"lần {n}")
        made += export.export_bundles(point, tmp_path / f"e{n}")
    for bundle in reversed(made):
        merge.import_bundle(district, bundle.path.read_bytes(), bundle.path.name)
    assert chain.chain_of(district.conn, point.origin).open_alarms == []


def test_a_large_export_is_split_into_chained_parts_that_each_fit(sites, monkeypatch):
    """Parts are cut while records stream in (the compressed size is estimated on the way); each part
    is a contiguous range of changes, chained to the one before, and together they carry everything."""
    district, (point, _other), tmp_path = sites
    contacts.edit(point, point.conn.execute("SELECT id FROM contacts LIMIT 1").fetchone()[0], {"notes": "sửa lại"})
    monkeypatch.setattr(export, "SPLIT_BYTES", 4_000)
    made = _export(point, tmp_path)
    assert len(made) >= 3
    assert made[0].first_change == 1 and made[-1].last_change == point.conn.execute(
        "SELECT max(change_no) FROM change_log").fetchone()[0]
    for before, after in zip(made, made[1:]):
        assert after.first_change == before.last_change + 1 and after.seq == before.seq + 1
    assert sum(sum(b.counts.values()) for b in made) == sum(_counts(point).values())   # each record once
    for bundle in made:
        header = container.read(bundle.path.read_bytes(), bundle.path.name).header
        assert header["payload"]["length"] < 3 * 4_000      # cut near the estimate (checked every 64 records)
        assert merge.import_bundle(district, bundle.path.read_bytes(), bundle.path.name).applied
    assert _counts(district, point.origin) == _counts(point)
    assert district.conn.execute("SELECT notes FROM contacts WHERE notes = ?", ("sửa lại",)).fetchone()  # sealed on a server: by parameter
    found = chain.chain_of(district.conn, point.origin)
    assert found.missing_bundles == [] and found.open_alarms == [] and found.contiguous_upto == made[-1].last_change
