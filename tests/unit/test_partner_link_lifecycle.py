"""A link's life told to both sides (issue 22): pause, resume and revoke announced to the
partner, a pending link active only by acceptance, rotation of a pending link a clear 409, the
acceptance answer naming the inviter."""
import pytest

from services.partner_bridge import announcements, relay, rotation
from services.partner_bridge.transports.local import LocalTransport
from services.partner_bridge.invitations import check_acceptance_answer, read_invitation
from services.shared.errors import Conflict, Unavailable
from tests.unit.partner_installation import EMPLOYEE, KEY, two_accounts

PARTNER, MAKER = "fireguard", "alarmworks"


@pytest.fixture
def site(db):
    return two_accounts(db, MAKER, PARTNER)


def transport(site):
    return LocalTransport(site.store, site.tickets.__getitem__, now=site.now)


def change_state(site, account_id, state, send=None):
    """What the change_link_state entrypoint does: change, then tell the partner at once."""
    link = site.store.links.change_state(account_id, site.link_id, state, now=site.now,
                                         actor=EMPLOYEE, announce=True)
    announcements.tell(site.store, link, link["announcement"],
                       send or transport(site).announce_state, now=site.now, rng=site.rng)
    return site.store.links.get(account_id, site.link_id)


def states(site):
    return (site.store.links.get(MAKER, site.link_id)["state"],
            site.store.links.get(PARTNER, site.link_id)["state"])


def test_pause_resume_and_revoke_are_followed_by_the_partner(site):
    told = change_state(site, PARTNER, "paused")
    assert states(site) == ("paused", "paused")
    assert told["announcement"]["outcome"] == "delivered" and told["announcement"]["attempts"] == 1
    change_state(site, MAKER, "active")
    assert states(site) == ("active", "active")
    change_state(site, PARTNER, "revoked")
    assert states(site) == ("revoked", "revoked")
    # The side that followed announced nothing back: only one announcement per change.
    assert site.store.links.get(MAKER, site.link_id)["history"][-1]["actor"] == {
        "kind": "partner_link", "id": site.link_id}


def test_an_announcement_the_partner_did_not_get_is_sent_again_by_the_relay(site):
    told = change_state(site, PARTNER, "revoked",
                        send=lambda link, message: ("retry", "connection refused"))
    assert states(site) == ("active", "revoked")
    assert told["announcement"]["outcome"] == "retry"
    assert told["announcement"]["last_error"] == "connection refused"
    site.later(5)
    relay.announce_round(site.store, lambda link: transport(site), now=site.now, rng=site.rng)
    assert states(site) == ("revoked", "revoked")
    announcement = site.store.links.get(PARTNER, site.link_id)["announcement"]
    assert announcement["attempts"] == 2 and announcement["outcome"] == "delivered"
    assert site.store.links.due_announcements(now=site.now, limit=10) == []


def test_an_announcement_presented_twice_is_a_duplicate(site):
    message = {"announcement_id": "a" * 32, "state": "paused"}
    announcements.take(site.store, account_id=MAKER, link_id=site.link_id, message=message,
                       now=site.now)
    with pytest.raises(Conflict) as again:
        announcements.take(site.store, account_id=MAKER, link_id=site.link_id, message=message,
                           now=site.now)
    assert again.value.extra["reason"] == "duplicate"


def test_a_pending_link_becomes_active_only_by_acceptance(site):
    link, _ = site.store.links.invite(KEY, account_id=MAKER, account_name="Maker",
                                      endpoint="https://desk.example", now=site.now, actor=EMPLOYEE)
    with pytest.raises(Conflict) as refused:
        site.store.links.change_state(MAKER, link["link_id"], "active", now=site.now,
                                      actor=EMPLOYEE, announce=True)
    assert refused.value.extra["allowed"] == ["revoked"]


def test_rotating_the_secret_of_a_pending_link_is_a_conflict_not_a_crash(site):
    link, _ = site.store.links.invite(KEY, account_id=MAKER, account_name="Maker",
                                      endpoint="https://desk.example", now=site.now, actor=EMPLOYEE)
    with pytest.raises(Conflict) as refused:
        rotation.rotate(site.store, account_id=MAKER, link_id=link["link_id"],
                        overlap=rotation.MIN_OVERLAP, now=site.now,
                        tell_partner=lambda link, message: None)
    assert refused.value.extra["state"] == "pending"


def test_an_acceptance_answer_for_another_account_or_link_is_refused(site):
    _, code = site.store.links.invite(KEY, account_id=MAKER, account_name="Maker",
                                      endpoint="https://desk.example", now=site.now, actor=EMPLOYEE)
    invitation = read_invitation(code)
    good = {"link_id": invitation.link_id, "account_id": MAKER, "secret": "s" * 43}
    assert check_acceptance_answer(invitation, good) == "s" * 43
    for wrong in ({"account_id": PARTNER}, {"link_id": "another"}):
        with pytest.raises(Conflict):
            check_acceptance_answer(invitation, dict(good, **wrong))
    with pytest.raises(Unavailable):
        check_acceptance_answer(invitation, dict(good, secret=None))
