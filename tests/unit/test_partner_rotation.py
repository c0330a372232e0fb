"""Rotating a link's secret (rotation.py): both sides switch, the old secret is accepted for the
overlap and refused after it, and a partner that cannot be told leaves the link signing as
before. In process between two accounts, and over the HTTPS transport with a fake session."""
import json
from datetime import datetime, timedelta

import pytest
import requests

from services.partner_bridge import rotation
from services.partner_bridge.signing import sign, verify
from services.partner_bridge.transports.https import HttpsTransport
from services.partner_bridge.transports.local import LocalTransport
from services.shared.errors import Conflict, Unauthenticated, Unavailable, ValidationFailed
from tests.unit.partner_installation import EMPLOYEE, two_accounts
from tests.unit.test_partner_transports import Answer, FakeSession

PARTNER, MAKER = "fireguard", "alarmworks"
OVERLAP = timedelta(minutes=30)
NOW = datetime(2026, 11, 30, 12)


@pytest.fixture
def site(db):
    return two_accounts(db, MAKER, PARTNER)


def secrets(site, account_id, later=timedelta(0)):
    return site.store.links.secrets_of(account_id, site.link_id, now=site.now + later)


def rotate(site, tell_partner=None):
    transport = LocalTransport(site.store, lambda account: site.tickets[account], now=site.now)
    return rotation.rotate(site.store, account_id=MAKER, link_id=site.link_id, overlap=OVERLAP,
                           now=site.now, tell_partner=tell_partner or transport.rotate_secret)


def signed_with(site, secret, body=b'{"eventId":"e-1"}', later=timedelta(0)):
    return sign(secret, site.link_id, body, now=site.now + later), body


def test_both_sides_sign_with_the_new_secret_and_take_the_old_one_for_the_overlap(site):
    [old] = secrets(site, MAKER)
    link = rotate(site)
    new = secrets(site, MAKER)[0]
    assert new != old and secrets(site, MAKER) == secrets(site, PARTNER) == [new, old]
    assert link["secret_rotated_at"] == site.now
    assert link["secrets_until"] == site.now + OVERLAP and "secrets" not in link
    # A delivery the partner signed with the old secret just before it switched still passes...
    headers, body = signed_with(site, old, later=OVERLAP - timedelta(minutes=1))
    verify(secrets(site, MAKER, OVERLAP - timedelta(minutes=1)), headers, body,
           now=site.now + OVERLAP - timedelta(minutes=1))
    # ...and is refused once the overlap is over; the new secret goes on.
    for account_id in (MAKER, PARTNER):
        assert secrets(site, account_id, OVERLAP) == [new]
    headers, body = signed_with(site, old, later=OVERLAP)
    with pytest.raises(Unauthenticated):
        verify(secrets(site, MAKER, OVERLAP), headers, body, now=site.now + OVERLAP)
    headers, body = signed_with(site, new, later=OVERLAP)
    verify(secrets(site, PARTNER, OVERLAP), headers, body, now=site.now + OVERLAP)


def test_a_partner_that_cannot_be_told_leaves_the_link_signing_as_before(site):
    [old] = secrets(site, MAKER)

    def down(link, message):
        raise Unavailable("The partner could not be reached: ConnectTimeout.")
    with pytest.raises(Unavailable):
        rotate(site, tell_partner=down)
    # Still signing with the old secret; the new one is accepted in case the partner took it.
    assert secrets(site, MAKER)[0] == old and len(secrets(site, MAKER)) == 2
    assert secrets(site, PARTNER) == [old]
    assert secrets(site, MAKER, OVERLAP) == [old]


def test_a_rotation_message_presented_again_is_a_duplicate(site):
    told = []

    def tell(link, message):
        told.append(message)
        rotation.take_rotation(site.store, account_id=PARTNER, link_id=site.link_id,
                               message=message, now=site.now)
    rotate(site)
    rotate(site, tell_partner=tell)
    with pytest.raises(Conflict) as refused:
        rotation.take_rotation(site.store, account_id=PARTNER, link_id=site.link_id,
                               message=told[0], now=site.now)
    assert refused.value.extra["reason"] == "duplicate"


def test_a_bad_message_names_the_field_and_changes_nothing(site):
    before = secrets(site, PARTNER)
    with pytest.raises(ValidationFailed) as refused:
        rotation.take_rotation(site.store, account_id=PARTNER, link_id=site.link_id, now=site.now,
                               message={"rotation_id": "r" * 16, "secret": "s" * 43,
                                        "overlap_seconds": 10})
    assert list(refused.value.fields) == ["overlap_seconds"]
    assert secrets(site, PARTNER) == before


def test_a_revoked_link_keeps_its_secret(site):
    site.store.links.change_state(MAKER, site.link_id, "revoked", now=site.now, actor=EMPLOYEE)
    before = secrets(site, MAKER)
    with pytest.raises(Conflict):
        rotate(site)
    assert secrets(site, MAKER) == before


@pytest.mark.parametrize("answer, raised", [
    (Answer(200, {"link_id": "l-1"}), None),
    (Answer(503, {"reason": "paused"}), Unavailable),
    (requests.ConnectionError("refused"), Unavailable),
    (Answer(401, {"reason": "bad_signature"}), Conflict)])
def test_the_https_transport_tells_the_partner_signed_with_the_current_secret(answer, raised):
    link = {"link_id": "l-1", "account_id": MAKER,
            "partner": {"account_id": PARTNER, "endpoint": "https://partner.example/"}}
    session = FakeSession(answer)
    transport = HttpsTransport(lambda link: ["current-secret", "new-secret"], now=NOW,
                               session=session)
    message = {"rotation_id": "r" * 32, "secret": "n" * 43, "overlap_seconds": 600}
    if raised:
        with pytest.raises(raised):
            transport.rotate_secret(link, message)
    else:
        transport.rotate_secret(link, message)
    [(url, sent)] = session.sent
    assert url == "https://partner.example/api/v1/federation/fireguard/links/l-1/secret"
    assert json.loads(sent["data"]) == message
    verify(["current-secret"], sent["headers"], sent["data"], now=transport.now)
