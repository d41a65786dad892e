"""Relayed units (relay_points): which office may send here the records of which unit."""

from __future__ import annotations


def names(conn) -> dict[str, str]:
    """Code -> name of every unit assigned to an office."""
    return dict(conn.execute("SELECT point_code, point_name FROM relay_points").fetchall())


def relayed_by(conn, via: str) -> set[str]:
    """Codes of the units assigned to office `via`."""
    return {row[0] for row in conn.execute("SELECT point_code FROM relay_points WHERE via = ?", (via,))}


def assignments(conn) -> list[tuple[str, str, str]]:
    """(unit code, office, unit name) of every assignment."""
    return conn.execute("SELECT point_code, via, point_name FROM relay_points").fetchall()


def assigned_to(conn, code: str) -> str | None:
    """The office unit `code` is assigned to, if any."""
    row = conn.execute("SELECT via FROM relay_points WHERE point_code = ?", (code,)).fetchone()
    return row[0] if row else None


def assign(conn, code: str, via: str, name: str, at: str, by: str) -> None:
    """Assign the unit to office `via` (moving it from another office)."""
    conn.execute("INSERT INTO relay_points (point_code, via, point_name, assigned_at, assigned_by)"
                 " VALUES (?, ?, ?, ?, ?) ON CONFLICT(point_code) DO UPDATE SET via = excluded.via,"
                 " point_name = excluded.point_name, assigned_at = excluded.assigned_at,"
                 " assigned_by = excluded.assigned_by", (code, via, name, at, by))


def unassign(conn, code: str) -> bool:
    """Remove the unit's assignment; whether there was one."""
    return bool(conn.execute("DELETE FROM relay_points WHERE point_code = ?", (code,)).rowcount)


def rename(conn, code: str, via: str, name: str) -> None:
    conn.execute("UPDATE relay_points SET point_name = ? WHERE point_code = ? AND via = ?", (name, code, via))
