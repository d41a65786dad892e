"""Decisions on possible same persons across points (person_links), and the client lookups that find the pairs."""

from __future__ import annotations

CANDIDATE_COLUMNS = ("id", "code", "full_name", "birth_year", "sex", "origin")


def same_citizen_id(conn, citizen_id: str, origin: str) -> list[tuple]:
    """CANDIDATE_COLUMNS of live clients of other origins with this citizen ID."""
    # "citizen_id != ''" lets SQLite use the partial index (a scan per client made imports quadratic)
    return conn.execute("SELECT id, code, full_name, birth_year, sex, origin FROM clients WHERE citizen_id = ?"
                        " AND citizen_id != '' AND origin != ? AND deleted = 0", (citizen_id, origin)).fetchall()


def same_name_year_sex(conn, expression: str, origin: str, birth_year, sex) -> list[tuple]:
    """CANDIDATE_COLUMNS of live clients of other origins whose search terms match `expression`
    (search.match_expression) with this birth year and sex."""
    return conn.execute(
        "SELECT c.id, c.code, c.full_name, c.birth_year, c.sex, c.origin FROM client_search s CROSS JOIN"
        " clients c ON c.seq = s.rowid WHERE client_search MATCH ? AND c.origin != ? AND c.deleted = 0"
        " AND c.birth_year = ? AND c.sex = ?", (expression, origin, birth_year, sex)).fetchall()


def live_clients(conn, fields: tuple[str, ...]) -> list[tuple]:
    """`fields` of every client not deleted, by origin and code."""
    return conn.execute(f"SELECT {', '.join(fields)} FROM clients WHERE deleted = 0 ORDER BY origin, code").fetchall()


def count_clients(conn, first: str, second: str) -> int:
    """How many of the two ids name a client (deleted or not)."""
    return conn.execute("SELECT count(*) FROM clients WHERE id IN (?, ?)", (first, second)).fetchone()[0]


def decisions(conn) -> dict[tuple[str, str], str]:
    """(client_a, client_b) -> "same" | "different"."""
    return {(a, b): decision for a, b, decision in conn.execute(
        "SELECT client_a, client_b, decision FROM person_links")}


def decide(conn, client_a: str, client_b: str, decision: str, at: str, by: str) -> None:
    conn.execute(
        "INSERT INTO person_links (client_a, client_b, decision, decided_at, decided_by) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT(client_a, client_b) DO UPDATE SET decision = excluded.decision,"
        " decided_at = excluded.decided_at, decided_by = excluded.decided_by", (client_a, client_b, decision, at, by))


def forget(conn, client_a: str, client_b: str) -> None:
    conn.execute("DELETE FROM person_links WHERE client_a = ? AND client_b = ?", (client_a, client_b))
