"""A receiving office on PostgreSQL (issue 17): officers with their own database roles, row-level
security by unit, TLS off this computer, names sealed in the database, concurrent imports.

The office's own tests (test_sync, test_quarantine, test_report_outputs, test_dhis2, ...) run on
both engines through the `office_engine` fixture; these test what only a server has.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from app.core.errors import DatabaseUnreachable, NotYourUnit, WrongPassphrase
from app.demo import writer as demo
from app.store import users
from app.store.pg import connection as pg_connection
from app.store.pg.office import unlock_office
from app.store.pg.personal import MARK
from app.store.records import SYNCED_TABLES
from app.sync import export, merge
from tests.conftest import PASSPHRASE, ROOT, create_office_register, run_cli
from tests.integration.test_sync import _counts, _enroll, _register

OFFICER_PASSPHRASE = "lúa chín vàng đồng xa"


@pytest.fixture
def province(tmp_path, pg_cluster):
    """An office on the server with two enrolled points, each with three months of records."""
    office = create_office_register(tmp_path / "office", "AG-CA", "Công an tỉnh An Giang", pg_cluster)
    points = []
    for code, name, seed in (("MYHOA-01", "Điểm tư vấn xã Mỹ Hòa", 5), ("PHUTHANH-01", "Điểm tư vấn xã Phú Thạnh", 6)):
        point = _register(tmp_path, "point", code, name)
        demo.fill(point, clients=25, months=3, seed=seed)
        _enroll(point, office)
        points.append(point)
    bundles = {p.origin: export.export_bundles(p, tmp_path / "usb" / p.origin) for p in points}
    yield office, points, bundles, tmp_path
    for register in (office, *points):
        if register.conn is not None:
            register.close()


def _officer(office, tmp_path, login: str, units: list[str]):
    users.add_user(office, login, "Trần Thị Lan", "counsellor", OFFICER_PASSPHRASE)
    office.assign_units(login, units)
    return unlock_office(office.paths.root, login, OFFICER_PASSPHRASE)


def _server(conn, sql: str, *params):
    """A statement sent as written, past the program's spelling and sealing: what the server holds."""
    return conn.raw.execute(sql, params).fetchall()


def test_an_officer_sees_and_imports_only_the_units_assigned_to_them(province):
    office, (myhoa, phuthanh), bundles, tmp_path = province
    lan = _officer(office, tmp_path, "lan", ["MYHOA-01"])
    try:
        for bundle in bundles["MYHOA-01"]:
            assert merge.import_bundle(lan, bundle.path.read_bytes(), bundle.path.name).applied
        with pytest.raises(NotYourUnit) as refused:
            merge.import_bundle(lan, bundles["PHUTHANH-01"][0].path.read_bytes(), bundles["PHUTHANH-01"][0].path.name)
        assert "PHUTHANH-01" in refused.value.message and "tuvan users units" in refused.value.message
        for bundle in bundles["PHUTHANH-01"]:
            assert merge.import_bundle(office, bundle.path.read_bytes(), bundle.path.name).applied
        # The administrator serves every unit; Lan's own SQL, sent straight to the server, sees hers only.
        assert _counts(office, "PHUTHANH-01") == _counts(phuthanh)
        assert {o for (o,) in _server(lan.conn, "SELECT DISTINCT origin FROM clients")} == {"MYHOA-01"}
        assert _server(lan.conn, "SELECT count(*) FROM clients WHERE origin = 'PHUTHANH-01'") == [(0,)]
        assert _counts(lan) == _counts(myhoa)
        # No way round the policy: not the table's owner, no BYPASSRLS, and row_security=off fails.
        with pytest.raises(Exception, match="must be owner"):
            _server(lan.conn, "ALTER TABLE clients DISABLE ROW LEVEL SECURITY")
        lan.conn.raw.rollback()
        with pytest.raises(Exception, match="row-level security"):
            lan.conn.raw.execute("SET row_security = off")
            _server(lan.conn, "SELECT count(*) FROM clients")
        lan.conn.raw.execute("RESET row_security")
        assert _server(lan.conn, "SELECT rolbypassrls, rolsuper FROM pg_roles WHERE rolname = current_user") == [
            (False, False)]
        # Lan writes no unit of another: a record moved to Phú Thạnh is refused by the server.
        with pytest.raises(Exception, match="row-level security"):
            _server(lan.conn, "UPDATE clients SET origin = 'PHUTHANH-01' WHERE origin = 'MYHOA-01'")
    finally:
        lan.close()


