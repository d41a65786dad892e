"""The key ring: this register's own keys (identity_keys) and the peers' pinned keys (trusted_keys)."""

from __future__ import annotations

# --- own keys ----------------------------------------------------------------------

def add_own_key(conn, fingerprint: str, sign_private: bytes, sign_public: bytes, enc_private: bytes,
                enc_public: bytes, created_at: str, key_change: str | None) -> None:
    conn.execute(
        "INSERT INTO identity_keys (fingerprint, sign_private, sign_public, enc_private, enc_public, created_at,"
        " key_change) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (fingerprint, sign_private, sign_public, enc_private, enc_public, created_at, key_change))


def current_own_key(conn) -> tuple[bytes, bytes] | None:
    """(sign_private, enc_private) of the newest key not retired."""
    return conn.execute("SELECT sign_private, enc_private FROM identity_keys WHERE retired_at IS NULL"
                        " ORDER BY created_at DESC LIMIT 1").fetchone()


def all_own_keys(conn) -> list[tuple[bytes, bytes]]:
    """(sign_private, enc_private) of every key, current and retired, newest first."""
    return conn.execute("SELECT sign_private, enc_private FROM identity_keys ORDER BY created_at DESC").fetchall()


def latest_key_change(conn) -> str | None:
    """The key-change announcement (JSON text) of the current key, if it replaced another."""
    row = conn.execute("SELECT key_change FROM identity_keys WHERE retired_at IS NULL AND key_change IS NOT NULL"
                       " ORDER BY created_at DESC LIMIT 1").fetchone()
    return row[0] if row else None


def retire_own_key(conn, fingerprint: str, at: str) -> None:
    conn.execute("UPDATE identity_keys SET retired_at = ? WHERE fingerprint = ?", (at, fingerprint))


# --- pinned peers -------------------------------------------------------------------

TRUSTED_COLUMNS = ("fingerprint, role, unit_code, unit_name, register_id, sign_public, enc_public, points, active,"
                   " point_names, confirmed_fingerprint, direction")


def trusted_row(conn, fingerprint: str, *, include_inactive: bool = True, confirmed: bool = False) -> tuple | None:
    """The TRUSTED_COLUMNS of the key with this key fingerprint; with `confirmed`, also of the key
    whose confirmed fingerprint it is. An active key first."""
    match, params = ("(fingerprint = ? OR confirmed_fingerprint = ?)", (fingerprint, fingerprint)) if confirmed \
        else ("fingerprint = ?", (fingerprint,))
    return conn.execute(f"SELECT {TRUSTED_COLUMNS} FROM trusted_keys WHERE {match}"
                        + ("" if include_inactive else " AND active = 1") + " ORDER BY active DESC",
                        params).fetchone()


def trusted_rows(conn, role: str | None = None, *, active_only: bool = True, direction: str | None = None
                 ) -> list[tuple]:
    """The TRUSTED_COLUMNS of the pinned keys, by unit code."""
    sql = f"SELECT {TRUSTED_COLUMNS} FROM trusted_keys WHERE 1 = 1"
    params: list = []
    if role:
        sql += " AND role = ?"
        params.append(role)
    if direction:
        sql += " AND direction = ?"
        params.append(direction)
    if active_only:
        sql += " AND active = 1"
    return conn.execute(sql + " ORDER BY unit_code", params).fetchall()


def is_active(conn, fingerprint: str) -> bool | None:
    """Whether the key is active; None if it was never pinned."""
    row = conn.execute("SELECT active FROM trusted_keys WHERE fingerprint = ?", (fingerprint,)).fetchone()
    return None if row is None else bool(row[0])


def other_active_key(conn, unit_code: str, fingerprint: str) -> str | None:
    """The fingerprint of another active key of the same unit, if any."""
    row = conn.execute("SELECT fingerprint FROM trusted_keys WHERE unit_code = ? AND active = 1"
                       " AND fingerprint != ?", (unit_code, fingerprint)).fetchone()
    return row[0] if row else None


def pin(conn, fingerprint: str, role: str, unit_code: str, unit_name: str, register_id: str, sign_public: bytes,
        enc_public: bytes, points: str, pinned_at: str, pinned_by: str, point_names: str, confirmed: str,
        direction: str) -> None:
    """Pin a key (active), or refresh what a key pinned before says about its unit."""
    conn.execute(
        "INSERT INTO trusted_keys (fingerprint, role, unit_code, unit_name, register_id, sign_public, enc_public,"
        " points, pinned_at, pinned_by, active, point_names, confirmed_fingerprint, direction)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)"
        " ON CONFLICT(fingerprint) DO UPDATE SET unit_name = excluded.unit_name, points = excluded.points,"
        " point_names = excluded.point_names, confirmed_fingerprint = excluded.confirmed_fingerprint,"
        " direction = excluded.direction, active = 1, replaced_by = NULL",
        (fingerprint, role, unit_code, unit_name, register_id, sign_public, enc_public, points, pinned_at, pinned_by,
         point_names, confirmed, direction))


def replace(conn, old_fingerprint: str, new_fingerprint: str) -> None:
    conn.execute("UPDATE trusted_keys SET active = 0, replaced_by = ? WHERE fingerprint = ?",
                 (new_fingerprint, old_fingerprint))


def deactivate(conn, fingerprint: str) -> None:
    conn.execute("UPDATE trusted_keys SET active = 0 WHERE fingerprint = ?", (fingerprint,))


def rename_unit(conn, unit_code: str, unit_name: str) -> None:
    """The unit's name as its own latest bundle gives it (on its active key)."""
    conn.execute("UPDATE trusted_keys SET unit_name = ? WHERE unit_code = ? AND active = 1", (unit_name, unit_code))


def sends_here(conn, office_code: str) -> None:
    """An office's keys send their bundles here (they do not receive ours)."""
    conn.execute("UPDATE trusted_keys SET direction = 'down' WHERE unit_code = ? AND role = 'district'",
                 (office_code,))


def unit_name(conn, unit_code: str) -> str:
    """The unit's name on its active key, else on its newest retired one; "" if none is pinned."""
    row = conn.execute("SELECT unit_name FROM trusted_keys WHERE unit_code = ? ORDER BY active DESC LIMIT 1",
                       (unit_code,)).fetchone()
    return row[0] if row else ""


def point_codes(conn) -> set[str]:
    """Codes of every point with a pinned key (active or not)."""
    return {r[0] for r in conn.execute("SELECT unit_code FROM trusted_keys WHERE role = 'point'")}


def listing(conn) -> list[tuple]:
    """(unit_code, unit_name, role, fingerprint, pinned_at, active, replaced_by, confirmed_fingerprint,
    direction) of every pinned key, the ones in use first."""
    return conn.execute(
        "SELECT unit_code, unit_name, role, fingerprint, pinned_at, active, replaced_by, confirmed_fingerprint,"
        " direction FROM trusted_keys ORDER BY active DESC, role DESC, unit_code, pinned_at").fetchall()
