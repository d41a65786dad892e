"""An office register kept on a PostgreSQL server: making it, signing in, officers and their units.

The register folder on each officer's computer holds `database.json` (where the server is, the
register id, how sign-in secrets are derived; no password, no key) and the unlock throttle.
Everything else is on the server: the tables (app/store/pg/schema.py), the key slots, and a
login role per officer.

Signing in: the officer's passphrase, stretched with Argon2id and a salt made of the register id
and the login, is the password of their database role (SCRAM: the server never sees it, and
what it stores costs an Argon2id per guess). Connected as that role, the program reads the key
slots and opens the officer's slot with the same passphrase, as on a register file; the data
key then seals and opens the personal columns (app/store/pg/personal.py).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

from app import __version__
from app.core.clock import utc_stamp
from app.core.errors import InvalidInput, RegisterDamaged, RegisterExists, RegisterTooNew, \
    WrongPassphrase
from app.core.hlc import HybridClock
from app.core.i18n import N_
from app.core.ids import uuid7
from app.core.passphrase import check_new, normalize
from app.core.recovery_key import RecoveryKey
from app.core.roles import Role
from app.core.unit import RegisterRole, Unit, check_login, check_required
from app.store import audit, migrations, settings as register_settings
from app.store.files import put_in_place, write_atomic
from app.store.pg import schema
from app.store.pg.connection import PgConnection, _psycopg, connect
from app.store.pg.personal import Sealer
from app.store.unlocked import Register, SignedInUser
from app.store.register_folder import RegisterPaths, register_paths
from app.store.throttle import UnlockThrottle
from app.store.vault import KIND_RECOVERY, KIND_USER, KdfParams, KeySlotFile, calibrate, recovery_kdf, seal_slot

FORMAT = "tuvan-office-database-1"
_PREFIX = re.compile(r"^[a-z][a-z0-9_]{0,29}$")


# --- where the register is ------------------------------------------------------

def _without_password(conninfo: str) -> str:
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = {k: v for k, v in conninfo_to_dict(conninfo).items() if k not in ("password", "user")}
    return make_conninfo("", **params)


def _location(paths: RegisterPaths) -> dict:
    try:
        data = json.loads(paths.server.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError(f"format {data.get('format')!r}")
        return data
    except (OSError, ValueError) as error:
        raise RegisterDamaged(path=str(paths.server), detail=str(error)) from error


def role_name(prefix: str, login: str) -> str:
    return f"{prefix}_u_{login}"


def login_secret(location: dict, login: str, passphrase: str) -> str:
    """The password of `login`'s database role, derived from the passphrase."""
    salt = hashlib.sha256(f"tuvan office login\0{location['register_id']}\0{login}".encode()).digest()[:16]
    params = KdfParams(**{**location["login_kdf"], "salt": base64.b64encode(salt).decode()})
    return base64.urlsafe_b64encode(params.derive(normalize(passphrase).encode())).decode().rstrip("=")


# --- the register ---------------------------------------------------------------

