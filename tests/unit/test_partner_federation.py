"""Two accounts of one installation share a ticket and sync it both ways, at domain level."""
import pytest

from services.partner_bridge import incoming, outgoing
from services.partner_bridge.outbox import ERROR
from services.shared.errors import Conflict, Forbidden, Unavailable
from tests.unit.partner_installation import EMPLOYEE, two_accounts

PARTNER, MAKER = "fireguard", "alarmworks"


@pytest.fixture
def site(db):
    return two_accounts(db, MAKER, PARTNER, rules={"incoming": {"group_id": "g-partners"}})


def share(site, **fields):
    """The partner asks the manufacturer for help from inside its own ticket."""
    partner = site.tickets[PARTNER]
    ticket = partner.open(title="Panel S2000-M keeps rebooting", priority="high",
                          description="Client Ivan, +7 912 345-67-89, says it reboots hourly.",
                          equipment={"kind": "Control panel", "manufacturer": "Bolid",
                                     "model": "S2000-M", "serial_number": "SN-0001"},
                          site={"city": "Kazan", "address": "Lenina 1"},
                          contact={"name": "Ivan Petrov", "phones": ["+79123456789"]},
                          works=[{"amount": {"amount": "4500.00", "currency": "RUB"}}], **fields)
    partner.add_comment(EMPLOYEE, ticket["id"], "INTERNAL: client owes us 4500", visibility="internal")
    partner.events.clear()
    outgoing.share_ticket(site.store, account_id=PARTNER, link_id=site.link_id, view=ticket, now=site.now)
    site.settle(site.link_id, [PARTNER, MAKER])
    return ticket


def only_ticket(site, account_id):
    [ticket] = site.tickets[account_id].tickets.values()
    return ticket


def everything_the_maker_holds(site):
    return repr(site.tickets[MAKER].tickets) + repr(list(site.store.outbox.items.find(
        {"account_id": PARTNER})))


def test_a_shared_ticket_arrives_with_its_numbers_on_both_sides(site):
    ticket = share(site)
    received = only_ticket(site, MAKER)
    assert received["title"] == "Panel S2000-M keeps rebooting"
    assert received["priority"] == "high" and received["channel"] == "partner"
    assert received["assignee_group_id"] == "g-partners"
    assert "SN-0001" in received["description"] and "Kazan" in received["description"]
    maker_side = site.store.correlations.by_remote(MAKER, site.link_id, ticket["id"])
    assert maker_side["remote_number"] == "1" and maker_side["side"] == "replica"
    partner_side = site.store.correlations.of_ticket(PARTNER, ticket["id"])[0]
    assert partner_side["remote_ticket_id"] == received["id"]
    assert partner_side["remote_number"] == str(received["number"])


def test_the_manufacturer_never_sees_internal_notes_prices_or_the_clients_phone(site):
    share(site)
    held = everything_the_maker_holds(site)
    for private in ("INTERNAL", "4500", "345-67-89", "79123456789", "Ivan Petrov", "Lenina"):
        assert private not in held


def test_comments_and_statuses_cross_both_ways_in_order_and_never_echo(site):
    ticket = share(site)
    partner = site.tickets[PARTNER]
    maker = site.tickets[MAKER]
    received = only_ticket(site, MAKER)
    sent_before = site.delivered
    maker.change_status(EMPLOYEE, received["id"], "in_progress", "Looking into it")
    maker.add_comment(EMPLOYEE, received["id"], "Please send the event log.")
    site.settle(site.link_id, [PARTNER, MAKER])
    assert partner.tickets[ticket["id"]]["status"] == "in_progress"
    bodies = [c["body"] for c in partner.tickets[ticket["id"]]["comments"]]
    assert bodies[-1] == "Please send the event log."
    partner.add_comment(EMPLOYEE, ticket["id"], "Log attached, see zone 3.")
    partner.change_status(EMPLOYEE, ticket["id"], "waiting", None)
    site.settle(site.link_id, [PARTNER, MAKER])
    assert received["status"] == "waiting"
    assert received["comments"][-1]["body"] == "Log attached, see zone 3."
    assert received["comments"][-1]["author"]["name"] == "Anna Engineer"
    # Four changes were made by people; four deliveries went. Nothing bounced back.
    assert site.delivered - sent_before == 4
    assert site.store.correlations.of_ticket(PARTNER, ticket["id"])[0]["conflicts"] == []


