"""Refusing a delivery presented twice: the answer a receiver gives to an event it has, and a
guard over the event ids seen per link kept in memory (the service keeps them in its
database, store/seen_events.py). Ids are kept twice the signature's time window: an older copy
is refused for its timestamp already (signing.py)."""
from services.partner_bridge.signing import WINDOW
from services.shared.errors import Conflict


def replayed(event_id):
    """What the receiver answers to an event it already has. A sender treats this as delivered:
    an honest sender meets it when its retry crossed the first attempt's late answer."""
    return Conflict("This event was delivered already.", {"reason": "duplicate", "event_id": event_id})


class MemoryReplayGuard:
    """Event ids seen per link, in memory: for tests and single-process tools."""

    def __init__(self, keep=2 * WINDOW):
        self.keep = keep
        self._seen = {}

    def seen(self, account_id, link_id, event_id):
        return (account_id, link_id, event_id) in self._seen

    def claim(self, account_id, link_id, event_id, *, now):
        """True the first time an event id is presented on a link, False ever after (within keep)."""
        self.purge(now=now)
        key = (account_id, link_id, event_id)
        if key in self._seen:
            return False
        self._seen[key] = now + self.keep
        return True

    def purge(self, *, now):
        for key in [k for k, expires in self._seen.items() if expires <= now]:
            del self._seen[key]
