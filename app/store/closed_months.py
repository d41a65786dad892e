"""Which closed months a change to a record touches (so the change can be flagged)."""

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
