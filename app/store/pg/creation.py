"""Making an office register on a PostgreSQL server (`tuvan init --database`), as its administrator.

The database and three group roles first, then in one transaction the schema (app/store/pg/schema.py)
with its grants and row-level security, the register's first rows, key slots and the first
administrator's login role, then the folder's database.json. A creation cut short takes away what
it made on the server, so it can simply be run again.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
from pathlib import Path

from app import __version__
from app.core.clock import utc_stamp
from app.core.errors import DatabaseUnreachable, InvalidInput, RegisterExists
from app.core.i18n import N_
from app.core.ids import uuid7
from app.core.passphrase import check_new
from app.core.recovery_key import RecoveryKey
from app.core.unit import RegisterRole, Unit, check_login, check_required
from app.store import audit, migrations, settings as register_settings
from app.store.files import cannot_write, put_in_place, write_atomic
from app.store.pg import schema
from app.store.pg.connection import PgConnection, _psycopg, check_transport
from app.store.pg.office import FORMAT, PgRegister, login_secret, role_name, sign_in, without_password
from app.store.pg.personal import Sealer
from app.store.register_folder import RegisterPaths
from app.store.vault import KIND_RECOVERY, KIND_USER, KdfParams, KeySlotFile, calibrate, recovery_kdf, seal_slot

_PREFIX = re.compile(r"^[a-z][a-z0-9_]{0,29}$")   # the database's name, also the prefix of its roles
def _admin_connection(conninfo: str, dbname: str | None = None):
    psycopg = _psycopg()
    from psycopg.conninfo import conninfo_to_dict

    params = {k: str(v) for k, v in conninfo_to_dict(conninfo).items()}
    check_transport(params)
    if dbname:
        params["dbname"] = dbname
    params.setdefault("password", os.environ.get("PGPASSWORD", ""))
    try:
        return psycopg.connect(**params, autocommit=True, connect_timeout=10)
    except psycopg.OperationalError as error:
        raise DatabaseUnreachable(detail=str(error).strip().splitlines()[0]) from error


def create_office(root: Path, conninfo: str, *, unit: Unit, admin_login: str, admin_full_name: str,
                  passphrase: str, kdf: KdfParams | None = None) -> tuple[PgRegister, RecoveryKey]:
    """Make an office register in the (new or empty) database `conninfo` names, as the server's
    administrator, and sign its first administrator in. The folder `root` gets database.json."""
    _psycopg()  # a clear message when the program was installed without it
    from psycopg.conninfo import conninfo_to_dict

    if unit.role is not RegisterRole.DISTRICT:
        raise InvalidInput(field=N_("Database"), problem=N_("only a receiving office keeps its register on a server"))
    root = Path(root).absolute()
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise RegisterExists(path=str(root))
    login = check_login(admin_login)
    full_name = check_required(admin_full_name, N_("Full name"))
    passphrase = check_new(passphrase)
    dbname = str(conninfo_to_dict(conninfo).get("dbname") or "")
    if not _PREFIX.match(dbname):
        raise InvalidInput(field=N_("Database"), problem=N_(
            "name the database in the address (postgresql://server/name), with 1 to 30 lower-case letters, "
            "digits or '_', starting with a letter"))
    prefix = dbname
    register_id = uuid7()
    location = {"format": FORMAT, "conninfo": without_password(conninfo), "register_id": register_id,
                "prefix": prefix, "first_admin": login,
                "login_kdf": {k: v for k, v in (kdf or calibrate()).__dict__.items() if k != "salt"}}
    staging = root.parent / f".{root.name}.creating-{os.getpid()}-{uuid7()[-8:]}"
    try:  # the folder first: a server register nobody can open would be worse than none
        root.parent.mkdir(parents=True, exist_ok=True)
        staging.mkdir(mode=0o700)
    except OSError as error:
        raise cannot_write(root, error) from error
    made: dict[str, bool] = {}
    try:
        _make_roles(conninfo, dbname, prefix, made)
        recovery = _fill(conninfo, prefix, location, unit, login, full_name, passphrase, kdf)
        write_atomic(RegisterPaths(staging).server, json.dumps(location, indent=1, sort_keys=True).encode() + b"\n")
        put_in_place(staging, root)
    except BaseException as error:
        shutil.rmtree(staging, ignore_errors=True)
        if not isinstance(error, RegisterExists):   # what was made on the server goes again
            _undo(conninfo, dbname, prefix, login, made.get("database", False))
        raise
    return sign_in(RegisterPaths(root), location, login, passphrase), recovery


def _make_roles(conninfo: str, dbname: str, prefix: str, made: dict[str, bool]) -> None:
    """The database (unless it exists; made["database"] says) and the register's three group roles."""
    from psycopg import sql

    ident = sql.Identifier
    with _admin_connection(conninfo, "postgres") as server:
        if server.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (f"{prefix}_owner",)).fetchone():
            raise RegisterExists(path=f"{dbname} ({prefix}_owner)")
        if server.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone() is None:
            server.execute(sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0").format(ident(dbname)))
            made["database"] = True
        else:
            with _admin_connection(conninfo) as existing:
                if existing.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema.SCHEMA,)).fetchone():
                    raise RegisterExists(path=dbname)
        for role in ("owner", "officer", "admin"):
            server.execute(sql.SQL("CREATE ROLE {} NOLOGIN NOBYPASSRLS").format(ident(f"{prefix}_{role}")))
        server.execute(sql.SQL("GRANT {} TO {}").format(ident(f"{prefix}_officer"), ident(f"{prefix}_admin")))
        server.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(ident(dbname)))
        server.execute(sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(
            ident(dbname), ident(f"{prefix}_officer")))


