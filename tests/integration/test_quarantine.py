"""Quarantine: a bad record is held back, the rest imported, the point told which and why, the fix goes through.

Origin is law: an office takes a record only from its own origin, naming only that origin's records.
Real registers, real keys, real bundles and receipts (docs/bundle-format.md §7, §8, §10).
"""

from __future__ import annotations

import csv
import io

from app.store import clients
from app.sync import merge, quarantine, receipts
from app.sync.record_checks import BREAKS_RULES, FOREIGN_REFERENCE
from tests.integration.test_sync import _counts, _export, sites  # noqa: F401  (sites is a fixture)


def _import(district, bundle):
    return merge.import_bundle(district, bundle.path.read_bytes(), bundle.path.name)


def _receipt(district, point, tmp_path):
    path = tmp_path / f"{point.origin}.tvr"
    receipts.export_receipt(district, point.origin, path)
    return receipts.import_receipt(point, path.read_bytes(), path.name)


def _break_a_rule(point) -> str:
    """A client whose sex is no code of the register (as a faulty program could send); its id."""
    client_id = point.conn.execute("SELECT id FROM clients ORDER BY seq LIMIT 1").fetchone()[0]
    point.conn.execute("PRAGMA ignore_check_constraints = ON")
    point.conn.execute("UPDATE clients SET sex = 'x', version = version + 1 WHERE id = ?", (client_id,))
    point.conn.execute("PRAGMA ignore_check_constraints = OFF")
    return client_id


def test_one_bad_record_is_held_the_rest_imported_and_the_corrected_record_goes_through(sites):
    district, (point, _other), tmp_path = sites
    bad = _break_a_rule(point)
    bundle = _export(point, tmp_path)[0]
    plan = merge.plan_import(district, bundle.path.read_bytes(), bundle.path.name)
    assert plan.rejected == 0  # the register's own rules find it only when writing
    result = merge.apply_import(district, plan)
    assert result.applied and plan.rejected == 1
    # Everything else arrived, the client's contacts too; the bad client did not.
    arrived, sent = _counts(district, point.origin), _counts(point)
    assert arrived == {**sent, "clients": sent["clients"] - 1}
    (held,) = quarantine.held(district.conn)
    assert (held.sender, held.seq, held.refusal.table, held.refusal.record_id) == (point.origin, 1, "clients", bad)
    assert held.refusal.field == "sex" and held.refusal.reason == BREAKS_RULES
    assert "quy tắc của sổ" in held.refusal.rule() and "Sửa bản ghi" in held.refusal.advice()
    assert held.refusal.record["sex"] == "x"

    # Sent again (no receipt yet): the same state is held once, not twice.
    again = _export(point, tmp_path)[0]
    assert _import(district, again).applied
    assert len(quarantine.held(district.conn)) == 1
    assert _import(district, bundle).message_key == "already_imported"

    # The receipt tells the point which record, which field, which rule.
    got = _receipt(district, point, tmp_path)
    assert got.refused == 1
    (refused,) = quarantine.refused_here(point.conn)
    assert (refused.district, refused.refusal.record_id, refused.refusal.field) == ("LX-CA", bad, "sex")
    assert "quy tắc của sổ" in refused.refusal.rule() and not refused.corrected

    # The counsellor corrects it; the corrected state goes with the next bundle and resolves the entry.
    point.conn.execute("PRAGMA ignore_check_constraints = ON")  # the form cannot even show 'x': mend it as the form would
    clients.edit(point, bad, {"sex": "female"})
    point.conn.execute("PRAGMA ignore_check_constraints = OFF")
    assert quarantine.refused_here(point.conn)[0].corrected
    (fixed,) = _export(point, tmp_path)
    assert fixed.counts == {"clients": 1}
    assert _import(district, fixed).applied
    assert district.conn.execute("SELECT sex FROM clients WHERE id = ?", (bad,)).fetchone() == ("female",)
    assert quarantine.held(district.conn) == []
    assert quarantine.held(district.conn, include_resolved=True)[0].resolved_at
    assert _counts(district, point.origin) == _counts(point)
    assert _receipt(district, point, tmp_path).refused == 0
    assert quarantine.refused_here(point.conn) == []


def test_a_contact_attached_to_another_points_client_is_refused(sites):
    district, (mine, theirs), tmp_path = sites
    for bundle in _export(theirs, tmp_path):
        _import(district, bundle)
    their_client = theirs.conn.execute("SELECT id FROM clients ORDER BY seq LIMIT 1").fetchone()[0]
    before = district.conn.execute("SELECT count(*) FROM contacts WHERE client_id = ?", (their_client,)).fetchone()
    # Mỹ Hòa's register (forged or faulty) attaches one of its contacts to a Phú Thạnh client.
    contact = mine.conn.execute("SELECT id FROM contacts WHERE client_id IS NOT NULL ORDER BY seq LIMIT 1").fetchone()[0]
    mine.conn.execute("UPDATE contacts SET client_id = ?, version = version + 1 WHERE id = ?", (their_client, contact))
    bundle = _export(mine, tmp_path)[0]
    plan = merge.plan_import(district, bundle.path.read_bytes(), bundle.path.name)
    assert plan.rejected == 1 and "PHUTHANH-01" in plan.problems[0]
    assert merge.apply_import(district, plan).applied
    (held,) = quarantine.held(district.conn, mine.origin)
    assert (held.refusal.record_id, held.refusal.field, held.refusal.reason) == (contact, "client_id", FOREIGN_REFERENCE)
    assert "chọn thay vào đó một người" in held.refusal.advice()
    # Phú Thạnh's client has no contact more than Phú Thạnh itself recorded.
    assert district.conn.execute("SELECT count(*) FROM contacts WHERE client_id = ?", (their_client,)).fetchone() == before
    assert _counts(district, mine.origin)["contacts"] == _counts(mine)["contacts"] - 1


def test_the_officer_exports_the_quarantine_list_for_excel(sites):
    district, (point, _other), tmp_path = sites
    bad = _break_a_rule(point)
    _import(district, _export(point, tmp_path)[0])
    out = tmp_path / "Hồ sơ bị giữ lại.csv"
    quarantine.write_csv(quarantine.held(district.conn), out)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == list(quarantine.CSV_COLUMNS)
    assert rows[1][:4] == [point.origin, "1", "clients", bad] and rows[1][6] == "sex"
    assert "quy tắc của sổ" in rows[1][7]
