"""Twelve months at a glance, counted in SQL, against the same counts made in Python from the rows."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from app.core.clock import today
from app.demo import writer as demo
from app.reports.period import Month
from app.reports.trends import SERIES, monthly_trends

LAST = Month.of(today()).previous()


def _reference(conn, months):
    """Each series per month (and per point), counted one row at a time."""
    codes = {m.code for m in months}
    live = {r[0]: r[1] for r in conn.execute("SELECT id, origin FROM clients WHERE deleted = 0")}
    counted = {name: defaultdict(Counter) for name in SERIES}

    def add(name, day, origin, n=1):
        if day and day[:7] in codes:
            counted[name][origin][day[:7]] += n
    for cid, origin, intake in conn.execute("SELECT id, origin, intake_date FROM clients WHERE deleted = 0"):
        add("new_clients", intake, origin)
    turns = [(d, o, c) for d, o, c in conn.execute(
        "SELECT contact_date, origin, client_id FROM contacts WHERE deleted = 0 AND client_id IS NOT NULL")]
    turns += list(conn.execute(
        "SELECT t.contact_date, t.origin, p.client_id FROM contacts t JOIN contact_participants p"
        " ON p.contact_id = t.id WHERE t.deleted = 0 AND p.deleted = 0 AND t.kind = 'group'"))
    people = defaultdict(set)
    for day, origin, client in turns:
        if client in live:
            add("contacts", day, origin)
            people[(origin, day[:7])].add(client)
    for (origin, month), who in people.items():
        add("people", month + "-01", origin, len(who))
    for client, origin, made, outcome, settled in conn.execute(
            "SELECT client_id, origin, referred_date, outcome, outcome_date FROM referrals WHERE deleted = 0"):
        if client in live:
            add("referrals_made", made, origin)
            if outcome == "completed":
                add("referrals_completed", settled, origin)
    contacts = list(conn.execute("SELECT client_id, origin, contact_date, next_follow_up FROM contacts"
                                 " WHERE deleted = 0 AND client_id IS NOT NULL"))
    for client, origin, day, due in contacts:
        if client in live and due:
            month_end = Month.parse(due[:7]).last
            if not any(c == client and day < d <= month_end for c, _o, d, _due in contacts):
                add("follow_ups_missed", due, origin)
    return counted


def test_the_trends_are_the_counts_of_the_records(register):
    demo.fill(register, clients=40, months=8, seed=5)
    trends = monthly_trends(register.conn, LAST)
    assert len(trends.months) == 12 and trends.months[-1] == LAST
    reference = _reference(register.conn, trends.months)
    point = register.origin
    for name in SERIES:
        expected = [reference[name][point][m.code] for m in trends.months]
        assert trends.of(point)[name] == expected, name
        assert trends.total[name] == expected, name  # one point: its line is the register's
    assert sum(trends.total["contacts"]) > 100 and sum(trends.total["new_clients"]) > 0
    assert trends.of("NO-SUCH-POINT")["contacts"] == [0] * 12


def test_an_office_total_counts_a_person_once(register):
    demo.fill(register, clients=30, months=4, seed=8)
    conn = register.conn
    # Half the contacts as if another point had made them: the same people at two points.
    conn.execute("UPDATE contacts SET origin = 'OTHER-01' WHERE seq % 2 = 0")
    trends = monthly_trends(conn, LAST)
    month = -1 if sum(trends.total["contacts"][-1:]) else -2
    both = trends.of(register.origin)["people"][month] + trends.of("OTHER-01")["people"][month]
    assert trends.total["people"][month] < both
    assert trends.total["contacts"][month] == (trends.of(register.origin)["contacts"][month]
                                               + trends.of("OTHER-01")["contacts"][month])


def test_a_cancel_stops_the_counting(register):
    import pytest

    from app.core.progress import Cancelled, Progress

    demo.fill(register, clients=20, months=2, seed=2)
    counts = Progress()
    counts.cancel()
    with pytest.raises(Cancelled):
        monthly_trends(register.conn, LAST, progress=counts)
    counted = Progress()
    monthly_trends(register.conn, LAST, progress=counted)
    assert counted.snapshot().fraction == 1.0


def test_the_monthly_pdf_can_end_with_the_trends_page(register, tmp_path):
    import subprocess

    from app.reports.form_pdf import form_pdf
    from app.reports.monthly import monthly_report
    from tests.conftest import PASSPHRASE, poppler, run_cli
    from tests.integration.test_pdf_fonts import fonts_not_embedded

    demo.fill(register, clients=30, months=6, seed=4)
    report = monthly_report(register, LAST)
    plain, charted = form_pdf(report), form_pdf(report, monthly_trends(register.conn, LAST))

    def pages(pdf):
        out = subprocess.run([poppler("pdfinfo"), "-"], input=pdf, capture_output=True, check=True).stdout.decode()
        return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))

    def last_page_text(pdf):
        n = pages(pdf)
        return subprocess.run([poppler("pdftotext"), "-f", str(n), "-l", str(n), "-", "-"], input=pdf,
                              capture_output=True, check=True).stdout.decode()

    assert pages(charted) == pages(plain) + 1
    text = last_page_text(charted)
    assert "Mười hai tháng đến tháng" in text and "Lượt tư vấn" in text and "Lịch hẹn bị lỡ" in text
    assert fonts_not_embedded(charted) == []
    root = str(register.paths.root)
    register.close()
    out = tmp_path / "bao-cao.pdf"
    made = run_cli("report", "monthly", "--month", LAST.code, "--out", str(out), "--trends", "--register", root,
                   env={"TUVAN_PASSPHRASE": PASSPHRASE})
    assert made.returncode == 0, made.stderr
    assert pages(out.read_bytes()) == pages(plain) + 1


def test_a_follow_up_due_after_today_is_not_missed_yet(register):
    """The Today screen counts this month to today: only follow-ups already due can be missed."""
    from app.store import clients, contacts

    month = Month(2026, 11)
    for name, due in (("Nguyễn Văn Đức", "2026-11-05"), ("Trần Văn Hải", "2026-11-20")):
        client = clients.create(register, {"full_name": name, "sex": "male", "birth_year": 1990,
                                           "intake_date": "2026-10-01", "main_group": "dependent"})
        contacts.add(register, {"kind": "phone", "client_id": client.id, "contact_date": "2026-11-01",
                                "next_follow_up": due})
    whole = monthly_trends(register.conn, month)
    to_the_tenth = monthly_trends(register.conn, month, until=date(2026, 11, 10))
    assert whole.total["follow_ups_missed"][-1] == 2
    assert to_the_tenth.total["follow_ups_missed"][-1] == 1
    assert to_the_tenth.total["contacts"][-1] == 2 and to_the_tenth.months[-1] == month
