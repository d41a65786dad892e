"""Relay (docs/design.md §4): a district passes its merged records on to a higher office.

Two points send bundles to the district; the district exports one bundle signed
with its own key; the higher office (also a "district" register) accepts the
records only for the units an officer there assigned to that district
(app/sync/relay.py). The district's key file only claims them; its version 2
fingerprint covers the claim. Relay goes to any depth, with the units' names.
"""

from __future__ import annotations

import datetime

import pytest

from app.core.unit import make_unit
from app.reports.engine import compute, compute_district
from app.reports.form_file import default_form
from app.reports.period import Month
from app.demo import writer as demo
from app.store import clients, contacts
from app.store.register import create_register
from app.store.records import SYNCED_TABLES
from app.sync import chain, export, identity, merge, quarantine, receipts, relay
from tests.conftest import PASSPHRASE, create_office_register


def _register(tmp_path, role, code, name):
    register, _ = create_register(tmp_path / code, unit=make_unit(role, code, name), admin_login="admin",
                                  admin_full_name="Quản Trị Viên", passphrase=PASSPHRASE)
    return register


def _pin(receiver, sender, **how):
    """The receiver pins the sender's key file after comparing the fingerprint read aloud."""
    key_file = identity.own_identity(sender).to_bytes()
    spoken = identity.own_identity(sender).confirmation.lower()
    return identity.pin(receiver, identity.identity_from_bytes(key_file), spoken, **how)


def _send(sender, receiver, folder):
    """Export everything the receiver has not acknowledged and import it; the exported bundles."""
    made = export.export_bundles(sender, folder)
    for bundle in made:
        plan = merge.plan_import(receiver, bundle.path.read_bytes(), bundle.path.name)
        assert plan.rejected == 0, plan.problems
        assert merge.apply_import(receiver, plan).applied
    return made


def _records(register, origin=None):
    """{table: {(id, version)}} of the synced records (of one origin)."""
    where = " WHERE origin = ?" if origin else ""
    return {t: set(register.conn.execute(f"SELECT id, version FROM {t}{where}", (origin,) if origin else ()))
            for t in SYNCED_TABLES}


def _origins(register):
    return {row[0] for t in SYNCED_TABLES for row in register.conn.execute(f"SELECT DISTINCT origin FROM {t}")}


@pytest.fixture
def offices(tmp_path, office_engine):
    """Two points enrolled under the district LX-CA; the province office AG-CA above it (both on
    the engine of the run: register files, or the PostgreSQL server)."""
    district = create_office_register(tmp_path / "LX-CA", "LX-CA", "Công an thành phố Long Xuyên", office_engine)
    province = create_office_register(tmp_path / "AG-CA", "AG-CA", "Công an tỉnh An Giang", office_engine)
    points = []
    for code, name, seed in (("MYHOA-01", "Điểm tư vấn xã Mỹ Hòa", 11),
                             ("PHUTHANH-01", "Điểm tư vấn xã Phú Thạnh", 12)):
        point = _register(tmp_path, "point", code, name)
        demo.fill(point, clients=24, months=3, seed=seed)
        _pin(point, district)
        _pin(district, point)
        points.append(point)
    _pin(district, province)            # the district seals its relay bundles to the province
    pinned = _pin(province, district, sends_here=True)   # its key file claims the district's points …
    assert pinned.points == ("MYHOA-01", "PHUTHANH-01")
    relay.assign(province, "LX-CA", list(pinned.points))  # … which the province's officer confirms
    yield district, province, points, tmp_path
    for register in (district, province, *points):
        register.close()


def test_records_of_two_points_reach_the_higher_office_with_their_origin(offices):
    district, province, points, tmp_path = offices
    for point in points:
        _send(point, district, tmp_path / "usb" / point.origin)
    relayed = _send(district, province, tmp_path / "relay")
    assert relayed[0].first_change == 1
    assert sum(sum(b.counts.values()) for b in relayed) == sum(len(rows) for rows in _records(district).values())

    # Every record arrived unchanged (same id and version), under the point that made it.
    assert _origins(province) == {"MYHOA-01", "PHUTHANH-01"}
    for point in points:
        assert _records(province, point.origin) == _records(point)
    assert _records(province) == _records(district)

    # The province's district form: the right numbers for each point, and the total.
    form = default_form()
    today = datetime.date.today()
    for month in (Month.of(today), Month.of(today.replace(day=1) - datetime.timedelta(days=1))):
        result = compute_district(province.conn, form, month)
        assert set(result.by_point) == {"MYHOA-01", "PHUTHANH-01"}
        for point in points:
            assert result.by_point[point.origin] == compute(point.conn, form, month).values, (point.origin, month)
        assert result.values == compute(district.conn, form, month).values

    # The province receipts the district; the next relay carries only what changed since.
    receipt_file = tmp_path / "province.tvr"
    issued = receipts.export_receipt(province, district.origin, receipt_file)
    assert issued.upto_change == relayed[-1].last_change
    receipts.import_receipt(district, receipt_file.read_bytes(), receipt_file.name)
    with pytest.raises(export.NothingToExport):
        export.export_bundles(district, tmp_path / "relay")

    point = points[0]
    client = point.conn.execute("SELECT id FROM clients WHERE deleted = 0 ORDER BY seq LIMIT 1").fetchone()[0]
    clients.edit(point, client, {"phone": "0912 345 678"})
    contacts.add(point, {"kind": "phone", "client_id": client, "contact_date": today.isoformat()})
    _send(point, district, tmp_path / "usb" / point.origin)
    again = export.export_bundles(district, tmp_path / "relay")
    assert [b.first_change for b in again] == [issued.upto_change + 1]
    assert again[0].counts == {"clients": 1, "contacts": 1}
    plan = merge.plan_import(province, again[0].path.read_bytes(), again[0].path.name)
    assert (plan.totals().new, plan.totals().updated, plan.rejected) == (1, 1, 0)
    merge.apply_import(province, plan)
    assert province.conn.execute("SELECT phone, origin FROM clients WHERE id = ?", (client,)).fetchone() == (
        "0912 345 678", point.origin)
    assert _records(province, point.origin) == _records(point)

    # Importing the relay bundles again changes nothing.
    before = _records(province)
    for bundle in (*relayed, *again):
        result = merge.import_bundle(province, bundle.path.read_bytes(), bundle.path.name)
        assert result.message_key == "already_imported"
    assert _records(province) == before