def _fill(conninfo: str, prefix: str, location: dict, unit: Unit, login: str, full_name: str, passphrase: str,
          kdf: KdfParams | None) -> RecoveryKey:
    """In one transaction: the schema, the register's first rows, its key slots and the first
    administrator's login role."""
    from psycopg import sql

    ident = sql.Identifier
    register_id = location["register_id"]
    data_key = os.urandom(32)
    user_id = uuid7()
    recovery = RecoveryKey.generate()
    with _admin_connection(conninfo) as raw, raw.transaction():
        _build(raw, prefix)
        conn = PgConnection(raw, Sealer(data_key, register_id))
        raw.execute(sql.SQL("SET ROLE {}").format(ident(f"{prefix}_owner")))
        raw.execute(f"SET search_path = {schema.SCHEMA}, pg_temp")
        now = utc_stamp()
        conn.executemany("INSERT INTO register_info (key, value) VALUES (?, ?)", [
            ("register_id", register_id), ("role", unit.role.value), ("unit_code", unit.code),
            ("created_at", now), ("created_by_version", __version__),
            ("schema_version", str(migrations.latest_version()))])
        register_settings.put(conn, "unit_name", unit.name, user_id)
        register_settings.put(conn, "office_name", unit.office_name, user_id)
        conn.execute("INSERT INTO users (id, login, full_name, role, active, created_at, updated_at)"
                     " VALUES (?, ?, ?, 'admin', 1, ?, ?)", (user_id, login, full_name, now, now))
        audit.record(conn, user_id, "register.create", "register", register_id,
                     {"role": unit.role.value, "unit_code": unit.code, "engine": "postgresql"})
        slots = KeySlotFile(register_id, [])
        slots.put_user_slot(seal_slot(register_id, data_key, passphrase.encode(), kind=KIND_USER,
                                      kdf=kdf or calibrate(), user_id=user_id, login=login, admin=True))
        slots.put_recovery_slot(seal_slot(register_id, data_key, recovery.secret, kind=KIND_RECOVERY,
                                          kdf=recovery_kdf()))
        conn.execute("INSERT INTO key_slots (id, body) VALUES (1, ?)", (slots.to_bytes().decode(),))
        name = role_name(prefix, login)
        conn.execute("INSERT INTO officer_units (officer, unit) VALUES (?, '*')", (name,))
        raw.execute("RESET ROLE")
        raw.execute(sql.SQL("CREATE ROLE {} LOGIN NOBYPASSRLS CREATEROLE PASSWORD {}").format(
            ident(name), sql.Literal(login_secret(location, login, passphrase))))
        for role in ("officer", "admin"):
            raw.execute(sql.SQL("GRANT {} TO {} WITH ADMIN OPTION").format(ident(f"{prefix}_{role}"), ident(name)))
    return recovery