def test_every_table_with_a_units_rows_forces_row_level_security_even_on_its_owner(province):
    office = province[0]
    unit_tables = {t for (t,) in _server(office.conn, "SELECT table_name FROM information_schema.columns"
                                                      " WHERE table_schema = 'tuvan' AND column_name IN ('origin', 'sender')")}
    assert set(SYNCED_TABLES) <= unit_tables and {"bundles_received", "quarantine"} <= unit_tables
    flags = dict((name, (enabled, forced)) for name, enabled, forced in _server(
        office.conn, "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c"
                     " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'tuvan' AND c.relkind = 'r'"))
    assert all(flags[t] == (True, True) for t in unit_tables)
    owners = {o for (o,) in _server(office.conn, "SELECT tableowner FROM pg_tables WHERE schemaname = 'tuvan'")}
    assert owners == {f"{office.prefix}_owner"}
    assert _server(office.conn, "SELECT rolcanlogin FROM pg_roles WHERE rolname = %s", f"{office.prefix}_owner") == [
        (False,)]


def _dump(pg_cluster, dbname: str) -> str:
    """Every row of every table of the register, as the server's superuser reads them without the
    key: the data pg_dump would write (its own binary need not match the server's version here)."""
    import psycopg

    with psycopg.connect(pg_cluster.dsn(dbname=dbname), autocommit=True) as conn:
        tables = [t for (t,) in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'tuvan'")]
        parts = []
        for table in tables:
            with conn.cursor().copy(f"COPY tuvan.{table} TO STDOUT") as copy:
                parts.append(f"COPY tuvan.{table}\n" + b"".join(bytes(b) for b in copy).decode("utf-8"))
        conn.execute("CHECKPOINT")
    return "\n".join(parts)


def test_a_database_dump_or_the_servers_disk_without_the_key_shows_no_name(province, pg_cluster):
    office, (myhoa, _), bundles, tmp_path = province
    for bundle in bundles["MYHOA-01"]:
        merge.import_bundle(office, bundle.path.read_bytes(), bundle.path.name)
    names = [n for (n,) in myhoa.conn.execute("SELECT full_name FROM clients WHERE full_name != ''")]
    phones = [p for (p,) in myhoa.conn.execute("SELECT phone FROM clients WHERE length(phone) > 6")]
    assert len(names) >= 20 and phones
    dbname = office.location["conninfo"].split("dbname=")[1].split()[0].strip("'")
    dump = _dump(pg_cluster, dbname)
    assert "COPY tuvan.clients" in dump and MARK in dump
    for secret in names + phones:
        assert secret not in dump, secret
    # Nor the office's private keys (whoever has them opens every bundle sent to it).
    keys = office.conn.execute("SELECT sign_private, enc_private FROM identity_keys").fetchall()
    assert keys and all(len(k) == 32 for row in keys for k in row)
    assert all(bytes(k).hex() not in dump for row in keys for k in row)
    # The server's own files (tables, indexes, write-ahead log) after a checkpoint: no name either.
    disk = b"".join(p.read_bytes() for p in pg_cluster.data.rglob("*") if p.is_file() and p.stat().st_size < 64 << 20)
    found = [n for n in names if n.encode("utf-8") in disk]
    assert found == []
    # With the key, the program reads them back.
    assert sorted(n for (n,) in office.conn.execute("SELECT full_name FROM clients WHERE origin = 'MYHOA-01'"
                                                    " AND full_name != ''")) == sorted(names)


def test_the_office_finds_the_same_person_by_citizen_id_and_name_words_without_the_server_reading_them(province):
    office, (myhoa, _), bundles, _tmp = province
    for bundle in bundles["MYHOA-01"]:
        merge.import_bundle(office, bundle.path.read_bytes(), bundle.path.name)
    client_id, citizen = myhoa.conn.execute("SELECT id, citizen_id FROM clients WHERE citizen_id != '' LIMIT 1").fetchone()
    assert office.conn.execute("SELECT id FROM clients WHERE citizen_id = ?", (citizen,)).fetchone() == (client_id,)
    assert _server(office.conn, "SELECT count(*) FROM clients WHERE citizen_id = %s", citizen) == [(0,)]
    from app.store import search

    name = myhoa.conn.execute("SELECT full_name FROM clients WHERE id = ?", (client_id,)).fetchone()[0]
    assert client_id in {hit.id for hit in search.search(office.conn, name)}


def test_signing_in_needs_the_officers_own_passphrase_and_role(province):
    office, _points, _bundles, tmp_path = province
    users.add_user(office, "minh", "Lê Văn Minh", "reporter", OFFICER_PASSPHRASE)
    with pytest.raises(WrongPassphrase):
        unlock_office(office.paths.root, "minh", PASSPHRASE)
    with pytest.raises(WrongPassphrase):
        unlock_office(office.paths.root, "nobody", OFFICER_PASSPHRASE)
    minh = unlock_office(office.paths.root, "minh", OFFICER_PASSPHRASE)
    try:
        assert minh.user.login == "minh" and minh.role_name == f"{office.prefix}_u_minh"
        assert _server(minh.conn, "SELECT current_user")[0][0] == minh.role_name
    finally:
        minh.close()
    users.set_role(office, "minh", "reporter", active=False)  # deactivated: the role can no longer log in
    with pytest.raises(WrongPassphrase):
        unlock_office(office.paths.root, "minh", OFFICER_PASSPHRASE)


def test_off_this_computer_only_checked_tls_is_accepted(province, pg_cluster):
    office = province[0]
    with pytest.raises(DatabaseUnreachable, match="verify-full"):
        pg_connection.check_transport({"host": "office-db.example.vn", "sslmode": "require"})
    pg_connection.check_transport({"host": "office-db.example.vn", "sslmode": "verify-full"})
    # Over ::1 the server refuses a plain connection (pg_hba) and takes a checked TLS one.
    location = json.loads(office.paths.server.read_text())
    dbname = location["conninfo"].split("dbname=")[1].split()[0].strip("'")
    for mode, works in (("disable", False), ("verify-full", True)):
        location["conninfo"] = (f"host=::1 port={pg_cluster.port} dbname={dbname} sslmode={mode}"
                                f" sslrootcert={pg_cluster.certificate}")
        office.paths.server.write_text(json.dumps(location))
        if works:
            officer = unlock_office(office.paths.root, None, PASSPHRASE)
            assert _server(officer.conn, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()") == [(True,)]
            officer.close()
        else:
            with pytest.raises(DatabaseUnreachable, match="no encryption|SSL off|pg_hba"):
                unlock_office(office.paths.root, None, PASSPHRASE)


IMPORTER = r"""
import sys
from pathlib import Path
from app.store.pg.office import unlock_office
from app.sync import merge
root, login, passphrase, files = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
office = unlock_office(root, login, passphrase)
sys.stdin.readline()   # all start together
for name in files:
    result = merge.import_bundle(office, Path(name).read_bytes(), Path(name).name)
    print(name, result.message_key, flush=True)
office.close()
"""


def test_two_officers_importing_at_once_lose_nothing_and_duplicate_nothing(province):
    office, (myhoa, phuthanh), bundles, tmp_path = province
    users.add_user(office, "lan", "Trần Thị Lan", "counsellor", OFFICER_PASSPHRASE)
    office.assign_units("lan", ["MYHOA-01", "PHUTHANH-01"])
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    every = [str(b.path) for code in ("MYHOA-01", "PHUTHANH-01") for b in bundles[code]]
    jobs = [  # each officer imports one point's bundles and then, at once, all of them again
        ("admin", PASSPHRASE, [str(b.path) for b in bundles["MYHOA-01"]] + every),
        ("lan", OFFICER_PASSPHRASE, [str(b.path) for b in bundles["PHUTHANH-01"]] + every),
    ]
    running = [subprocess.Popen([sys.executable, "-c", IMPORTER, str(office.paths.root), login, secret, *files],
                                cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for login, secret, files in jobs]
    for process in running:
        process.stdin.write("go\n")
        process.stdin.flush()
    outputs = [process.communicate(timeout=300) for process in running]
    for process, (out, err) in zip(running, outputs):
        assert process.returncode == 0, err
    results = [line.rsplit(" ", 1)[1] for out, _err in outputs for line in out.splitlines()]
    assert results.count("imported") == len(every) and set(results) == {"imported", "already_imported"}
    for point in (myhoa, phuthanh):
        assert _counts(office, point.origin) == _counts(point)
    assert office.conn.execute("SELECT count(*) FROM bundles_received").fetchone()[0] == len(every)
    from app.store import audit

    assert audit.verify(office.conn).ok


def test_cli_makes_an_office_on_the_server_and_checks_it(tmp_path, pg_cluster):
    folder = tmp_path / "office"
    env = {"TUVAN_PASSPHRASE": PASSPHRASE, "TUVAN_KDF_TARGET_MS": "0"}
    made = run_cli("init", "--register", str(folder), "--role", "district", "--code", "LX-CA",
                   "--name", "Công an Long Xuyên", "--database", pg_cluster.dsn(dbname="cli_office"), env=env)
    assert made.returncode == 0, made.stderr
    assert (folder / "database.json").is_file() and not (folder / "register.db").exists()
    assert pg_cluster.password not in (folder / "database.json").read_text()
    checked = run_cli("check", "--register", str(folder), "--json", env=env)
    assert checked.returncode == 0, checked.stderr
    report = json.loads(checked.stdout)
    assert report["ok"] and report["role"] == "district" and report["counts"]["officer_units"] == 1
    added = run_cli("users", "add", "lan", "--register", str(folder), "--full-name", "Trần Thị Lan",
                    env={**env, "TUVAN_NEW_PASSPHRASE": OFFICER_PASSPHRASE})
    assert added.returncode == 0, added.stderr
    units = run_cli("users", "units", "lan", "--register", str(folder), "--set", "MYHOA-01,PHUTHANH-01", env=env)
    assert units.returncode == 0 and "MYHOA-01" in units.stdout and "PHUTHANH-01" in units.stdout, units.stderr
    again = run_cli("init", "--register", str(tmp_path / "other"), "--role", "district", "--code", "LX-CA",
                    "--name", "Công an Long Xuyên", "--database", pg_cluster.dsn(dbname="cli_office"), env=env)
    assert again.returncode != 0 and "đã có" in again.stderr.lower() + again.stdout.lower()


def test_a_creation_cut_short_leaves_nothing_on_the_server_and_can_be_made_again(tmp_path, pg_cluster, monkeypatch):
    import psycopg

    from app.core.unit import make_unit
    from app.store.pg import creation as pg_office

    def broken(*_args, **_kwargs):
        raise OSError("the network went away")

    made = dict(unit=make_unit("district", "LX-CA", "Công an Long Xuyên"), admin_login="admin",
                admin_full_name="Quản Trị Viên", passphrase=PASSPHRASE)
    monkeypatch.setattr(pg_office, "write_atomic", broken)   # the last step: after the server's transaction
    with pytest.raises(OSError):
        pg_office.create_office(tmp_path / "office", pg_cluster.dsn(dbname="cut_short"), **made)
    with psycopg.connect(pg_cluster.dsn(), autocommit=True) as server:
        assert server.execute("SELECT count(*) FROM pg_database WHERE datname = 'cut_short'").fetchone() == (0,)
        assert server.execute("SELECT count(*) FROM pg_roles WHERE rolname LIKE 'cut_short_%'").fetchone() == (0,)
    assert not (tmp_path / "office").exists() and list(tmp_path.iterdir()) == []
    monkeypatch.undo()
    office, _recovery = pg_office.create_office(tmp_path / "office", pg_cluster.dsn(dbname="cut_short"), **made)
    office.close()
    assert unlock_office(tmp_path / "office", None, PASSPHRASE).close() is None


def test_rows_go_several_to_a_statement_and_one_by_one_when_a_batch_touches_a_row_twice(province):
    office = province[0]
    sql = ("INSERT INTO catalog_items (kind, code, label_vi) VALUES (?, ?, ?)"
           " ON CONFLICT (kind, code) DO UPDATE SET label_vi = excluded.label_vi")
    with office.transaction():
        office.conn.executemany(sql, [("hamlet", f"ap-{n}", f"Ấp {n}") for n in range(1200)])
        # The same hamlet twice in one batch: one statement may not update a row twice, so the
        # batch is written row by row and the later row wins, as on SQLite.
        office.conn.executemany(sql, [("hamlet", "ap-1", "Ấp Một"), ("hamlet", "ap-2", "Ấp Hai"),
                                      ("hamlet", "ap-1", "Ấp Một Mới")])
    labels = dict(office.conn.execute("SELECT code, label_vi FROM catalog_items WHERE kind = 'hamlet'"))
    assert len(labels) == 1200 and labels["ap-1"] == "Ấp Một Mới" and labels["ap-2"] == "Ấp Hai"
