"""Users of a register, their roles and their key slots."""

from __future__ import annotations

from dataclasses import dataclass

from app.core.clock import utc_stamp
from app.core.errors import LastAdmin, PermissionDenied, UserExists, UserNotFound
from app.core.i18n import N_
from app.core.ids import uuid7
from app.core.passphrase import check_new
from app.core.roles import Permission, Role
from app.core.unit import check_login, check_required
from app.store.vault import KIND_USER, calibrate, seal_slot


@dataclass(frozen=True)
class User:
    id: str
    login: str
    full_name: str
    role: Role
    active: bool
    created_at: str


_COLUMNS = "id, login, full_name, role, active, created_at"


def _user(row) -> User:
    return User(row[0], row[1], row[2], Role(row[3]), bool(row[4]), row[5])


def list_users(conn) -> list[User]:
    return [_user(r) for r in conn.execute(f"SELECT {_COLUMNS} FROM users ORDER BY created_at, login")]


def find_user(conn, login: str) -> User:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM users WHERE login = ?", (login.strip().lower(),)
    ).fetchone()
    if row is None:
        raise UserNotFound(login=login)
    return _user(row)


def resolve_user_id(conn, login: str | None) -> str:
    """`login`'s id, or the first active admin's when login is None."""
    if login is not None:
        return find_user(conn, login).id
    row = conn.execute(
        "SELECT id FROM users WHERE role = 'admin' AND active = 1 ORDER BY created_at LIMIT 1"
    ).fetchone()
    if row is None:
        raise UserNotFound(login="admin")
    return row[0]


def write_slot(register, user, passphrase: str) -> None:
    """Seal the data key for `user` with `passphrase` and save the slot file."""
    slots = register.load_slots()
    slots.put_user_slot(
        seal_slot(
            register.register_id,
            register.data_key,
            passphrase.encode(),
            kind=KIND_USER,
            kdf=calibrate(),
            user_id=user.id,
            login=user.login,
            admin=user.role is Role.ADMIN,
        )
    )
    register.save_slots(slots)
    register.login_secret_changed(user.login, passphrase)


def add_user(register, login: str, full_name: str, role: Role | str, passphrase: str) -> User:
    register.require(Permission.MANAGE_USERS)
    login = check_login(login)
    full_name = check_required(full_name, N_("Full name"))
    role = Role(role)
    passphrase = check_new(passphrase)
    if register.conn.execute("SELECT 1 FROM users WHERE login = ?", (login,)).fetchone():
        raise UserExists(login=login)
    now = utc_stamp()
    user = User(uuid7(), login, full_name, role, True, now)
    # The slot file is written inside the transaction: if it cannot be
    # written the user row is rolled back too.
    with register.transaction():
        register.conn.execute(
            "INSERT INTO users (id, login, full_name, role, active, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, 1, ?, ?)",
            (user.id, login, full_name, role.value, now, now),
        )
        register.audit("user.add", "user", user.id, {"login": login, "role": role.value})
        register.login_added(login, role is Role.ADMIN)
        write_slot(register, user, passphrase)
    return user


def set_passphrase(register, login: str, new_passphrase: str) -> User:
    """A user changes their own passphrase; an administrator may reset anyone's."""
    user = find_user(register.conn, login)
    if user.id != register.user.id and register.user.role is not Role.ADMIN:
        raise PermissionDenied(role=register.user.role.label)
    passphrase = check_new(new_passphrase)
    with register.transaction():
        register.audit("passphrase.change", "user", user.id)
        write_slot(register, user, passphrase)
    return user


def change_own_passphrase(register, current: str, new_passphrase: str) -> User:
    """The signed-in user changes their passphrase, proving they know the current one."""
    from app.core.passphrase import normalize

    slots = register.load_slots()
    slots.user_slot(register.user.login).open(register.register_id, normalize(current).encode())
    return set_passphrase(register, register.user.login, new_passphrase)


def set_role(register, login: str, role: Role | str, active: bool = True) -> User:
    """Change a user's role or deactivate them (a deactivated user loses their slot)."""
    register.require(Permission.MANAGE_USERS)
    user = find_user(register.conn, login)
    role = Role(role)
    admins = register.conn.execute(
        "SELECT count(*) FROM users WHERE role = 'admin' AND active = 1 AND id != ?", (user.id,)
    ).fetchone()[0]
    if user.role is Role.ADMIN and (role is not Role.ADMIN or not active) and admins == 0:
        raise LastAdmin()
    with register.transaction():
        register.conn.execute(
            "UPDATE users SET role = ?, active = ?, updated_at = ? WHERE id = ?",
            (role.value, int(active), utc_stamp(), user.id),
        )
        register.audit("user.update", "user", user.id, {"role": role.value, "active": active})
        if not active:
            # A deactivated user can no longer unlock: their slot is removed.
            # (A role change keeps the slot; the role itself is read from the register.)
            slots = register.load_slots()
            slots.slots = [s for s in slots.slots if not (s.kind == KIND_USER and s.user_id == user.id)]
            register.save_slots(slots)
            register.login_removed(user.login)
    return find_user(register.conn, login)
