"""The register's law file (the chosen copy, else the program's own) and the terms it sets for a
client's rehabilitation or management."""

from __future__ import annotations

from datetime import date

from app.core.law import LawFile, Term, default_law_text, parse_law
from app.store import settings as register_settings


def current(conn) -> LawFile:
    chosen = register_settings.get(conn, "law_file")
    return parse_law(chosen, "law_file") if chosen else parse_law(default_law_text(), "terms.toml")


def choose(register, text: str, file_name: str) -> LawFile:
    """Check a law file and make it this register's (administrators); "" goes back to the program's."""
    law = parse_law(text or default_law_text(), file_name)
    register_settings.update(register, {"law_file": text})
    return law


def earlier_rehabs(conn, client_id: str, registered: str, other_than: str | None = None) -> int:
    """How many of the client's voluntary rehabilitations were registered before `registered`."""
    return conn.execute(
        "SELECT count(*) FROM rehab_registrations WHERE client_id = ? AND deleted = 0 AND registration_date < ?"
        " AND id IS NOT ?", (client_id, registered, other_than)).fetchone()[0]


def rehab_term(conn, client_id: str, registered: date | str, other_than: str | None = None) -> Term | None:
    """The term the law sets for this registration: the first one or a later one, on its date."""
    day = registered if isinstance(registered, date) else date.fromisoformat(registered)
    first = earlier_rehabs(conn, client_id, day.isoformat(), other_than) == 0
    return current(conn).rehab_term(day, first)
