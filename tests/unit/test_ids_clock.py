import uuid
from datetime import datetime, timezone

from app.core.clock import local_date_text, parse_stamp, utc_stamp
from app.core.ids import uuid7


def test_uuid7_is_version_7_and_increases():
    ids = [uuid7() for _ in range(5000)]
    assert all(uuid.UUID(i).version == 7 for i in ids)
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


def test_stamps_round_trip_and_local_dates_are_vietnam_time():
    moment = datetime(2026, 11, 30, 18, 30, tzinfo=timezone.utc)
    assert parse_stamp(utc_stamp(moment)) == moment
    # 18:30 UTC is 01:30 the next day in Hà Nội (UTC+7).
    assert local_date_text(moment) == "01/12/2026"
