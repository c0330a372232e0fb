"""The integrations' secrets as the webhook edge knows them: a read-through cache.

The edge must verify a webhook before queueing it even while the telephony service is down, so
it keeps what `telephony.get_integration_secrets` answered: fresh for FRESH_SECONDS, then asked
again; when the service cannot be reached, an entry up to STALE_SECONDS old still serves (what
the PBX sends is queued, and the consumer checks it again with the current secrets, so a rotated
secret or a disabled integration never stores anything it should not). An integration the edge
has never seen while the service is down is a 503: nothing unverified is accepted.
Each gunicorn worker process has its own cache; nothing of it touches the disk.
"""
import re
import threading
import time
from collections import OrderedDict

from services.shared.errors import NotFound, Unavailable

FRESH_SECONDS = 60
STALE_SECONDS = 24 * 3600
MAX_ENTRIES = 10_000
INTEGRATION_ID = re.compile(r"^[0-9a-f]{32}$")  # uuid4().hex, as the store makes them


class WebhookTargets:
    def __init__(self, fetch, clock=time.monotonic):
        """fetch(integration_id) -> {account_id, integration_id, dialect, secrets}; raises
        NotFound or Unavailable (the gateway's RPC pool)."""
        self._fetch, self._clock = fetch, clock
        self._entries = OrderedDict()
        self._lock = threading.Lock()

    def get(self, integration_id):
        if not INTEGRATION_ID.match(integration_id or ""):
            raise NotFound("No such PBX integration.")
        now = self._clock()
        with self._lock:
            cached = self._entries.get(integration_id)
        if cached is not None and now - cached[1] < FRESH_SECONDS:
            return cached[0]
        try:
            target = self._fetch(integration_id)
        except NotFound:
            self._forget(integration_id)
            raise
        except Unavailable:
            if cached is not None and now - cached[1] < STALE_SECONDS:
                return cached[0]
            raise
        with self._lock:
            self._entries[integration_id] = (target, now)
            self._entries.move_to_end(integration_id)
            while len(self._entries) > MAX_ENTRIES:
                self._entries.popitem(last=False)
        return target

    def _forget(self, integration_id):
        with self._lock:
            self._entries.pop(integration_id, None)