def test_records_of_a_point_not_enrolled_under_the_district_are_rejected(offices):
    district, province, points, tmp_path = offices
    # A point enrolled at the district after the province pinned the district's key file.
    late = _register(tmp_path, "point", "MYTHOI-01", "Điểm tư vấn xã Mỹ Thới")
    demo.fill(late, clients=20, months=2, seed=13)
    _pin(late, district)
    _pin(district, late)
    for point in (*points, late):
        _send(point, district, tmp_path / "usb" / point.origin)

    bundle = export.export_bundles(district, tmp_path / "relay")[0]
    data = bundle.path.read_bytes()
    plan = merge.plan_import(province, data, bundle.path.name)
    late_records = sum(len(rows) for rows in _records(late).values())
    assert plan.rejected == late_records
    assert plan.problems and all("MYTHOI-01" in problem for problem in plan.problems)
    # The enrolled points' records are imported; the late point's are held back, not lost.
    assert merge.apply_import(province, plan).applied
    assert _origins(province) == {"MYHOA-01", "PHUTHANH-01"}
    assert len(quarantine.held(province.conn, "LX-CA")) == late_records

    # The district sends its refreshed key file. Its fingerprint covers the point list, so it changed:
    # the province compares it again. The new point is only claimed: its records stay held …
    before = identity.trusted(province.conn, identity.own_keys(district).fingerprint).confirmation
    refreshed = _pin(province, district, sends_here=True)
    assert refreshed.points == ("MYHOA-01", "MYTHOI-01", "PHUTHANH-01") and refreshed.confirmation != before
    assert merge.retry_held(province, "LX-CA").applied == 0
    assert [c.point for c in relay.claims(province.conn) if c.assigned_to is None] == ["MYTHOI-01"]
    # … until the officer confirms that MYTHOI-01 belongs to LX-CA; then they pass.
    assert relay.assign(province, "LX-CA", ["MYTHOI-01"]) == {"MYTHOI-01": None}
    retried = merge.retry_held(province, "LX-CA")
    assert (retried.applied, retried.still_held) == (late_records, 0)
    assert _records(province, "MYTHOI-01") == _records(late)
    assert merge.import_bundle(province, data, bundle.path.name).message_key == "already_imported"

    # A record the district holds under a code that is none of its points (forged or damaged) is refused.
    district.conn.execute("UPDATE contacts SET origin = 'KHAC-01', version = version + 1"
                          " WHERE seq = (SELECT min(seq) FROM contacts)")
    forged = export.export_bundles(district, tmp_path / "relay")[0]
    plan = merge.plan_import(province, forged.path.read_bytes(), forged.path.name)
    assert plan.rejected == 1 and "KHAC-01" in plan.problems[0]
    assert merge.apply_import(province, plan).applied
    assert "KHAC-01" not in _origins(province)
    late.close()


def test_a_point_cannot_relay_even_if_its_key_file_lists_points(offices):
    district, province, points, tmp_path = offices
    # A point's key file edited to claim another point: the fingerprint the point reads aloud does
    # not match it (version 2 covers the point list) …
    point = points[0]
    claimed = identity.own_identity(point)
    forged = identity.Identity(claimed.role, claimed.unit_code, claimed.unit_name, claimed.register_id,
                               claimed.sign_public, claimed.enc_public, ("PHUTHANH-01",))
    with pytest.raises(identity.FingerprintMismatch):
        identity.pin(province, identity.identity_from_bytes(forged.to_bytes()), claimed.confirmation)
    # … and even confirmed as it is, a point's key never relays: units cannot be assigned to it.
    identity.pin(province, identity.identity_from_bytes(forged.to_bytes()), forged.confirmation)
    with pytest.raises(relay.NotAnOffice):
        relay.assign(province, "MYHOA-01", ["PHUTHANH-01"])
    _pin(point, province)
    point.conn.execute("UPDATE contacts SET origin = 'PHUTHANH-01', version = version + 1"
                       " WHERE seq = (SELECT min(seq) FROM contacts)")
    bundle = export.export_bundles(point, tmp_path / "usb")[0]
    plan = merge.plan_import(province, bundle.path.read_bytes(), bundle.path.name)
    assert plan.rejected == 1 and "PHUTHANH-01" in plan.problems[0]
    assert merge.apply_import(province, plan).applied
    assert _origins(province) == {"MYHOA-01"}


