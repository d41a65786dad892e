"""Synthetic clients for benchmarks: realistic Vietnamese names, inserted in bulk.

Benchmarks need 100,000 clients in seconds, so rows go in with executemany
(and the same sort key and search terms the repositories store) instead of
one validated save each; the timed operations themselves use the real code.
"""

from __future__ import annotations

import random

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