def test_crossing_status_changes_end_alike_and_are_recorded(site):
    ticket = share(site)
    received = only_ticket(site, MAKER)
    site.tickets[PARTNER].change_status(EMPLOYEE, ticket["id"], "resolved", None)
    site.tickets[MAKER].change_status(EMPLOYEE, received["id"], "waiting", None)
    site.announce(PARTNER)
    site.announce(MAKER)
    site.settle(site.link_id, [PARTNER, MAKER])
    # The partner shared the ticket: equal counters, the origin side's status stands.
    assert site.tickets[PARTNER].tickets[ticket["id"]]["status"] == "resolved"
    assert received["status"] == "resolved"
    for account_id, ticket_id in ((PARTNER, ticket["id"]), (MAKER, received["id"])):
        [correlation] = site.store.correlations.of_ticket(account_id, ticket_id)
        assert [c["rule"] for c in correlation["conflicts"]] == ["lamport-counter-then-origin"]


def test_a_paused_partner_makes_changes_wait_and_they_arrive_in_order_after(site):
    ticket = share(site)
    received = only_ticket(site, MAKER)
    site.store.links.change_state(MAKER, site.link_id, "paused", now=site.now, actor=EMPLOYEE)
    partner = site.tickets[PARTNER]
    for body in ("first", "second", "third"):
        partner.add_comment(EMPLOYEE, ticket["id"], body)
    site.announce(PARTNER)
    assert site.deliver(PARTNER, site.link_id) == 0  # answered 503: retried later
    head = site.store.outbox.head(PARTNER, site.link_id)
    assert head["attempts"] == 1 and head["state"] != ERROR
    site.store.links.change_state(MAKER, site.link_id, "active", now=site.now, actor=EMPLOYEE)
    site.later(3600)
    assert site.deliver(PARTNER, site.link_id) == 3
    assert [c["body"] for c in received["comments"]][-3:] == ["first", "second", "third"]


def test_a_tampered_delivery_is_parked_for_an_admin_and_replayed(site):
    ticket = share(site)
    site.tickets[PARTNER].add_comment(EMPLOYEE, ticket["id"], "hello")
    site.announce(PARTNER)
    site.tamper = lambda body: body.replace(b"hello", b"HELLO")
    site.deliver(PARTNER, site.link_id)
    [parked] = site.store.outbox.errors(PARTNER, site.link_id)
    assert "signature" in parked["last_error"]
    site.tamper = None
    site.store.outbox.replay(PARTNER, parked["_id"], now=site.now)
    assert site.deliver(PARTNER, site.link_id) == 1
    assert only_ticket(site, MAKER)["comments"][-1]["body"] == "hello"


def test_a_replayed_delivery_changes_nothing(site):
    ticket = share(site)
    site.tickets[PARTNER].add_comment(EMPLOYEE, ticket["id"], "once")
    site.announce(PARTNER)
    item = site.store.outbox.head(PARTNER, site.link_id)
    site.deliver(PARTNER, site.link_id)
    with pytest.raises(Conflict) as excinfo:
        incoming.receive(site.store, site.tickets[MAKER], account_id=MAKER, link_id=site.link_id,
                         payload=item["payload"], now=site.now)
    assert excinfo.value.extra["reason"] == "duplicate"
    assert [c["body"] for c in only_ticket(site, MAKER)["comments"]].count("once") == 1


def test_a_revoked_or_paused_link_refuses_what_arrives(site):
    ticket = share(site)
    site.tickets[PARTNER].add_comment(EMPLOYEE, ticket["id"], "late")
    site.announce(PARTNER)
    payload = site.store.outbox.head(PARTNER, site.link_id)["payload"]
    site.store.links.change_state(MAKER, site.link_id, "paused", now=site.now, actor=EMPLOYEE)
    with pytest.raises(Unavailable):
        incoming.receive(site.store, site.tickets[MAKER], account_id=MAKER, link_id=site.link_id,
                         payload=payload, now=site.now)
    site.store.links.change_state(MAKER, site.link_id, "revoked", now=site.now, actor=EMPLOYEE)
    with pytest.raises(Forbidden):
        incoming.receive(site.store, site.tickets[MAKER], account_id=MAKER, link_id=site.link_id,
                         payload=payload, now=site.now)


def test_a_status_the_local_workflow_refuses_is_recorded_not_forced(site):
    ticket = share(site)
    received = only_ticket(site, MAKER)
    site.tickets[MAKER].change_status(EMPLOYEE, received["id"], "closed", None)
    site.tickets[MAKER].events.clear()  # the partner does not hear of it in this test
    site.tickets[PARTNER].change_status(EMPLOYEE, ticket["id"], "waiting", None)
    site.settle(site.link_id, [PARTNER, MAKER])
    assert received["status"] == "closed"
    [correlation] = site.store.correlations.of_ticket(MAKER, received["id"])
    assert correlation["conflicts"][-1]["rule"] == "local-workflow"


