"""One account's bad item never stops the loops that walk every account's items (issue 22):
a corrupt item is parked with its error and the other accounts' deliveries go on."""
from datetime import timedelta

import pytest

from services.partner_bridge import outgoing, relay, ticket_order
from services.partner_bridge.outbox import DELIVERED, ERROR
from services.partner_bridge.transports.local import LocalTransport
from services.shared.errors import Unavailable
from tests.unit.partner_installation import EMPLOYEE, Installation

PARTNER, MAKER, BROKEN = "fireguard", "alarmworks", "brokenco"


@pytest.fixture
def site(db):
    site = Installation(db)
    for account in (PARTNER, MAKER, BROKEN):
        site.account(account)
    site.link_id = site.link(MAKER, PARTNER)
    return site


def plant_a_link_without_destination(site):
    """What issue 22 found: an 'active' link nobody accepted (no partner, no secret) with an
    item in its outbox."""
    db = site.store.links.links
    db.insert_one({"_id": "broken-link-doc", "account_id": BROKEN, "link_id": "broken-link",
                   "state": "active", "role": "inviter", "partner": None, "secrets": [],
                   "rules": site.store.links.get(MAKER, site.link_id)["rules"],
                   "created_at": site.now, "updated_at": site.now, "history": []})
    return site.store.outbox.enqueue(BROKEN, "broken-link",
                                     lambda n: ("ev-broken-1", "TroubleTicketCreateEvent",
                                                {"sequence": n}), now=site.now)


def transport_for(site):
    local = LocalTransport(site.store, site.tickets.__getitem__, now=site.now)
    return lambda link: local if link["partner"]["endpoint"] else None


def share(site):
    ticket = site.tickets[PARTNER].open(title="Keypad dead")
    outgoing.share_ticket(site.store, account_id=PARTNER, link_id=site.link_id, view=ticket,
                          now=site.now)
    return ticket


def test_a_corrupt_item_in_one_account_is_parked_and_other_accounts_deliver(site):
    broken = plant_a_link_without_destination(site)
    # And an item that lost its link: nobody's, so no round may stop on it.
    site.store.outbox.items.insert_one({"_id": "orphan", "account_id": BROKEN, "state": "ready",
                                        "next_attempt_at": site.now, "sequence": 1})
    share(site)
    sent = relay.deliver_round(site.store, transport_for(site), now=site.now, rng=site.rng)
    assert sent == 1
    assert [i["state"] for i in site.store.outbox.list(PARTNER, {"state": DELIVERED, "limit": 10})[0]] == [DELIVERED]
    parked = site.store.outbox.items.find_one({"_id": broken["_id"]})
    assert parked["state"] == ERROR and "TypeError" in parked["last_error"]
    assert parked["attempts"] == 1
    # The next rounds go on for everyone else, and leave the parked item alone.
    site.later(1)
    site.tickets[PARTNER].add_comment(EMPLOYEE, next(iter(site.tickets[PARTNER].tickets)), "more")
    site.announce(PARTNER)
    assert relay.deliver_round(site.store, transport_for(site), now=site.now, rng=site.rng) >= 1
    [received] = site.tickets[MAKER].tickets.values()
    assert [c["body"] for c in received["comments"]] == ["more"]
    assert site.store.outbox.items.find_one({"_id": broken["_id"]})["attempts"] == 1


def test_a_received_change_that_cannot_be_applied_is_parked_and_others_are_applied(site):
    share(site)
    site.store.received.changes.insert_one({"account_id": BROKEN, "link_id": "broken-link",
                                            "sequence": 1, "change": {"garbage": True},
                                            "received_at": site.now})
    relay.deliver_round(site.store, transport_for(site), now=site.now, rng=site.rng)
    site.tickets[MAKER].down = False
    applied = relay.apply_round(site.store, site.tickets.__getitem__, now=site.now)
    assert applied == 0  # the maker's change was applied on arrival already
    [parked] = site.store.received.parked(BROKEN, "broken-link")
    assert parked["sequence"] == 1 and "NotFound" in parked["error"]
    assert site.store.received.waiting_links(limit=10) == []
    assert len(site.tickets[MAKER].tickets) == 1
    assert site.store.received.unpark(BROKEN, "broken-link") == 1


def test_a_change_kept_while_tickets_is_down_is_not_parked(site):
    share(site)
    site.store.received.changes.insert_one({"account_id": BROKEN, "link_id": "broken-link",
                                            "sequence": 1, "change": {}, "received_at": site.now})

    def down(account_id):
        raise Unavailable("The tickets service did not answer.")
    relay.apply_round(site.store, down, now=site.now)
    assert site.store.received.parked(BROKEN, "broken-link") == []


def test_the_ticket_order_sweep_parks_a_change_it_cannot_queue_and_goes_on(site):
    site.store.order.start(BROKEN, "t-broken", 1)
    site.store.order.hold(BROKEN, "t-broken", 2, {"kind": "nonsense"}, now=site.now)
    ticket = share(site)
    site.store.order.hold(PARTNER, ticket["id"], 2, {"kind": "comment", "comment_id": "x",
                                                     "changed_by": EMPLOYEE}, now=site.now)
    later = site.now + ticket_order.HOLD + timedelta(seconds=1)
    queued = []

    def queue_for(account_id, ticket_id):
        def queue(change):
            if change["kind"] == "nonsense":
                raise ValueError("Unknown kind of change 'nonsense'.")
            queued.append((account_id, change["revision"]))
            return []
        return queue
    ticket_order.sweep(site.store.order, now=later, queue_for=queue_for)
    assert queued == [(PARTNER, 2)]
    parked = site.store.order.held.find_one({"account_id": BROKEN})
    assert "ValueError" in parked["parked"]["error"]
    assert site.store.order.waiting_tickets(before=later) == []


def test_the_retention_timer_goes_on_past_an_account_it_cannot_purge(site, monkeypatch):
    share(site)
    relay.deliver_round(site.store, transport_for(site), now=site.now, rng=site.rng)
    purged = []

    def failing(account_id, *, before):
        if account_id == PARTNER:
            raise RuntimeError("disk full")
        purged.append(account_id)
        return 0
    monkeypatch.setattr(site.store.outbox, "purge", failing)
    monkeypatch.setattr(site.store.outbox, "accounts", lambda: [PARTNER, MAKER])
    relay.purge(site.store, now=site.now + timedelta(days=60), keep=timedelta(days=30))
    assert purged == [MAKER]
