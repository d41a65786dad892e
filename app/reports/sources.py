"""The rows a month's indicators are counted from, as SQL: one source per kind of record.

Each source is a SELECT over one month (`:first`, `:last`) that keeps only the rows some metric of
it can count, and names its columns the same way for every metric (`origin`, `client_id`, `sex`,
`grp` …). The engine wraps a source in one aggregate query per form (`engine.py`); the drill-down
selects from the same text, so a number and the records behind it cannot disagree.

Deleted records never count, nor records attached to a client whose record is deleted.
"""

from __future__ import annotations

from dataclasses import dataclass

# The client's group at the end of the month: the last history entry starting on or before its
# last day (any point may have written it), else the group on the client's record.
GROUP_OF_CLIENT = ("coalesce((SELECT g.group_code FROM client_groups g WHERE g.client_id = c.id AND g.deleted = 0"
                   " AND g.start_date <= :last ORDER BY g.start_date DESC, g.seq DESC LIMIT 1), c.main_group)")


@dataclass(frozen=True)
class Source:
    rows: str               # SELECT of the rows (with their `origin`)
    attached: bool = True   # rows name a `client_id`: the client's sex and group come from the client's record

# Every source but `clients` lists rows attached to a client or none; the client's sex and group are
# joined after the rows are counted per client, so a client seen 30 times is looked up once.
SOURCES: dict[str, Source] = {
    # Cases closed before the month count in no client metric (most of an old register).
    "clients": Source("""
        SELECT c.id, c.origin, c.sex, {group} AS grp, c.intake_date, c.status, c.closed_date, c.closing_reason,
               c.legal_status, c.legal_start, c.legal_end
        FROM clients c
        WHERE +c.deleted = 0 AND c.intake_date <= :last
          AND (c.status != 'closed' OR c.closed_date IS NULL OR c.closed_date >= :first
               OR c.legal_status = 'post_rehab_management'){origin:c}""",
                      attached=False),
    # Every counselling lượt: one per contact with a named client, one per group-session participant.
    "turns": Source("""
        SELECT t.id AS contact_id, t.origin, t.kind, t.client_id
        FROM contacts t
        WHERE t.deleted = 0 AND t.client_id IS NOT NULL AND t.contact_date BETWEEN :first AND :last{origin:t}
        UNION ALL
        SELECT t.id, t.origin, t.kind, p.client_id
        FROM contacts t JOIN contact_participants p ON p.contact_id = t.id AND p.deleted = 0
        WHERE t.deleted = 0 AND t.kind = 'group' AND t.contact_date BETWEEN :first AND :last{origin:t}"""),
    # Group and community sessions (community ones mostly of people without a record).
    "sessions": Source("""
        SELECT t.id AS contact_id, t.origin, t.kind, t.attendee_count,
               (SELECT count(*) FROM contact_participants p WHERE p.contact_id = t.id AND p.deleted = 0) AS participants
        FROM contacts t
        WHERE t.deleted = 0 AND t.kind IN ('group', 'community') AND t.contact_date BETWEEN :first AND :last{origin:t}""",
                       attached=False),
    # Referrals that can count: made in the month; made before it and still pending; made before it
    # and settled since its first day. Three disjoint parts, so that each is read from an index.
    "referrals": Source("""
        SELECT r.id, r.origin, r.service, r.client_id, r.referred_date, r.outcome, r.outcome_date, r.amount
        FROM referrals r
        WHERE r.deleted = 0 AND r.referred_date BETWEEN :first AND :last{origin:r}
        UNION ALL
        SELECT r.id, r.origin, r.service, r.client_id, r.referred_date, r.outcome, r.outcome_date, r.amount
        FROM referrals r
        WHERE r.deleted = 0 AND r.outcome = 'pending' AND r.referred_date < :first{origin:r}
        UNION ALL
        SELECT r.id, r.origin, r.service, r.client_id, r.referred_date, r.outcome, r.outcome_date, r.amount
        FROM referrals r
        WHERE r.deleted = 0 AND r.outcome_date >= :first AND r.outcome != 'pending' AND r.referred_date < :first{origin:r}"""),
    "rehab": Source("""
        SELECT r.id, r.origin, r.client_id, r.registration_date, r.decision_date, r.start_date, r.outcome,
               r.outcome_date
        FROM rehab_registrations r
        WHERE r.deleted = 0 AND r.registration_date <= :last{origin:r}"""),
    "methadone": Source("""
        SELECT m.id, m.origin, m.client_id, m.start_date, m.status, m.end_date
        FROM methadone_episodes m
        WHERE m.deleted = 0 AND m.start_date <= :last{origin:m}"""),
    # A group is active in a month when it met in that month (a later "inactive" flag does not rewrite history).
    "active_groups": Source("""
        SELECT g.id, g.origin FROM groups g
        WHERE g.deleted = 0 AND EXISTS (SELECT 1 FROM group_meetings t WHERE t.group_id = g.id AND t.deleted = 0
                                        AND t.meeting_date BETWEEN :first AND :last){origin:g}""", attached=False),
    "meetings": Source("""
        SELECT t.id, t.origin FROM group_meetings t
        WHERE t.deleted = 0 AND t.meeting_date BETWEEN :first AND :last{origin:t}""", attached=False),
    "attendance": Source("""
        SELECT a.id, t.origin, a.client_id
        FROM meeting_attendance a JOIN group_meetings t ON t.id = a.meeting_id
        WHERE a.deleted = 0 AND t.deleted = 0 AND t.meeting_date BETWEEN :first AND :last{origin:t}"""),
    "members": Source("""
        SELECT m.id, m.origin, m.client_id
        FROM group_members m
        WHERE m.deleted = 0 AND m.joined_date <= :last AND (m.left_date IS NULL OR m.left_date > :last){origin:m}"""),
    "outreach": Source("""
        SELECT o.id, o.origin, o.kind, o.quantity, o.minutes, o.attendees
        FROM outreach o
        WHERE o.deleted = 0 AND o.activity_date BETWEEN :first AND :last{origin:o}""", attached=False),
}

CLIENT_COLUMNS = ("sex", "grp")  # what a row attached to a client takes from the client's record


def rows_sql(name: str, *, one_point: bool, with_group: bool) -> str:
    """The rows of source `name`, of one point (`:origin`) or of all. Only `clients` has its
    client columns here; `with_group` says whether a cell asks for the group at the month's end
    (else the group on the record, which costs nothing)."""
    text = SOURCES[name].rows.replace("{group}", GROUP_OF_CLIENT if with_group else "c.main_group")
    for alias in "cgtrmo":
        text = text.replace("{origin:%s}" % alias, f" AND {alias}.origin = :origin" if one_point else "")
    return text


def with_client(rows: str, keep: str, *, with_group: bool) -> str:
    """`keep` of `rows` (a table or a subquery named `r`) with the sex and group of each row's client,
    leaving out rows whose client's record is deleted."""
    group = GROUP_OF_CLIENT if with_group else "c.main_group"
    # clients_counted holds every column read here: one search of a narrow index per client, where
    # SQLite would pick the unique index on id and then fetch the whole record.
    return (f"SELECT {keep}, c.sex, {group} AS grp FROM {rows} JOIN clients c INDEXED BY clients_counted"
            " ON c.id = r.client_id AND +c.deleted = 0")


def source_sql(name: str, *, one_point: bool, with_group: bool) -> str:
    """Every row of source `name` with its client's columns: what a drill-down lists."""
    rows = rows_sql(name, one_point=one_point, with_group=with_group)
    if not SOURCES[name].attached:
        return rows
    return with_client(f"({rows}) AS r", "r.*", with_group=with_group)