def test_sharing_needs_an_active_link_and_happens_once(site):
    ticket = share(site)
    with pytest.raises(Conflict):
        outgoing.share_ticket(site.store, account_id=PARTNER, link_id=site.link_id, view=ticket,
                              now=site.now)
    site.store.links.change_state(PARTNER, site.link_id, "revoked", now=site.now, actor=EMPLOYEE)
    other = site.tickets[PARTNER].open(title="Another")
    with pytest.raises(Conflict):
        outgoing.share_ticket(site.store, account_id=PARTNER, link_id=site.link_id, view=other,
                              now=site.now)


def test_a_change_kept_while_tickets_is_down_is_applied_later(site):
    ticket = share(site)
    received = only_ticket(site, MAKER)
    site.tickets[MAKER].down = True
    site.tickets[PARTNER].change_status(EMPLOYEE, ticket["id"], "waiting", None)
    site.tickets[PARTNER].add_comment(EMPLOYEE, ticket["id"], "after the status")
    site.announce(PARTNER)
    # The partner's deliveries are accepted (kept): its outbox is done with them.
    assert site.deliver(PARTNER, site.link_id) == 2
    assert received["status"] == "opened"
    site.tickets[MAKER].down = False
    assert incoming.apply_ready(site.store, site.tickets[MAKER], account_id=MAKER,
                                link_id=site.link_id, now=site.now) == 2
    assert received["status"] == "waiting"
    assert received["comments"][-1]["body"] == "after the status"


def test_later_edits_cross_both_ways_within_the_rules_and_never_echo(site):
    ticket = share(site)
    partner, maker = site.tickets[PARTNER], site.tickets[MAKER]
    received = only_ticket(site, MAKER)
    sent_before = site.delivered
    partner.update_ticket(EMPLOYEE, ticket["id"], {
        "title": "Panel reboots every hour", "priority": "critical",
        "description": "Now also zone 4, call +7 912 345-67-89.", "assignee_id": "e-7"})
    site.settle(site.link_id, [PARTNER, MAKER])
    assert received["title"] == "Panel reboots every hour" and received["priority"] == "critical"
    # The new text replaces the old; what the maker's copy says of the equipment stays after it.
    assert received["description"].startswith("Now also zone 4, call [phone hidden].")
    assert "Serial number: SN-0001" in received["description"]
    assert "assignee_id" not in received
    maker.update_ticket(EMPLOYEE, received["id"], {"title": "Bolid panel reboots", "priority": "high"})
    site.settle(site.link_id, [PARTNER, MAKER])
    mine = partner.tickets[ticket["id"]]
    # The partner shared the ticket: its title is its own and stays; the maker's is kept beside.
    assert (mine["title"], mine["priority"]) == ("Panel reboots every hour", "high")
    [correlation] = site.store.correlations.of_ticket(PARTNER, ticket["id"])
    assert correlation["partner_text"]["title"] == "Bolid panel reboots"
    # Two edits made by people, two deliveries: an edit applied from the partner is not sent back.
    assert site.delivered - sent_before == 2


def test_an_edit_leaves_only_what_the_outgoing_rule_lets_out_and_lands_as_the_incoming_rule_says(site):
    ticket = share(site)
    partner = site.tickets[PARTNER]
    received = only_ticket(site, MAKER)
    site.store.links.set_rules(PARTNER, site.link_id, {"outgoing": {"fields": ["status", "priority"]}},
                               now=site.now)
    site.store.links.set_rules(MAKER, site.link_id, {"incoming": {"priority": "low"}},
                               now=site.now)
    partner.update_ticket(EMPLOYEE, ticket["id"], {"title": "Renamed", "priority": "critical"})
    site.settle(site.link_id, [PARTNER, MAKER])
    assert received["title"] == "Panel S2000-M keeps rebooting" and received["priority"] == "high"
    site.store.links.set_rules(MAKER, site.link_id, {"incoming": {"accept_edits": False}},
                               now=site.now)
    site.store.links.set_rules(PARTNER, site.link_id, {"outgoing": {"fields": ["title"]}},
                               now=site.now)
    partner.update_ticket(EMPLOYEE, ticket["id"], {"title": "Renamed again"})
    site.settle(site.link_id, [PARTNER, MAKER])
    assert received["title"] == "Panel S2000-M keeps rebooting"