class PgRegister(Register):
    """An unlocked office register on the server; the same interface as a register file."""

    engine = "postgresql"

    def __init__(self, paths: RegisterPaths, conn: PgConnection, data_key: bytes, register_id: str,
                 user: SignedInUser, location: dict, secret: str):
        self.paths = paths
        self.claim = None     # many officers work at once: the server, not a claim file, keeps order
        self.conn = conn
        self.data_key = data_key
        self.register_id = register_id
        self.user = user
        self.db = None
        self.location = location
        self._secret = secret
        self._reader, self._reader_lock = None, threading.Lock()
        self.origin = conn.execute("SELECT value FROM register_info WHERE key = 'unit_code'").fetchone()[0]
        last = conn.execute("SELECT max(version) FROM change_log").fetchone()[0]
        self.clock = HybridClock(last or 0)

    @property
    def prefix(self) -> str:
        return self.location["prefix"]

    @property
    def role_name(self) -> str:
        return role_name(self.prefix, self.user.login)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        with self.conn.transaction():
            yield

    @contextlib.contextmanager
    def reader(self) -> Iterator[object]:
        with self._reader_lock:
            if self._reader is None:
                self._reader = connect(self.location["conninfo"], user=self.role_name, password=self._secret,
                                       sealer=self.conn.sealer, read_only=True)
            yield self._reader

    def load_slots(self) -> KeySlotFile:
        return _slots(self.conn, str(self.paths.server))

    def save_slots(self, slots: KeySlotFile) -> None:
        self.conn.execute("UPDATE key_slots SET body = ? WHERE id = 1", (slots.to_bytes().decode(),))

    def login_added(self, login: str, admin: bool) -> None:
        name = role_name(self.prefix, login)
        ident = _psycopg().sql.Identifier
        self._ddl("CREATE ROLE {} LOGIN NOBYPASSRLS", ident(name))
        self._ddl("GRANT {} TO {}", ident(f"{self.prefix}_officer"), ident(name))
        if admin:
            self._admin_powers(name)
        self.conn.execute("INSERT INTO officer_units (officer, unit) VALUES (?, ?) ON CONFLICT DO NOTHING",
                          (name, self.origin))

    def login_secret_changed(self, login: str, passphrase: str) -> None:
        name = role_name(self.prefix, login)
        self._ddl("ALTER ROLE {} PASSWORD {}", _psycopg().sql.Identifier(name),
                  _psycopg().sql.Literal(login_secret(self.location, login, passphrase)))
        if login == self.user.login:
            self._secret = login_secret(self.location, login, passphrase)

    def login_removed(self, login: str) -> None:
        self._ddl("ALTER ROLE {} NOLOGIN", _psycopg().sql.Identifier(role_name(self.prefix, login)))

    def _admin_powers(self, name: str) -> None:
        ident = _psycopg().sql.Identifier
        self._ddl("GRANT {} TO {} WITH ADMIN OPTION", ident(f"{self.prefix}_officer"), ident(name))
        self._ddl("GRANT {} TO {} WITH ADMIN OPTION", ident(f"{self.prefix}_admin"), ident(name))
        self._ddl("ALTER ROLE {} CREATEROLE", ident(name))

    def _ddl(self, template: str, *parts) -> None:
        sql = _psycopg().sql
        self.conn.raw.execute(sql.SQL(template).format(*parts))

    # --- which units an officer serves ----------------------------------------------
    def units_of(self, login: str) -> list[str]:
        return [u for (u,) in self.conn.execute("SELECT unit FROM officer_units WHERE officer = ? ORDER BY unit",
                                                (role_name(self.prefix, login),))]

    def assign_units(self, login: str, units: list[str]) -> None:
        """Give `login` exactly these units (and always the office's own); '*' = every unit."""
        from app.core.roles import Permission

        self.require(Permission.MANAGE_USERS)
        name = role_name(self.prefix, check_login(login))
        if not self.conn.execute("SELECT 1 FROM users WHERE login = ?", (login,)).fetchone():
            from app.core.errors import UserNotFound

            raise UserNotFound(login=login)
        with self.transaction():
            self.conn.execute("DELETE FROM officer_units WHERE officer = ?", (name,))
            self.conn.executemany("INSERT INTO officer_units (officer, unit) VALUES (?, ?) ON CONFLICT DO NOTHING",
                                  [(name, u) for u in dict.fromkeys([self.origin, *units])])
            self.audit("officer.units", "user", login, {"units": sorted(set(units))})

    def serves(self, unit: str) -> bool:
        return self.conn.execute(
            "SELECT 1 FROM officer_units WHERE officer = current_user AND unit IN (?, '*')", (unit,)).fetchone() is not None

    def require_unit(self, unit: str) -> None:
        if not self.serves(unit):
            from app.core.errors import NotYourUnit

            raise NotYourUnit(unit=unit, login=self.user.login)

    def close(self) -> None:
        self._close_reader()
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def _slots(conn, where: str) -> KeySlotFile:
    row = conn.execute("SELECT body FROM key_slots WHERE id = 1").fetchone()
    if row is None:
        raise RegisterDamaged(path=where, detail="no key slots on the server")
    return KeySlotFile.from_bytes(row[0].encode(), where)


# --- making one -----------------------------------------------------------------

def _admin_connection(conninfo: str, dbname: str | None = None):
    psycopg = _psycopg()
    from psycopg.conninfo import conninfo_to_dict

    from app.store.pg.connection import check_transport
    params = {k: str(v) for k, v in conninfo_to_dict(conninfo).items()}
    check_transport(params)
    if dbname:
        params["dbname"] = dbname
    params.setdefault("password", os.environ.get("PGPASSWORD", ""))
    try:
        return psycopg.connect(**params, autocommit=True, connect_timeout=10)
    except psycopg.OperationalError as error:
        from app.core.errors import DatabaseUnreachable

        raise DatabaseUnreachable(detail=str(error).strip().splitlines()[0]) from error


