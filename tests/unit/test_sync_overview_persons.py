"""app/sync/overview.py and persons.py on real registers: the outbox, fork state, cross-point person pairs."""

from __future__ import annotations

import pytest

from app.core.errors import InvalidInput
from app.core.unit import make_unit
from app.store import clients
from app.store.register import create_register
from app.sync import export, identity, merge, overview, persons, receipts
from tests.conftest import PASSPHRASE, PERSON


def _register(tmp_path, role, code, name):
    register, _ = create_register(tmp_path / code, unit=make_unit(role, code, name), admin_login="admin",
                                  admin_full_name=PERSON, passphrase=PASSPHRASE)
    return register


def _client(register, name, year, sex="male", citizen=""):
    return clients.create(register, {"full_name": name, "sex": sex, "birth_year": year, "citizen_id": citizen,
                                     "intake_date": "2026-01-02", "main_group": "dependent"}).id


@pytest.fixture
def sites(tmp_path):
    district = _register(tmp_path, "district", "LX-CA", "Công an thành phố Long Xuyên")
    points = [_register(tmp_path, "point", code, name) for code, name in (
        ("MYHOA-01", "Điểm tư vấn xã Mỹ Hòa"), ("PHUTHANH-01", "Điểm tư vấn xã Phú Thạnh"))]
    for point in points:
        office, own = identity.own_identity(district), identity.own_identity(point)
        identity.pin(point, office, office.confirmation)
        identity.pin(district, own, own.confirmation)
    yield district, points, tmp_path
    for register in (district, *points):
        register.close()


def test_the_outbox_counts_what_is_not_acknowledged(sites):
    district, (point, _other), tmp_path = sites
    _client(point, "Nguyễn Văn Đức", 1990)
    before = overview.point_outbox(point.conn)
    assert before.offices == [("LX-CA", "Công an thành phố Long Xuyên")]
    assert before.pending["clients"] == 1 and before.receipt is None and before.last_sent is None
    bundle = export.export_bundles(point, tmp_path / "usb")[0]
    merge.import_bundle(district, bundle.path.read_bytes(), bundle.path.name)
    receipts.import_receipt(point, *_receipt(district, "MYHOA-01", tmp_path))
    after = overview.point_outbox(point.conn)
    assert after.pending == {} and after.changes == 0 and after.acknowledged == bundle.last_change
    assert after.receipt_bundle.seq == bundle.seq and after.last_sent.file_name == bundle.path.name


def _receipt(district, point_code, tmp_path):
    path = tmp_path / f"{point_code}.tvr"
    receipts.export_receipt(district, point_code, path)
    return path.read_bytes(), path.name


def test_trusted_keys_and_fork_state(sites):
    district, (point, _other), tmp_path = sites
    keys = overview.trusted_keys(district.conn)
    assert [(k.unit_code, k.role, k.active) for k in keys] == [("MYHOA-01", "point", True),
                                                               ("PHUTHANH-01", "point", True)]
    _client(point, "Nguyễn Văn Đức", 1990)
    first = export.export_bundles(point, tmp_path / "a")[0]
    merge.import_bundle(district, first.path.read_bytes(), first.path.name)
    point.conn.execute("DELETE FROM bundles_sent")
    again = export.export_bundles(point, tmp_path / "b")[0]
    plan = merge.plan_import(district, again.path.read_bytes(), again.path.name)
    assert plan.status == "fork"
    assert overview.fork_state(district.conn, "MYHOA-01", 1, plan.file_hash) == "none"
    with pytest.raises(merge.BundleRejected):
        merge.apply_import(district, plan)
    assert overview.fork_state(district.conn, "MYHOA-01", 1, plan.file_hash) == "open"


def test_pairs_across_points_and_decisions_that_leave_records_alone(sites):
    district, points, tmp_path = sites
    for point in points:
        _client(point, "Trần Văn Bình", 1988, citizen="089088001122")
        _client(point, "Lê Thị Thu Hà", 1995, sex="female")
        _client(point, "Lê Thị Thu Hà", 1996, sex="female")  # another birth year: not a pair across points
    _client(points[0], "Võ Văn Tám", 1970)
    _client(points[0], "Vo Van Tam", 1970)                      # same point: never a pair
    for point in points:
        for bundle in export.export_bundles(point, tmp_path / point.origin):
            merge.import_bundle(district, bundle.path.read_bytes(), bundle.path.name)
    pairs = persons.possible_same_persons(district.conn)
    found = sorted((p.reason, p.a["full_name"], p.a["birth_year"]) for p in pairs)
    assert found == [("citizen_id", "Trần Văn Bình", 1988), ("name_year_sex", "Lê Thị Thu Hà", 1995),
                     ("name_year_sex", "Lê Thị Thu Hà", 1996)]
    assert all(p.a["origin"] != p.b["origin"] and p.decision is None for p in pairs)

    before = district.conn.execute("SELECT id, version FROM clients ORDER BY id").fetchall()
    first = pairs[0]
    persons.decide(district, first.b["id"], first.a["id"], "same")  # either order names the same pair
    assert [p.decision for p in persons.possible_same_persons(district.conn) if p.key == first.key] == ["same"]
    assert first.key not in [p.key for p in persons.possible_same_persons(district.conn, include_decided=False)]
    persons.decide(district, *first.key, "different")
    assert district.conn.execute("SELECT decision FROM person_links").fetchall() == [("different",)]
    persons.decide(district, *first.key, None)
    assert district.conn.execute("SELECT count(*) FROM person_links").fetchone()[0] == 0
    assert district.conn.execute("SELECT id, version FROM clients ORDER BY id").fetchall() == before
    with pytest.raises(InvalidInput):
        persons.decide(district, *first.key, "maybe")
