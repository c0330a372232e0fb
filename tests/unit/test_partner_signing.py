"""services/partner_bridge/signing.py, replay_guard.py and store/seen_events.py: signed
deliveries between installations, each taken once."""
import hashlib
import hmac
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from services.partner_bridge.replay_guard import MemoryReplayGuard, replayed
from services.partner_bridge.signing import link_of, sign, signature, verify
from services.partner_bridge.store.seen_events import StoredReplayGuard
from services.shared.errors import Conflict, Unauthenticated

DOC = Path(__file__).resolve().parents[2] / "docs" / "partner-bridge.md"
SECRET = "link-secret-0123456789abcdef"
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)
STAMP = str(int(NOW.timestamp()))
BODY = b'{"eventId":"e-1","eventType":"troubleTicketCreateEvent"}'


def reason(excinfo):
    return excinfo.value.extra["reason"]


def test_a_signed_delivery_verifies():
    headers = sign(SECRET, "link-1", BODY, now=NOW)
    assert link_of(headers) == "link-1"
    assert verify([SECRET], headers, BODY, now=NOW + timedelta(seconds=30)) == NOW


def test_the_signature_is_hmac_sha256_over_timestamp_dot_body():
    # Written out the way a remote implementer would, from the documentation alone.
    timestamp = int(NOW.timestamp())
    expected = hmac.new(SECRET.encode(), f"{timestamp}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert sign(SECRET, "link-1", BODY, now=NOW)["X-Partner-Signature"] == f"v1={expected}"
    assert signature(SECRET, timestamp, BODY) == expected


def test_header_names_are_case_insensitive():
    headers = {k.lower(): v for k, v in sign(SECRET, "link-1", BODY, now=NOW).items()}
    verify([SECRET], headers, BODY, now=NOW)
    assert link_of(headers) == "link-1"


@pytest.mark.parametrize("tampered", [
    BODY.replace(b"e-1", b"e-2"), BODY + b" ", b"", BODY[:-1]])
def test_a_tampered_body_is_refused(tampered):
    headers = sign(SECRET, "link-1", BODY, now=NOW)
    with pytest.raises(Unauthenticated) as excinfo:
        verify([SECRET], headers, tampered, now=NOW)
    assert reason(excinfo) == "bad_signature"


def test_a_moved_timestamp_is_refused():
    headers = sign(SECRET, "link-1", BODY, now=NOW)
    headers["X-Partner-Timestamp"] = str(int(NOW.timestamp()) + 60)
    with pytest.raises(Unauthenticated) as excinfo:
        verify([SECRET], headers, BODY, now=NOW)
    assert reason(excinfo) == "bad_signature"


def test_another_links_secret_is_refused():
    headers = sign("another-secret-0123456789", "link-1", BODY, now=NOW)
    with pytest.raises(Unauthenticated):
        verify([SECRET], headers, BODY, now=NOW)


@pytest.mark.parametrize("offset", [timedelta(minutes=5, seconds=1), -timedelta(minutes=6)])
def test_outside_the_window_is_refused_either_way(offset):
    headers = sign(SECRET, "link-1", BODY, now=NOW)
    with pytest.raises(Unauthenticated) as excinfo:
        verify([SECRET], headers, BODY, now=NOW + offset)
    assert reason(excinfo) == "expired"


def test_the_window_edge_is_accepted():
    headers = sign(SECRET, "link-1", BODY, now=NOW)
    verify([SECRET], headers, BODY, now=NOW + timedelta(minutes=5))
    verify([SECRET], headers, BODY, now=NOW - timedelta(minutes=5))


def test_rotation_accepts_the_previous_secret_and_several_offered_signatures():
    old = sign("old-secret-0123456789abcdef", "link-1", BODY, now=NOW)
    verify([SECRET, "old-secret-0123456789abcdef"], old, BODY, now=NOW)
    both = dict(old)
    new_value = sign(SECRET, "link-1", BODY, now=NOW)["X-Partner-Signature"]
    both["X-Partner-Signature"] = f"{old['X-Partner-Signature']}, {new_value}"
    verify([SECRET], both, BODY, now=NOW)


@pytest.mark.parametrize("headers,expected", [
    ({}, "missing_signature"),
    ({"X-Partner-Timestamp": "1"}, "missing_signature"),
    ({"X-Partner-Timestamp": "12.5", "X-Partner-Signature": "v1=ab"}, "malformed"),
    ({"X-Partner-Timestamp": "-100", "X-Partner-Signature": "v1=ab"}, "malformed"),
    ({"X-Partner-Timestamp": "١٢٣", "X-Partner-Signature": "v1=ab"}, "malformed"),
    ({"X-Partner-Timestamp": "9" * 40, "X-Partner-Signature": "v1=ab"}, "malformed"),
    ({"X-Partner-Timestamp": STAMP, "X-Partner-Signature": "v0=ab"}, "malformed"),
    ({"X-Partner-Timestamp": STAMP, "X-Partner-Signature": "v1=zz\u00e9"}, "bad_signature"),
])
def test_malformed_headers_are_refused_with_a_reason(headers, expected):
    with pytest.raises(Unauthenticated) as excinfo:
        verify([SECRET], headers, BODY, now=NOW)
    assert reason(excinfo) == expected


def test_a_delivery_without_a_link_is_refused():
    with pytest.raises(Unauthenticated) as excinfo:
        link_of({})
    assert reason(excinfo) == "missing_link"


def test_the_memory_guard_refuses_a_replay_per_link_and_forgets_after_keep():
    guard = MemoryReplayGuard()
    assert guard.claim("acme", "link-1", "e-1", now=NOW)
    assert not guard.claim("acme", "link-1", "e-1", now=NOW + timedelta(minutes=1))
    assert guard.claim("acme", "link-2", "e-1", now=NOW)
    assert guard.claim("other", "link-1", "e-1", now=NOW)
    assert guard.claim("acme", "link-1", "e-1", now=NOW + timedelta(minutes=11))


def test_the_stored_guard_refuses_a_replay_across_instances(files):
    db = files.open()
    StoredReplayGuard.create_indexes(db)
    now = NOW.replace(tzinfo=None)
    assert StoredReplayGuard(db).claim("acme", "link-1", "e-1", now=now)
    # A second replica, a restart: the id is in the database, not in a process.
    db = files.reopen(db)
    StoredReplayGuard.create_indexes(db)
    assert not StoredReplayGuard(db).claim("acme", "link-1", "e-1", now=now)
    assert StoredReplayGuard(db).claim("acme", "link-2", "e-1", now=now)
    assert StoredReplayGuard(db).claim("beta", "link-1", "e-1", now=now)


def test_the_stored_guard_purges_per_account(db):
    StoredReplayGuard.create_indexes(db)
    guard = StoredReplayGuard(db)
    now = NOW.replace(tzinfo=None)
    guard.claim("acme", "link-1", "e-1", now=now)
    guard.claim("beta", "link-1", "e-1", now=now)
    assert guard.purge("acme", now=now + timedelta(minutes=11)) == 1
    assert guard.claim("acme", "link-1", "e-1", now=now + timedelta(minutes=11))
    assert not guard.claim("beta", "link-1", "e-1", now=now + timedelta(minutes=11))
    assert all("account_id" in doc for doc in db.partner_seen_events.find())


def test_a_replay_answer_tells_the_sender_it_was_delivered():
    answer = replayed("e-1")
    assert isinstance(answer, Conflict)
    assert answer.extra == {"reason": "duplicate", "event_id": "e-1"}


def test_the_worked_example_in_the_documentation():
    # docs/partner-bridge.md gives this example to remote implementers: it must stay true.
    body = b'{"eventId":"0f8e6c1d2b3a4f5e","eventType":"troubleTicketStatusChangeEvent"}'
    headers = sign("s3cr3t-example-link-secret", "4b1d0c9e8f7a6b5c4d3e2f10", body,
                   now=datetime.fromtimestamp(1796040000, timezone.utc))
    assert headers["X-Partner-Timestamp"] == "1796040000"
    assert headers["X-Partner-Signature"] == (
        "v1=c8a5fb50754f13589ac06c2af45843bc608001c8979cc7d00295167e023ccac0")
    assert headers["X-Partner-Signature"] in DOC.read_text(encoding="utf-8")


def test_an_oversized_body_is_refused_before_it_is_hashed():
    body = b"x" * (1024 * 1024 + 1)
    headers = sign(SECRET, "link-1", body, now=NOW)
    with pytest.raises(Unauthenticated) as excinfo:
        verify([SECRET], headers, body, now=NOW)
    assert reason(excinfo) == "too_large"
