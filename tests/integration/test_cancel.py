"""Long work stops on Cancel and leaves nothing half-done: import, office form, export, backup.

Each operation gets a Progress that asks to stop after its first report, as a person pressing
Cancel would; the register must then be exactly as before, and the same work must still succeed.
"""

from __future__ import annotations

import pytest

from app.core.progress import Cancelled, Progress
from app.core.unit import make_unit
from app.reports.engine import compute, compute_district
from app.reports.form_file import default_form
from app.reports.period import Month
from app.demo import writer as demo
from app.store import backup
from app.store.register import create_register
from app.sync import export, identity, merge
from tests.conftest import PASSPHRASE, PERSON, create_office_register


class StopAfter(Progress):
    """Presses Cancel after `reports` reports."""

    def __init__(self, reports: int = 1) -> None:
        super().__init__()
        self.reports = reports
        self.seen = []

    def add(self, amount: int) -> None:
        self.seen.append(amount)
        if len(self.seen) >= self.reports:
            self.cancel()
        super().add(amount)


def _register(tmp_path, role, code, clients=0):
    register, _ = create_register(tmp_path / code, unit=make_unit(role, code, f"Đơn vị {code}"), admin_login="admin",
                                  admin_full_name=PERSON, passphrase=PASSPHRASE)
    if clients:
        demo.fill(register, clients=clients, months=3, seed=5)
    return register


def _enrolled(point, office):
    for a, b in ((point, office), (office, point)):
        other = identity.own_identity(b)
        identity.pin(a, other, other.confirmation)
    return office


@pytest.fixture
def pair(tmp_path, office_engine):
    office = create_office_register(tmp_path / "LX-CA", "LX-CA", "Đơn vị LX-CA", office_engine, full_name=PERSON)
    point = _register(tmp_path, "point", "MYHOA-01", clients=40)
    _enrolled(point, office)
    yield office, point
    office.close()
    point.close()


def _state(register) -> tuple:
    conn = register.conn
    return tuple(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                 for table in ("clients", "contacts", "change_log", "bundles_received", "bundles_sent", "quarantine"))


def test_a_cancelled_import_writes_nothing_and_the_next_one_everything(pair, tmp_path):
    office, point = pair
    bundle = export.export_bundles(point, tmp_path / "usb")[0].path
    plan = merge.plan_import(office, bundle, bundle.name)
    before = _state(office)
    with pytest.raises(Cancelled):
        merge.apply_import(office, plan, progress=StopAfter(1))
    assert _state(office) == before
    counts = Progress()
    merge.apply_import(office, merge.plan_import(office, bundle, bundle.name), progress=counts)
    assert office.conn.execute("SELECT count(*) FROM clients").fetchone()[0] == 40
    snapshot = counts.snapshot()
    assert snapshot.total == merge.records_in(plan) and snapshot.done == snapshot.total


def test_a_cancelled_dry_run_can_be_checked_again(pair, tmp_path):
    office, point = pair
    bundle = export.export_bundles(point, tmp_path / "usb")[0].path
    with pytest.raises(Cancelled):
        merge.plan_import(office, bundle, bundle.name, StopAfter(1))
    plan = merge.plan_import(office, bundle, bundle.name)
    assert plan.totals().new == merge.records_in(plan)


def test_a_cancelled_office_form_stops_even_inside_a_statement(pair, tmp_path):
    office, point = pair
    bundle = export.export_bundles(point, tmp_path / "usb")[0].path
    merge.apply_import(office, merge.plan_import(office, bundle, bundle.name))
    month = Month.of(__import__("datetime").date.today())
    with pytest.raises(Cancelled):
        compute_district(office.conn, default_form(), month, StopAfter(1))
    stopped = Progress()
    stopped.cancel()   # the SQLite progress handler interrupts the first statement
    with pytest.raises(Cancelled):
        compute_district(office.conn, default_form(), month, stopped)
    counted = Progress()
    result = compute_district(office.conn, default_form(), month, counted)
    assert "MYHOA-01" in result.by_point and counted.snapshot().done == counted.snapshot().total > 5


def test_a_cancelled_export_records_no_bundle(pair, tmp_path):
    office, point = pair
    before = _state(point)
    with pytest.raises(Cancelled):
        export.export_bundles(point, tmp_path / "usb", StopAfter(1))
    assert _state(point) == before
    assert not list((tmp_path / "usb").glob("*.tvb"))
    counts = Progress()
    made = export.export_bundles(point, tmp_path / "usb", counts)
    assert len(made) == 1 and made[0].path.exists()
    assert counts.snapshot().total > 100


