"""Referrals (giới thiệu, chuyển gửi) and their closed loop: made -> outcome."""

from __future__ import annotations

from typing import Any

from app.core import validate
from app.core.roles import Permission
from app.store import catalogs, records
from app.store.records import Change


def add(register, values: dict[str, Any]) -> Change:
    register.require(Permission.CASE_WORK)
    cleaned = validate.referral(values, services=catalogs.codes(register.conn, "service"))
    with register.transaction():
        records.fetch(register.conn, "clients", cleaned["client_id"])
        return records.insert(register, "referrals", cleaned, client_id=cleaned["client_id"])


def record_outcome(register, referral_id: str, outcome: str, outcome_date: Any, *,
                   amount: Any = None, notes: str | None = None) -> Change | None:
    """Close the loop: what happened to the referral, and when."""
    register.require(Permission.CASE_WORK)
    values: dict[str, Any] = {"outcome": outcome, "outcome_date": outcome_date}
    if amount not in (None, ""):
        values["amount"] = amount
    if notes is not None:
        values["notes"] = notes
    with register.transaction():
        current = records.fetch(register.conn, "referrals", referral_id)
        cleaned = validate.referral({**values, "referred_date": current["referred_date"]}, partial=True)
        cleaned.pop("referred_date", None)
        return records.update(register, "referrals", referral_id, cleaned, client_id=current["client_id"])


def edit(register, referral_id: str, values: dict[str, Any]) -> Change | None:
    register.require(Permission.CASE_WORK)
    cleaned = validate.referral(values, partial=True, services=catalogs.codes(register.conn, "service"))
    with register.transaction():
        current = records.fetch(register.conn, "referrals", referral_id)
        return records.update(register, "referrals", referral_id, cleaned, client_id=current["client_id"])


def for_client(conn, client_id: str) -> list[dict[str, Any]]:
    return records.rows(conn, "referrals",
                        "SELECT * FROM referrals WHERE client_id = ? AND deleted = 0 ORDER BY referred_date DESC, seq DESC",
                        (client_id,))
