"""How many live records of each kind a register holds: the summary a new demo register prints."""

from __future__ import annotations


def counts(conn) -> dict[str, int]:
    """What the register holds, for the summary the command prints."""
    queries = {
        "clients": "SELECT count(*) FROM clients WHERE deleted = 0",
        "family_members": "SELECT count(*) FROM clients WHERE deleted = 0 AND main_group = 'family'",
        "closed_cases": "SELECT count(*) FROM clients WHERE deleted = 0 AND status = 'closed'",
        "staff": "SELECT count(*) FROM staff WHERE deleted = 0",
        "hamlets": "SELECT count(*) FROM catalog_items WHERE kind = 'hamlet'",
        "contacts": "SELECT count(*) FROM contacts WHERE deleted = 0",
        "session_participants": "SELECT count(*) FROM contact_participants WHERE deleted = 0",
        "referrals": "SELECT count(*) FROM referrals WHERE deleted = 0",
        "referrals_pending": "SELECT count(*) FROM referrals WHERE deleted = 0 AND outcome = 'pending'",
        "rehab_registrations": "SELECT count(*) FROM rehab_registrations WHERE deleted = 0",
        "methadone_episodes": "SELECT count(*) FROM methadone_episodes WHERE deleted = 0",
        "self_help_groups": "SELECT count(*) FROM groups WHERE deleted = 0",
        "group_meetings": "SELECT count(*) FROM group_meetings WHERE deleted = 0",
        "outreach": "SELECT count(*) FROM outreach WHERE deleted = 0",
    }
    return {name: conn.execute(sql).fetchone()[0] for name, sql in queries.items()}
