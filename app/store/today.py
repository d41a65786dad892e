"""The Today screen: follow-ups due or overdue, referrals awaiting an outcome, rehab and management
terms ending."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from app.store import records


@dataclass(frozen=True)
class Agenda:
    follow_ups: list[dict]     # due up to `horizon`, oldest first; overdue = before today
    referrals: list[dict]      # outcome still pending, oldest first
    rehab_ending: list[dict]   # ongoing registrations whose term ends this month or has ended
    management_ending: list[dict]  # managements (post-rehab, drug user) ending this month or ended
    today: str


def agenda(conn, today: date, *, days_ahead: int = 7) -> Agenda:
    horizon = (today + timedelta(days=days_ahead)).isoformat()
    next_month = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
    month_end = (next_month - timedelta(days=1)).isoformat()
    follow_ups = records.rows(conn, "contacts", """
        SELECT f.id, f.client_id, f.kind, f.contact_date, f.next_follow_up, c.full_name, c.alias, c.code, c.hamlet
        FROM clients c JOIN contacts f ON f.id = (  -- each client's latest contact: one index probe a client
            SELECT l.id FROM contacts l WHERE l.client_id = c.id AND l.deleted = 0
            ORDER BY l.contact_date DESC, l.seq DESC LIMIT 1)
        WHERE c.deleted = 0 AND c.status = 'active' AND f.next_follow_up IS NOT NULL AND f.next_follow_up <= ?
        ORDER BY f.next_follow_up, c.sort_key""", (horizon,))
    referrals = records.rows(conn, "referrals", """
        SELECT r.id, r.client_id, r.service, r.referred_date, r.referred_to, c.full_name, c.alias, c.code
        FROM referrals r JOIN clients c ON c.id = r.client_id
        WHERE r.deleted = 0 AND r.outcome = 'pending' AND c.deleted = 0
        ORDER BY r.referred_date, c.sort_key""")
    rehab = records.rows(conn, "rehab_registrations", """
        SELECT r.id, r.client_id, r.end_date, r.provider, r.term_months, c.full_name, c.alias, c.code
        FROM rehab_registrations r JOIN clients c ON c.id = r.client_id
        WHERE r.deleted = 0 AND r.outcome = 'ongoing' AND r.end_date <= ? AND c.deleted = 0
        ORDER BY r.end_date""", (month_end,))
    management = records.rows(conn, "clients", """
        SELECT c.id, c.id AS client_id, c.legal_status, c.legal_start, c.legal_end, c.full_name, c.alias, c.code
        FROM clients c
        WHERE c.deleted = 0 AND c.status = 'active' AND c.legal_status IN ('post_rehab_management', 'managed_user')
          AND c.legal_end IS NOT NULL AND c.legal_end != '' AND c.legal_end <= ?
        ORDER BY c.legal_end, c.sort_key""", (month_end,))
    return Agenda(follow_ups, referrals, rehab, management, today.isoformat())
