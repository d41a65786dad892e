"""An office register kept on a PostgreSQL server: signing in, officers and their units.

The register folder on each officer's computer holds `database.json` (where the server is, the
register id, how sign-in secrets are derived; no password, no key) and the unlock throttle.
Everything else is on the server: the tables (app/store/pg/schema.py), the key slots, and a
login role per officer. Making one: app/store/pg/creation.py.

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
import threading
from collections.abc import Iterator
from pathlib import Path

from app.core.errors import RegisterDamaged, RegisterTooNew, WrongPassphrase
from app.core.hlc import HybridClock
from app.core.passphrase import normalize
from app.core.roles import Role
from app.core.unit import check_login
from app.store import migrations
from app.store.pg.connection import PgConnection, _psycopg, connect
from app.store.pg.personal import Sealer
from app.store.unlocked import Register, SignedInUser, signed_in
from app.store.register_folder import RegisterPaths, register_paths
from app.store.vault import KdfParams, KeySlotFile

FORMAT = "tuvan-office-database-1"


# --- where the register is ------------------------------------------------------

def without_password(conninfo: str) -> str:
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


# --- signing in -----------------------------------------------------------------

def sign_in(paths: RegisterPaths, location: dict, login: str | None, passphrase: str) -> PgRegister:
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
    return signed_in(paths, lambda: sign_in(paths, location, login, passphrase))