def test_two_offices_claiming_one_point_is_shown_and_only_the_assigned_one_is_accepted(offices):
    district, province, points, tmp_path = offices
    for point in points:
        _send(point, district, tmp_path / "usb" / point.origin)
    # A second office claims MYHOA-01 too (a copied register, or a point that moved): it trusts the
    # point's key and relays its records.
    rival = _register(tmp_path, "district", "CT-CA", "Công an huyện Châu Thành")
    _pin(rival, points[0])
    _pin(points[0], rival)
    _pin(rival, province)
    _send(points[0], rival, tmp_path / "usb-rival")
    pinned = _pin(province, rival, sends_here=True)
    assert pinned.points == ("MYHOA-01",)
    assert relay.unassigned_claims(province.conn, "CT-CA") == []   # nothing is taken from LX-CA silently
    disputed = {c.point: c for c in relay.claims(province.conn) if c.disputed}
    assert list(disputed) == ["MYHOA-01"]
    assert disputed["MYHOA-01"].claimed_by == ("CT-CA", "LX-CA") and disputed["MYHOA-01"].assigned_to == "LX-CA"

    # The rival's relay of MYHOA-01 is held with a reason naming both, and the receipt tells it so.
    bundle = export.export_bundles(rival, tmp_path / "relay-rival")[0]
    plan = merge.plan_import(province, bundle.path.read_bytes(), bundle.path.name)
    assert plan.rejected == sum(len(rows) for rows in _records(points[0]).values())
    assert all("MYHOA-01" in p and "CT-CA" in p for p in plan.problems)
    assert merge.apply_import(province, plan).applied
    assert _origins(province) == set()
    receipt = receipts.export_receipt(province, "CT-CA", tmp_path / "rival.tvr")
    got = receipts.import_receipt(rival, (tmp_path / "rival.tvr").read_bytes(), "rival.tvr")
    assert receipt.refused == got.refused > 0

    # LX-CA's relay is applied as before; moving the point is the officer's explicit choice.
    _send(district, province, tmp_path / "relay")
    assert _origins(province) == {"MYHOA-01", "PHUTHANH-01"}
    assert relay.assign(province, "CT-CA", ["MYHOA-01"]) == {"MYHOA-01": "LX-CA"}
    assert relay.relayed_by(province.conn, "LX-CA") == {"PHUTHANH-01"}
    rival.close()


def test_relay_goes_to_any_depth_with_the_names_of_the_units(offices):
    district, province, points, tmp_path = offices
    national = _register(tmp_path, "district", "CA-TW", "Cục Cảnh sát điều tra tội phạm về ma túy")
    for point in points:
        _send(point, district, tmp_path / "usb" / point.origin)
    _send(district, province, tmp_path / "relay")
    # The province's key file lists every unit it serves at any depth: LX-CA and its two points.
    served = identity.own_identity(province)
    assert served.points == ("LX-CA", "MYHOA-01", "PHUTHANH-01")
    assert dict(served.point_names)["MYHOA-01"] == "Điểm tư vấn xã Mỹ Hòa"
    _pin(province, national)
    listed = _pin(national, province, sends_here=True)
    relay.assign(national, "AG-CA", list(listed.points))
    _send(province, national, tmp_path / "relay-up")
    for point in points:
        assert _records(national, point.origin) == _records(point)
    # The names travelled: the national office shows units by name, not only by code.
    names = identity.served_units(national.conn)
    assert names["MYHOA-01"] == "Điểm tư vấn xã Mỹ Hòa" and names["PHUTHANH-01"] == "Điểm tư vấn xã Phú Thạnh"
    assert names["LX-CA"] == "Công an thành phố Long Xuyên"
    form = default_form()
    month = Month.of(datetime.date.today())
    result = compute_district(national.conn, form, month)
    for point in points:
        assert result.by_point[point.origin] == compute(point.conn, form, month).values
    # Receipts, gaps and forks work the same one level up.
    assert chain.chain_of(national.conn, "AG-CA").missing_bundles == []
    receipts.export_receipt(national, "AG-CA", tmp_path / "up.tvr")
    assert receipts.import_receipt(province, (tmp_path / "up.tvr").read_bytes(), "up.tvr").upto_change > 0
    with pytest.raises(export.NothingToExport):
        export.export_bundles(province, tmp_path / "relay-up")
    national.close()
