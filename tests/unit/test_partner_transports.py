"""The transports (transports/) and the delivery loop (relay.py) without nameko or a network:
the in-process transport between two accounts of one installation, and the HTTPS transport
against a fake session whose answers are judged like a partner's."""
import json
from datetime import datetime, timedelta

import pytest
import requests

from services.partner_bridge import outgoing, relay
from services.partner_bridge.outbox import DELIVERED_OUTCOME, ERROR, REFUSED, RETRY
from services.partner_bridge.signing import verify
from services.partner_bridge.transports.https import HttpsTransport
from services.partner_bridge.transports.local import LocalTransport
from tests.unit.partner_installation import EMPLOYEE, two_accounts

PARTNER, MAKER = "fireguard", "alarmworks"
LINK = {"link_id": "l-1", "account_id": PARTNER,
        "partner": {"account_id": MAKER, "endpoint": "https://maker.example/"}}
ITEM = {"payload": {"eventId": "e-1", "eventType": "troubleTicketStatusChangeEvent", "sequence": 1}}


class Answer:
    def __init__(self, status, body):
        self.status_code, self.body = status, body
        self.text = json.dumps(body)

    def json(self):
        return self.body


class FakeSession:
    def __init__(self, answer):
        self.answer, self.sent = answer, []

    def post(self, url, **kwargs):
        self.sent.append((url, kwargs))
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


@pytest.fixture
def site(db):
    return two_accounts(db, MAKER, PARTNER)


def local(site):
    return lambda link: LocalTransport(site.store, lambda account: site.tickets[account],
                                       now=site.now)


def test_a_round_delivers_in_process_and_the_answer_comes_back(site):
    ticket = site.tickets[PARTNER].open(title="Panel offline", status="opened")
    outgoing.share_ticket(site.store, account_id=PARTNER, link_id=site.link_id, view=ticket,
                          now=site.now)
    assert relay.due_links(site.store, now=site.now) == [(PARTNER, site.link_id)]
    assert relay.deliver_round(site.store, local(site), now=site.now, rng=site.rng) == 1
    [received] = site.tickets[MAKER].tickets.values()
    assert received["title"] == "Panel offline" and received["created_by"]["kind"] == "partner_link"
    # The maker's acknowledgement (its number) goes back on the next round.
    assert relay.deliver_round(site.store, local(site), now=site.now, rng=site.rng) == 1
    [ours] = site.store.correlations.of_ticket(PARTNER, ticket["id"])
    assert ours["remote_ticket_id"] == received["id"]
    assert relay.due_links(site.store, now=site.now) == []


def test_changes_kept_while_tickets_was_down_are_applied_by_a_later_round(site):
    ticket = site.tickets[PARTNER].open(title="Panel offline")
    site.tickets[PARTNER].add_comment(EMPLOYEE, ticket["id"], "first")
    site.tickets[PARTNER].events.clear()
    outgoing.share_ticket(site.store, account_id=PARTNER, link_id=site.link_id, view=ticket,
                          now=site.now)
    relay.deliver_round(site.store, local(site), now=site.now, rng=site.rng)
    site.tickets[PARTNER].change_status(EMPLOYEE, ticket["id"], "waiting", None)
    site.announce(PARTNER)
    site.tickets[MAKER].down = True
    relay.deliver_round(site.store, local(site), now=site.now, rng=site.rng)
    [received] = site.tickets[MAKER].tickets.values()
    assert received["status"] == "opened"
    assert relay.waiting_links(site.store) == [(MAKER, site.link_id)]
    site.tickets[MAKER].down = False
    assert relay.apply_round(site.store, lambda account: site.tickets[account], now=site.now) == 1
    assert received["status"] == "waiting" and relay.waiting_links(site.store) == []


def test_a_refusal_from_the_partner_parks_the_item_for_an_admin(site):
    ticket = site.tickets[PARTNER].open(title="Panel offline")
    outgoing.share_ticket(site.store, account_id=PARTNER, link_id=site.link_id, view=ticket,
                          now=site.now)
    site.store.links.change_state(MAKER, site.link_id, "revoked", now=site.now, actor=EMPLOYEE)
    assert relay.deliver_round(site.store, local(site), now=site.now, rng=site.rng) == 0
    [parked] = site.store.outbox.errors(PARTNER, site.link_id)
    assert parked["state"] == ERROR and "revoked" in parked["last_error"]


def test_https_signs_the_exact_body_it_posts_to_the_partners_listener():
    session = FakeSession(Answer(202, {"event_id": "e-1", "sequence": 1}))
    now = datetime(2026, 11, 30, 12)
    transport = HttpsTransport(lambda link: ["s3cr3t-link-secret"], now=now, session=session)
    assert transport.send(LINK, ITEM)[0] == DELIVERED_OUTCOME
    [(url, sent)] = session.sent
    assert url == "https://maker.example/api/v1/federation/alarmworks/links/l-1/events"
    verify(["s3cr3t-link-secret"], sent["headers"], sent["data"], now=now)
    assert json.loads(sent["data"]) == ITEM["payload"] and sent["allow_redirects"] is False


@pytest.mark.parametrize("answer, outcome", [
    (Answer(409, {"reason": "duplicate"}), DELIVERED_OUTCOME),
    (Answer(409, {"reason": "other"}), REFUSED),
    (Answer(503, {"detail": "paused"}), RETRY),
    (Answer(429, {}), RETRY),
    (Answer(401, {"reason": "bad_signature"}), REFUSED),
    (Answer(422, {"errors": []}), REFUSED),
    (requests.ConnectionError("refused"), RETRY),
    (requests.Timeout("slow"), RETRY),
])
def test_https_answers_are_judged_like_the_outbox_expects(answer, outcome):
    transport = HttpsTransport(lambda link: ["s3cr3t-link-secret"], now=datetime(2026, 11, 30),
                               session=FakeSession(answer))
    assert transport.send(LINK, ITEM)[0] == outcome


def test_purging_forgets_old_deliveries_but_keeps_each_links_newest(site):
    ticket = site.tickets[PARTNER].open(title="Panel offline")
    outgoing.share_ticket(site.store, account_id=PARTNER, link_id=site.link_id, view=ticket,
                          now=site.now)
    site.tickets[PARTNER].add_comment(EMPLOYEE, ticket["id"], "one")
    site.announce(PARTNER)
    relay.deliver_round(site.store, local(site), now=site.now, rng=site.rng)
    relay.deliver_round(site.store, local(site), now=site.now, rng=site.rng)
    later = site.now + timedelta(days=40)
    assert relay.purge(site.store, now=later, keep=timedelta(days=30)) >= 1
    left = list(site.store.outbox.items.find({"account_id": PARTNER}))
    assert [item["sequence"] for item in left] == [2]
