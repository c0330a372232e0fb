"""A shared ticket's changes reach the partner in the order they were made, whatever order
tickets' events are handled in (ticket_order.py), at domain level."""
import random
from datetime import timedelta

import pytest

from services.partner_bridge import outgoing, ticket_order
from services.shared.errors import Unavailable
from tests.unit.partner_installation import EMPLOYEE, two_accounts

PARTNER, MAKER = "fireguard", "alarmworks"


@pytest.fixture
def site(db):
    return two_accounts(db, PARTNER, MAKER)


def shared(site):
    """A partner's ticket shared with the maker and settled: (partner's ticket, maker's copy)."""
    ticket, received = site.share(PARTNER, MAKER, title="Panel offline")
    site.tickets[MAKER].made.clear()
    site.shared_items = site.store.outbox.items.count_documents({"account_id": PARTNER})
    return ticket, received


def queue_for(site, now):
    """What the service's relay timer hands the sweep: each ticket's queue."""
    def of_ticket(account_id, ticket_id):
        return lambda change: outgoing.queue_change(
            site.store, account_id=account_id, view=site.tickets[account_id].tickets[ticket_id],
            change=change, now=now)
    return of_ticket


def queued_kinds(site, account_id=PARTNER):
    """What the account's outbox holds after the share, in the link's order."""
    items = site.store.outbox.items.find({"account_id": account_id,
                                          "sequence": {"$gt": site.shared_items}},
                                         sort=[("sequence", 1)])
    return [(item["event_type"], item["payload"]["event"]["troubleTicket"].get("status"),
             [n["text"] for n in item["payload"]["event"]["troubleTicket"].get("note", [])])
            for item in items]


def applied_on_maker(site):
    """What the maker's tickets were told by the partner link, in the order it was applied."""
    return [(change["kind"], change.get("status") or change.get("comment_id"))
            for change in site.tickets[MAKER].made]


def test_a_comment_and_a_status_change_handled_reversed_are_sent_in_the_order_made(site):
    ticket, received = shared(site)
    partner = site.tickets[PARTNER]
    partner.add_comment(EMPLOYEE, ticket["id"], "Engineer on the way.")
    partner.change_status(EMPLOYEE, ticket["id"], "in_progress", None)
    site.announce(PARTNER, reverse=True)
    assert queued_kinds(site) == [
        ("TroubleTicketAttributeValueChangeEvent", None, ["Engineer on the way."]),
        ("TroubleTicketStatusChangeEvent", "inProgress", [])]
    site.settle(site.link_id, [PARTNER, MAKER])
    assert [kind for kind, _ in applied_on_maker(site)] == ["comment", "status"]
    assert received["status"] == "in_progress"
    assert received["comments"][-1]["body"] == "Engineer on the way."


def test_many_interleaved_changes_handled_shuffled_arrive_in_the_order_made(site):
    ticket, received = shared(site)
    partner = site.tickets[PARTNER]
    made = []
    for n in range(12):
        partner.add_comment(EMPLOYEE, ticket["id"], f"note {n}")
        status = ("in_progress", "waiting")[n % 2]
        partner.change_status(EMPLOYEE, ticket["id"], status, None)
        made += [("comment", f"note {n}"), ("status", status)]
    random.Random(7).shuffle(partner.events)
    site.announce(PARTNER)
    site.settle(site.link_id, [PARTNER, MAKER])
    bodies = {c["id"]: c["body"] for c in received["comments"]}
    assert [(kind, bodies.get(value, value)) for kind, value in applied_on_maker(site)] == made
    assert received["status"] == "waiting"


def test_a_change_waits_for_the_one_before_it_and_goes_with_it(site):
    ticket, _ = shared(site)
    partner = site.tickets[PARTNER]
    partner.add_comment(EMPLOYEE, ticket["id"], "first")
    partner.add_comment(EMPLOYEE, ticket["id"], "second")
    first, second = partner.events
    partner.events = [second]
    site.announce(PARTNER)
    assert queued_kinds(site) == []
    partner.events = [first]
    site.announce(PARTNER)
    assert [notes for _, _, notes in queued_kinds(site)] == [["first"], ["second"]]


def test_an_internal_note_takes_its_turn_and_sends_nothing(site):
    ticket, _ = shared(site)
    partner = site.tickets[PARTNER]
    partner.add_comment(EMPLOYEE, ticket["id"], "INTERNAL: owes us", visibility="internal")
    partner.change_status(EMPLOYEE, ticket["id"], "in_progress", None)
    site.announce(PARTNER, reverse=True)
    assert [status for _, status, _ in queued_kinds(site)] == ["inProgress"]
    assert "INTERNAL" not in repr(list(site.store.outbox.items.find({"account_id": PARTNER})))