def test_a_cancelled_backup_leaves_no_file(pair, tmp_path):
    _office, point = pair
    out = tmp_path / "stick" / "sao-luu.tvbak"
    out.parent.mkdir()
    before = _state(point)
    with pytest.raises(Cancelled):
        backup.write_backup(point, out, progress=StopAfter(1))
    assert not out.exists() and list(out.parent.iterdir()) == []
    assert _state(point) == before
    counts = Progress()
    backup.write_backup(point, out, progress=counts)
    assert backup.read_manifest(out).register_id == point.register_id
    assert counts.snapshot().done >= counts.snapshot().total // 2 > 0


def test_the_office_form_on_two_cores_counts_the_same_and_stops_on_cancel(pair, tmp_path):
    office, point = pair
    bundle = export.export_bundles(point, tmp_path / "usb")[0].path
    merge.apply_import(office, merge.plan_import(office, bundle, bundle.name))
    month = Month.of(__import__("datetime").date.today())
    alone = compute_district(office.conn, default_form(), month)
    both = compute_district(office.conn, default_form(), month, reader=office.reader)
    assert both.values == alone.values and both.by_point == alone.by_point
    assert office._reader is not None                   # the second connection did count
    assert sum(alone.values["5"].values()) > 0          # individual lượt: counted on the second core
    stopped = Progress()
    stopped.cancel()
    with pytest.raises(Cancelled):
        compute_district(office.conn, default_form(), month, stopped, reader=office.reader)
    assert compute_district(office.conn, default_form(), month, reader=office.reader).values == alone.values
    assert compute(point.conn, default_form(), month, reader=point.reader).values == \
        compute(point.conn, default_form(), month).values


def test_a_small_bundle_is_decoded_once_for_its_dry_run_and_import(pair, tmp_path, monkeypatch):
    office, point = pair
    bundle = export.export_bundles(point, tmp_path / "usb")[0].path
    reads = []
    real = merge.document_reader.read
    monkeypatch.setattr(merge.document_reader, "read", lambda raw: reads.append(1) or real(raw))
    plan = merge.plan_import(office, bundle, bundle.name)
    merge.apply_import(office, plan)
    assert len(reads) == 1 and plan.totals().new == merge.records_in(plan)
    # Kept records never outlive the import, and a large bundle is read afresh on every pass.
    monkeypatch.setattr(merge, "KEEP_DOCUMENT_BYTES", 0)
    assert merge._kept is None
    other = _enrolled(point, _register(tmp_path, "district", "LX-CA2"))
    again = export.export_bundles(point, tmp_path / "usb2")[0].path
    merge.apply_import(other, merge.plan_import(other, again, again.name))
    assert len(reads) == 1 + 3
    other.close()


def test_a_bundle_changed_on_the_disk_after_its_dry_run_imports_what_was_checked_or_nothing(pair, tmp_path,
                                                                                             monkeypatch):
    office, point = pair
    bundle = export.export_bundles(point, tmp_path / "usb")[0].path
    plan = merge.plan_import(office, bundle, bundle.name)
    damaged = bytearray(bundle.read_bytes())
    damaged[-100] ^= 0xFF                     # inside the encrypted payload
    bundle.write_bytes(bytes(damaged))
    merge.apply_import(office, plan)          # small: the records the dry run verified
    assert office.conn.execute("SELECT file_hash FROM bundles_received").fetchone()[0] == plan.file_hash
    assert office.conn.execute("SELECT count(*) FROM clients").fetchone()[0] == 40
    # A large bundle is read again from the file, and a changed file is refused whole.
    monkeypatch.setattr(merge, "KEEP_DOCUMENT_BYTES", 0)
    other = _enrolled(point, _register(tmp_path, "district", "LX-CA3"))
    again = export.export_bundles(point, tmp_path / "usb3")[0].path
    plan = merge.plan_import(other, again, again.name)
    damaged = bytearray(again.read_bytes())
    damaged[-100] ^= 0xFF
    again.write_bytes(bytes(damaged))
    with pytest.raises(merge.BundleRejected):
        merge.apply_import(other, plan)
    assert other.conn.execute("SELECT count(*) FROM clients").fetchone()[0] == 0
    other.close()
