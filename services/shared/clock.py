"""Now, as stored: naive UTC at millisecond precision (what BSON keeps), so that what a write
returns equals what a later read returns."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo


def utcnow():
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def today_in(time_zone):
    """The calendar date now in an IANA time zone, as an ISO string (Russia spans eleven zones:
    whether a contract is valid today depends on where)."""
    return datetime.now(timezone.utc).astimezone(ZoneInfo(time_zone)).date().isoformat()
