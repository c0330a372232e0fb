"""How many QR intake requests a key (a network address, a label, a person) may make: fixed
one-hour windows, each counted on its own (store/intake_limits.py keeps the counters)."""
from datetime import timedelta

from services.shared.errors import Throttled

PER_CODE_PER_HOUR = 20
PER_ADDRESS_PER_HOUR = 10
WINDOW = timedelta(hours=1)


def window_of(moment):
    """The start of the window `moment` falls in."""
    return moment.replace(minute=0, second=0, microsecond=0)


def counter_key(key, window):
    return f"{key}|{window.isoformat()}"


def check(count, limit, window, now):
    """Throttled, with the seconds until the next window, once `count` passes `limit`."""
    if count > limit:
        wait = int((window + WINDOW - now).total_seconds()) + 1
        raise Throttled("Too many requests from this label; try again later.",
                        {"retry_after": str(wait)})
