"""What a register holds: how many live records of each kind (the summary a new demo register
prints) and the names people read for its tables (`tuvan check`)."""

from __future__ import annotations

from app.core.i18n import N_, _
from app.store.connection import on_server

# Every table of the schema, as `tuvan check` names it; the JSON output keeps the table names.
TABLE_LABELS = {
    "audit_log": N_("Audit log entries"),
    "bundles_received": N_("Bundles received"),
    "bundles_sent": N_("Bundles sent"),
    "catalog_items": N_("Catalog entries"),
    "change_log": N_("Change log entries (for sync)"),
    "client_groups": N_("Client group history"),
    "client_search": N_("Search index entries"),
    "clients": N_("Clients"),
    "contact_participants": N_("Participants of group sessions"),
    "contacts": N_("Counselling contacts"),
    "group_meetings": N_("Group meetings"),
    "group_members": N_("Group memberships"),
    "groups": N_("Self-help groups"),
    "identity_keys": N_("This register's keys"),
    "meeting_attendance": N_("Meeting attendance"),
    "methadone_episodes": N_("Methadone treatment episodes"),
    "month_closures": N_("Closed months"),
    "outreach": N_("Outreach activities"),
    "person_links": N_("Decisions on possible same persons"),
    "quarantine": N_("Records held back"),
    "receipts": N_("Receipts"),
    "referrals": N_("Referrals"),
    "refused_records": N_("Records refused by the office"),
    "register_info": N_("Register facts"),
    "rehab_registrations": N_("Voluntary rehabilitation registrations"),
    "relay_points": N_("Relayed units"),
    "settings": N_("Settings"),
    "staff": N_("Staff"),
    "sync_alarms": N_("Sync alarms"),
    "trusted_keys": N_("Trusted keys"),
    "users": N_("Users"),
    # an office register on PostgreSQL (app/store/pg/office.py)
    "key_slots": N_("Key slots"),
    "officer_units": N_("Units each officer serves"),
}
# What else an audit entry can be about.
ENTITY_LABELS = {"register": N_("Register"), "user": N_("User")}


def shown_to_people(table: str) -> bool:
    """Tables of SQLite's own (statistics, the search index's shadow tables) are not listed."""
    return not table.startswith(("sqlite_", "client_search_"))


def table_names(conn) -> list[str]:
    """Every table of the register, by name."""
    if on_server(conn):
        sql = ("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
               " AND table_type = 'BASE TABLE' ORDER BY 1")
    else:
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
    return [name for (name,) in conn.execute(sql)]


def table_counts(conn) -> dict[str, int]:
    """Rows in each table of the register (`tuvan check`)."""
    return {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in table_names(conn)}


def table_label(table: str) -> str:
    """A table (or what an audit entry is about) as a person reads it."""
    label = TABLE_LABELS.get(table) or ENTITY_LABELS.get(table)
    return _(label) if label else table


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
