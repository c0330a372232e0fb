"""What every transport does: deliver one outbox item and say how it went.

`send(link, item)` returns (outcome, detail) with outcome one of outbox.DELIVERED_OUTCOME,
RETRY, REFUSED, the way `outbox.deliver_due` expects. A transport never raises for what the
partner answered; deliver_due counts an unexpected exception as a retry.
"""
import json
from abc import ABC, abstractmethod

from services.shared.errors import (Conflict, Forbidden, NotFound, ServiceError, Throttled,
                                    Unauthenticated, Unavailable, ValidationFailed)

# What a receiver's refusal would be over HTTP, so both transports judge answers one way.
HTTP_STATUS = {ValidationFailed: 422, Forbidden: 403, Unauthenticated: 401, NotFound: 404,
               Conflict: 409, Unavailable: 503, Throttled: 429}


def json_body(value):
    """The exact bytes of a request: compact JSON."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str).encode("utf-8")


def body_of(item):
    """The exact bytes of a delivery: the stored envelope."""
    return json_body(item["payload"])


def status_of(error):
    return HTTP_STATUS.get(type(error), 500) if isinstance(error, ServiceError) else 500


class Transport(ABC):
    """The contract the local and HTTPS transports fulfil (an abstract base: never instantiated)."""

    @abstractmethod
    def send(self, link, item):
        """(outcome, detail) of delivering `item` over `link`."""

    @abstractmethod
    def rotate_secret(self, link, message):
        """Tell the partner the link's new secret (rotation.py); returns when it took it and
        raises Unavailable (try later) or Conflict (it refused) when it did not."""

    @abstractmethod
    def announce_state(self, link, message):
        """(outcome, detail) of telling the partner the link's new state (announcements.py)."""