def create_office(root: Path, conninfo: str, *, unit: Unit, admin_login: str, admin_full_name: str,
                  passphrase: str, kdf: KdfParams | None = None) -> tuple[PgRegister, RecoveryKey]:
    """Make an office register in the (new or empty) database `conninfo` names, as the server's
    administrator, and sign its first administrator in. The folder `root` gets database.json."""
    _psycopg()  # a clear message when the program was installed without it
    from psycopg import sql
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
    location = {"format": FORMAT, "conninfo": _without_password(conninfo), "register_id": register_id,
                "prefix": prefix, "first_admin": login,
                "login_kdf": {k: v for k, v in (kdf or calibrate()).__dict__.items() if k != "salt"}}
    ident = sql.Identifier
    with _admin_connection(conninfo, "postgres") as server:
        if server.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone() is None:
            server.execute(sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0").format(ident(dbname)))
        if server.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (f"{prefix}_owner",)).fetchone():
            raise RegisterExists(path=f"{dbname} ({prefix}_owner)")
        for role in ("owner", "officer", "admin"):
            server.execute(sql.SQL("CREATE ROLE {} NOLOGIN NOBYPASSRLS").format(ident(f"{prefix}_{role}")))
        server.execute(sql.SQL("GRANT {} TO {}").format(ident(f"{prefix}_officer"), ident(f"{prefix}_admin")))
        server.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(ident(dbname)))
        server.execute(sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(
            ident(dbname), ident(f"{prefix}_officer")))
    data_key = os.urandom(32)
    user_id = uuid7()
    recovery = RecoveryKey.generate()
    with _admin_connection(conninfo) as raw:
        if raw.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema.SCHEMA,)).fetchone():
            raise RegisterExists(path=dbname)
        with raw.transaction():
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
    staging = root.parent / f".{root.name}.creating-{os.getpid()}-{uuid7()[-8:]}"
    root.parent.mkdir(parents=True, exist_ok=True)
    staging.mkdir(mode=0o700)
    try:
        write_atomic(RegisterPaths(staging).server, json.dumps(location, indent=1, sort_keys=True).encode() + b"\n")
        put_in_place(staging, root)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return _sign_in(RegisterPaths(root), location, login, passphrase), recovery


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


# --- signing in -----------------------------------------------------------------

def _sign_in(paths: RegisterPaths, location: dict, login: str | None, passphrase: str) -> PgRegister:
    login = location["first_admin"] if login is None else check_login(login)
    secret = login_secret(location, login, passphrase)
    conn = connect(location["conninfo"], user=role_name(location["prefix"], login), password=secret)
    try:
        slots = _slots(conn, str(paths.server))
        if slots.register_id != location["register_id"]:
            raise RegisterDamaged(path=str(paths.server), detail="register id does not match the server's key slots")
        data_key = slots.user_slot(login).open(slots.register_id, normalize(passphrase).encode())
        conn.sealer = Sealer(data_key, slots.register_id)
        stored = dict(conn.execute("SELECT key, value FROM register_info").fetchall())
        if stored.get("register_id") != slots.register_id:
            raise RegisterDamaged(path=str(paths.server), detail="register id does not match")
        version, known = int(stored.get("schema_version", "0")), migrations.latest_version()
        if version > known:
            raise RegisterTooNew(found=version, known=known)
        if version < known:
            raise RegisterDamaged(path=str(paths.server), detail=(
                f"the server's schema is version {version}, this program's {known}: upgrading an office "
                "database is not built yet (docs/postgresql.md)"))
        row = conn.execute("SELECT id, login, full_name, role, active FROM users WHERE login = ?", (login,)).fetchone()
        if row is None or not row[4]:
            raise WrongPassphrase()
        user = SignedInUser(row[0], row[1], row[2], Role(row[3]))
    except BaseException:
        conn.close()
        raise
    return PgRegister(paths, conn, data_key, slots.register_id, user, location, secret)


def unlock_office(root: Path, login: str | None, passphrase: str) -> PgRegister:
    """Sign in to the office register whose folder is `root` (login None = the first admin)."""
    paths = register_paths(root)
    location = _location(paths)
    throttle = UnlockThrottle(paths.throttle)
    throttle.check()
    try:
        register = _sign_in(paths, location, login, passphrase)
    except WrongPassphrase:
        throttle.failed()
        raise
    throttle.succeeded()
    with register.transaction():
        register.audit("register.unlock")
    return register


def is_office_on_server(root: Path) -> bool:
    return RegisterPaths(Path(root).absolute()).on_server