def _undo(conninfo: str, dbname: str, prefix: str, login: str, made_database: bool) -> None:
    """Take away what a failed creation made on the server (best effort: the error itself is raised)."""
    from psycopg import sql

    ident = sql.Identifier
    with contextlib.suppress(Exception), _admin_connection(conninfo, "postgres") as server:
        if made_database:
            server.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(ident(dbname)))
        else:
            with _admin_connection(conninfo) as existing:
                existing.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(ident(schema.SCHEMA)))
            server.execute(sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO PUBLIC").format(ident(dbname)))
            server.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM {}").format(
                ident(dbname), ident(f"{prefix}_officer")))
        for role in (role_name(prefix, login), f"{prefix}_admin", f"{prefix}_officer", f"{prefix}_owner"):
            server.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(ident(role)))


def _build(raw, prefix: str) -> None:
    """The schema, its seed rows, grants and row-level security, owned by <prefix>_owner."""
    from psycopg import sql

    ident = sql.Identifier
    owner, officer, admin = (f"{prefix}_{r}" for r in ("owner", "officer", "admin"))
    raw.execute(sql.SQL("CREATE SCHEMA {} AUTHORIZATION {}").format(ident(schema.SCHEMA), ident(owner)))
    raw.execute(sql.SQL("SET ROLE {}").format(ident(owner)))
    ddl, seeds = schema.twin_statements()
    for statement in ddl:
        raw.execute(statement)
    raw.execute(f"CREATE TABLE {schema.SCHEMA}.key_slots (id BIGINT PRIMARY KEY CHECK (id = 1), body TEXT NOT NULL)")
    raw.execute(f"CREATE TABLE {schema.SCHEMA}.officer_units (officer TEXT NOT NULL, unit TEXT NOT NULL,"
                " PRIMARY KEY (officer, unit))")
    for table, (columns, rows) in seeds.items():
        marks = ", ".join(["%s"] * len(columns))
        with raw.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {schema.SCHEMA}.{table} ({', '.join(columns)}) VALUES ({marks})", rows)
    tables = raw.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = %s"
                         " AND table_type = 'BASE TABLE'", (schema.SCHEMA,)).fetchall()
    for (table,) in tables:
        columns = {c for (c,) in raw.execute("SELECT column_name FROM information_schema.columns WHERE"
                                             " table_schema = %s AND table_name = %s", (schema.SCHEMA, table))}
        unit = schema.unit_column(columns)
        target = sql.Identifier(schema.SCHEMA, table)
        if unit is not None:
            served = sql.SQL(
                "{unit} IN (SELECT u.unit FROM {units} u WHERE u.officer = current_user)"
                " OR EXISTS (SELECT 1 FROM {units} u WHERE u.officer = current_user AND u.unit = '*')").format(
                unit=sql.Identifier(unit), units=sql.Identifier(schema.SCHEMA, "officer_units"))
            raw.execute(sql.SQL("ALTER TABLE {} ENABLE ROW LEVEL SECURITY").format(target))
            raw.execute(sql.SQL("ALTER TABLE {} FORCE ROW LEVEL SECURITY").format(target))
            raw.execute(sql.SQL("CREATE POLICY served_units ON {} USING ({}) WITH CHECK ({})").format(
                target, served, served))
    units = sql.Identifier(schema.SCHEMA, "officer_units")
    raw.execute(sql.SQL("ALTER TABLE {} ENABLE ROW LEVEL SECURITY").format(units))
    raw.execute(sql.SQL("ALTER TABLE {} FORCE ROW LEVEL SECURITY").format(units))
    raw.execute(sql.SQL("CREATE POLICY own_rows ON {} FOR SELECT USING (officer = current_user"
                        " OR pg_has_role(current_user, {}, 'MEMBER'))").format(units, sql.Literal(admin)))
    raw.execute(sql.SQL("CREATE POLICY admin_writes ON {} USING (pg_has_role(current_user, {}, 'MEMBER'))"
                        " WITH CHECK (pg_has_role(current_user, {}, 'MEMBER'))").format(
                            units, sql.Literal(admin), sql.Literal(admin)))
    raw.execute(sql.SQL("CREATE POLICY owner_seeds ON {} TO {} USING (true) WITH CHECK (true)").format(
        units, ident(owner)))
    raw.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(ident(schema.SCHEMA), ident(officer)))
    raw.execute(sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {} TO {}").format(
        ident(schema.SCHEMA), ident(officer)))
    raw.execute(sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {} TO {}").format(
        ident(schema.SCHEMA), ident(officer)))
    raw.execute(sql.SQL("GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA {} TO {}").format(
        ident(schema.SCHEMA), ident(officer)))
    raw.execute("RESET ROLE")
