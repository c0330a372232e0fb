"""The tickets service as the telephony service calls it: every call bounded by a timeout.

nameko's RpcProxy waits for a reply forever; a tickets service that is down must instead turn
into `Unavailable`, which leaves the call's intents pending for the retry timer (ticketing.py).
A reply that comes after the timeout is dropped: every method called here is idempotent, so the
retry finds what the late call did.
"""
import eventlet
from nameko.exceptions import UnknownService

from services.shared.errors import Unavailable

DEFAULT_TIMEOUT = 5.0


class TicketsClient:
    def __init__(self, proxy, timeout=DEFAULT_TIMEOUT):
        self._proxy, self._timeout = proxy, timeout

    def __getattr__(self, method):
        def call(*args):
            timer = eventlet.Timeout(self._timeout)
            try:
                return getattr(self._proxy, method)(*args)
            except eventlet.Timeout as expired:
                if expired is not timer:
                    raise
                raise Unavailable(f"tickets.{method} did not answer in time.") from None
            except UnknownService:
                raise Unavailable("The tickets service is not running.") from None
            finally:
                timer.cancel()
        return call
