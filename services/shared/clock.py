"""Now, as stored: naive UTC at millisecond precision (what BSON keeps), so that what a write
returns equals what a later read returns."""
from datetime import datetime, timezone


def utcnow():
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)
