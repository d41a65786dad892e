"""Synthetic clients for benchmarks: realistic Vietnamese names, inserted in bulk.

Benchmarks need 100,000 clients in seconds, so rows go in with executemany
(and the same sort key and search terms the repositories store) instead of
one validated save each; the timed operations themselves use the real code.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from app.core.clock import utc_stamp
from app.core.ids import uuid7
from app.core.text import sort_key
from app.store.search import terms_for

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
          "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Lâm", "Trương", "Mai", "Tô", "Châu", "Thái", "Quách"]
FAMILY_WEIGHTS = [38, 11, 9, 7, 5, 5, 4, 4, 4, 3, 3, 3, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1]
MIDDLE_MALE = ["Văn", "Minh", "Hữu", "Thanh", "Quốc", "Công", "Đức", "Ngọc", "Hoàng", "Tấn", "Thành"]
MIDDLE_FEMALE = ["Thị", "Ngọc", "Thanh", "Kim", "Mỹ", "Thu", "Hồng", "Bích", "Diệu"]
GIVEN_MALE = ["An", "Bình", "Cường", "Dũng", "Đức", "Đạt", "Hải", "Hùng", "Huy", "Khánh", "Lâm", "Long",
              "Minh", "Nam", "Nghĩa", "Phúc", "Quang", "Sơn", "Tài", "Thắng", "Thịnh", "Toàn", "Trung",
              "Tuấn", "Việt", "Vinh", "Bảo", "Lộc", "Phát", "Tâm", "Hiếu", "Khoa", "Duy", "Thuận"]
GIVEN_FEMALE = ["Anh", "Ánh", "Châu", "Dung", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Loan", "Mai",
                "My", "Nga", "Ngọc", "Nhung", "Oanh", "Phương", "Thảo", "Thu", "Trang", "Tuyết", "Vân", "Yến"]
HAMLETS = [f"Ấp {n}" for n in ("Mỹ Thạnh", "Mỹ Phú", "Bình Đức", "Bình Khánh", "Đông Thịnh", "Tây Huề",
                               "Hòa Long", "Phú Hòa", "Long Thạnh", "Thới An")]
GROUPS = ["dependent", "suspected", "post_rehab", "drug_user", "high_risk"]


def random_name(rng: random.Random) -> tuple[str, str]:
    sex = "male" if rng.random() < 0.9 else "female"
    middle, given = (MIDDLE_MALE, GIVEN_MALE) if sex == "male" else (MIDDLE_FEMALE, GIVEN_FEMALE)
    family = rng.choices(FAMILY, FAMILY_WEIGHTS)[0]
    return f"{family} {rng.choice(middle)} {rng.choice(given)}", sex


def insert_clients(register, count: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    conn = register.conn
    ids, rows, index = [], [], []
    start = conn.execute("SELECT coalesce(max(seq), 0) FROM clients").fetchone()[0]
    stamp = utc_stamp()
    for n in range(1, count + 1):
        name, sex = random_name(rng)
        row = {
            "seq": start + n, "id": uuid7(), "origin": register.origin, "version": register.clock.next(),
            "updated_at": stamp, "updated_by": register.user.id, "code": f"{register.origin}-{start + n:06d}",
            "full_name": name, "sex": sex, "birth_year": rng.randint(1965, 2008),
            "phone": f"09{rng.randint(10_000_000, 99_999_999)}", "citizen_id": f"{rng.randint(10**11, 10**12 - 1)}",
            "hamlet": rng.choice(HAMLETS), "intake_date": f"20{rng.randint(16, 26)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
            "main_group": rng.choice(GROUPS), "sort_key": sort_key(name),
        }
        row["search_terms"] = terms_for(row)
        rows.append(row)
        index.append((row["seq"], row["search_terms"]))
        ids.append(row["id"])
    columns = list(rows[0])
    with register.transaction():
        conn.executemany(f"INSERT INTO clients ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                         [tuple(r[c] for c in columns) for r in rows])
        conn.executemany("INSERT INTO client_search (rowid, terms) VALUES (?, ?)", index)
    return ids


# --- the busy point of docs/design.md section 8 ------------------------------------------

BUSY = {"clients": 5_000, "contacts": 150_000, "referrals": 10_000, "years": 10}
INDIVIDUAL_KINDS = ["office", "office", "home", "home", "phone", "online"]
SERVICES = ["determination", "methadone", "health", "hiv_test", "mental_health", "vocational", "job", "loan",
            "legal_aid", "social_protection", "voluntary_rehab"]
OUTCOMES = ["completed", "completed", "completed", "pending", "refused", "failed"]


def _insert(register, table: str, rows: list[dict]) -> None:
    """Rows with the sync columns every repository write sets (the change-log triggers fire as usual)."""
    if not rows:
        return
    columns = list(rows[0])
    register.conn.executemany(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        [tuple(r[c] for c in columns) for r in rows])


def _synced(register, stamp: str) -> dict:
    return {"id": uuid7(), "origin": register.origin, "version": register.clock.next(), "updated_at": stamp,
            "updated_by": register.user.id}


def _day_between(rng: random.Random, first: date, last: date) -> str:
    return (first + timedelta(days=rng.randint(0, max(0, (last - first).days)))).isoformat()


def insert_busy_point(register, *, clients: int = BUSY["clients"], contacts: int = BUSY["contacts"],
                      referrals: int = BUSY["referrals"], years: int = BUSY["years"], seed: int = 8,
                      until: date | None = None, outreach: int | None = None) -> dict[str, int]:
    """A point that has worked `years` years: clients with their group history (some changed group,
    some closed), contacts of every kind (group sessions with participants, community sessions with
    attendee counts), referrals with outcomes, and some outreach. Dates are spread evenly up to `until`."""
    rng = random.Random(seed)
    until = until or date.today()
    start = date(until.year - years, until.month, 1)
    ids = insert_clients(register, clients, seed=seed)
    stamp = utc_stamp()
    intake = {}
    groups, participants, contact_rows, referral_rows, outreach_rows = [], [], [], [], []
    for client_id in ids:
        intake[client_id] = date.fromisoformat(_day_between(rng, start, until))
        group = rng.choice(GROUPS)
        groups.append({**_synced(register, stamp), "client_id": client_id, "group_code": group,
                       "start_date": intake[client_id].isoformat()})
        if rng.random() < 0.15:  # moved to another group later (e.g. dependent -> post_rehab)
            group = rng.choice(GROUPS)
            groups.append({**_synced(register, stamp), "client_id": client_id, "group_code": group,
                           "start_date": _day_between(rng, intake[client_id], until)})
        intake[client_id] = (intake[client_id], group)
    sessions = max(1, contacts // 50)
    for n in range(contacts):
        kind = ("group" if n < sessions else "community" if n < sessions + sessions // 2
                else rng.choice(INDIVIDUAL_KINDS))
        row = {**_synced(register, stamp), "kind": kind, "client_id": None, "attendee_count": None,
               "duration_minutes": 30, "topics": '["relapse_prevention"]', "notes": ""}
        if kind == "group":
            row["contact_date"] = _day_between(rng, start, until)
            for person in rng.sample(ids, 6):
                participants.append({**_synced(register, stamp), "contact_id": row["id"], "client_id": person})
        elif kind == "community":
            row["contact_date"], row["attendee_count"] = _day_between(rng, start, until), rng.randint(15, 60)
        else:
            row["client_id"] = rng.choice(ids)
            row["contact_date"] = _day_between(rng, intake[row["client_id"]][0], until)
        contact_rows.append(row)
    for _ in range(referrals):
        client_id = rng.choice(ids)
        made = date.fromisoformat(_day_between(rng, intake[client_id][0], until))
        outcome = rng.choice(OUTCOMES)
        service = rng.choice(SERVICES)
        outcome_date = None if outcome == "pending" else _day_between(rng, made, min(until, made + timedelta(days=60)))
        referral_rows.append({**_synced(register, stamp), "client_id": client_id, "service": service,
                              "referred_date": made.isoformat(), "outcome": outcome, "outcome_date": outcome_date,
                              "amount": 30_000_000 if service == "loan" and outcome == "completed" else None})
    for _ in range(years * 120 if outreach is None else outreach):
        kind = rng.choice(["broadcast", "leaflets", "board", "loudspeaker", "school", "community_meeting"])
        outreach_rows.append({**_synced(register, stamp), "kind": kind,
                              "activity_date": _day_between(rng, start, until),
                              "quantity": rng.randint(1, 500) if kind == "leaflets" else 1,
                              "minutes": 15 if kind == "broadcast" else None,
                              "attendees": rng.randint(20, 300) if kind in ("loudspeaker", "school") else None})
    closed = [(date.fromisoformat(_day_between(rng, intake[c][0], until)).isoformat(), rng.choice(
        ["completed", "moved_away", "lost"]), c) for c in rng.sample(ids, len(ids) * 3 // 10)]
    # Counsellors enter records day by day, so rows lie in the table roughly in date order.
    for rows, key in ((contact_rows, "contact_date"), (referral_rows, "referred_date"),
                      (outreach_rows, "activity_date")):
        rows.sort(key=lambda r: r[key])
    with register.transaction():
        _insert(register, "client_groups", groups)
        register.conn.executemany("UPDATE clients SET main_group = ? WHERE id = ?",
                                  [(group, client_id) for client_id, (_day, group) in intake.items()])
        register.conn.executemany("UPDATE clients SET status = 'closed', closed_date = ?, closing_reason = ?"
                                  " WHERE id = ?", closed)
        register.conn.executemany("UPDATE clients SET intake_date = ? WHERE id = ?",
                                  [(day.isoformat(), client_id) for client_id, (day, _group) in intake.items()])
        _insert(register, "contacts", contact_rows)
        _insert(register, "contact_participants", participants)
        _insert(register, "referrals", referral_rows)
        _insert(register, "outreach", outreach_rows)
    return {"clients": clients, "contacts": contacts, "group_sessions": sessions, "participants": len(participants),
            "referrals": referrals, "outreach": len(outreach_rows), "client_groups": len(groups)}


def insert_month_of_work(register, *, contacts: int = 1250, referrals: int = 85, seed: int = 11) -> int:
    """A busy point's month (1/120 of ten years) written after the last bundle: the incremental export."""
    rng = random.Random(seed)
    ids = [row[0] for row in register.conn.execute("SELECT id FROM clients WHERE status = 'active' LIMIT 3000")]
    first, last = date(2026, 11, 1), date(2026, 11, 25)
    stamp = utc_stamp()
    contact_rows = [{**_synced(register, stamp), "kind": rng.choice(INDIVIDUAL_KINDS), "client_id": rng.choice(ids),
                     "contact_date": _day_between(rng, first, last), "duration_minutes": 30,
                     "topics": '["relapse_prevention"]', "notes": ""} for _ in range(contacts)]
    referral_rows = [{**_synced(register, stamp), "client_id": rng.choice(ids), "service": rng.choice(SERVICES),
                      "referred_date": _day_between(rng, first, last), "outcome": "pending"} for _ in range(referrals)]
    with register.transaction():
        _insert(register, "contacts", contact_rows)
        _insert(register, "referrals", referral_rows)
    return contacts + referrals
