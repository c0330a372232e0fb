"""Signing what one installation sends another over a link, and refusing forged, stale or replayed
deliveries.

The scheme (docs/partner-bridge.md spells it out for a remote implementer):

    X-Partner-Link:      <link id>
    X-Partner-Timestamp: <unix seconds, decimal>
    X-Partner-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>." + body bytes)>

The body is signed as the exact bytes sent, so the receiver verifies before parsing anything.
The timestamp is inside the MAC, so it cannot be moved, and a delivery older or newer than the
window is refused: a captured request is worthless after a few minutes. Within the window, the
event id in the body is what stops a replay (replay_guard.py, store/seen_events.py). Several `v1=` values separated by
commas are accepted, and the receiver may hold several secrets: that is how a link's secret is
rotated without a moment when deliveries fail.
"""
import hashlib
import hmac
from datetime import datetime, timedelta, timezone

from services.shared.errors import Unauthenticated

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
