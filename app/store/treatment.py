"""Voluntary home/community rehabilitation registrations and methadone episodes."""

from __future__ import annotations

from typing import Any

from app.core import validate
from app.core.roles import Permission
from app.store import law_terms, records
from app.store.records import Change


def add_rehab(register, client_id: str, values: dict[str, Any]) -> Change:
    register.require(Permission.CASE_WORK)
    with register.transaction():
        records.fetch(register.conn, "clients", client_id)
        cleaned = validate.rehab({**values, "client_id": client_id},
                                 term_for=lambda day: law_terms.rehab_term(register.conn, client_id, day))
        return records.insert(register, "rehab_registrations", cleaned, client_id=client_id)


def edit_rehab(register, rehab_id: str, values: dict[str, Any]) -> Change | None:
    register.require(Permission.CASE_WORK)
    with register.transaction():
        current = records.fetch(register.conn, "rehab_registrations", rehab_id)
        merged = {k: current[k] for k in ("registration_date", "decision_date", "start_date", "term_months")}
        # The term is held to the law when it or the registration date changes: correcting an
        # outcome never stops on a term written before the law changed.
        held = "term_months" in values or "registration_date" in values
        cleaned = validate.rehab({**merged, **values}, term_for=(lambda day: law_terms.rehab_term(
            register.conn, current["client_id"], day, other_than=rehab_id)) if held else None)
        changed = {k: v for k, v in cleaned.items() if k in values or k == "end_date"}
        return records.update(register, "rehab_registrations", rehab_id, changed, client_id=current["client_id"])


def add_methadone(register, client_id: str, values: dict[str, Any]) -> Change:
    register.require(Permission.CASE_WORK)
    cleaned = validate.methadone({**values, "client_id": client_id})
    with register.transaction():
        records.fetch(register.conn, "clients", client_id)
        return records.insert(register, "methadone_episodes", cleaned, client_id=client_id)


def edit_methadone(register, episode_id: str, values: dict[str, Any]) -> Change | None:
    register.require(Permission.CASE_WORK)
    cleaned = validate.methadone(values, partial=True)
    with register.transaction():
        current = records.fetch(register.conn, "methadone_episodes", episode_id)
        return records.update(register, "methadone_episodes", episode_id, cleaned, client_id=current["client_id"])


def rehab_for_client(conn, client_id: str) -> list[dict[str, Any]]:
    return records.rows(conn, "rehab_registrations", "SELECT * FROM rehab_registrations WHERE client_id = ?"
                        " AND deleted = 0 ORDER BY registration_date DESC", (client_id,))


def methadone_for_client(conn, client_id: str) -> list[dict[str, Any]]:
    return records.rows(conn, "methadone_episodes", "SELECT * FROM methadone_episodes WHERE client_id = ?"
                        " AND deleted = 0 ORDER BY start_date DESC", (client_id,))
