"""When a failed export job is tried again: after a pause that doubles with each failure, and
never again (`dead`, until an admin replays it) after MAX_ATTEMPTS or a failure no retry fixes."""
import os
from datetime import timedelta

MAX_ATTEMPTS = 5


def backoff(attempts):
    """The pause after the `attempts`th failure: doubling from a base (30 s; tests shorten it)."""
    base = float(os.environ.get("ONEC_EXPORT_BACKOFF_SECONDS", "30"))
    return timedelta(seconds=min(base * 2 ** (attempts - 1), 3600))


def after_failure(attempts, error, *, permanent, now):
    """What a failed try changes on a job that had failed `attempts` times before."""
    attempts += 1
    dead = permanent or attempts >= MAX_ATTEMPTS
    changes = {"attempts": attempts, "error": error, "state": "dead" if dead else "pending"}
    if not dead:
        changes["next_attempt_at"] = now + backoff(attempts)
    return changes
