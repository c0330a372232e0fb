"""Signing what one installation sends another over a link, and refusing forged, stale or replayed
deliveries.

The scheme (docs/partner-bridge.md spells it out for a remote implementer):

    X-Partner-Link:      <link id>
    X-Partner-Timestamp: <unix seconds, decimal>
    X-Partner-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>." + body bytes)>

The body is signed as the exact bytes sent, so the receiver verifies before parsing anything.
The timestamp is inside the MAC, so it cannot be moved, and a delivery older or newer than the
window is refused: a captured request is worthless after a few minutes. Within the window, the
event id in the body is what stops a replay (`ReplayGuard`). Several `v1=` values separated by
commas are accepted, and the receiver may hold several secrets: that is how a link's secret is
rotated without a moment when deliveries fail.
"""
import hashlib
import hmac
from datetime import datetime, timedelta, timezone

from pymongo.errors import DuplicateKeyError

from services.shared.errors import Conflict, Unauthenticated

SCHEME = "v1"
LINK_HEADER = "X-Partner-Link"
TIMESTAMP_HEADER = "X-Partner-Timestamp"
SIGNATURE_HEADER = "X-Partner-Signature"
WINDOW = timedelta(minutes=5)
MAX_HEADER_LENGTH = 1024
# A change is a few kilobytes; a megabyte leaves room for a ticket with many notes and keeps
# anyone from making the receiver hash (and later store) something huge.
MAX_BODY_BYTES = 1024 * 1024


def _unix(moment):
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return int(moment.timestamp())


def _secret_bytes(secret):
    return secret.encode("utf-8") if isinstance(secret, str) else secret


def signature(secret, timestamp, body):
    """Hex HMAC-SHA256 of "<timestamp>." followed by the body bytes."""
    message = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(_secret_bytes(secret), message, hashlib.sha256).hexdigest()


def sign(secret, link_id, body, *, now):
    """The headers that go with `body` (bytes) on a delivery over link `link_id`."""
    if not isinstance(body, bytes):
        raise TypeError("Sign the exact bytes that are sent.")
    timestamp = _unix(now)
    return {LINK_HEADER: link_id, TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: f"{SCHEME}={signature(secret, timestamp, body)}"}


def _header(headers, name):
    # HTTP header names are case-insensitive; a plain dict from a test or a WSGI adapter is not.
    for key, value in headers.items():
        if key.lower() == name.lower():
            return value
    return None


def _rejected(reason, detail):
    return Unauthenticated(detail, {"reason": reason})


def link_of(headers):
    """The link a delivery claims to come over: it selects the secret, so it is read first."""
    link_id = _header(headers, LINK_HEADER)
    if not link_id or len(link_id) > MAX_HEADER_LENGTH:
        raise _rejected("missing_link", f"The delivery carries no {LINK_HEADER} header.")
    return link_id


def verify(secrets, headers, body, *, now, window=WINDOW):
    """Check a delivery's signature and age; return its timestamp as an aware datetime.

    `secrets` holds the link's current secret and, while it is being rotated, the previous one.
    Raises Unauthenticated with extra["reason"] one of missing_signature, malformed, expired,
    too_large, bad_signature.
    """
    timestamp_text = _header(headers, TIMESTAMP_HEADER)
    signature_text = _header(headers, SIGNATURE_HEADER)
    if not timestamp_text or not signature_text:
        raise _rejected("missing_signature", "The delivery is not signed.")
    if len(timestamp_text) > 20 or len(signature_text) > MAX_HEADER_LENGTH:
        raise _rejected("malformed", "The signature headers are malformed.")
    if not timestamp_text.isascii() or not timestamp_text.isdigit():
        raise _rejected("malformed", "The timestamp must be whole Unix seconds.")
    timestamp = int(timestamp_text)
    offered = [part.strip()[len(SCHEME) + 1:] for part in signature_text.split(",")
               if part.strip().startswith(f"{SCHEME}=")]
    if not offered:
        raise _rejected("malformed", f"No {SCHEME} signature was offered.")
    # Age is checked before the MAC only to answer with the more useful reason; both must pass.
    age = _unix(now) - timestamp
    if abs(age) > window.total_seconds():
        raise _rejected("expired", "The delivery is outside the accepted time window; "
                                   "check the sender's clock.")
    if not isinstance(body, bytes):
        raise TypeError("Verify the exact bytes that were received.")
    if len(body) > MAX_BODY_BYTES:
        raise _rejected("too_large", f"The body is larger than {MAX_BODY_BYTES} bytes.")
    # Every pair is compared in full, so timing says nothing about which secret or byte differed.
    matched = False
    for secret in secrets:
        expected = signature(secret, timestamp, body).encode("ascii")
        for candidate in offered:
            matched |= hmac.compare_digest(expected, candidate.encode("ascii", "replace"))
    if not matched:
        raise _rejected("bad_signature", "The signature does not match the body.")
    return datetime.fromtimestamp(timestamp, timezone.utc)


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


class StoredReplayGuard:
    """Event ids seen per link, in the service's database: a unique index makes the claim atomic
    across replicas, so two copies of one delivery racing each other cannot both pass.

    Ids are kept twice the time window: an older copy is refused for its timestamp already.
    """

    def __init__(self, db, keep=2 * WINDOW):
        self.events = db.partner_seen_events
        self.keep = keep

    @staticmethod
    def create_indexes(db):
        db.partner_seen_events.create_index(
            [("account_id", 1), ("link_id", 1), ("event_id", 1)], unique=True)
        db.partner_seen_events.create_index([("account_id", 1), ("expires_at", 1)])

    def seen(self, account_id, link_id, event_id):
        return self.events.find_one({"account_id": account_id, "link_id": link_id,
                                     "event_id": event_id}, {"_id": 1}) is not None

    def claim(self, account_id, link_id, event_id, *, now):
        try:
            self.events.insert_one({"account_id": account_id, "link_id": link_id,
                                    "event_id": event_id, "seen_at": now,
                                    "expires_at": now + self.keep})
        except DuplicateKeyError:
            return False
        return True

    def purge(self, account_id, *, now):
        return self.events.delete_many({"account_id": account_id,
                                        "expires_at": {"$lte": now}}).deleted_count