def test_a_redelivered_event_is_queued_once(site):
    ticket, _ = shared(site)
    partner = site.tickets[PARTNER]
    partner.change_status(EMPLOYEE, ticket["id"], "in_progress", None)
    partner.events = partner.events * 2
    site.announce(PARTNER)
    assert len(queued_kinds(site)) == 1


def test_a_change_the_share_already_held_is_not_sent_again(site):
    partner = site.tickets[PARTNER]
    ticket = partner.open(title="Panel offline")
    partner.add_comment(EMPLOYEE, ticket["id"], "Made before the share.")
    outgoing.share_ticket(site.store, account_id=PARTNER, link_id=site.link_id, view=ticket,
                          now=site.now)
    # The comment's event is handled after the share read the ticket.
    site.announce(PARTNER)
    notes = [n["text"] for item in site.store.outbox.items.find({"account_id": PARTNER})
             for n in item["payload"]["event"]["troubleTicket"].get("note", [])]
    assert notes == ["Made before the share."]


def test_a_revision_that_never_comes_holds_its_ticket_for_a_while_only(site):
    ticket, _ = shared(site)
    partner = site.tickets[PARTNER]
    partner.add_comment(EMPLOYEE, ticket["id"], "lost in dead letters")
    partner.add_comment(EMPLOYEE, ticket["id"], "after it")
    partner.events.pop(0)
    site.announce(PARTNER)
    assert queued_kinds(site) == []
    ticket_order.sweep(site.store.order, now=site.now + timedelta(seconds=5),
                       queue_for=queue_for(site, site.now))
    assert queued_kinds(site) == []
    ticket_order.sweep(site.store.order, now=site.now + ticket_order.HOLD,
                       queue_for=queue_for(site, site.now))
    assert [notes for _, _, notes in queued_kinds(site)] == [["after it"]]


def test_a_change_left_to_the_lease_holder_is_queued_when_it_lets_go(site):
    ticket, _ = shared(site)
    partner = site.tickets[PARTNER]
    order = site.store.order
    assert order.take_lease(PARTNER, ticket["id"], now=site.now)
    partner.change_status(EMPLOYEE, ticket["id"], "in_progress", None)
    site.announce(PARTNER)
    assert queued_kinds(site) == []
    order.release(PARTNER, ticket["id"])
    queued = ticket_order.release_due(
        order, account_id=PARTNER, ticket_id=ticket["id"], now=site.now,
        queue=lambda change: [change["revision"]])
    assert queued == [partner.tickets[ticket["id"]]["revision"]]


def test_a_change_queued_before_a_crash_is_not_queued_twice(site):
    ticket, _ = shared(site)
    partner = site.tickets[PARTNER]
    partner.change_status(EMPLOYEE, ticket["id"], "in_progress", None)
    [(ticket_id, revision, change)] = partner.events
    first = outgoing.queue_change(site.store, account_id=PARTNER, view=partner.tickets[ticket_id],
                                  change=dict(change, revision=revision), now=site.now)
    # The worker died before the position moved; the sweep queues the held change again.
    site.announce(PARTNER)
    assert [item["_id"] for item in first] == [
        item["_id"] for item in site.store.outbox.items.find(
            {"account_id": PARTNER, "change_key": f"{ticket_id}:{revision}"})]
    assert len(queued_kinds(site)) == 1


def test_a_sweep_that_cannot_queue_keeps_the_change_for_the_next_one(site):
    ticket, _ = shared(site)
    partner = site.tickets[PARTNER]
    order = site.store.order
    assert order.take_lease(PARTNER, ticket["id"], now=site.now)  # a worker that then died
    partner.change_status(EMPLOYEE, ticket["id"], "in_progress", None)
    site.announce(PARTNER)
    later = site.now + ticket_order.HOLD

    def down(account_id, ticket_id):
        def queue(change):
            raise Unavailable("The tickets service did not answer.")
        return queue
    ticket_order.sweep(order, now=later, queue_for=down)
    assert queued_kinds(site) == []
    ticket_order.sweep(order, now=later, queue_for=queue_for(site, later))
    assert [status for _, status, _ in queued_kinds(site)] == ["inProgress"]
