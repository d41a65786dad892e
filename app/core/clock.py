"""Time: stored in UTC, shown and counted in Vietnam's time zone."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

LOCAL_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def utc_stamp(moment: datetime | None = None) -> str:
    """ISO 8601 UTC text that sorts in time order, e.g. 2026-11-26T04:51:41.644000Z."""
    moment = (moment or utc_now()).astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_stamp(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)


def local(moment: datetime) -> datetime:
    return moment.astimezone(LOCAL_ZONE)


def local_date_text(moment: datetime) -> str:
    """dd/mm/yyyy as Vietnamese forms write dates."""
    return local(moment).strftime("%d/%m/%Y")


def local_datetime_text(moment: datetime) -> str:
    return local(moment).strftime("%d/%m/%Y %H:%M")


def today() -> date:
    """Today's date in Vietnam, whatever the computer's own time zone."""
    return local(utc_now()).date()
