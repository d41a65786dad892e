"""The hand-written SQL probe the indicator engine is measured against (issue 14).

The same month's counts a DBA would write by hand for the default form, one plain GROUP BY per kind
of record (the client's group at the month's end by a correlated lookup, people by count(DISTINCT)):
the work SQLite itself needs, without the engine's compiling, parameters and filing of numbers.
The engine's time over the probe's, in the same run on the same register, is the figure that counts.
"""

from __future__ import annotations

from app.reports.sources import GROUP_OF_CLIENT

QUERIES = [
    # clients: new, active, closed, post-rehab management, by sex and group at the month's end
    f"""SELECT c.sex, {GROUP_OF_CLIENT} AS grp,
               count(CASE WHEN c.intake_date BETWEEN :first AND :last THEN 1 END),
               count(CASE WHEN c.status != 'closed' OR c.closed_date > :last THEN 1 END),
               count(CASE WHEN c.status = 'closed' AND c.closed_date BETWEEN :first AND :last THEN 1 END),
               count(CASE WHEN c.legal_status = 'post_rehab_management' AND c.legal_start <= :last
                          AND (c.legal_end IS NULL OR c.legal_end > :last) THEN 1 END)
        FROM clients c WHERE +c.deleted = 0 AND c.intake_date <= :last
          AND (c.status != 'closed' OR c.closed_date IS NULL OR c.closed_date >= :first
               OR c.legal_status = 'post_rehab_management')
        GROUP BY 1, 2""",
    # counselling lượt and người by kind, sex and group
    f"""SELECT t.kind, c.sex, {GROUP_OF_CLIENT} AS grp, count(*), count(DISTINCT c.id)
        FROM (SELECT kind, client_id FROM contacts WHERE deleted = 0 AND client_id IS NOT NULL
                AND contact_date BETWEEN :first AND :last
              UNION ALL
              SELECT t.kind, p.client_id FROM contacts t JOIN contact_participants p ON p.contact_id = t.id
                AND p.deleted = 0 WHERE t.deleted = 0 AND t.kind = 'group' AND t.contact_date BETWEEN :first AND :last) t
        JOIN clients c ON c.id = t.client_id AND +c.deleted = 0
        GROUP BY 1, 2, 3""",
    # sessions and the people present
    """SELECT kind, count(*), sum(CASE WHEN kind = 'community' THEN coalesce(attendee_count, 0) ELSE
               (SELECT count(*) FROM contact_participants p WHERE p.contact_id = t.id AND p.deleted = 0) END)
       FROM contacts t WHERE deleted = 0 AND kind IN ('group', 'community') AND contact_date BETWEEN :first AND :last
       GROUP BY 1""",
    # referrals made, people, completed, amounts, pending, by service and sex
    """SELECT r.service, c.sex,
              count(CASE WHEN r.referred_date >= :first THEN 1 END),
              count(DISTINCT CASE WHEN r.referred_date >= :first THEN r.client_id END),
              count(CASE WHEN r.outcome = 'completed' AND r.outcome_date BETWEEN :first AND :last THEN 1 END),
              sum(CASE WHEN r.outcome = 'completed' AND r.outcome_date BETWEEN :first AND :last THEN r.amount END),
              count(CASE WHEN r.outcome = 'pending' OR r.outcome_date > :last THEN 1 END)
       FROM referrals r JOIN clients c ON c.id = r.client_id AND +c.deleted = 0
       WHERE r.deleted = 0 AND r.referred_date <= :last
         AND (r.referred_date >= :first OR r.outcome = 'pending' OR r.outcome_date >= :first)
       GROUP BY 1, 2""",
    # outreach by kind
    """SELECT kind, count(*), sum(quantity), sum(quantity * coalesce(minutes, 0)), sum(coalesce(attendees, 0))
       FROM outreach WHERE deleted = 0 AND activity_date BETWEEN :first AND :last GROUP BY 1""",
    # treatment and self-help groups (small tables)
    """SELECT count(CASE WHEN r.registration_date BETWEEN :first AND :last THEN 1 END),
              count(CASE WHEN r.outcome = 'ongoing' THEN 1 END) FROM rehab_registrations r
       WHERE r.deleted = 0 AND r.registration_date <= :last""",
    """SELECT count(CASE WHEN start_date BETWEEN :first AND :last THEN 1 END),
              count(CASE WHEN end_date IS NULL OR end_date > :last THEN 1 END) FROM methadone_episodes
       WHERE deleted = 0 AND start_date <= :last""",
    """SELECT count(*), count(DISTINCT group_id) FROM group_meetings
       WHERE deleted = 0 AND meeting_date BETWEEN :first AND :last""",
]


def run(conn, month) -> list[list[tuple]]:
    params = {"first": month.first, "last": month.last}
    return [conn.execute(sql, params).fetchall() for sql in QUERIES]


def individual_turns(conn, month) -> int:
    """A number both must agree on (rows 5-8 of the default form together): the probe is not a toy."""
    rows = conn.execute(QUERIES[1], {"first": month.first, "last": month.last}).fetchall()
    return sum(row[3] for row in rows if row[0] in ("office", "home", "phone", "online"))
