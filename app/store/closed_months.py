"""Closed months: each one's frozen numbers as stored, and which of them a change to a record
touches (so the change can be flagged). Months are named by their code, "2026-10"."""

from __future__ import annotations

# The dates that decide which month a record counts in (see docs/forms.md).
DATE_COLUMNS = {
    "clients": ("intake_date", "closed_date", "legal_start", "legal_end"),
    "client_groups": ("start_date",),
    "contacts": ("contact_date",),
    "referrals": ("referred_date", "outcome_date"),
    "rehab_registrations": ("registration_date", "decision_date", "outcome_date"),
    "methadone_episodes": ("start_date", "end_date"),
    "groups": ("founded_date",),
    "group_members": ("joined_date", "left_date"),
    "group_meetings": ("meeting_date",),
    "outreach": ("activity_date",),
}


def closed_months_touched(conn, table: str, *rows: dict | None) -> list[str]:
    """Closed months (labels) whose numbers a change to these versions of a record may alter."""
    columns = DATE_COLUMNS.get(table)  # participants and attendance follow their session's date
    if not columns:
        return []
    months = {row[c][:7] for row in rows if row for c in columns if row.get(c)}
    if not months:
        return []
    marks = ",".join("?" * len(months))
    return [f"{m[5:7]}/{m[:4]}" for (m,) in conn.execute(
        f"SELECT month FROM month_closures WHERE month IN ({marks}) ORDER BY month", sorted(months))]


def closure(conn, month: str) -> tuple | None:
    """(form code, closed at, closed by, snapshot, amendments, digest) of closed `month`, else None;
    closed by is the chair's full name (their user id when the user is not in this register)."""
    return conn.execute(
        "SELECT m.form_code, m.closed_at, coalesce(u.full_name, m.closed_by), m.snapshot, m.amendments, m.digest"
        " FROM month_closures m LEFT JOIN users u ON u.id = m.closed_by WHERE m.month = ?", (month,)).fetchone()


def closed(conn) -> list[str]:
    """The codes of the closed months, oldest first."""
    return [row[0] for row in conn.execute("SELECT month FROM month_closures ORDER BY month")]


def add_closure(conn, month: str, form_code: str, closed_at: str, closed_by: str, snapshot: str,
                amendments: str, digest: str) -> None:
    """Store a closure (inside the transaction that audits it)."""
    conn.execute(
        "INSERT INTO month_closures (month, form_code, closed_at, closed_by, snapshot, amendments, digest)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (month, form_code, closed_at, closed_by, snapshot, amendments, digest))
